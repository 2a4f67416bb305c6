"""Golden transcripts: replaying a scenario's ``tests:`` and comparing the run with ``expect``."""

from __future__ import annotations

import dataclasses

import pytest

from roleplay.engine import ScenarioRuntime
from roleplay.engine.golden import compare, details, replay
from roleplay.scenario.model import ArriveWith, Condition, Effects, Fallback, GoldenExpect, GoldenTest, ScoreRange
from test_engine_fakes import FakeGrader, intent, scenario, state

WORDS = {"fab.benefit": ["省钱"], "etiquette.no_argument": ["不对"]}


def shop():
    return scenario([
        state("pitch", "说吧。", rubrics=["fab.benefit", "etiquette.no_argument"],
              expect=[intent("benefit", ["这台机器一年帮您省钱十几万"], then="deal"),
                      intent("argue", ["您说得不对"], effects=Effects(patience=-1))],
              otherwise=Fallback(effects=Effects(patience=-1))),
        state("deal", "好。", end="success"),
    ], walk_away=None, patience=3)


@pytest.fixture
def runtime():
    return ScenarioRuntime(shop(), FakeGrader(WORDS))


def golden(say, lang="zh", start=None, **expect):
    return GoldenTest(name="t", lang=lang, say=tuple(say), expect=GoldenExpect(**expect), start=start)


def test_a_matching_run_passes(runtime):
    out = replay(runtime, golden(["这台机器一年帮您省钱十几万"], end="deal", outcome="success",
                                 path=("pitch", "deal"), score=ScoreRange(90, 100),
                                 passed=("fab.benefit", "etiquette.no_argument")))
    assert out.ok, out.failures
    assert out.result.score == 100


def test_each_difference_is_reported(runtime):
    out = replay(runtime, golden(["您说得不对"], end="deal", outcome="success", path=("pitch", "deal"),
                                 score=ScoreRange(80, 100), passed=("etiquette.no_argument",),
                                 failed=("fab.benefit", "etiquette.greeting")))
    assert not out.ok
    assert out.failures == (
        "ended in 'pitch', expected 'deal'",
        "outcome unfinished, expected success",
        "path pitch, expected pitch > deal",
        "score 0, expected >= 80",
        "etiquette.no_argument failed, expected it to pass",
        "etiquette.greeting did not apply, expected it to fail",
    )
    text = "\n".join(details(out))
    assert "您说得不对" in text and "argue" in text and "failed: fab.benefit, etiquette.no_argument" in text


def test_lines_after_the_end_are_not_said(runtime):
    out = replay(runtime, golden(["这台机器一年帮您省钱十几万", "还有一句", "再一句"], outcome="success"))
    assert out.ok and out.unsaid == 2 and len(out.result.turns) == 1


def test_walk_away_and_staying_in_a_state_in_the_path(runtime):
    out = replay(runtime, golden(["嗯", "嗯", "嗯"], outcome="failure", path=("pitch", "walked_away")))
    assert out.ok, out.failures


def test_from_state_and_a_bad_start(runtime):
    assert replay(runtime, golden(["x"], start="nowhere")).failures[0].startswith("the scenario 'test-scenario' has no")
    assert replay(runtime, golden(["x"], start="deal")).failures[0].startswith("'deal' is an end state")


def test_score_range_bounds_in_messages(runtime):
    res = replay(runtime, golden(["这台机器一年帮您省钱十几万"])).result
    assert compare(golden([], score=ScoreRange(0, 40)), res) == ["score 100, expected <= 40"]
    assert compare(golden([], score=ScoreRange(40, 70)), res) == ["score 100, expected 40..70"]


def agreement(arrive_with=None):
    """pitch -> agreed (an order needs interest 4) -> deal; the persona starts cold (interest 1)."""
    sc = scenario([
        state("pitch", "说吧。", rubrics=["fab.benefit"],
              expect=[intent("benefit", ["这台机器一年帮您省钱十几万"], then="agreed")]),
        state("agreed", "听起来不错。", expect=[intent("order", ["那我给您下单吧"], then="deal",
                                                    when=[Condition("interest_at_least", 4)])],
              otherwise=Fallback(effects=Effects(patience=-1))),
        state("deal", "好。", end="success"),
    ], interest=1)
    if arrive_with is None:
        return sc
    states = dict(sc.states)
    states["agreed"] = dataclasses.replace(states["agreed"], arrive_with=arrive_with)
    return dataclasses.replace(sc, states=states)


def test_a_transcript_from_a_middle_state_starts_with_its_arrive_with_meters():
    test = golden(["那我给您下单吧"], start="agreed", end="deal", outcome="success", path=("agreed", "deal"))
    out = replay(ScenarioRuntime(agreement(ArriveWith(interest=4)), FakeGrader(WORDS)), test)
    assert out.ok, out.failures
    assert (out.result.turns[0].patience, out.result.turns[0].interest) == (3, 4)
    # Without arrive_with the customer in "agreed" is a stranger again: the order is not taken.
    cold = replay(ScenarioRuntime(agreement(), FakeGrader(WORDS)), test)
    assert cold.failures == ("ended in 'agreed', expected 'deal'", "outcome unfinished, expected success",
                             "path agreed, expected agreed > deal")
    assert (cold.result.turns[0].patience, cold.result.turns[0].interest) == (2, 1)


def test_a_transcript_from_the_start_ignores_a_later_states_arrive_with():
    test = golden(["这台机器一年帮您省钱十几万", "那我给您下单吧"], outcome="unfinished", path=("pitch", "agreed"))
    out = replay(ScenarioRuntime(agreement(ArriveWith(interest=4)), FakeGrader(WORDS)), test)
    assert out.ok, out.failures  # interest 1 + 1 (benefit) = 2 on arriving: below the order's 4
    assert out.result.turns[-1].interest == 2
