"""The tricky cases of the labelling guide, pinned with the words that decided them."""

from __future__ import annotations

import pytest

from scoring.facts import ProductFacts, from_mapping
from scoring.grader import Grader

PRINTER = from_mapping({
    "name": {"zh": "联印办公激光打印机", "en": "UniPrint office laser printer"},
    "features": [{"zh": ["自动双面打印"], "en": ["automatic double-sided printing"]},
                 {"zh": ["每分钟打印四十页"], "en": ["prints 40 pages a minute"]}],
    "advantages": [{"zh": ["用纸减半"], "en": ["uses half the paper"]}],
    "benefits": [{"zh": ["一年光纸钱就能省下十几万"], "en": ["saves you a six-figure sum on paper every year"]}],
    "competitors": [{"zh": "普通单面打印机", "en": "single-sided printers"}],
    "support": {"team": {"zh": "技术支持部", "en": "technical support"}, "hotline": "400-820-0000"},
}, "zh")


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader()


def grade(grader: Grader, answer: str, check: str, lang: str = "zh", facts: ProductFacts | None = None):
    (result,) = grader.grade_answer(answer, lang=lang, checks=[check], facts=facts)
    if result.evidence is not None:  # evidence always points at the trainee's own words
        assert answer[result.evidence.start:result.evidence.end] == result.evidence.text
    return result


# -- negation ---------------------------------------------------------------------------------

def test_not_saying_you_are_wrong_is_not_arguing(grader):
    r = grade(grader, "我不是说您错了，只是这款确实更省纸。", "etiquette.no_argument")
    assert r.passed
    assert r.evidence.text == "我不是说您错了"


def test_saying_you_are_wrong_is_arguing(grader):
    r = grade(grader, "您说得不对，这款一点都不费纸。", "etiquette.no_argument")
    assert not r.passed
    assert r.evidence.text == "您说得不对"


def test_english_negated_contradiction_is_not_arguing(grader):
    r = grade(grader, "I'm not saying you're wrong, but the paper savings add up.", "etiquette.no_argument", "en")
    assert r.passed
    assert r.evidence.text == "I'm not saying you're wrong"
    assert not grade(grader, "You're wrong, it saves paper.", "etiquette.no_argument", "en").passed


def test_a_firm_negative_is_not_a_hedge(grader):
    r = grade(grader, "这台机器不可能坏，我们保修三年。", "etiquette.confident")
    assert r.passed
    assert r.evidence.text == "这台机器不可能坏"


def test_a_hedge_inside_a_strong_answer_still_fails_confident(grader):
    answer = "王经理您好，我们这款每分钟四十页，自动双面，用纸减半，一年能给您省下十几万，应该是吧。"
    r = grade(grader, answer, "etiquette.confident")
    assert not r.passed
    assert r.evidence.text == "应该是吧"
    assert grade(grader, answer, "fab.benefit", facts=PRINTER).passed


def test_a_refusal_is_not_a_discount(grader):
    r = grade(grader, "不能打折，价格是全国统一的，不过我给您算算每页的成本。", "price.no_instant_discount")
    assert r.passed
    r = grade(grader, "I won't give you a discount, but let me show you the cost per page.",
              "price.no_instant_discount", "en")
    assert r.passed


# -- meaning, not keywords --------------------------------------------------------------------

def test_a_benefit_in_new_words_not_on_the_product_sheet(grader):
    answer = "用上它，您的员工不用再排队等打印，每个月的电费也能少交好几百。"
    assert "电费" not in "".join(PRINTER.benefits + PRINTER.advantages + PRINTER.features)
    r = grade(grader, answer, "fab.benefit", facts=PRINTER)
    assert r.passed
    assert r.evidence is not None and ("员工" in r.evidence.text or "电费" in r.evidence.text)


def test_an_indirect_discount_is_giving_in(grader):
    r = grade(grader, "行，这次就按进货价给您，别跟别人说。", "price.no_instant_discount")
    assert not r.passed
    assert "按进货价给您" in r.evidence.text


def test_english_discount_shapes(grader):
    for answer in ("OK, 10% off and I'll throw in a free case.", "Fine, for you, 599. Deal?"):
        r = grade(grader, answer, "price.no_instant_discount", "en")
        assert not r.passed, answer


