"""Replaying golden transcripts: the ``tests:`` written in a scenario file.

A transcript is played like ``roleplay run``: its lines are answered in order from its start state
with its seed, and the run stops at an end state (lines left over are not said). Then what came out
is compared with ``expect``:

- ``end``: the state the run ended in;
- ``outcome``: ``success``, ``failure`` or ``unfinished``;
- ``path``: the states visited in order from the first, staying in a state not repeating it;
- ``score``: the session score's range;
- ``passed`` / ``failed``: checks whose result *over the whole run* (the scorer's session result:
  a "does" check passed once, an "avoids" check never failed) must be passed / failed. A check
  that did not apply in the run counts as neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.engine.runtime import ScenarioRuntime
from roleplay.engine.session import SessionResult
from roleplay.scenario.model import GoldenTest, ScoreRange


@dataclass(frozen=True, slots=True)
class GoldenOutcome:
    """One transcript replayed."""

    scenario: str
    """The scenario id."""
    test: GoldenTest
    """The transcript."""
    failures: tuple[str, ...]
    """Why it failed, one short reason each; empty when it passed."""
    result: SessionResult | None
    """The run, or None when it could not be played."""
    unsaid: int = 0
    """Lines left over after the conversation ended."""

    @property
    def ok(self) -> bool:
        return not self.failures


def _range(score: ScoreRange) -> str:
    if score.high >= 100:
        return f">= {score.low}"
    if score.low <= 0:
        return f"<= {score.high}"
    return f"{score.low}..{score.high}"


def replay(runtime: ScenarioRuntime, test: GoldenTest) -> GoldenOutcome:
    """Play one transcript and compare the run with its ``expect``."""
    sid = runtime.scenario.id
    try:
        session = runtime.start(test.lang, seed=test.seed, from_state=test.start)
    except (LookupError, ValueError) as exc:
        return GoldenOutcome(sid, test, (str(exc),), None)
    try:
        said = 0
        for line in test.say:
            if session.finished:
                break
            said += 1
            if line.strip():
                session.answer(line)
        result = session.result()
    finally:
        session.close()
    return GoldenOutcome(sid, test, tuple(compare(test, result)), result, len(test.say) - said)


def compare(test: GoldenTest, result: SessionResult) -> list[str]:
    """The differences between a run and what the transcript expects (empty: it passed)."""
    exp = test.expect
    reasons: list[str] = []
    end = result.path[-1]
    if exp.end is not None and end != exp.end:
        reasons.append(f"ended in '{end}', expected '{exp.end}'")
    if exp.outcome is not None and result.outcome != exp.outcome:
        reasons.append(f"outcome {result.outcome}, expected {exp.outcome}")
    if exp.path is not None and tuple(result.path) != tuple(exp.path):
        reasons.append(f"path {' > '.join(result.path)}, expected {' > '.join(exp.path)}")
    if exp.score is not None and result.score not in exp.score:
        reasons.append(f"score {result.score}, expected {_range(exp.score)}")
    for check_id, want in [(c, True) for c in exp.passed] + [(c, False) for c in exp.failed]:
        got = result.grade.check(check_id)
        if got is None:
            reasons.append(f"{check_id} did not apply, expected it to {'pass' if want else 'fail'}")
        elif bool(got.passed) != want:
            reasons.append(f"{check_id} {'failed' if want else 'passed'}, expected it to {'pass' if want else 'fail'}")
    return reasons


def details(outcome: GoldenOutcome) -> list[str]:
    """The run turn by turn, for a failed transcript's report."""
    out = [f"{outcome.scenario}: {outcome.test.name}" + (f" ({outcome.test.location})" if outcome.test.location else "")]
    out.extend(f"  - {reason}" for reason in outcome.failures)
    result = outcome.result
    if result is None:
        return out
    for turn in result.turns:
        intent = turn.intent or "(otherwise)"
        out.append(f"  [{turn.index + 1}] {turn.state}: {turn.trainee!r} -> {intent} ({turn.match_score:g}) "
                   f"-> {turn.next_state}  patience {turn.patience} interest {turn.interest}")
        failed = [c.id for c in turn.checks if not c.passed]
        if failed:
            out.append(f"      failed: {', '.join(failed)}")
    out.append(f"  outcome {result.outcome}, score {result.score}, passed {result.passed}")
    if outcome.unsaid:
        out.append(f"  ({outcome.unsaid} line(s) not said: the conversation had ended)")
    return out
