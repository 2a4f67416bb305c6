"""Judging a whole conversation: per-check verdicts over the turns, ``close.sequence``, the score,
the hint penalty, the pass mark and blockers.

The rules, in the order they apply:

1. A ``does`` check passes for the session when it passed in any turn where it was judged; its
   evidence is the first passing turn's. An ``avoids`` check fails for the session when it failed
   in any turn; its evidence is the first failing turn's.
2. A check that applied to the conversation (its state was reachable) but was never judged: a
   ``does`` check counts as not done (a trainee who lost the customer early did not do what the
   later states asked); an ``avoids`` check is reported as passed with the note ``not_reached``
   and left out of the score (nothing was avoided, nothing was done wrong).
3. ``close.sequence`` passes when, in the order the words were said (turn, then offset),
   ``close.states_advantage`` passed, then later ``close.seeks_agreement``, then later
   ``close.asks_for_order``. All three may come in one answer, in that order.
4. The FAB rule, "F and A may be left out, B never": when ``fab.benefit`` applied and never
   passed, ``fab.feature`` and ``fab.advantage`` earn no points (they keep their weight in the
   total, so a pitch without a benefit cannot score well on features alone).
5. Score = 100 x (weights of the counted checks that passed) / (weights of all counted checks),
   rounded half up, minus ``hint_penalty`` points per hint, clamped to 0-100. With no counted
   check the score is 100 before the penalty.
6. Passed = score >= pass mark and no blocker check failed. A blocker that failed is listed in
   ``blocked_by`` whatever the score.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Sequence

from scoring.catalogue import Catalogue
from scoring.notes import note_text
from scoring.results import CheckResult, Evidence, SessionGrade

SEQUENCE_STEPS = ("close.states_advantage", "close.seeks_agreement", "close.asks_for_order")
"""The three steps of the close, in the order ``close.sequence`` wants them."""


def _at(result: CheckResult, turn: int) -> Evidence | None:
    if result.evidence is None:
        return None
    return dataclasses.replace(result.evidence, turn=turn)


def _position(turn: int, result: CheckResult) -> tuple[int, int]:
    return turn, result.evidence.start if result.evidence is not None else 0


def judge_sequence(by_check: dict[str, list[tuple[int, CheckResult]]], lang: str,
                   catalogue: Catalogue) -> CheckResult:
    """``close.sequence``: advantage, then agreement, then order, in the order they were said."""
    spec = catalogue.checks["close.sequence"]
    positions = [sorted(_position(t, r) for t, r in by_check.get(step, ()) if r.passed) for step in SEQUENCE_STEPS]
    missing = ("sequence_no_advantage", "sequence_no_agreement", "sequence_no_order")
    after: tuple[int, int] | None = None
    chosen: list[tuple[int, int]] = []
    for step, found, miss in zip(SEQUENCE_STEPS, positions, missing):
        # The earliest position of this step at or after the previous one: one answer may hold all
        # three steps in order, and two steps may share a clause ("省一半的纸，对吧").
        nxt = next((p for p in found if after is None or p >= after), None)
        if nxt is None:
            return CheckResult("close.sequence", False, None, note_text(miss, lang),
                               spec.feedback_for(False, lang), "session")
        chosen.append(nxt)
        after = nxt
    turn = chosen[-1][0]
    order = next(r for t, r in by_check[SEQUENCE_STEPS[-1]] if r.passed and _position(t, r) == chosen[-1])
    return CheckResult("close.sequence", True, _at(order, turn), note_text("sequence_done", lang),
                       spec.feedback_for(True, lang), "session")


def grade_session(turns: Sequence[Iterable[CheckResult]], *, applicable: Sequence[str], pass_mark: int,
                  blockers: Sequence[str], hints_used: int, lang: str, catalogue: Catalogue) -> SessionGrade:
    """The session's grade (rules in the module docstring)."""
    by_check: dict[str, list[tuple[int, CheckResult]]] = {}
    for i, results in enumerate(turns):
        for result in results:
            by_check.setdefault(result.id, []).append((i, result))

    wanted = set(applicable)
    results: list[CheckResult] = []
    counted: dict[str, bool] = {}
    for check_id, spec in catalogue.checks.items():
        if check_id not in wanted:
            continue
        if spec.scope == "session":
            result = judge_sequence(by_check, lang, catalogue) if check_id == "close.sequence" else CheckResult(
                check_id, False, None, note_text("never_done", lang), spec.feedback_for(False, lang), "session")
            counted[check_id] = result.passed
            results.append(result)
            continue
        judged = by_check.get(check_id, [])
        if not judged:
            if spec.kind == "does":
                result = CheckResult(check_id, False, None, note_text("not_reached", lang),
                                     spec.feedback_for(False, lang), "session")
                counted[check_id] = False
            else:
                result = CheckResult(check_id, True, None, note_text("not_reached", lang),
                                     spec.feedback_for(True, lang), "session")
            results.append(result)
            continue
        if spec.kind == "does":
            hit = next(((t, r) for t, r in judged if r.passed), None)
            passed = hit is not None
            key = "session_passed" if passed else "never_done"
        else:
            hit = next(((t, r) for t, r in judged if not r.passed), None)
            passed = hit is None
            key = "never_failed" if passed else "session_failed"
        evidence = _at(hit[1], hit[0]) if hit else None
        note = hit[1].note if hit and hit[1].note else note_text(key, lang)
        result = CheckResult(check_id, passed, evidence, note, spec.feedback_for(passed, lang), "session")
        counted[check_id] = passed
        results.append(result)

    # The FAB rule: without a benefit, feature and advantage earn nothing.
    if counted.get("fab.benefit") is False:
        for check_id in ("fab.feature", "fab.advantage"):
            if counted.get(check_id):
                counted[check_id] = False
                results = [dataclasses.replace(r, note=note_text("no_benefit_no_credit", lang))
                           if r.id == check_id else r for r in results]

    total = sum(catalogue.checks[c].weight for c in counted)
    earned = sum(catalogue.checks[c].weight for c, ok in counted.items() if ok)
    raw = 100.0 if total <= 0 else 100.0 * earned / total
    penalty = max(0, int(hints_used)) * catalogue.hint_penalty
    score = max(0, min(100, int(raw + 0.5) - penalty))
    failed = {r.id for r in results if not r.passed}
    blocked_by = tuple(b for b in blockers if b in failed)
    return SessionGrade(score, score >= pass_mark and not blocked_by, tuple(results), blocked_by, penalty)