def test_feature_and_advantage_without_benefit_fail_the_benefit(grader):
    answer = "我们这款是自动双面打印，每分钟四十页，用纸减半。"
    results = {r.id: r for r in grader.grade_answer(
        answer, lang="zh", checks=["fab.feature", "fab.advantage", "fab.benefit"], facts=PRINTER)}
    assert results["fab.feature"].passed
    assert results["fab.advantage"].passed
    assert not results["fab.benefit"].passed
    assert results["fab.benefit"].evidence is None
    assert "B" in results["fab.benefit"].note
    assert "绝不能省略 B" in results["fab.benefit"].feedback


def test_cantonese_traditional_routing_and_promise(grader):
    answer = "唔好意思，我哋技術支援部會盡快聯絡您，留個電話俾我得唔得？"
    checks = ["scope.routes_to_support", "scope.promises_followup", "scope.takes_contact"]
    results = {r.id: r for r in grader.grade_answer(answer, lang="zh-Hant", checks=checks, facts=PRINTER)}
    assert all(r.passed for r in results.values())
    assert results["scope.routes_to_support"].evidence.text.startswith("我哋技術支援部")
    assert "留個電話" in results["scope.takes_contact"].evidence.text


def test_full_width_text(grader):
    answer = "ＨＥＬＬＯ，王经理您好！我是联印的小李。"
    r = grade(grader, answer, "etiquette.greeting")
    assert r.passed
    r = grade(grader, answer, "etiquette.self_intro")
    assert r.passed and r.evidence.text == "我是联印的小李"


def test_sarcasm_is_arguing_not_praise(grader):
    assert not grade(grader, "行啊，您说便宜就便宜呗。", "etiquette.no_argument").passed
    r = grade(grader, "您可真会做生意啊，您这样卖一辈子也就这样了。", "etiquette.praise")
    assert not r.passed


def test_praise_of_the_customer_not_of_the_product(grader):
    assert grade(grader, "您这店位置真好，客流这么旺。", "etiquette.praise").passed
    assert not grade(grader, "我们的打印机质量很好，口碑不错的。", "etiquette.praise").passed
    assert grade(grader, "You clearly know your market.", "etiquette.praise", "en").passed


def test_self_handling_versus_safe_routing(grader):
    r = grade(grader, "您先重启一下试试，不行我过去帮您修。", "scope.no_self_handling")
    assert not r.passed and "重启" in r.evidence.text
    assert grade(grader, "维修由技术支持部负责，请您留个电话，工程师会尽快联系您。", "scope.no_self_handling").passed
    r = grade(grader, "Try restarting it, and check the toner.", "scope.no_self_handling", "en")
    assert not r.passed


def test_close_steps(grader):
    answer = "这款一年能帮您省下十几万纸钱，对您很有用，对吧？那我先给您下二十台？"
    checks = ["close.states_advantage", "close.seeks_agreement", "close.asks_for_order"]
    results = {r.id: r for r in grader.grade_answer(answer, lang="zh", checks=checks, facts=PRINTER)}
    assert all(r.passed for r in results.values()), results
    assert "二十台" in results["close.asks_for_order"].evidence.text


# -- robustness -------------------------------------------------------------------------------

def test_grading_is_deterministic(grader):
    answer = "老板您好，我是联印的小李。您这店真气派！我们这款每分钟四十页，能帮您一年省下十几万，对吧？"
    checks = list(grader.catalogue.checks)
    first = grader.grade_answer(answer, lang="zh", checks=checks, facts=PRINTER)
    again = grader.grade_answer(answer, lang="zh", checks=checks, facts=PRINTER)
    fresh = Grader().grade_answer(answer, lang="zh", checks=checks, facts=PRINTER)
    assert first == again == fresh


def test_huge_and_control_character_answers(grader):
    checks = [c for c in grader.catalogue.checks if grader.catalogue.checks[c].scope == "turn"]
    for answer in ("您好，" * 5000, "您好\x00\x1b[31m\ud800" * 2000, "", "   \n\t"):
        results = grader.grade_answer(answer, lang="zh", checks=checks, facts=PRINTER)
        assert [r.id for r in results] == checks
        for r in results:
            if r.evidence is not None:
                assert answer[r.evidence.start:r.evidence.end] == r.evidence.text
    (concise,) = grader.grade_answer("您好，" * 5000, lang="zh", checks=["etiquette.concise"])
    assert not concise.passed


def test_feedback_follows_the_answer_language(grader):
    (zh,) = grader.grade_answer("你好", lang="zh-Hant", checks=["fab.benefit"])
    (en,) = grader.grade_answer("hello", lang="en", checks=["fab.benefit"])
    assert "利益" in zh.feedback and "benefit" in en.feedback.lower()


