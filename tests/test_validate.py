"""The meaning pass: references, the conversation graph, languages, look-alike intents, warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.scenario.loader import load_product, parse_scenario
from roleplay.scenario.validate import normalise
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
