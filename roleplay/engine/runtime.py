"""A loaded scenario made runnable: its one ``transitions.Machine`` and everything a turn needs.

``ScenarioRuntime`` is built once per scenario and shared by every session of it:

- the state machine, with ``auto_transitions=False`` and one transition per (state, expected
  intent), one per state for its ``otherwise`` and one "walk away" from every open state. Each
  session is added to it as a model (``machine.add_model``) and removed when it closes;
- the prepared example phrases (``matching.IntentIndex``) and the checks graded in each state;
- the reactions to check results in force (engine defaults + the scenario's).

Names are generated, never taken from YAML: states are ``rp_s<N>`` and triggers ``rp_<N>_<M>``,
so a state or intent called ``state``, ``trigger``, ``to_x``, ``answer`` or ``__class__`` cannot
collide with an attribute ``transitions`` sets on a session, nor with the session's own API.
Conditions reach the machine as closures built by ``conditions.compile_conditions``; no string
from a scenario is ever given to ``transitions`` as a callable (it would import a dotted name).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol, Sequence

from transitions import EventData, Machine

from roleplay.engine.conditions import TurnContext, compile_conditions
from roleplay.engine.customer import reaction_table
from roleplay.engine.facts import product_facts
from roleplay.engine.matching import DEFAULT_METHOD, IntentIndex
from roleplay.scenario.model import Effects, Intent, Scenario, State
from scoring.catalogue import load_catalogue

if TYPE_CHECKING:
    from roleplay.engine.session import Session

ENGINE_WALK_AWAY = "walked_away"
"""The id of the failure end state the engine adds when a scenario names no ``walk_away``
(a suffix is added if the scenario already uses the name)."""

WALK_TRIGGER = "rp_walk_away"
"""The trigger that takes a session whose patience ran out to the walk-away state."""


class ScenarioError(ValueError):
    """The scenario cannot be run (it would not pass the loader's validation either)."""


class UnknownState(LookupError):
    """``start(from_state=...)`` named no state of the scenario."""


class GraderLike(Protocol):
    """What the engine needs of ``scoring.grader.Grader`` (a test may pass a fake)."""

    def grade_answer(self, answer: str, *, lang: str, checks: Sequence[str], facts: Any = None,
                     customer: Any = None) -> tuple[Any, ...]: ...

    def grade_session(self, turns: Sequence[Sequence[Any]], *, applicable: Sequence[str], pass_mark: int,
                      blockers: Sequence[str], hints_used: int = 0, lang: str) -> Any: ...


@lru_cache(maxsize=1)
def default_grader() -> GraderLike:
    """The real scorer, created once per process (it may load data files)."""
    from scoring.grader import Grader

    return Grader()


@dataclass(frozen=True, slots=True)
class Route:
    """One way out of a state: an expected intent, the ``otherwise``, or walking away."""

    trigger: str
    """The generated trigger name in the machine."""
    intent: Intent | None
    """The intent, or None for the fallback and the walk-away."""
    holds: Callable[[TurnContext], bool]
    """The intent's ``when:`` as one predicate (always true for the fallback)."""
    dest: str
    """The scenario state the session is in after the move."""
    effects: Effects
    """How the meters move."""


def _always(ctx: TurnContext) -> bool:
    return True


def _machine_condition(holds: Callable[[TurnContext], bool]) -> Callable[[EventData], bool]:
    # ``send_event=True``: transitions hands every condition the EventData; the engine passes the
    # turn's context as the ``ctx`` keyword when it fires a trigger.
    def condition(event: EventData) -> bool:
        return holds(event.kwargs["ctx"])

    return condition


def _walk_condition(event: EventData) -> bool:
    return event.kwargs["ctx"].patience <= 0


class ScenarioRuntime:
    """A scenario's state machine, prepared phrases and grading set-up, built once."""

    def __init__(self, scenario: Scenario, grader: GraderLike | None = None, *, method: str = DEFAULT_METHOD) -> None:
        """Build the machine and the matching index.

        Args:
            scenario: A validated scenario (from the loader, or built in code).
            grader: The scorer; None for the real one (``scoring.grader.Grader``).
            method: The matching method (``matching.METHODS``); the default is the measured best.

        Raises:
            ScenarioError: When the scenario names an unknown state or condition (the loader
                reports these as errors; a scenario built in code gets the same refusal).
        """
        self.scenario = scenario
        self.grader: GraderLike = grader if grader is not None else default_grader()
        self.catalogue = load_catalogue()
        if scenario.start not in scenario.states:
            raise ScenarioError(f"{scenario.id}: the start state {scenario.start!r} does not exist")
        self._names: dict[str, str] = {sid: f"rp_s{i}" for i, sid in enumerate(scenario.states)}
        self.walk_away_state, self.engine_walk_away = self._walk_away_state()
        if self.engine_walk_away:
            self._names[self.walk_away_state] = f"rp_s{len(self._names)}"
        self._ids: dict[str, str] = {name: sid for sid, name in self._names.items()}
        self.index = IntentIndex(scenario, method)
        self.reactions: Mapping[tuple[str, bool], Effects] = reaction_table(scenario.reactions)
        self.turn_checks: dict[str, tuple[str, ...]] = {
            sid: tuple(c for c in self.catalogue.expand(list(state.rubrics)) if self.catalogue.checks[c].scope == "turn")
            for sid, state in scenario.states.items()
        }
        self.routes: dict[str, tuple[Route, ...]] = {}
        self.fallbacks: dict[str, Route] = {}
        self.machine = self._build_machine()
        self._facts: dict[str, Any] = {}
        self._applicable: dict[str, tuple[str, ...]] = {}

    # -- building -----------------------------------------------------------------------

    def _walk_away_state(self) -> tuple[str, bool]:
        sc = self.scenario
        if sc.walk_away:
            state = sc.states.get(sc.walk_away)
            if state is None or state.end != "failure":
                raise ScenarioError(f"{sc.id}: walk_away should name a failure end state, not {sc.walk_away!r}")
            return sc.walk_away, False
        name, n = ENGINE_WALK_AWAY, 1
        while name in sc.states:
            n += 1
            name = f"{ENGINE_WALK_AWAY}_{n}"
        return name, True

    def _dest(self, state: State, then: str | None, what: str) -> str:
        if then is None:
            return state.id
        if then not in self.scenario.states:
            raise ScenarioError(f"{self.scenario.id}: {what} of state {state.id!r} goes to an unknown state {then!r}")
        return then

    def _build_machine(self) -> Machine:
        transitions: list[dict[str, Any]] = []
        open_states: list[str] = []
        for i, state in enumerate(self.scenario.states.values()):
            if state.is_end:
                continue
            open_states.append(self._names[state.id])
            routes = []
            for p, intent in enumerate(state.expect):
                where = f"{self.scenario.id}: intent {intent.id!r} of state {state.id!r}"
                try:
                    holds = compile_conditions(intent.when, where)
                except ValueError as exc:
                    raise ScenarioError(str(exc)) from None
                route = Route(f"rp_{i}_{p}", intent, holds, self._dest(state, intent.then, f"intent {intent.id!r}"),
                              intent.effects)
                routes.append(route)
                transitions.append(self._transition(route, state, intent.then))
            self.routes[state.id] = tuple(routes)
            fallback = state.otherwise
            then = fallback.then if fallback is not None else None
            route = Route(f"rp_{i}_else", None, _always, self._dest(state, then, "otherwise"),
                          fallback.effects if fallback is not None else Effects())
            self.fallbacks[state.id] = route
            transitions.append(self._transition(route, state, then))
        if open_states:
            transitions.append({"trigger": WALK_TRIGGER, "source": open_states,
                                "dest": self._names[self.walk_away_state], "conditions": [_walk_condition]})
        return Machine(
            model=None,
            states=list(self._names.values()),
            initial=self._names[self.scenario.start],
            transitions=transitions,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
            model_attribute="fsm_state",
            name=f"scenario:{self.scenario.id}",
        )

    def _transition(self, route: Route, state: State, then: str | None) -> dict[str, Any]:
        # ``dest=None`` is an internal transition: staying in a state is not leaving and re-entering it.
        return {"trigger": route.trigger, "source": self._names[state.id],
                "dest": self._names[route.dest] if then is not None else None,
                "conditions": [_machine_condition(route.holds)]}

    # -- queries ------------------------------------------------------------------------

    def state_id(self, machine_state: str) -> str:
        """The scenario state id of a machine state name."""
        return self._ids[machine_state]

    def machine_state(self, state_id: str) -> str:
        """The machine state name of a scenario state id."""
        return self._names[state_id]

    def facts(self, lang: str) -> Any:
        """The product facts in ``lang`` for the scorer (None without a product)."""
        if lang not in self._facts:
            self._facts[lang] = product_facts(self.scenario.product, lang)
        return self._facts[lang]

    def reachable(self, start: str) -> tuple[str, ...]:
        """The states a conversation from ``start`` can reach (``start`` included), in file order."""
        seen = {start}
        todo = [start]
        while todo:
            sid = todo.pop()
            nexts = [r.dest for r in self.routes.get(sid, ())]
            if sid in self.fallbacks:
                nexts.append(self.fallbacks[sid].dest)
                nexts.append(self.walk_away_state)
            for nxt in nexts:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return tuple(s for s in (*self.scenario.states, self.walk_away_state) if s in seen)

    def applicable(self, start: str) -> tuple[str, ...]:
        """The check ids that apply to a conversation from ``start``, in catalogue order.

        Every check of every state the conversation can reach counts, reached or not: a trainee
        who loses the customer early has not done what the later states asked for.
        """
        if start not in self._applicable:
            names: list[str] = []
            for sid in self.reachable(start):
                state = self.scenario.states.get(sid)
                if state is not None:
                    names.extend(state.rubrics)
            wanted = set(self.catalogue.expand(names))
            self._applicable[start] = tuple(c for c in self.catalogue.checks if c in wanted)
        return self._applicable[start]

    # -- sessions -----------------------------------------------------------------------

    def start(self, lang: str | None = None, *, seed: int = 0, from_state: str | None = None) -> "Session":
        """A new conversation.

        Args:
            lang: One of the scenario's languages; None for its first.
            seed: Picks the customer's line variants: same seed + same answers = same conversation.
            from_state: Start in this state instead of the scenario's start (practise one moment);
                the customer's meters are then that state's ``arrive_with`` where it gives them.

        Raises:
            ValueError: For a language the scenario is not written in, or an end state as start.
            UnknownState: For a ``from_state`` the scenario does not have.
        """
        from roleplay.engine.session import Session

        lang = lang or self.scenario.languages[0]
        if lang not in self.scenario.languages:
            raise ValueError(f"the scenario {self.scenario.id!r} is written in {', '.join(self.scenario.languages)}, "
                             f"not {lang!r}")
        start = from_state or self.scenario.start
        if start not in self.scenario.states:
            raise UnknownState(f"the scenario {self.scenario.id!r} has no state {start!r} "
                               f"(states: {', '.join(s for s in self.scenario.states)})")
        if self.scenario.states[start].is_end:
            raise ValueError(f"{start!r} is an end state of {self.scenario.id!r}: there is nothing to answer")
        return Session(self, lang, seed, start)
