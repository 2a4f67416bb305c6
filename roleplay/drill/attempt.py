"""One trainee going through a drill: its scenarios in order, under the drill's rules.

An ``Attempt`` wraps one ``PracticeSession`` at a time (every answer goes to the engine and is
saved to the store at once). It starts each scenario with the drill's language, seed and start
state, refuses hints when the drill forbids them, and moves to the next scenario when one ends.

Resuming after a crash (``--resume``) replays the trainee's saved answers of an unfinished
scenario into a new session: same seed + same answers = the same conversation, so the trainee
continues exactly where they stopped, and the old partial session is then removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Protocol, Sequence

if TYPE_CHECKING:
    from roleplay.drill.hub import OpenDrill
    from roleplay.engine import Turn
    from roleplay.practice import Practice, PracticeSession
    from roleplay.store import SessionRecord


class HintsNotAllowed(RuntimeError):
    """The drill forbids hints."""


@dataclass(frozen=True, slots=True)
class StepResult:
    """How one scenario of the drill went for the trainee."""

    step: int
    """0-based position in the drill."""
    scenario_id: str
    """The scenario."""
    outcome: str
    """``success``, ``failure`` or ``unfinished`` (stopped before an end state)."""
    score: int
    """0-100."""
    passed: bool
    """At the drill's pass mark, with the scenario's blockers."""
    turns: int
    """Answers given."""
    hints_used: int
    """Hints asked for."""
    session_id: int | None
    """The session in the store."""

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step + 1, "scenario": self.scenario_id, "outcome": self.outcome, "score": self.score,
                "passed": self.passed, "turns": self.turns, "hints_used": self.hints_used,
                "session_id": self.session_id}


class Attempt:
    """A trainee's way through a drill. Use ``hub.join`` to get one. Not thread-safe."""

    def __init__(self, drill: "OpenDrill", practice: "Practice", previous: Sequence["SessionRecord"] = ()) -> None:
        self.drill = drill
        self.practice = practice
        """The trainee's practice (library and store; ``practice.trainee`` is the name)."""
        self.results: list[StepResult | None] = [None] * len(drill.spec.steps)
        """Each step's result once it is over."""
        self.current: "PracticeSession | None" = None
        """The scenario being played."""
        self.step = 0
        """The step being played, or next to play."""
        self._replay: dict[int, "SessionRecord"] = {}
        self._leftovers: dict[int, list[int]] = {}
        self._restore(previous)

    @property
    def trainee(self) -> str:
        return self.practice.trainee

    @property
    def finished(self) -> bool:
        """True when every scenario has been played."""
        return all(r is not None for r in self.results)

    @property
    def resumed(self) -> bool:
        """True when earlier sessions of this trainee were found."""
        return any(r is not None for r in self.results) or bool(self._replay)

    def _restore(self, previous: Sequence["SessionRecord"]) -> None:
        """Sort earlier sessions into finished steps, a step to replay, and leftovers to remove."""
        index = {step.key: i for i, step in enumerate(self.drill.spec.steps)}
        for record in previous:  # oldest first: the latest of each kind wins
            i = index.get((record.scenario_id, record.from_state))
            if i is None:
                continue
            if record.ended_at is not None and record.score is not None:
                self.results[i] = StepResult(i, record.scenario_id, record.outcome, record.score, bool(record.passed),
                                             len(record.turns), record.hints_used, record.id)
                continue
            older = self._replay.get(i)
            if older is None or len(record.turns) >= len(older.turns):
                if older is not None:
                    self._leftovers.setdefault(i, []).append(older.id)
                self._replay[i] = record
            else:
                self._leftovers.setdefault(i, []).append(record.id)
        for i in list(self._replay):
            if self.results[i] is not None:  # finished later by another run: the partial one is stale
                self._leftovers.setdefault(i, []).append(self._replay.pop(i).id)
        self.step = next((i for i, r in enumerate(self.results) if r is None), len(self.results))

    # -- playing ---------------------------------------------------------------------------------

    def start_step(self) -> "PracticeSession | None":
        """The scenario to answer now, started if needed; None when the drill is over.

        A scenario resumed from a crash is replayed first; if the replay reaches its end, the
        next scenario is started.
        """
        from roleplay.practice import PracticeSession

        while self.current is None:
            while self.step < len(self.results) and self.results[self.step] is not None:
                self.step += 1
            if self.step >= len(self.results):
                return None
            i, spec = self.step, self.drill.spec
            step = spec.steps[i]
            session = self.drill.runtime(i).start(spec.lang, seed=spec.seed, from_state=step.from_state)
            ps = PracticeSession(self.practice, self.drill.scenarios[i], session, drill_code=self.drill.code,
                                 from_state=step.from_state)
            self.current = ps
            record = self._replay.pop(i, None)
            if record is not None:
                for turn in record.turns:
                    if ps.session.finished:
                        break
                    if turn.hinted:
                        ps.hint()
                    ps.answer(turn.trainee)
                self._leftovers.setdefault(i, []).append(record.id)
            self._remove_leftovers(i)
            if ps.session.finished:
                self._close_step()
        return self.current

    def answer(self, text: str) -> "Turn":
        """Answer the current scenario (started if needed); moves on when it ends.

        Raises:
            ValueError: An empty answer (only spaces or control characters).
            SessionFinished: The drill is over.
        """
        ps = self.start_step()
        if ps is None:
            from roleplay.engine.session import SessionFinished

            raise SessionFinished("the drill is over")
        turn = ps.answer(text)
        if ps.session.finished:
            self._close_step()
        return turn

    def hint(self) -> Any:
        """A hint for the current answer (it costs points).

        Raises:
            HintsNotAllowed: The drill forbids hints.
        """
        if not self.drill.spec.hints:
            raise HintsNotAllowed("hints are off in this drill")
        ps = self.start_step()
        return ps.hint() if ps is not None else None

    def stop_step(self) -> StepResult | None:
        """End the current scenario now, scored as it stands (time ran out, or the trainee gave up)."""
        ps = self.current
        if ps is None:
            return None
        ps.finish()
        return self._close_step()

    def _close_step(self) -> StepResult | None:
        ps = self.current
        if ps is None:
            return None
        res = ps.result()  # already saved: by the answer that ended it, or by ``finish``
        result = StepResult(self.step, ps.scenario.id, res.outcome, res.score, res.passed, len(res.turns),
                            res.hints_used, ps.store_id)
        self.results[self.step] = result
        ps.session.close()
        self.current = None
        self.step += 1
        return result

    def finish(self) -> None:
        """End of input: score the scenario in play as it stands (if answered), leave the rest unplayed."""
        ps = self.current
        if ps is None:
            return
        if ps.session.turns:
            self.stop_step()
        else:
            ps.discard()
            self.current = None

    def abandon(self) -> None:
        """Back out of the drill: the session in play is removed (a lost name race)."""
        if self.current is not None:
            self.current.discard()
            self.current = None

    def _remove_leftovers(self, step: int) -> None:
        store = self.practice.store
        ids = self._leftovers.pop(step, [])
        if store is None:
            return
        from roleplay.store import StoreError

        for session_id in ids:
            try:
                store.discard(session_id)
            except StoreError:
                continue  # a stale partial session only shows as "in progress" on the board

    # -- summing up ------------------------------------------------------------------------------

    def played(self) -> list[StepResult]:
        """The results of the scenarios played so far, in drill order."""
        return [r for r in self.results if r is not None]

    def score(self) -> int:
        """The drill score: the mean over all the drill's scenarios (unplayed ones count 0)."""
        return round(sum(r.score for r in self.played()) / len(self.results)) if self.results else 0

    def passed(self) -> bool:
        """True when every scenario was played and passed."""
        return self.finished and all(r.passed for r in self.played())

    def save_status(self) -> Any:
        """How saving goes for the scenario in play (``practice.SaveStatus``)."""
        return self.current.save_status if self.current is not None else None


