"""A small fake scorer for the engine tests, where the engine's behaviour, not the scoring, is
under test; plus helpers that build scenarios in code and a test of the fake itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from scoring.catalogue import load_catalogue
from scoring.results import CheckResult, Evidence, SessionGrade

from roleplay.scenario.model import (Condition, Effects, Fallback, Intent, Matching, Persona, Reaction, Scenario,
                                     State)


@dataclass
class FakeGrader:
    """Passes a "does" check when one of its words is in the answer; fails an "avoids" check when
    one of its words is. Session results: a "does" check passed in some turn, an "avoids" check
    never failed; the score is the share passed, minus 5 per hint."""

    words: Mapping[str, Sequence[str]] = field(default_factory=dict)
    calls: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def grade_answer(self, answer, *, lang, checks, facts=None, customer=None):
        cat = load_catalogue()
        self.calls.append((answer, tuple(checks)))
        out = []
        for check in checks:
            hit = next((w for w in self.words.get(check, ()) if w in answer), None)
            evidence = Evidence(answer.index(hit), answer.index(hit) + len(hit), hit) if hit else None
            passed = (hit is not None) if cat.checks[check].kind == "does" else (hit is None)
            out.append(CheckResult(check, passed, evidence))
        return tuple(out)

    def grade_session(self, turns, *, applicable, pass_mark, blockers, hints_used=0, lang):
        cat = load_catalogue()
        results = []
        for check in applicable:
            seen = [r for t in turns for r in t if r.id == check]
            if cat.checks[check].kind == "does":
                hit = next((r for r in seen if r.passed), None)
                results.append(CheckResult(check, hit is not None, hit.evidence if hit else None))
            else:
                miss = next((r for r in seen if not r.passed), None)
                results.append(CheckResult(check, miss is None, miss.evidence if miss else None))
        share = sum(r.passed for r in results) / len(results) if results else 1.0
        score = max(0, round(100 * share) - 5 * hints_used)
        blocked = tuple(r.id for r in results if r.id in blockers and not r.passed)
        return SessionGrade(score, score >= pass_mark and not blocked, tuple(results), blocked, 5 * hints_used)


def lines(zh, en=None):
    """Lines in both languages (``en`` defaults to ``zh``)."""
    zh = (zh,) if isinstance(zh, str) else tuple(zh)
    en = zh if en is None else ((en,) if isinstance(en, str) else tuple(en))
    return {"zh": zh, "en": en}


def intent(iid, say, *, then=None, keys=None, when=(), effects=Effects(), reply=None, threshold=None):
    """An intent with examples ``say`` in both languages."""
    return Intent(id=iid, examples=lines(say), keys=lines(keys) if keys else {}, when=tuple(when), effects=effects,
                  reply=lines(reply) if reply else {}, then=then, threshold=threshold)


def state(sid, customer, *, expect=(), otherwise=None, end=None, rubrics=(), model_answer=None):
    """A state whose customer lines are ``customer`` in both languages."""
    return State(id=sid, customer=lines(customer), rubrics=tuple(rubrics), expect=tuple(expect), otherwise=otherwise,
                 end=end, model_answer={"zh": model_answer, "en": model_answer} if model_answer else None)


def scenario(states, *, start=None, sid="test-scenario", patience=3, interest=2, temperament="calm",
             walk_away=None, reactions=(), blockers=(), pass_mark=60, threshold=62.0, hint_threshold=35.0):
    """A scenario in zh and en from a list of states."""
    states = list(states)
    return Scenario(
        id=sid, languages=("zh", "en"), title={"zh": "测试", "en": "Test"}, summary={"zh": "测试", "en": "Test"},
        persona=Persona(name={"zh": "王经理", "en": "Manager Wang"}, role={"zh": "经理", "en": "manager"},
                        temperament=temperament, patience=patience, interest=interest),
        start=start or states[0].id, states={s.id: s for s in states}, pass_mark=pass_mark, blockers=tuple(blockers),
        walk_away=walk_away, reactions=tuple(reactions), matching=Matching(threshold, hint_threshold))


__all__ = ["Condition", "Effects", "Fallback", "FakeGrader", "Reaction", "intent", "lines", "scenario", "state"]


def test_fake_grader_does_and_avoids():
    grader = FakeGrader({"fab.benefit": ["省钱"], "etiquette.no_argument": ["不对"]})
    res = grader.grade_answer("您说得不对，但能省钱", lang="zh", checks=["fab.benefit", "etiquette.no_argument"])
    assert [(r.id, r.passed) for r in res] == [("fab.benefit", True), ("etiquette.no_argument", False)]
    assert res[0].evidence.text == "省钱"
    grade = grader.grade_session([res], applicable=["fab.benefit", "etiquette.no_argument"], pass_mark=60,
                                 blockers=["etiquette.no_argument"], lang="zh")
    assert (grade.score, grade.passed, grade.blocked_by) == (50, False, ("etiquette.no_argument",))
