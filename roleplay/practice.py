"""Practice: the headless glue between the library, the engine, the scorer and the store.

The TUI, ``roleplay run`` and the drills all practise through this module, so what a screen can
do a test can do without Textual. A ``PracticeSession`` wraps one engine session: every answer
goes to the engine, and the turn is saved to the store at once. When the store cannot be
written (locked, read-only, disk full), turns are kept in memory and written on the next
attempt, and the caller is told in one line: nothing answered is lost.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from roleplay.scenario.model import Scenario

if TYPE_CHECKING:  # imported lazily at run time: the home screen needs neither
    from roleplay.engine import ScenarioRuntime, Session, Turn
    from roleplay.scenario.library import Library
    from roleplay.store import SessionRecord, Store, TurnRecord


def default_trainee() -> str:
    """``ROLEPLAY_TRAINEE``, else the login name, else ``trainee``."""
    name = os.environ.get("ROLEPLAY_TRAINEE", "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "trainee"
    except (OSError, KeyError):  # no login name in some containers
        return "trainee"


def turn_record(turn: "Turn") -> "TurnRecord":
    """The store's record of an engine turn."""
    from roleplay.store import TurnRecord

    return TurnRecord(
        index=turn.index, state=turn.state, customer=turn.customer, trainee=turn.trainee,
        next_state=turn.next_state, intent=turn.intent, reply=turn.reply or "", hinted=turn.hinted,
        patience=turn.patience, interest=turn.interest,
        checks=tuple(check_record(c) for c in turn.checks),
    )


def check_record(result: Any) -> Any:
    """The store's record of a scorer ``CheckResult``."""
    from roleplay.store import CheckRecord

    ev = result.evidence
    return CheckRecord(result.id, result.passed, ev.text if ev else None, ev.start if ev else None,
                       ev.end if ev else None)


@dataclass
class SaveStatus:
    """What happened to the last save attempt (for a one-line notice)."""

    ok: bool = True
    """True when everything answered so far is on disk (or saving is off)."""
    message: str = ""
    """The store's explanation when not ok."""
    pending: int = 0
    """Records waiting to be written."""
    answers: int = 0
    """Answered turns among them (what a trainee would call lost)."""


class PracticeSession:
    """One role-play: an engine session whose turns are saved as they are answered."""

    def __init__(self, practice: "Practice", scenario: Scenario, session: "Session", *,
                 plan: dict[str, Any] | None = None, drill_code: str | None = None,
                 from_state: str | None = None, store_id: int | None = None) -> None:
        self.practice = practice
        self.scenario = scenario
        """The scenario being played."""
        self.session = session
        """The engine session."""
        self.store_id: int | None = store_id
        """The session's id in the store, once saved."""
        self.save_status = SaveStatus()
        """How saving is going."""
        self.plan = plan
        """The pre-visit plan, if one was made."""
        self._drill_code = drill_code
        self._from_state = from_state
        self._pending_turns: list["TurnRecord"] = []
        self._pending_finish: dict[str, Any] | None = None
        self._saved_turns = 0
        self._save()

    @property
    def lang(self) -> str:
        return self.session.lang

    def answer(self, text: str) -> "Turn":
        """Pass the trainee's line to the engine, save the turn, and return it.

        Raises:
            ValueError: The answer has nothing in it (only spaces or control characters).
        """
        turn = self.session.answer(text)
        self._pending_turns.append(turn_record(turn))
        if self.session.finished:
            self._pending_finish = self._finish_fields()
        self._save()
        return turn

    def hint(self) -> Any:
        """The closest expected answer (recorded by the engine; it costs points)."""
        return self.session.hint()

    def result(self) -> Any:
        """The engine's session result (score, checks, outcome)."""
        return self.session.result()

    def finish(self) -> Any:
        """Score the session as it stands (e.g. the trainee left early) and save it."""
        self._pending_finish = self._finish_fields()
        self._save()
        return self.session.result()

    def _finish_fields(self) -> dict[str, Any]:
        result = self.session.result()
        return {
            "outcome": result.outcome, "score": result.score, "passed": result.passed,
            "checks": [check_record(c) for c in result.grade.checks], "hints_used": result.hints_used,
        }

    def save_text(self, what: str, text: str | dict[str, Any]) -> SaveStatus:
        """Keep the plan, the review or the diary entry with the session."""
        store = self.practice.store
        if store is None or self.store_id is None:
            return self.save_status
        from roleplay.store import StoreError

        try:
            getattr(store, f"save_{what}")(self.store_id, text)
        except StoreError as exc:
            return SaveStatus(False, str(exc), 0)
        return SaveStatus()

    def retry_save(self) -> SaveStatus:
        """Try again to write what could not be written."""
        return self._save()

    def _save(self) -> SaveStatus:
        store = self.practice.store
        if store is None:
            self.save_status = SaveStatus(True, self.practice.store_message, 0)
            return self.save_status
        from roleplay.store import StoreError

        try:
            if self.store_id is None:
                s = self.session
                self.store_id = store.start_session(
                    trainee=self.practice.trainee, scenario_id=self.scenario.id,
                    scenario_hash=self.scenario.content_hash, lang=s.lang, seed=s.seed,
                    from_state=self._from_state, plan=self.plan, drill_code=self._drill_code,
                )
            while self._pending_turns:
                store.add_turn(self.store_id, self._pending_turns[0])
                self._pending_turns.pop(0)
            if self._pending_finish is not None:
                store.finish_session(self.store_id, **self._pending_finish)
                self._pending_finish = None
        except StoreError as exc:
            pending = len(self._pending_turns) + (self._pending_finish is not None)
            self.save_status = SaveStatus(False, str(exc), pending, len(self._pending_turns))
            return self.save_status
        self.save_status = SaveStatus()
        return self.save_status

    def discard(self) -> None:
        """Forget this session (restart or leave without keeping it)."""
        store = self.practice.store
        if store is not None and self.store_id is not None:
            from roleplay.store import StoreError

            try:
                store.discard(self.store_id)
            except StoreError as exc:
                self.save_status = SaveStatus(False, str(exc), 0)
        self.session.close()


