"""The conversation engine: the machine per scenario, customer meters and reactions, conditions,
walk-away, replies, hints, --from-state, determinism under a seed, bad input."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.engine import ScenarioError, ScenarioRuntime, SessionFinished, UnknownState
from roleplay.engine import words
from roleplay.engine.conditions import IMPLEMENTATIONS
from roleplay.engine.customer import DEFAULT_REACTIONS
from roleplay.engine.runtime import ENGINE_WALK_AWAY
from roleplay.engine.session import MAX_ANSWER_CHARS
from roleplay.scenario.model import METER_MAX, ArriveWith, Condition, Effects, Fallback, Reaction
from roleplay.scenario.vocabulary import CONDITIONS
from test_engine_fakes import FakeGrader, intent, scenario, state

WORDS = {"fab.benefit": ["省钱", "save money"], "etiquette.no_argument": ["不对", "wrong"],
         "etiquette.polite": ["您", "please"], "scope.no_self_handling": ["修", "fix"]}


def shop(**kw):
    """A small scenario: pitch -> (benefit) interested -> (order) deal, or argue/walk away."""
    return scenario([
        state("pitch", ["您好，有什么事？", "说吧。", "你是谁？"], rubrics=["fab.benefit", "etiquette.no_argument"],
              model_answer="这台机器一年帮您省钱十几万。",
              expect=[
                  intent("benefit", ["这台机器一年帮您省钱十几万", "it will save money for you every year"],
                         keys=["省钱"], then="interested"),
                  intent("argue", ["您说得不对", "you are wrong"], effects=Effects(patience=-1)),
                  intent("fix_it_myself", ["我过去帮您修机器", "i will fix it myself"], effects=Effects(patience=-1),
                         then="deal_lost"),
              ],
              otherwise=Fallback(customer={"zh": ("什么意思？",), "en": ("Meaning?",)}, effects=Effects(patience=-1))),
        state("interested", ["哦？那说说看。"], rubrics=["fab.benefit"],
              expect=[intent("order", ["那我给您下单吧", "shall i put you down for ten"], then="deal",
                             when=[Condition("interest_at_least", 3)])]),
        state("deal", ["好，就这么定了。"], end="success"),
        state("deal_lost", ["算了，不用了。"], end="failure"),
    ], **kw)


@pytest.fixture
def grader():
    return FakeGrader(WORDS)


@pytest.fixture
def runtime(grader):
    return ScenarioRuntime(shop(), grader)


# -- the machine ----------------------------------------------------------------------------

def test_one_machine_per_scenario_sessions_added_and_removed(runtime):
    a = runtime.start("zh")
    b = runtime.start("en", seed=3)
    assert runtime.machine.models == [a, b]
    assert runtime.machine.auto_transitions is False
    a.answer("这台机器一年帮您省钱十几万")
    assert (a.state, b.state) == ("interested", "pitch")
    a.close()
    a.close()  # idempotent
    assert runtime.machine.models == [b]
    with pytest.raises(SessionFinished):
        a.answer("再说一句")


def test_every_machine_condition_is_an_engine_callable(runtime):
    conditions = [c.func for event in runtime.machine.events.values()
                  for ts in event.transitions.values() for t in ts for c in t.conditions]
    assert conditions and all(callable(f) and not isinstance(f, str) for f in conditions)
    for event in runtime.machine.events.values():
        for ts in event.transitions.values():
            for t in ts:
                assert not any(isinstance(cb, str) for cb in (*t.before, *t.after, *t.prepare))


def test_condition_vocabulary_is_implemented_exactly():
    assert set(IMPLEMENTATIONS) == set(CONDITIONS)


def test_unknown_condition_is_refused_at_build(grader):
    bad = scenario([state("a", "?", expect=[intent("x", ["你好"], when=[Condition("mood_at_least", 2)])]),
                    state("b", "!", end="success")])
    with pytest.raises(ScenarioError, match="unknown condition 'mood_at_least'"):
        ScenarioRuntime(bad, grader)
    wrong_kind = scenario([state("a", "?", expect=[intent("x", ["你好"], when=[Condition("interest_at_least", "3")])]),
                           state("b", "!", end="success")])
    with pytest.raises(ScenarioError, match="wrong kind"):
        ScenarioRuntime(wrong_kind, grader)


# -- meters, reactions, conditions ----------------------------------------------------------

def test_benefit_raises_interest_and_unlocks_a_conditional_intent(runtime, grader):
    s = runtime.start("zh")
    t1 = s.answer("这台机器一年帮您省钱十几万")
    assert (t1.intent, t1.next_state, t1.interest) == ("benefit", "interested", 3)  # persona 2, +1 benefit
    assert [c.id for c in t1.checks] == ["fab.benefit", "etiquette.no_argument"]
    assert grader.calls[-1] == ("这台机器一年帮您省钱十几万", ("fab.benefit", "etiquette.no_argument"))
    t2 = s.answer("那我给您下单吧")
    assert (t2.intent, t2.next_state, s.outcome, s.finished) == ("order", "deal", "success", True)
    assert t2.reply == "好，就这么定了。"


def test_condition_that_does_not_hold_keeps_the_intent_out(grader):
    rt = ScenarioRuntime(shop(interest=1), grader)
    s = rt.start("zh", from_state="interested")
    turn = s.answer("那我给您下单吧")  # interest 1 < 3, no benefit in this answer
    assert turn.intent is None and s.state == "interested"
    turn = s.answer("那我给您下单吧，一年帮您省钱")  # +1 benefit -> 2, still below 3
    assert turn.intent is None and turn.interest == 2


def test_reactions_apply_before_conditions_are_tested(grader):
    rt = ScenarioRuntime(shop(interest=2), grader)
    s = rt.start("zh", from_state="interested")
    turn = s.answer("那我给您下单吧，每年都能帮您省钱")  # benefit: interest 2 -> 3, then the condition holds
    assert (turn.intent, turn.interest, s.outcome) == ("order", 3, "success")


def test_arguing_costs_patience_twice_reaction_and_intent(runtime):
    s = runtime.start("zh")
    turn = s.answer("您说得不对")
    assert (turn.intent, turn.patience, s.state) == ("argue", 1, "pitch")  # 3 -1 (no_argument failed) -1 (effects)


def test_scenario_reaction_replaces_the_default(grader):
    rt = ScenarioRuntime(shop(reactions=[Reaction("fab.benefit", True, Effects(interest=2))]), grader)
    assert rt.start("zh").answer("这台机器一年帮您省钱十几万").interest == 4
    assert ("fab.benefit", True) in {(r.check, r.passed) for r in DEFAULT_REACTIONS}


def test_meters_stay_within_bounds(grader):
    rt = ScenarioRuntime(shop(interest=METER_MAX, reactions=[Reaction("fab.benefit", True, Effects(interest=3))]),
                         grader)
    assert rt.start("zh").answer("这台机器一年帮您省钱十几万").interest == METER_MAX


@pytest.mark.parametrize("cond, answer, holds", [
    (Condition("passed", "fab.benefit"), "帮您省钱", True),
    (Condition("passed", "fab.benefit"), "好的", False),
    (Condition("failed", "fab.benefit"), "好的", True),
    (Condition("failed", "etiquette.greeting"), "好的", False),   # not graded in this state: neither
    (Condition("visited", "start"), "好的", True),
    (Condition("visited", "other"), "好的", False),
    (Condition("turns_at_least", 1), "好的", True),
    (Condition("turns_at_least", 2), "好的", False),
    (Condition("patience_at_least", 3), "好的", True),
    (Condition("patience_below", 3), "好的", False),
    (Condition("interest_below", 3), "好的", True),
])
def test_each_condition(grader, cond, answer, holds):
    sc = scenario([state("start", "?", rubrics=["fab.benefit"],
                         expect=[intent("any", ["好的"], keys=["好的", "省钱"], when=[cond], then="other")]),
                   state("other", "!", end="success")])
    turn = ScenarioRuntime(sc, grader).start("zh").answer(answer)
    assert (turn.intent == "any") is holds


BOTH = ("fab.benefit", "etiquette.polite")


@pytest.mark.parametrize("cond, answer, holds", [
    # "您省钱": benefit and polite passed; "省钱": benefit only; "您好的": polite only; "好的": neither.
    (Condition("passed", BOTH), "您省钱", True),
    (Condition("passed", BOTH), "省钱", False),
    (Condition("passed", ("fab.benefit",)), "省钱", True),
    (Condition("failed", BOTH), "好的", True),
    (Condition("failed", BOTH), "省钱", False),
    (Condition("passed_any", BOTH), "您好的", True),
    (Condition("passed_any", BOTH), "省钱", True),
    (Condition("passed_any", BOTH), "好的", False),
    (Condition("passed_any", "fab.benefit"), "省钱", True),
    (Condition("failed_any", BOTH), "省钱", True),
    (Condition("failed_any", BOTH), "您好的", True),
    (Condition("failed_any", BOTH), "您省钱", False),
    # A check not graded in this state neither passed nor failed, in a list as alone.
    (Condition("passed_any", ("etiquette.greeting", "fab.benefit")), "省钱", True),
    (Condition("passed_any", ("etiquette.greeting", "fab.benefit")), "好的", False),
    (Condition("failed_any", ("etiquette.greeting", "fab.benefit")), "您省钱", False),
    (Condition("failed", ("etiquette.greeting", "fab.benefit")), "好的", False),
])
def test_check_conditions_with_several_checks(grader, cond, answer, holds):
    sc = scenario([state("start", "?", rubrics=list(BOTH),
                         expect=[intent("any", ["好的"], keys=["好的", "省钱"], when=[cond], then="other")]),
                   state("other", "!", end="success")])
    turn = ScenarioRuntime(sc, grader).start("zh").answer(answer)
    assert (turn.intent == "any") is holds


@pytest.mark.parametrize("cond", [Condition("passed", ()), Condition("passed_any", 3), Condition("failed_any", ("",)),
                                  Condition("failed", ("fab.benefit", 3)), Condition("visited", ("start",))])
def test_check_lists_of_the_wrong_kind_are_refused_at_build(grader, cond):
    sc = scenario([state("a", "?", expect=[intent("x", ["你好"], when=[cond], then="b")]), state("b", "!", end="success")])
    with pytest.raises(ScenarioError, match="wrong kind"):
        ScenarioRuntime(sc, grader)


def test_turns_at_least_counts_this_answer(grader):
    sc = scenario([state("a", "?", expect=[intent("go", ["好的"], when=[Condition("turns_at_least", 2)], then="b")]),
                   state("b", "!", end="success")])
    s = ScenarioRuntime(sc, grader).start("zh")
    assert s.answer("好的").intent is None
    assert s.answer("好的").intent == "go"


# -- walking away ---------------------------------------------------------------------------

def test_walk_away_to_the_scenarios_state(grader):
    sc = shop(patience=2, walk_away="deal_lost")
    s = ScenarioRuntime(sc, grader).start("zh")
    s.answer("嗯嗯嗯")  # fallback: patience 1
    turn = s.answer("嗯嗯嗯")  # patience 0: walks away
    assert (turn.next_state, turn.patience, s.outcome) == ("deal_lost", 0, "failure")
    assert turn.reply == "算了，不用了。"
    assert s.path == ["pitch", "deal_lost"]


@pytest.mark.parametrize("lang, temperament", [("zh", "impatient"), ("en", "friendly"), ("en", "calm")])
def test_walk_away_without_a_walk_away_state_uses_the_engines_end(grader, lang, temperament):
    s = ScenarioRuntime(shop(patience=1, temperament=temperament), grader).start(lang)
    turn = s.answer("blah blah")
    assert turn.next_state == ENGINE_WALK_AWAY and s.outcome == "failure" and s.finished
    assert turn.reply in words.lines(lang, "customer.walk_away", temperament)
    assert s.result().path[-1] == ENGINE_WALK_AWAY


def test_engine_walk_away_name_does_not_collide(grader):
    sc = scenario([state("a", "?", otherwise=Fallback(effects=Effects(patience=-5))),
                   state(ENGINE_WALK_AWAY, "!", end="success")])
    rt = ScenarioRuntime(sc, grader)
    assert rt.walk_away_state != ENGINE_WALK_AWAY
    s = rt.start("zh")
    s.answer("嗯")
    assert s.outcome == "failure" and s.state == rt.walk_away_state


def test_reaching_an_end_state_wins_over_walking_away(grader):
    sc = shop(patience=1)
    turn = ScenarioRuntime(sc, grader).start("zh").answer("我过去帮您修机器")  # patience 0, but deal_lost is an end
    assert turn.next_state == "deal_lost" and turn.patience == 0


# -- replies --------------------------------------------------------------------------------

def test_fallback_line_or_the_engines_in_character_default(grader):
    s = ScenarioRuntime(shop(), grader).start("zh")
    assert s.answer("今天天气真好").reply == "什么意思？"
    sc = scenario([state("a", "?", expect=[intent("x", ["你好"], then="b")]), state("b", "!", end="success")],
                  temperament="impatient")
    s2 = ScenarioRuntime(sc, grader).start("en")
    turn = s2.answer("the weather is nice")
    assert turn.intent is None and turn.reply in words.lines("en", "customer.fallback", "impatient")
    assert s2.state == "a"


def test_intent_reply_then_the_end_states_line(grader):
    sc = scenario([state("a", "?", expect=[intent("x", ["你好"], reply="哦。", then="b")]),
                   state("b", "再见。", end="success")])
    assert ScenarioRuntime(sc, grader).start("zh").answer("你好").reply == "哦。 再见。"


def test_staying_without_a_reply_repeats_the_states_line(grader):
    sc = scenario([state("a", "还有吗？", expect=[intent("x", ["你好"])]), state("b", "!", end="success")])
    s = ScenarioRuntime(sc, grader).start("zh")
    turn = s.answer("你好")
    assert (turn.intent, turn.next_state, turn.reply, s.prompt) == ("x", "a", "还有吗？", "还有吗？")


# -- hints ----------------------------------------------------------------------------------

def test_hint_offers_the_closest_constructive_example_and_costs_points(grader):
    s = ScenarioRuntime(shop(), grader).start("zh")
    first = s.hint()  # before any answer: the model answer
    assert first.kind == "model_answer" and first.text == "这台机器一年帮您省钱十几万。"
    assert first.message == words.text("zh", "hint.model_answer", text=first.text)
    s.hint()  # shown twice for the same answer: one hint used
    assert s.hints_used == 1
    turn = s.answer("这台机器")  # a near miss of "benefit"
    assert turn.hinted and turn.intent is None
    hint = s.hint()
    assert hint.kind == "example" and hint.intent == "benefit" and hint.text == "这台机器一年帮您省钱十几万"
    assert s.hints_used == 2
    assert s.result().grade.score == FakeGrader(WORDS).grade_session(
        [t.checks for t in s.turns], applicable=s.runtime.applicable("pitch"), pass_mark=60, blockers=(),
        lang="zh").score - 10


def test_hint_never_suggests_a_move_that_costs_patience(grader):
    s = ScenarioRuntime(shop(), grader).start("zh")
    turn = s.answer("我去看看机器")  # closest to fix_it_myself, which is no advice
    assert turn.intent is None
    assert s._pending.last_miss.candidates[2].score > s.scenario.matching.hint_threshold
    hint = s.hint()
    assert hint.kind == "model_answer" and hint.intent is None


def test_hint_after_the_end_is_none(runtime):
    s = runtime.start("zh")
    s.answer("我过去帮您修机器")
    assert s.finished and s.hint() is None


# -- from-state, languages ------------------------------------------------------------------

def test_from_state(runtime):
    s = runtime.start("en", from_state="interested")
    assert s.state == "interested" and s.opening == "哦？那说说看。" and s.path == ["interested"]
    with pytest.raises(UnknownState, match="no state 'nowhere'"):
        runtime.start("zh", from_state="nowhere")
    with pytest.raises(ValueError, match="end state"):
        runtime.start("zh", from_state="deal")
    with pytest.raises(ValueError, match="written in zh, en"):
        runtime.start("fr")
    assert runtime.start().lang == "zh"


def warm(sc, sid, **meters):
    """``sc`` with ``arrive_with`` set on state ``sid``."""
    states = dict(sc.states)
    states[sid] = dataclasses.replace(states[sid], arrive_with=ArriveWith(**meters))
    return dataclasses.replace(sc, states=states)


def test_a_session_starting_in_a_state_has_its_arrive_with_meters(grader):
    rt = ScenarioRuntime(warm(shop(interest=1), "interested", interest=3), grader)
    s = rt.start("zh", from_state="interested")
    assert (s.patience, s.interest) == (3, 3)  # patience not given: the persona's
    turn = s.answer("那我给您下单吧")  # interest_at_least 3 holds at once: the customer is already warm
    assert (turn.intent, s.outcome) == ("order", "success")
    cold = ScenarioRuntime(shop(interest=1), grader).start("zh", from_state="interested")
    assert (cold.interest, cold.answer("那我给您下单吧").intent) == (1, None)


def test_arriving_by_answering_keeps_the_meters_earned(grader):
    rt = ScenarioRuntime(warm(shop(interest=1), "interested", patience=5, interest=5), grader)
    s = rt.start("zh")
    assert (s.patience, s.interest) == (3, 1)
    turn = s.answer("这台机器一年帮您省钱十几万")
    assert (turn.next_state, s.patience, s.interest) == ("interested", 3, 2)
    assert s.answer("那我给您下单吧").intent is None  # 2 < 3: arrive_with did not apply on the way in


def test_arrive_with_on_the_start_state_applies_to_every_session(grader):
    rt = ScenarioRuntime(warm(shop(), "pitch", patience=1), grader)
    s = rt.start("zh")
    assert (s.patience, s.interest) == (1, 2)
    s.answer("嗯")  # the fallback costs the one point of patience left: the customer walks away
    assert s.outcome == "failure"


def test_applicable_checks_are_those_reachable_from_the_start(runtime):
    assert runtime.applicable("pitch") == ("fab.benefit", "etiquette.no_argument")
    assert runtime.applicable("interested") == ("fab.benefit",)


# -- bad input ------------------------------------------------------------------------------

def test_long_and_control_character_answers(runtime, grader):
    s = runtime.start("zh")
    turn = s.answer("帮您省钱\x00\x1b[2J\u202e" + "啊" * 10_000)
    assert MAX_ANSWER_CHARS - 4 <= len(turn.trainee) <= MAX_ANSWER_CHARS  # the escape goes as a whole
    assert "\x00" not in turn.trainee and "\x1b" not in turn.trainee and "\u202e" not in turn.trainee
    assert "[2J" not in turn.trainee
    assert turn.intent == "benefit"
    with pytest.raises(ValueError):
        s.answer(" \x00\t ")


# -- determinism ----------------------------------------------------------------------------

ANSWERS = ["嗯嗯", "您说得不对", "这台机器一年帮您省钱十几万", "那我给您下单吧"]


def _play(seed, lang="zh"):
    rt = ScenarioRuntime(shop(patience=5), FakeGrader(WORDS))
    s = rt.start(lang, seed=seed)
    for line in ANSWERS:
        if not s.finished:
            s.answer(line)
    return json.dumps({"opening": s.opening, **s.to_json()}, ensure_ascii=False)


def test_same_seed_same_conversation_byte_for_byte():
    assert _play(7) == _play(7)
    openings = {json.loads(_play(seed))["opening"] for seed in range(12)}
    assert len(openings) > 1  # the seed does choose among the variants


def test_same_seed_same_conversation_across_processes():
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import test_engine as t; "
            "sys.stdout.buffer.write(t._play(int(sys.argv[2])).encode('utf-8'))")
    outs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        proc = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), "5"], env=env,
                              capture_output=True, check=True)
        outs.append(proc.stdout)
    assert outs[0] == outs[1] == _play(5).encode("utf-8")
