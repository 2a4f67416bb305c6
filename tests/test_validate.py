"""The meaning pass: references, the conversation graph, languages, look-alike intents, warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.scenario.loader import load_product, parse_scenario
from roleplay.scenario.model import Condition
from roleplay.scenario.validate import key_form, normalise, satisfiable
from scenarios import LIBRARY_DIR, PRODUCTS_DIR

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = (FIXTURES / "valid" / "minimal.yaml").read_text("utf-8")
TWO_INTENTS = MINIMAL.replace(
    "        then: won\n",
    "        then: won\n"
    "      - intent: hello_again\n"
    "        say: {en: [\"Good morning! I'm Li, from FreshFarm.\"]}\n"
    "        then: won\n",
)


def check(text: str, products=None):
    return parse_scenario(text.encode("utf-8"), "s.yaml", products or {})


def lines(problems) -> list[str]:
    return [str(p) for p in problems]


def test_normalise_ignores_case_punctuation_and_spacing():
    assert normalise("Good morning! I'm Li,  from FreshFarm.") == "good morning i m li from freshfarm"
    assert normalise("您好，我是小李！") == "您好 我是小李"


def test_intents_too_alike_for_the_matcher_are_a_warning():
    scenario, problems = check(TWO_INTENTS)
    assert scenario is not None, "a warning does not stop the scenario"
    assert lines(problems) == [
        "s.yaml:18:9: warning: intents 'hello' and 'hello_again' of state 'greet' have examples too alike for "
        "the matcher to tell apart (\"Good morning, I'm Li from FreshFarm\" / \"Good morning! I'm Li, from "
        "FreshFarm.\", 100% alike)"]


def test_alike_intents_with_different_conditions_are_fine():
    text = TWO_INTENTS.replace("      - intent: hello_again\n", "      - intent: hello_again\n        when: {turns_at_least: 2}\n")
    scenario, problems = check(text)
    assert problems == [] and scenario is not None


def test_a_tag_outside_the_vocabulary_is_a_warning_with_a_suggestion():
    scenario, problems = check(MINIMAL.replace("languages: [en]", "languages: [en]\ntags: [retail, pricing-objection]"))
    assert scenario is not None
    assert lines(problems) == ["s.yaml:5:16: warning: the tag 'pricing-objection' is not in the library's tags "
                               "(did you mean 'price-objection'?) (docs/authoring.md lists them)"]


def test_a_loop_that_can_never_end_is_a_warning():
    text = MINIMAL.replace("        then: won\n", "        then: chat\n") + (
        "  chat:\n"
        "    customer: {en: [\"So?\"]}\n"
        "    expect:\n"
        "      - intent: more_chat\n"
        "        say: {en: [\"Lovely weather\"]}\n"
        "        then: greet\n"
        "      - intent: close\n"
        "        say: {en: [\"Shall we sign?\"]}\n"
        "        when: {interest_at_least: 5}\n"
        "        then: greet\n"
    )
    scenario, problems = check(text)
    found = lines(problems)
    assert any("error: state 'won' can never be reached" in m for m in found)
    assert any("error: no success end can be reached from the start state" in m for m in found)
    assert any("warning: from state 'greet' no end state can be reached" in m for m in found)
    assert any("warning: from state 'chat' no end state can be reached" in m for m in found)


def test_a_product_without_a_declared_language_is_an_error_at_product():
    product, problems = load_product(PRODUCTS_DIR / "office-printer.yaml")
    text = MINIMAL.replace("start: greet", "product: office-printer\nstart: greet")
    scenario, problems = check(text, {product.id: product})
    assert problems == [] and scenario.product is product
    partial = type(product)(id="half", name={"zh": "半"}, features=product.features, advantages=(),
                            benefits=(), source="products/half.yaml")
    scenario, problems = check(MINIMAL.replace("start: greet", "product: half\nstart: greet"), {"half": partial})
    assert scenario is None
    assert lines(problems) == [
        "s.yaml:10:10: error: the product 'half' has no 'en' text for its name (products/half.yaml)"]


def test_condition_names_must_exist_where_they_point():
    text = MINIMAL.replace("        then: won\n",
                           "        when: {visited: nowhere, passed: fab, failed: close.sequense}\n        then: won\n")
    scenario, problems = check(text)
    assert scenario is None
    found = lines(problems)
    assert "s.yaml:17:25: error: unknown state 'nowhere' in visited" in found[0]
    assert any("'fab' in passed is a rubric, not a check; name a check such as 'fab.feature'" in m for m in found)
    assert any("unknown check 'close.sequense' in failed (did you mean 'close.sequence'?)" in m for m in found)


def test_yes_in_a_true_false_field_is_accepted_with_a_warning():
    text = MINIMAL.replace("start: greet", "reactions:\n  - {check: fab.benefit, passed: yes, effects: {interest: 1}}\nstart: greet")
    scenario, problems = check(text)
    assert scenario is not None and scenario.reactions[0].passed is True
    assert lines(problems) == ["s.yaml:11:34: warning: write true instead of 'yes' in passed"]


def test_golden_tests_cannot_start_from_an_end_state():
    text = MINIMAL + "tests:\n  - {name: t, lang: en, from: won, say: [Hi], expect: {outcome: success}}\n"
    scenario, problems = check(text)
    assert lines(problems) == ["s.yaml:22:31: error: a test cannot start from the end state 'won'"]


@pytest.mark.parametrize("path", sorted(LIBRARY_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_scenarios_have_no_meaning_problems(path):
    from roleplay.scenario.library import Library

    products = Library.from_paths([PRODUCTS_DIR.parent / "products"]).products
    scenario, problems = parse_scenario(path.read_bytes(), path.name, products)
    assert lines(problems) == []


# -- duplicate key phrases ------------------------------------------------------------------

KEYED = MINIMAL.replace(
    "        say: {en: [\"Good morning, I'm Li from FreshFarm\"]}\n        then: won\n",
    "        say: {en: [\"Good morning, I'm Li from FreshFarm\"]}\n"
    "        keys: {en: [FreshFarm, \"Good morning\", \"freshfarm!\"]}\n"
    "        then: won\n"
    "      - intent: price_first\n"
    "        say: {en: [\"It's only five yuan a box\"]}\n"
    "        keys:\n"
    "          en:\n"
    "            - five yuan\n"
    "            - \"good  morning\"\n"
    "            - Five Yuan\n"
    "        effects: {patience: -1}\n"
    "        then: won\n",
)


def test_key_form_ignores_what_the_matcher_ignores():
    assert key_form("Free-Shipping!") == key_form("free shipping") == "free shipping"
    assert key_form("ＣＲＭ") == key_form("crm")  # full-width letters
    assert key_form("零 糖") == key_form("零糖，") == "零糖"
    assert key_form("CRM 系统") == "crm系统"


def test_a_key_phrase_twice_in_one_intent_and_shared_by_two_intents_are_located_warnings():
    scenario, problems = check(KEYED)
    assert scenario is not None, "warnings do not stop the scenario"
    assert sorted(lines(problems)) == [
        "s.yaml:17:48: warning: the key phrase 'freshfarm!' is listed twice in the en keys of intent 'hello' "
        "(first at column 21)",
        "s.yaml:24:15: warning: the key phrase 'good  morning' of intent 'price_first' is also a key phrase of "
        "intent 'hello' (line 17) in state 'greet': it cannot tell them apart",
        "s.yaml:25:15: warning: the key phrase 'Five Yuan' is listed twice in the en keys of intent 'price_first' "
        "(first at line 23)",
    ]


BILINGUAL = """\
version: 1
id: two-languages
languages: [zh, en]
title: {zh: 测试, en: Test}
summary: {zh: 测试, en: Test}
persona: {name: {zh: 李老板, en: Boss Li}, role: {zh: 店主, en: shop owner}}
start: greet
states:
  greet:
    customer: {zh: [你好？], en: [Hello?]}
    expect:
      - intent: crm_question
        say: {zh: [您现在用什么管理客户？], en: [How do you keep track of customers?]}
        keys: {en: [CRM]}
        then: won
      - intent: crm_pitch
        say: {zh: [我们的系统五分钟上手], en: [Our system takes five minutes to learn]}
        keys: {zh: [crm, 上手], en: [five minutes]}
        then: lost
  won:
    end: success
    customer: {zh: [好。], en: [Fine.]}
  lost:
    end: failure
    customer: {zh: [不用了。], en: [No thanks.]}
