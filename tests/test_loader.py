"""The loader: layers (bytes -> text -> nodes), the model it builds, and what it refuses."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from roleplay.scenario import reader
from roleplay.scenario.loader import load_product, load_scenario, parse_scenario
from roleplay.scenario.model import ArriveWith, Condition, Effects, Location, ScoreRange
from roleplay.scenario.problems import Problem
from scenarios import LIBRARY_DIR, PRODUCTS_DIR

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = (FIXTURES / "valid" / "minimal.yaml").read_text("utf-8")


@pytest.fixture(scope="module")
def products():
    out = {}
    for path in [PRODUCTS_DIR / "office-printer.yaml", FIXTURES / "valid" / "products" / "fixture-snacks.yaml"]:
        product, problems = load_product(path)
        assert problems == []
        out[product.id] = product
    return out


def load_text(tmp_path: Path, text: str | bytes, products=None, name: str = "s.yaml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return load_scenario(path, products or {}, display=name)


def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def test_problem_prints_as_path_line_col_severity_message():
    p = Problem(Location("a/b.yaml", 12, 5), "error", "unknown key 'expcet'")
    assert str(p) == "a/b.yaml:12:5: error: unknown key 'expcet'"
    assert p.to_json() == {"path": "a/b.yaml", "line": 12, "col": 5, "severity": "error",
                           "message": "unknown key 'expcet'"}


def test_libyaml_is_used_when_present():
    if getattr(yaml, "CSafeLoader", None) is None:
        pytest.skip("PyYAML without libyaml")
    assert issubclass(reader.LOADER, yaml.CSafeLoader)


def test_the_example_scenario_loads_into_the_model(products):
    path = LIBRARY_DIR / "printer-out-of-scope.yaml"
    scenario, problems = load_scenario(path, products)
    assert problems == []
    assert scenario.id == "printer-out-of-scope"
    assert scenario.languages == ("zh", "en")
    assert scenario.product is products["office-printer"]
    assert scenario.start == "call_opens" and scenario.walk_away == "hung_up"
    assert scenario.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert scenario.source == str(path.absolute())
    assert {s.id for s in scenario.end_states("success")} >= {"resolved"}
    assert scenario.persona.temperament == "impatient" and scenario.persona.patience == 3
    gold = scenario.tests[0]
    assert gold.lang == "zh" and gold.expect.score == ScoreRange(70, 100)
    assert gold.expect.outcome == "success"
    first = scenario.states["call_opens"]
    assert first.location.line > 1 and first.expect[0].then == "complaint"
    assert isinstance(first.customer["zh"], tuple) and len(first.customer["zh"]) >= 1


def test_every_key_of_the_language_is_read(products):
    scenario, problems = load_scenario(FIXTURES / "valid" / "full.yaml", products)
    assert problems == []
    assert scenario.tags == ("price-objection", "three-step-close", "retail")
    assert scenario.difficulty == 3 and scenario.pass_mark == 65
    assert scenario.blockers == ("price.no_instant_discount",)
    assert scenario.reactions[0].check == "fab.benefit" and scenario.reactions[0].passed is True
    assert scenario.reactions[0].effects == Effects(interest=1)
    assert scenario.matching.threshold == 60 and scenario.matching.hint_threshold == 30.5
    objection = scenario.states["objection"]
    assert objection.rubrics == ("price", "fab.benefit", "etiquette.no_argument")
    stress, discount = objection.expect
    assert stress.keys == {"zh": ("回头",), "en": ("coming back",)}
    assert discount.when == (Condition("patience_below", 3),)
    assert discount.threshold == 70 and discount.reply["en"] == ("Dropping the price that fast? Must be poor quality.",)
    assert discount.effects == Effects(patience=-1, interest=-1)
    assert objection.otherwise.then == "objection"
    ask, wait = scenario.states["agree"].expect
    assert {c.name: c.arg for c in ask.when} == {"interest_at_least": 2, "visited": "objection",
                                                 "passed": "close.asks_for_order", "turns_at_least": 1}
    assert {c.name: c.arg for c in wait.when} == {"failed": ("close.asks_for_order", "close.seeks_agreement"),
                                                  "interest_below": 5, "patience_at_least": 1,
                                                  "failed_any": ("etiquette.polite", "etiquette.no_argument")}
    assert scenario.states["objection"].expect[0].when == (
        Condition("passed_any", ("fab.benefit", "price.value_over_price")),)
    assert scenario.states["agree"].arrive_with == ArriveWith(patience=2, interest=3)
    assert scenario.states["objection"].arrive_with is None
    value_test, from_test = scenario.tests
    assert value_test.seed == 3 and value_test.expect.path == ("objection", "agree", "won")
    assert value_test.expect.score == ScoreRange(60, 100) and value_test.expect.failed == ()
    assert from_test.start == "agree" and from_test.expect.score == ScoreRange(0, 40)


def test_check_conditions_take_one_check_or_a_list(tmp_path):
    when = ("{passed: [fab.benefit, etiquette.polite], failed: etiquette.no_argument, passed_any: [fab.feature], "
            "failed_any: [price.no_instant_discount, etiquette.confident]}")
    scenario, problems = load_text(tmp_path, MINIMAL.replace("        then: won\n", f"        when: {when}\n        then: won\n"))
    assert problems == []
    assert scenario.states["greet"].expect[0].when == (
        Condition("passed", ("fab.benefit", "etiquette.polite")), Condition("failed", "etiquette.no_argument"),
        Condition("passed_any", "fab.feature"),  # a list of one reads as the check alone
        Condition("failed_any", ("price.no_instant_discount", "etiquette.confident")))


def test_check_condition_lists_are_checked_item_by_item(tmp_path):
    when = "{passed: [], passed_any: [fab.benefit, 3, fab.benefit], failed_any: [fab.benfit, {a: 1}], failed: yes}"
    scenario, problems = load_text(tmp_path, MINIMAL.replace("        then: won\n", f"        when: {when}\n        then: won\n"))
    assert scenario is None
    assert messages(problems) == [
        "s.yaml:17:24: error: passed of intent 'hello' is an empty list: name at least one check id",
        "s.yaml:17:54: error: passed_any needs a check id, not '3'",
        "s.yaml:17:57: warning: the check 'fab.benefit' is listed twice in passed_any of intent 'hello'",
        "s.yaml:17:96: error: failed_any should be text, not a mapping (key: value lines)",
        "s.yaml:17:113: error: failed needs a check id, not 'yes'",
        "s.yaml:17:84: error: unknown check 'fab.benfit' in failed_any (did you mean 'fab.benefit'?) "
        "(`roleplay rubrics` lists them)",
    ]


MIDDLE = MINIMAL.replace("        then: won\n", "        then: chat\n").replace("  won:\n", (
    "  chat:\n"
    "    customer: {en: [\"Go on.\"]}\n"
    "    arrive_with: {patience: 4, interest: 5}\n"
    "    expect:\n"
    "      - intent: order\n"
    "        say: {en: [\"Shall I put you down for ten?\"]}\n"
    "        then: won\n"
    "  won:\n"))


def test_arrive_with_is_read_into_the_state(tmp_path):
    scenario, problems = load_text(tmp_path, MIDDLE)
    assert problems == []
    assert scenario.states["chat"].arrive_with == ArriveWith(patience=4, interest=5)
    assert scenario.states["chat"].arrive_with.location == Location("s.yaml", 20, 18)
    assert scenario.states["greet"].arrive_with is None
    scenario, problems = load_text(tmp_path, MIDDLE.replace("{patience: 4, interest: 5}", "{interest: 0}"))
    assert problems == [] and scenario.states["chat"].arrive_with == ArriveWith(interest=0)


@pytest.mark.parametrize("value, found", [
    ("{patience: 0, interest: 6, mood: 2}", [
        "s.yaml:20:45: error: unknown key 'mood' in arrive_with of state 'chat'",
        "s.yaml:20:29: error: patience in arrive_with of state 'chat' should be from 1 to 5, not 0",
        "s.yaml:20:42: error: interest in arrive_with of state 'chat' should be from 0 to 5, not 6"]),
    ("{interest: '3'}", [
        "s.yaml:20:29: error: interest in arrive_with of state 'chat' should be a whole number, not '3' (remove the quotes)"]),
    ("[1, 2]", ["s.yaml:20:18: error: arrive_with of state 'chat' should be a mapping (key: value lines), not a list"]),
    ("{}", ["s.yaml:20:18: warning: arrive_with of state 'chat' is empty: give patience and/or interest, or leave it out"]),
])
def test_arrive_with_is_checked(tmp_path, value, found):
    scenario, problems = load_text(tmp_path, MIDDLE.replace("{patience: 4, interest: 5}", value))
    assert messages(problems) == found
    assert (scenario is None) is any(p.is_error for p in problems)


def test_one_text_may_skip_the_list_brackets(tmp_path):
    scenario, problems = load_text(tmp_path, MINIMAL)
    assert problems == []
    assert scenario.states["won"].customer == {"en": ("Deal.",)}


def test_no_is_never_false_in_a_text_field(tmp_path):
    scenario, problems = load_text(tmp_path, MINIMAL.replace('customer: {en: "Deal."}', "customer: {en: [NO, Yes]}"))
    assert scenario is None
    assert messages(problems) == [
        "s.yaml:20:21: error: 'NO' in the customer lines of state 'won' [en] would be read as true/false by "
        "YAML tools; text must be in quotes: \"NO\"",
        "s.yaml:20:25: error: 'Yes' in the customer lines of state 'won' [en] would be read as true/false by "
        "YAML tools; text must be in quotes: \"Yes\"",
    ]
    scenario, problems = load_text(tmp_path, MINIMAL.replace('customer: {en: "Deal."}', "customer: {en: ['NO', \"1.10\"]}"))
    assert problems == []
    assert scenario.states["won"].customer == {"en": ("NO", "1.10")}


def test_all_problems_of_a_file_are_reported_not_only_the_first(tmp_path):
    text = (MINIMAL.replace("  role: {en: shop owner}", "  role: {en: shop owner}\n  patience: 9")
            .replace("    expect:", "    expcet:").replace("start: greet", "start: greet\ndifficulty: easy"))
    scenario, problems = load_text(tmp_path, text)
    assert scenario is None
    found = " | ".join(messages(problems))
    assert "patience should be from 1 to 5, not 9" in found
    assert "unknown key 'expcet'" in found
    assert "difficulty should be a whole number, not 'easy'" in found


def test_size_cap_is_checked_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"version: 1\n" + b"#" * reader.MAX_BYTES)
    scenario, problems = load_scenario(big, {}, display="big.yaml")
    assert scenario is None
    assert messages(problems) == [f"big.yaml:1:1: error: the file is too large ({big.stat().st_size:,} bytes; "
                                  f"the limit is {reader.MAX_BYTES:,})"]
    _, problems = load_scenario(FIXTURES / "valid" / "minimal.yaml", {}, display="m.yaml", max_bytes=100)
    assert "too large" in problems[0].message


def test_non_utf8_is_reported_at_its_line_and_column(tmp_path):
    text = MINIMAL.encode("utf-8").replace(b"Ms Lee", b"Ms L\xe9e")
    scenario, problems = load_text(tmp_path, text)
    assert scenario is None
    assert messages(problems) == ["s.yaml:8:18: error: the file is not UTF-8 (byte 0xe9); save it as UTF-8 in your editor"]


def test_a_utf8_bom_is_fine(tmp_path):
    scenario, problems = load_text(tmp_path, b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert problems == [] and scenario is not None


def bomb(levels: int = 9) -> str:
    out = ["  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    names = "abcdefghijklmnop"
    for prev, cur in zip(names, names[1:levels]):
        out.append(f"  - &{cur} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("where", ["tests", "states", "tags", "persona"])
def test_an_alias_bomb_is_rejected_without_being_expanded(tmp_path, where):
    # 9 levels of 9 aliases would expand to 9**9 (387 million) strings: if the loader expanded
    # anything this test would not finish. The file itself is tiny.
    text = MINIMAL.replace(f"\n{where}:", f"\nold_{where}:") + f"lol:\n{bomb()}{where}: *i\n"
    assert len(text.encode()) < 2048
    scenario, problems = load_text(tmp_path, text)
    assert scenario is None
    found = messages(problems)
    assert any("error: anchor '&a' is not allowed" in m and "(8 more anchors in this file)" in m for m in found)
    assert any("error: alias '*a' is not allowed" in m and "(72 more aliases in this file)" in m for m in found)
    assert len(found) < 20


def test_tags_never_construct_anything(tmp_path):
    marker = tmp_path / "pwned"
    text = MINIMAL.replace("  role: {en: shop owner}",
                           f"  role: !!python/object/apply:os.system [\"touch {marker}\"]")
    scenario, problems = load_text(tmp_path, text)
    assert scenario is None and not marker.exists()
    assert "tag '!!python/object/apply:os.system' is not allowed" in problems[0].message


def test_an_exclamation_mark_in_text_is_not_a_tag(tmp_path):
    text = MINIMAL.replace('customer: {en: ["Hello?"]}', 'customer: {en: ["Hello! Who is it?", "Yes !!"]}')
    scenario, problems = load_text(tmp_path, text)
    assert problems == []
    assert scenario.states["greet"].customer["en"] == ("Hello! Who is it?", "Yes !!")


def test_unreadable_paths_are_problems_not_exceptions(tmp_path):
    scenario, problems = load_scenario(tmp_path, {}, display="folder")
    assert scenario is None and messages(problems) == ["folder:1:1: error: this is a folder, not a YAML file"]
    scenario, problems = load_scenario(tmp_path / "missing.yaml", {}, display="missing.yaml")
    assert scenario is None and messages(problems) == [
        "missing.yaml:1:1: error: cannot read the file: No such file or directory"]


def test_both_loaders_build_the_same_model(monkeypatch, products):
    path = FIXTURES / "valid" / "full.yaml"
    fast, _ = load_scenario(path, products)
    monkeypatch.setattr(reader, "LOADER", yaml.SafeLoader)
    slow, _ = load_scenario(path, products)
    assert fast == slow


def test_parse_scenario_reads_bytes_in_memory(products):
    data = (FIXTURES / "valid" / "full.yaml").read_bytes()
    scenario, problems = parse_scenario(data, "example.yaml", products)
    assert problems == [] and scenario.source == "example.yaml"
    assert scenario.content_hash == hashlib.sha256(data).hexdigest()


def test_products_load_with_the_fab_chain():
    product, problems = load_product(PRODUCTS_DIR / "office-printer.yaml")
    assert problems == []
    assert [f.id for f in product.features] == ["duplex", "speed"]
    assert {a.source for a in product.advantages} == {"duplex", "speed"}
    assert product.support.hotline == "400-820-0000"
    assert product.name["en"] == "UniPrint office laser printer"


def test_no_mangled_file_raises(products):
    # Bad input of any kind gives problems, never an exception: every truncation of a full
    # scenario, and values swapped for every other kind of YAML value.
    import random

    data = (FIXTURES / "valid" / "full.yaml").read_bytes()
    for end in range(0, len(data), 7):
        scenario, problems = parse_scenario(data[:end], "cut.yaml", products)
        assert scenario is None or not any(p.is_error for p in problems)
    swaps = [b"", b"~", b"[]", b"{}", b"[1, 2]", b"{a: 1}", b"yes", b"1.5", b"-3", b"'x'", b"[[]]",
             b"{zh: }", b"!!int 3", b"*x", b"&x y", b"99999999999999999999", b"{zh: [x], fr: y}", b"? [a]"]
    lines = data.split(b"\n")
    rng = random.Random(7)
    for _ in range(300):
        mangled = list(lines)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(mangled))
            line = mangled[i]
            if b":" in line:
                mangled[i] = line[: line.index(b":") + 1] + b" " + rng.choice(swaps)
        parse_scenario(b"\n".join(mangled), "swapped.yaml", products)