def test_unknown_check_is_an_error(grader):
    with pytest.raises(KeyError):
        grader.grade_answer("您好", lang="zh", checks=["etiquette.nonexistent"])


def test_the_learned_model_never_vetoes_an_explicit_guard_hit(grader):
    """Guards get at most a "fill" model: "You're wrong" fails no_argument whatever the model says."""
    if grader.model is not None:
        for check_id, spec in grader.catalogue.checks.items():
            if spec.kind == "avoids" and grader.model.covers(check_id):
                assert grader.model.checks[check_id].mode == "fill", check_id
    r = grade(grader, "You're wrong, this will definitely sell.", "etiquette.no_argument", "en")
    assert not r.passed and r.evidence.text == "You're wrong"


class TestComparisonInTheCustomersTerms:
    """The alternative the customer named, taken up in their words and set against ours, is a comparison."""

    def test_the_alternative_echoed_and_answered_with_ours(self, grader):
        (r,) = grader.grade_answer("係，磁卡鎖係平啲，但係我哋已經包安裝，電池一年先換一次，前台可以少請一個人。",
                                   lang="zh-Hant", checks=["price.compares_competitor"],
                                   customer="一千三百五一套？磁卡鎖平一半喎。")
        assert r.passed and "磁卡鎖" in r.evidence.text

    def test_echoing_the_objection_itself_is_no_comparison(self, grader):
        (r,) = grader.grade_answer("理解理解，乡镇学校经费紧张这个我们都知道的，很多学校都这样。",
                                   lang="zh", checks=["price.compares_competitor"],
                                   customer="乡镇学校经费紧张，你们比别家贵太多了。")
        assert not r.passed


class TestFactsAreAboutTheProduct:
    """The numbers in a deal or an argument are not product features."""

    def test_the_terms_of_a_deal_are_not_a_feature(self, grader):
        r = grade(grader, "Ha, fair enough! I'll knock 300 off and throw in the card reader stand. Deal?",
                  "fab.feature", "en")
        assert not r.passed

    def test_a_number_in_an_argument_is_not_a_feature(self, grader):
        r = grade(grader, "王总，您这个20%的数字不准确，您没算对。", "fab.feature")
        assert not r.passed

    def test_a_number_about_the_product_still_is(self, grader):
        r = grade(grader, "价格是统一的。我们这台一分钟六十张，断网也能打。", "fab.feature")
        assert r.passed and "六十张" in r.evidence.text

    def test_a_span_of_time_about_the_customer_is_not_a_feature(self, grader):
        r = grade(grader, "Twenty years with that fridge, wow, you must have looked after it.", "fab.feature", "en")
        assert not r.passed

    def test_a_span_of_time_about_the_product_is(self, grader):
        r = grade(grader, "Our battery lasts 12 hours, a full shift.", "fab.feature", "en")
        assert r.passed and "12 hours" in r.evidence.text

    def test_can_is_not_a_can(self, grader):
        r = grade(grader, "Yes you can, of course, I can tell you know your stuff.", "fab.feature", "en")
        assert not r.passed


class TestSayingTheSameThingAgain:
    """Words said over and over pad an answer even when it is not long."""

    def test_the_same_words_three_times_are_padding(self, grader):
        r = grade(grader, "大姐，白给的谁不想要，可厂家投放的柜子只能放他家的饮料，别的货一概不让上。咱这台八百升风冷柜全归您自己，"
                          "啥好卖就摆啥，一年电费还比直冷的省两千多，算下来真不亏，真的不亏，一点都不亏，您算算就知道了，这个账好算得很。",
                  "etiquette.concise")
        assert not r.passed

    def test_a_short_clear_answer_is_concise(self, grader):
        r = grade(grader, "咱这台风冷柜一年电费省两千多，摆什么都由您定。", "etiquette.concise")
        assert r.passed


def test_the_benefit_model_cannot_read_features_or_advantages(grader):
    """A pitch full of features and advantages is what the FAB rule fails: the benefit's learned model may
    not count them (scoring.model.NOT_EVIDENCE), so they can never add up to a benefit."""
    if grader.model is None or not grader.model.covers("fab.benefit"):
        pytest.skip("no learned model for fab.benefit")
    weights = grader.model.checks["fab.benefit"].weights
    assert not {"g:feature", "g:advantage", "f:feature", "f:advantage"} & set(weights)
