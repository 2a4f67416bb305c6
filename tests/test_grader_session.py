"""Session rules: does/avoids over turns, unreached checks, close.sequence, the FAB rule, weights,
hint penalty, pass mark and blockers (scoring/session.py)."""

from __future__ import annotations

import pytest

from scoring.catalogue import load_catalogue
from scoring.grader import Grader
from scoring.results import CheckResult, Evidence


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader(model=False)


def r(check: str, passed: bool, start: int = 0, text: str = "x") -> CheckResult:
    return CheckResult(check, passed, Evidence(start, start + len(text), text))


def weight(check: str) -> float:
    return load_catalogue().checks[check].weight


def test_does_passes_in_any_turn_avoids_fails_in_any_turn(grader):
    turns = [[r("etiquette.polite", False), r("scope.no_self_handling", True)],
             [r("etiquette.polite", True, 3, "请"), r("scope.no_self_handling", False, 5, "我过去修")],
             [r("etiquette.polite", False), r("scope.no_self_handling", True)]]
    g = grader.grade_session(turns, applicable=["etiquette.polite", "scope.no_self_handling"], pass_mark=0,
                             blockers=[], lang="zh")
    polite, guard = g.check("etiquette.polite"), g.check("scope.no_self_handling")
    assert polite.passed and polite.evidence.turn == 1 and polite.evidence.text == "请"
    assert not guard.passed and guard.evidence.turn == 1 and guard.evidence.text == "我过去修"
    assert g.score == round(100 * weight("etiquette.polite") / (weight("etiquette.polite") + weight("scope.no_self_handling")))


def test_unreached_does_counts_as_not_done_and_unreached_avoids_is_left_out(grader):
    g = grader.grade_session([[r("etiquette.polite", True)]],
                             applicable=["etiquette.polite", "scope.takes_contact", "scope.not_dismissive"],
                             pass_mark=0, blockers=[], lang="en")
    assert not g.check("scope.takes_contact").passed
    assert g.check("scope.not_dismissive").passed
    assert g.check("scope.not_dismissive").note == "the conversation never reached this point"
    expected = 100 * weight("etiquette.polite") / (weight("etiquette.polite") + weight("scope.takes_contact"))
    assert g.score == int(expected + 0.5)


def test_blocker_fails_the_session_whatever_the_score(grader):
    turns = [[r("scope.routes_to_support", True), r("scope.no_self_handling", False)]]
    g = grader.grade_session(turns, applicable=["scope.routes_to_support", "scope.no_self_handling"], pass_mark=10,
                             blockers=["scope.no_self_handling"], lang="zh")
    assert g.score >= 10
    assert not g.passed
    assert g.blocked_by == ("scope.no_self_handling",)


def test_pass_mark_and_hint_penalty(grader):
    turns = [[r("etiquette.polite", True)]]
    clean = grader.grade_session(turns, applicable=["etiquette.polite"], pass_mark=100, blockers=[], lang="zh")
    assert clean.score == 100 and clean.passed
    hinted = grader.grade_session(turns, applicable=["etiquette.polite"], pass_mark=100, blockers=[],
                                  hints_used=2, lang="zh")
    penalty = load_catalogue().hint_penalty
    assert hinted.score == 100 - 2 * penalty and hinted.hint_penalty == 2 * penalty
    assert not hinted.passed
    many = grader.grade_session(turns, applicable=["etiquette.polite"], pass_mark=0, blockers=[], hints_used=99,
                                lang="zh")
    assert many.score == 0


def test_no_benefit_voids_feature_and_advantage(grader):
    fab = ["fab.feature", "fab.advantage", "fab.benefit"]
    without = grader.grade_session([[r("fab.feature", True), r("fab.advantage", True), r("fab.benefit", False)]],
                                   applicable=fab, pass_mark=0, blockers=[], lang="zh")
    assert without.score == 0
    assert without.check("fab.feature").passed  # the verdict stands; only its points are void
    assert "no credit" in without.check("fab.feature").note or "不计分" in without.check("fab.feature").note
    benefit_only = grader.grade_session([[r("fab.feature", False), r("fab.advantage", False), r("fab.benefit", True)]],
                                        applicable=fab, pass_mark=0, blockers=[], lang="zh")
    assert benefit_only.score == int(100 * weight("fab.benefit") / sum(weight(c) for c in fab) + 0.5)


SEQ = ["close.states_advantage", "close.seeks_agreement", "close.asks_for_order", "close.sequence"]


def test_close_sequence_in_order_across_turns(grader):
    turns = [[r("close.states_advantage", True), r("close.seeks_agreement", False), r("close.asks_for_order", False)],
             [r("close.states_advantage", False), r("close.seeks_agreement", True), r("close.asks_for_order", False)],
             [r("close.states_advantage", False), r("close.seeks_agreement", False), r("close.asks_for_order", True)]]
    g = grader.grade_session(turns, applicable=SEQ, pass_mark=0, blockers=[], lang="en")
    seq = g.check("close.sequence")
    assert seq.passed and seq.evidence.turn == 2


def test_close_sequence_out_of_order_fails(grader):
    turns = [[r("close.states_advantage", False), r("close.seeks_agreement", False), r("close.asks_for_order", True)],
             [r("close.states_advantage", False), r("close.seeks_agreement", True), r("close.asks_for_order", False)],
             [r("close.states_advantage", True), r("close.seeks_agreement", False), r("close.asks_for_order", False)]]
    g = grader.grade_session(turns, applicable=SEQ, pass_mark=0, blockers=[], lang="en")
    seq = g.check("close.sequence")
    assert not seq.passed
    assert seq.note == "no agreement sought after the advantage"


def test_close_sequence_within_one_answer_follows_the_offsets(grader):
    in_order = [[r("close.states_advantage", True, 0), r("close.seeks_agreement", True, 10),
                 r("close.asks_for_order", True, 20)]]
    backwards = [[r("close.states_advantage", True, 20), r("close.seeks_agreement", True, 10),
                  r("close.asks_for_order", True, 0)]]
    assert grader.grade_session(in_order, applicable=SEQ, pass_mark=0, blockers=[], lang="en").check(
        "close.sequence").passed
    assert not grader.grade_session(backwards, applicable=SEQ, pass_mark=0, blockers=[], lang="en").check(
        "close.sequence").passed


def test_close_sequence_from_real_answers(grader):
    turns = [grader.grade_answer(text, lang="zh", checks=SEQ[:3]) for text in (
        "这款一年能帮您省下十几万的纸钱。", "这一点对您很有用，对吧？", "那我先给您下二十台？")]
    g = grader.grade_session(turns, applicable=SEQ, pass_mark=0, blockers=[], lang="zh")
    assert g.check("close.sequence").passed
    assert g.check("close.sequence").evidence.text == "那我先给您下二十台"


def test_session_grading_is_deterministic(grader):
    turns = [grader.grade_answer("您好，我是联印的小李", lang="zh", checks=["etiquette.greeting", "etiquette.self_intro"])]
    kwargs = dict(applicable=["etiquette.greeting", "etiquette.self_intro"], pass_mark=60, blockers=[], lang="zh")
    assert grader.grade_session(turns, **kwargs) == grader.grade_session(turns, **kwargs)


def test_nothing_applicable_scores_full_marks_minus_hints(grader):
    g = grader.grade_session([], applicable=[], pass_mark=60, blockers=[], hints_used=1, lang="en")
    assert g.score == 100 - load_catalogue().hint_penalty and g.checks == ()
