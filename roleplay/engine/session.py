"""One conversation with the simulated customer.

A conversation starts with the persona's patience and interest, or with the ``arrive_with``
meters of the state it starts in (practising one moment with a customer already warmed up).

A turn, in order (``Session.answer``):

1. the answer is cleaned (control characters become spaces, at most ``MAX_ANSWER_CHARS`` kept);
2. it is graded with the checks of the current state's rubrics;
3. the reactions to those results move patience and interest (``customer.py``);
4. it is matched against the state's expected intents whose ``when:`` holds (``matching.py``);
5. the matched intent's transition fires (or the state's ``otherwise``), its effects move the
   meters, and the customer answers: the intent's ``reply``, else the next state's line; the
   fallback's line, else the engine's in-character default (``locales/engine.*.yaml``);
6. if patience is now 0 and no end state was reached, the customer walks away: to the scenario's
   ``walk_away`` state, or to the engine's own failure end with a line from the locale file.

Customer lines are picked among their variants by the session's own ``random.Random(seed)``, the
only source of chance, and nothing depends on ``hash()`` of strings: the same seed and the same
answers give the same conversation, byte for byte, in any process.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from roleplay.engine import words
from roleplay.engine.conditions import TurnContext
from roleplay.engine.customer import Meters, react
from roleplay.engine.matching import MatchResult, prepare
from roleplay.engine.normalize import clean
from roleplay.engine.runtime import WALK_TRIGGER, Route
from roleplay.scenario.model import Effects, Lines, State

if TYPE_CHECKING:
    from roleplay.engine.runtime import ScenarioRuntime

MAX_ANSWER_CHARS = 1000
"""Longer answers are cut to this many characters before grading and matching (a spoken answer
is far shorter; the cap keeps a pasted essay from slowing a turn down)."""

SessionOutcome = Literal["unfinished", "success", "failure"]


class SessionFinished(RuntimeError):
    """``answer`` was called on a conversation that has ended or been closed."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One answer of the trainee and what came of it."""

    index: int
    """0-based position in the conversation."""
    state: str
    """The state the answer was given in."""
    customer: str
    """What the customer had just said (the line the trainee answered)."""
    trainee: str
    """The answer, as graded (cleaned and capped)."""
    intent: str | None
    """The intent matched, or None when the state's ``otherwise`` applied."""
    next_state: str
    """The state after the answer."""
    reply: str
    """What the customer said in return (the next turn's ``customer``)."""
    checks: tuple[Any, ...]
    """The scorer's ``CheckResult``s for the checks of this state's rubrics."""
    patience: int
    """The customer's patience after this turn."""
    interest: int
    """The customer's interest after this turn."""
    match_score: float
    """The matched intent's score (0-100), or the best score seen when nothing matched."""
    hinted: bool = False
    """Whether a hint was shown before this answer."""

    def to_json(self) -> dict[str, Any]:
        """The contract's turn object (``roleplay run --json``)."""
        return {"state": self.state, "customer": self.customer, "trainee": self.trainee, "intent": self.intent,
                "next_state": self.next_state, "checks": [c.to_json() for c in self.checks]}


@dataclass(frozen=True, slots=True)
class Hint:
    """What the trainee could say now."""

    kind: Literal["example", "model_answer"]
    """An expected intent's example phrase, or the state's model answer."""
    text: str
    """The words suggested."""
    message: str
    """``text`` introduced in the scenario's language (``locales/engine.*.yaml``)."""
    intent: str | None = None
    """The intent the example belongs to."""


@dataclass(frozen=True, slots=True)
class SessionResult:
    """A conversation summed up: what was said and how it was graded."""

    scenario: str
    """The scenario id."""
    content_hash: str
    """Which version of the scenario file was played."""
    lang: str
    """The language played in."""
    seed: int
    """The random seed."""
    start: str
    """The state the conversation started in."""
    outcome: SessionOutcome
    """``success``/``failure`` from the end state reached, or ``unfinished``."""
    path: tuple[str, ...]
    """The states visited in order, from the start; staying in a state does not repeat it."""
    turns: tuple[Turn, ...]
    """Every turn."""
    hints_used: int
    """How many answers were given after a hint."""
    grade: Any
    """The scorer's ``SessionGrade``."""

    @property
    def score(self) -> int:
        return int(self.grade.score)

    @property
    def passed(self) -> bool:
        return bool(self.grade.passed)


@dataclass(slots=True)
class _Pending:
    """What is known about the answer the trainee has not given yet."""

    prompt: str
    """The customer's line awaiting an answer."""
    hinted: bool = False
    """Whether a hint has been shown for this answer."""
    last_miss: MatchResult | None = None
    """The match of the previous answer in this state when it matched nothing (for the hint)."""