class Watcher(Protocol):
    """Told what happens while ``play_lines`` plays (a terminal prints the conversation from it)."""

    def started(self, step: int, ps: "PracticeSession") -> None:
        """Scenario ``step`` (0-based) is in play; ``ps.session.turns`` holds any answers replayed on resume."""

    def answered(self, step: int, ps: "PracticeSession", turn: "Turn") -> None:
        """An answer was given and saved."""

    def ended(self, step: int, ps: "PracticeSession", result: StepResult) -> None:
        """Scenario ``step`` is over (an end state, or scored as it stands at the end of the input)."""


def play_lines(attempt: Attempt, lines: Iterable[str], watcher: Watcher | None = None) -> int:
    """Answer with one line after another, through the scenarios in order (headless play).

    Lines are taken one at a time, so each answer is saved before the next line is read (a
    script feeding a pipe loses nothing if it stops). At the end of the lines the scenario in
    play is scored as it stands; lines left over once the drill is over are counted, not used.

    Args:
        watcher: Told of each scenario, answer and result as they happen. With a watcher, each
            scenario is started *before* the next line is read (a person must see the customer's
            line before answering it), and no line is read once the drill is over (a person at a
            terminal is not kept waiting for input that cannot be used).

    Returns:
        How many lines were not used.
    """
    unused = 0
    shown: "PracticeSession | None" = None
    source = iter(lines)
    while True:
        if watcher is not None:
            ps = attempt.start_step()
            if ps is None:
                break
            if ps is not shown:
                shown = ps
                watcher.started(attempt.step, ps)
        line = next(source, None)
        if line is None:
            break
        ps = attempt.start_step()
        if ps is None:
            unused += 1
            continue
        step = attempt.step
        try:
            turn = attempt.answer(line)
        except ValueError:
            continue  # nothing left of the line once control characters are removed: not an answer
        if watcher is not None:
            watcher.answered(step, ps, turn)
            result = attempt.results[step]
            if result is not None:
                watcher.ended(step, ps, result)
    ps, step = attempt.current, attempt.step
    attempt.finish()
    if watcher is not None and ps is not None and attempt.results[step] is not None:
        watcher.ended(step, ps, attempt.results[step])
    return unused