"""


def test_a_key_phrase_shared_across_languages_is_a_warning_too():
    # The matcher looks for the key phrases of both languages in an answer in either language.
    scenario, problems = check(BILINGUAL)
    assert scenario is not None
    assert lines(problems) == [
        "s.yaml:18:21: warning: the key phrase 'crm' of intent 'crm_pitch' is also a key phrase of intent "
        "'crm_question' (line 14) in state 'greet': it cannot tell them apart"]
    # A key in a language the scenario is not written in is never looked for (and never shown).
    scenario, problems = check(BILINGUAL.replace("languages: [zh, en]", "languages: [en]")
                               .replace("{zh: [crm, 上手], en:", "{zh: [crm], en:"))
    assert not any("is also a key phrase" in m for m in lines(problems))


@pytest.mark.parametrize("when_a, when_b", [
    ("{passed: fab.benefit}", "{failed: fab.benefit}"),
    ("{interest_at_least: 4}", "{interest_below: 4}"),
    ("{patience_below: 2}", "{patience_at_least: 3}"),
    ("{passed: [fab.benefit, fab.feature]}", "{failed_any: [fab.feature]}"),
    ("{passed_any: [fab.benefit, fab.feature]}", "{failed: [fab.feature, fab.benefit]}"),
])
def test_shared_key_phrases_are_fine_when_the_conditions_cannot_both_hold(when_a, when_b):
    text = (KEYED.replace("        keys: {en: [FreshFarm", f"        when: {when_a}\n        keys: {{en: [FreshFarm")
            .replace("        effects: {patience: -1}\n", f"        when: {when_b}\n        effects: {{patience: -1}}\n"))
    scenario, problems = check(text)
    assert scenario is not None
    assert not any("is also a key phrase" in m for m in lines(problems)), lines(problems)


@pytest.mark.parametrize("when_a, when_b", [
    ("{passed: fab.benefit}", "{turns_at_least: 2}"),
    ("{interest_at_least: 3}", "{interest_below: 4}"),
    ("{passed_any: [fab.benefit, fab.feature]}", "{failed: fab.feature}"),
])
def test_shared_key_phrases_warn_when_both_intents_can_be_chosen(when_a, when_b):
    text = (KEYED.replace("        keys: {en: [FreshFarm", f"        when: {when_a}\n        keys: {{en: [FreshFarm")
            .replace("        effects: {patience: -1}\n", f"        when: {when_b}\n        effects: {{patience: -1}}\n"))
    scenario, problems = check(text)
    assert scenario is not None
    assert sum("is also a key phrase" in m for m in lines(problems)) == 1, lines(problems)


def test_a_twin_that_leads_to_the_same_place_may_share_key_phrases():
    # The gate-on-the-check pattern: an intent gated with threshold 0 and its twin recognised by
    # wording; whichever wins, the conversation goes on the same way.
    twin = KEYED.replace("        keys: {en: [FreshFarm", "        when: {passed: etiquette.greeting}\n"
                                                        "        threshold: 0\n        keys: {en: [FreshFarm")
    assert any("is also a key phrase" in m for m in lines(check(twin)[1]))  # the twin moves the meters
    same = twin.replace("        effects: {patience: -1}\n", "")
    assert not any("is also a key phrase" in m for m in lines(check(same)[1]))
    other_reply = same.replace("            - Five Yuan\n", "            - Five Yuan\n        reply: {en: [\"Hm.\"]}\n")
    assert any("is also a key phrase" in m for m in lines(check(other_reply)[1]))


def test_satisfiable():
    c = Condition
    assert satisfiable([])
    assert satisfiable([c("passed", "a"), c("failed", "b"), c("interest_at_least", 5), c("turns_at_least", 9)])
    assert not satisfiable([c("passed", "a"), c("failed", ("b", "a"))])
    assert not satisfiable([c("passed_any", ("a", "b")), c("failed", ("a", "b"))])
    assert satisfiable([c("passed_any", ("a", "b")), c("failed", "a")])
    assert not satisfiable([c("failed_any", ("a",)), c("passed", "a")])
    assert not satisfiable([c("interest_at_least", 3), c("interest_below", 3)])
    assert satisfiable([c("interest_at_least", 3), c("interest_below", 4), c("patience_below", 1)])
    assert not satisfiable([c("patience_below", 0)])


# -- arrive_with ----------------------------------------------------------------------------

def test_arrive_with_on_the_start_or_an_end_state_is_a_warning():
    text = (MINIMAL.replace('    customer: {en: ["Hello?"]}\n', '    customer: {en: ["Hello?"]}\n    arrive_with: {interest: 3}\n')
            .replace('    customer: {en: "Deal."}', '    customer: {en: "Deal."}\n    arrive_with: {patience: 2}'))
    scenario, problems = check(text)
    assert scenario is not None and scenario.states["greet"].arrive_with.interest == 3
    assert lines(problems) == [
        "s.yaml:14:18: warning: arrive_with on the start state 'greet' replaces the persona's patience and "
        "interest in every session; set them under persona: instead",
        "s.yaml:22:18: warning: state 'won' is an end state: no session starts there, so its arrive_with is never used",
    ]