@dataclass(frozen=True)
class Recommendation:
    """The scenario suggested next, and why."""

    scenario: Scenario
    weak_checks: tuple[str, ...] = ()
    """The trainee's weakest checks it practises (empty: a good first scenario)."""


@dataclass
class Practice:
    """Everything a trainee's practice needs: the library, the engine runtimes and the store."""

    library: "Library"
    store: "Store | None" = None
    """The practice record; None when saving is off or the store could not be opened."""
    trainee: str = field(default_factory=default_trainee)
    store_message: str = ""
    """Why there is no store (``--no-save`` or the store's error), for a notice."""
    grader: Any = None
    """The scorer the engine uses; None for the real one (tests may pass another)."""
    _runtimes: dict[str, "ScenarioRuntime"] = field(default_factory=dict)

    @classmethod
    def open(cls, *, scenario_dirs: Sequence[str] = (), db: str | None = None, save: bool = True,
             trainee: str | None = None, builtin: bool = True, user: bool = True,
             cache: bool = False) -> "Practice":
        """Discover the library and open the store; a store problem turns saving off, with a message.

        Args:
            cache: Reuse the last reading of an unchanged library (the app opens faster).
        """
        from roleplay.scenario.library import Library

        library = Library.discover(list(scenario_dirs), builtin=builtin, user=user, cache=cache)
        store, message = None, "" if save else "not saving (--no-save)"
        if save:
            from roleplay.store import Store, StoreError

            try:
                store = Store.open(db)
            except StoreError as exc:
                message = str(exc)
        return cls(library, store, trainee or default_trainee(), message)

    def close(self) -> None:
        for runtime in self._runtimes.values():
            close = getattr(runtime, "close", None)
            if close is not None:
                close()
        if self.store is not None:
            self.store.close()

    def warm_up(self) -> None:
        """Load the engine and the scorer ahead of need (the first role-play then starts at once).

        Importing them, building the scorer and loading the Traditional-to-Simplified table take
        a noticeable moment on a slow machine; the app calls this in a background thread while
        the trainee is still reading the library.
        """
        from roleplay.engine.normalize import normalize
        from roleplay.engine.runtime import default_grader

        if self.grader is None:
            default_grader()
        normalize("預熱")  # loads the conversion table

    def runtime(self, scenario: Scenario) -> "ScenarioRuntime":
        """The scenario's runtime (its state machine), built once."""
        runtime = self._runtimes.get(scenario.id)
        if runtime is None:
            from roleplay.engine import ScenarioRuntime

            runtime = self._runtimes[scenario.id] = ScenarioRuntime(scenario, grader=self.grader)
        return runtime

    def resume(self, session_id: int) -> tuple[PracticeSession, bool]:
        """Continue an unfinished session of the store where it stopped.

        The engine is deterministic, so replaying the saved answers with the saved seed brings
        the customer back to the same state; new answers are added to the same record.

        Returns:
            The session, and whether the replay matched the record exactly (False when the
            scenario file has changed since: the conversation may have gone differently).

        Raises:
            LookupError: No store, no such session, it is finished, or its scenario is gone.
        """
        if self.store is None:
            raise LookupError(self.store_message or "no practice record to resume from")
        from roleplay.store import StoreError

        try:
            record = self.store.session(session_id)
        except StoreError as exc:
            raise LookupError(str(exc)) from None
        if record.outcome != "unfinished":
            raise LookupError(f"session {session_id} is finished ({record.outcome}); start a new one")
        scenario = self.library.scenarios.get(record.scenario_id)
        if scenario is None:
            raise LookupError(f"the scenario '{record.scenario_id}' of session {session_id} is not in the library")
        session = self.runtime(scenario).start(record.lang, seed=record.seed, from_state=record.from_state)
        faithful = scenario.content_hash == record.scenario_hash
        for saved in record.turns:
            if session.finished:
                faithful = False
                break
            if saved.hinted:
                session.hint()
            turn = session.answer(saved.trainee)
            faithful = faithful and turn.next_state == saved.next_state
        ps = PracticeSession(self, scenario, session, plan=record.plan, drill_code=record.drill_code,
                             from_state=record.from_state, store_id=record.id)
        return ps, faithful

    def start(self, scenario: Scenario, *, lang: str | None = None, seed: int | None = None,
              from_state: str | None = None, plan: dict[str, Any] | None = None,
              drill_code: str | None = None) -> PracticeSession:
        """Start a role-play of ``scenario``; its first turn is saved as soon as it is answered."""
        lang = lang if lang in scenario.languages else scenario.languages[0]
        session = self.runtime(scenario).start(lang, seed=seed or 0, from_state=from_state)
        return PracticeSession(self, scenario, session, plan=plan, drill_code=drill_code, from_state=from_state)

    # -- what the home and progress screens show --------------------------------------------

    def recent(self, limit: int = 5) -> list["SessionRecord"]:
        """The trainee's latest sessions (empty without a store)."""
        if self.store is None:
            return []
        from roleplay.store import StoreError

        try:
            return self.store.sessions(trainee=self.trainee, limit=limit)
        except StoreError:
            return []

    def recommend(self, lang: str | None = None) -> Recommendation | None:
        """The scenario that best practises the trainee's weakest checks.

        Without history: the easiest scenario. Scores each scenario by how many of the weak
        checks its states judge, preferring ones the trainee has not passed lately.
        """
        scenarios = [s for s in self.library.scenarios.values() if lang is None or lang in s.languages]
        if not scenarios:
            return None
        weak: tuple[str, ...] = ()
        passed_lately: set[str] = set()
        if self.store is not None:
            from roleplay.store import StoreError

            try:
                weak = tuple(r.check_id for r in self.store.weakest_checks(self.trainee, limit=3))
                passed_lately = {r.scenario_id for r in self.store.sessions(trainee=self.trainee, limit=10)
                                 if r.passed}
            except StoreError:
                weak = ()
        if not weak:  # no history yet: the check catalogue is not needed (the app's first start)
            best = min(scenarios, key=lambda s: (s.difficulty, s.id in passed_lately, s.id))
            return Recommendation(best)
        from scoring.catalogue import load_catalogue

        catalogue = load_catalogue()

        def judged(s: Scenario) -> set[str]:
            return {c for st in s.states.values() for c in catalogue.expand(list(st.rubrics))}

        best = max(scenarios, key=lambda s: (len(judged(s) & set(weak)), s.id not in passed_lately,
                                             -s.difficulty, s.id))
        return Recommendation(best, tuple(c for c in weak if c in judged(best)))

    def scenarios(self) -> Iterable[Scenario]:
        return self.library.scenarios.values()