class Session:
    """A conversation; a model of its runtime's state machine until ``close``.

    Not thread-safe: one session is driven by one caller.
    """

    fsm_state: str
    """Set by ``transitions``: the machine's name of the current state (see ``state``)."""

    def __init__(self, runtime: "ScenarioRuntime", lang: str, seed: int, start: str) -> None:
        """Use ``ScenarioRuntime.start``."""
        self.runtime = runtime
        self.scenario = runtime.scenario
        self.lang = lang
        self.seed = seed
        self.start_state = start
        self._rng = random.Random(seed)
        self._meters = self._starting_meters(start)
        self.turns: list[Turn] = []
        self.path: list[str] = [start]
        self._visited: set[str] = {start}
        self.hints_used = 0
        self.outcome: SessionOutcome = "unfinished"
        self._closed = False
        self._grade: Any = None
        runtime.machine.add_model(self, initial=runtime.machine_state(start))
        self.opening: str = self._pick(self.scenario.states[start].customer)
        """The customer's first line."""
        self._pending = _Pending(self.opening)

    def _starting_meters(self, start: str) -> Meters:
        """The persona's meters, or the start state's ``arrive_with`` where it gives them.

        Only the state a session starts in counts: a conversation that reaches a state by
        answering keeps the meters it has earned.
        """
        persona = self.scenario.persona
        arrive = self.scenario.states[start].arrive_with
        patience, interest = persona.patience, persona.interest
        if arrive is not None:
            patience = patience if arrive.patience is None else arrive.patience
            interest = interest if arrive.interest is None else arrive.interest
        # ``moved`` keeps a scenario built in code within 0..METER_MAX too.
        return Meters(patience, interest).moved(Effects())

    # -- state --------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """The current state's id."""
        return self.runtime.state_id(self.fsm_state)

    @property
    def patience(self) -> int:
        return self._meters.patience

    @property
    def interest(self) -> int:
        return self._meters.interest

    @property
    def finished(self) -> bool:
        """True once an end state is reached."""
        return self.outcome != "unfinished"

    @property
    def prompt(self) -> str:
        """What the customer said last (the line awaiting an answer, or the closing line)."""
        return self._pending.prompt

    # -- lines --------------------------------------------------------------------------

    def _pick(self, lines: Lines) -> str:
        variants = lines.get(self.lang) or ()
        if not variants:
            return ""
        return variants[0] if len(variants) == 1 else self._rng.choice(variants)

    def _engine_line(self, key: str) -> str:
        variants = words.lines(self.lang, key, self.scenario.persona.temperament)
        return self._pick({self.lang: variants})

    def _state_line(self, sid: str) -> str:
        state = self.scenario.states.get(sid)
        if state is None:  # the engine's own walk-away end
            return self._engine_line("customer.walk_away")
        return self._pick(state.customer)

    # -- a turn -------------------------------------------------------------------------

    def answer(self, text: str) -> Turn:
        """Handle one answer of the trainee (see the module docstring for the steps).

        Args:
            text: What the trainee said.

        Returns:
            The turn, also appended to ``turns``.

        Raises:
            SessionFinished: After an end state, or once closed.
            ValueError: For an answer with nothing in it but spaces and control characters.
        """
        if self._closed or self.finished:
            raise SessionFinished("the conversation has ended")
        text = clean(text, MAX_ANSWER_CHARS).strip()
        if not text:
            raise ValueError("an empty answer")
        rt = self.runtime
        state_id = self.state
        state: State = self.scenario.states[state_id]
        checks = rt.turn_checks[state_id]
        results: tuple[Any, ...] = ()
        if checks:
            results = tuple(rt.grader.grade_answer(text, lang=self.lang, checks=checks, facts=rt.facts(self.lang),
                                                   customer=self._pending.prompt))
        outcome_by_check = {r.id: bool(r.passed) for r in results}
        meters = self._meters.moved(react(outcome_by_check, rt.reactions))
        ctx = TurnContext(meters.patience, meters.interest, len(self.turns) + 1, frozenset(self._visited),
                          outcome_by_check)

        routes = rt.routes[state_id]
        allowed = [p for p, route in enumerate(routes) if route.holds(ctx)]
        match = rt.index.match(state_id, self.lang, prepare(text), allowed)
        route: Route
        if match.intent is not None:
            route = next(r for r in routes if r.intent is match.intent)
        else:
            route = rt.fallbacks[state_id]
        self._fire(route.trigger, ctx)
        meters = meters.moved(route.effects)
        dest = self.state

        reply = self._reply(route, state, dest)
        if meters.patience <= 0 and not self.scenario.states[dest].is_end:
            walk_ctx = TurnContext(meters.patience, meters.interest, ctx.answers, ctx.visited, ctx.results)
            self._fire(WALK_TRIGGER, walk_ctx)
            dest = self.state
            reply = self._state_line(dest)

        self._meters = meters
        turn = Turn(len(self.turns), state_id, self._pending.prompt, text, match.intent.id if match.intent else None,
                    dest, reply, results, meters.patience, meters.interest, match.score, self._pending.hinted)
        self.turns.append(turn)
        self._grade = None
        if dest != state_id:
            self.path.append(dest)
        self._visited.add(dest)
        dest_state = self.scenario.states.get(dest)
        if dest_state is None or dest_state.is_end:
            self.outcome = dest_state.end if dest_state is not None and dest_state.end else "failure"
        self._pending = _Pending(reply, last_miss=match if match.intent is None and dest == state_id else None)
        return turn

    def _fire(self, trigger: str, ctx: TurnContext) -> None:
        fired = self.runtime.machine.events[trigger].trigger(self, ctx=ctx)
        if not fired:  # the engine only fires transitions whose conditions it has just checked
            raise RuntimeError(f"the transition {trigger} of {self.scenario.id!r} did not fire")

    def _reply(self, route: Route, state: State, dest: str) -> str:
        dest_state = self.scenario.states[dest]
        if route.intent is not None:
            said = self._pick(route.intent.reply) if route.intent.reply else ""
        elif state.otherwise is not None and state.otherwise.customer:
            said = self._pick(state.otherwise.customer)
        else:
            said = self._engine_line("customer.fallback")
        if not said:
            return self._state_line(dest)
        if dest != state.id and dest_state.is_end:
            # The reaction, then the closing line: an end state's words are never lost.
            closing = self._state_line(dest)
            return f"{said} {closing}" if closing else said
        return said

    # -- hints --------------------------------------------------------------------------

    def hint(self) -> Hint | None:
        """What the trainee could say now; counted as a hint used (once per answer).

        After an answer that matched nothing here, the closest constructive intent's example is
        offered when it scored at least the scenario's ``hint_threshold``; otherwise the state's
        model answer, failing that the first constructive intent's first example. Constructive
        intents are those whose effects do not lower a meter (``try_to_fix_it`` is expected, but
        it is not advice).

        Returns:
            The hint, or None when the conversation has ended or the state offers nothing.
        """
        if self._closed or self.finished:
            return None
        state = self.scenario.states[self.state]
        hint = self._example_hint(state) or self._model_answer_hint(state) or self._first_example_hint(state)
        if hint is not None and not self._pending.hinted:
            self._pending.hinted = True
            self.hints_used += 1
            self._grade = None
        return hint

    def _constructive(self, state: State) -> list[int]:
        return [p for p, intent in enumerate(state.expect)
                if intent.effects.patience >= 0 and intent.effects.interest >= 0
                and self.runtime.routes[state.id][p].dest != self.runtime.walk_away_state
                and self.scenario.states[self.runtime.routes[state.id][p].dest].end != "failure"]

    def _example_hint(self, state: State) -> Hint | None:
        miss = self._pending.last_miss
        if miss is None:
            return None
        good = {state.expect[p].id for p in self._constructive(state)}
        floor = self.scenario.matching.hint_threshold
        best = max((c for c in miss.candidates if c.intent.id in good and c.example and c.score >= floor),
                   key=lambda c: c.score, default=None)
        if best is None or best.example is None:
            return None
        return Hint("example", best.example, words.text(self.lang, "hint.example", text=best.example), best.intent.id)

    def _model_answer_hint(self, state: State) -> Hint | None:
        text = (state.model_answer or {}).get(self.lang)
        if not text:
            return None
        return Hint("model_answer", text, words.text(self.lang, "hint.model_answer", text=text))

    def _first_example_hint(self, state: State) -> Hint | None:
        for p in self._constructive(state):
            examples = state.expect[p].examples.get(self.lang) or ()
            if examples:
                return Hint("example", examples[0], words.text(self.lang, "hint.example", text=examples[0]),
                            state.expect[p].id)
        return None

    # -- results ------------------------------------------------------------------------

    def result(self) -> SessionResult:
        """The conversation so far, graded (``grade_session`` over every turn's checks)."""
        if self._grade is None:
            sc = self.scenario
            self._grade = self.runtime.grader.grade_session(
                [t.checks for t in self.turns], applicable=self.runtime.applicable(self.start_state),
                pass_mark=sc.pass_mark, blockers=sc.blockers, hints_used=self.hints_used, lang=self.lang)
        return SessionResult(self.scenario.id, self.scenario.content_hash, self.lang, self.seed, self.start_state,
                             self.outcome, tuple(self.path), tuple(self.turns), self.hints_used, self._grade)

    def to_json(self) -> dict[str, Any]:
        """The ``roleplay run --json`` object (shared/contracts/cli.md)."""
        res = self.result()
        return {"scenario": res.scenario, "lang": res.lang, "seed": res.seed, "outcome": res.outcome,
                "score": res.score, "passed": res.passed, "turns": [t.to_json() for t in res.turns],
                "checks": [c.to_json() for c in res.grade.checks]}

    def close(self) -> None:
        """Leave the runtime's machine (idempotent). The session can still be read."""
        if not self._closed:
            self._closed = True
            self.runtime.machine.remove_model(self)

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

