"""docs/authoring.md: every YAML example in it is valid (or, when marked broken, fails exactly as the
guide says), and every key, condition, effect, tag, check and temperament is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay.cli import COMMANDS
from roleplay.scenario.language import OBJECTS
from roleplay.scenario.library import Library
from roleplay.scenario.loader import parse_product, parse_scenario
from roleplay.scenario.model import TEMPERAMENTS
from roleplay.scenario.problems import sort_key
from roleplay.scenario.tags import TAGS
from roleplay.scenario.vocabulary import CONDITIONS, EFFECTS
from scenarios import LIBRARY_DIR
from scoring.catalogue import load_catalogue

DOC = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"
TEXT = DOC.read_text("utf-8")
BLOCKS = [(m.group(1), m.group(2), m.group(3), TEXT.count("\n", 0, m.start()) + 1)
          for m in re.finditer(r"^```(\w*)(?:[ \t]+(\w+))?\n(.*?)^```", TEXT, re.S | re.M)]
YAML = [(info, body, line) for lang, info, body, line in BLOCKS if lang == "yaml"]


def is_product(body: str) -> bool:
    return re.search(r"^features:", body, re.M) is not None


@pytest.fixture(scope="module")
def products():
    out = dict(Library.from_paths([LIBRARY_DIR / "products"]).products)
    for info, body, line in YAML:
        if info is None and is_product(body):
            product, problems = parse_product(body.encode("utf-8"), f"authoring.md:{line}")
            assert [str(p) for p in problems] == []
            out[product.id] = product
    return out


def test_the_guide_has_a_complete_scenario_a_product_and_a_broken_example():
    kinds = [("broken" if info == "broken" else "product" if is_product(body) else "scenario") for info, body, _ in YAML]
    assert kinds.count("scenario") >= 1 and kinds.count("product") >= 1 and kinds.count("broken") >= 1


@pytest.mark.parametrize("info,body,line", [y for y in YAML if y[0] is None and not is_product(y[1])],
                         ids=lambda v: str(v) if isinstance(v, int) else "")
def test_every_scenario_example_is_valid(products, info, body, line):
    scenario, problems = parse_scenario(body.encode("utf-8"), f"authoring.md:{line}", products)
    assert [str(p) for p in problems] == []
    assert scenario is not None


def test_the_complete_example_uses_every_key():
    scenario_body = next(body for info, body, _ in YAML if info is None and not is_product(body))
    product_body = next(body for info, body, _ in YAML if info is None and is_product(body))
    for name, keys in OBJECTS.items():
        body = product_body if name in ("product", "fact", "support") else scenario_body
        for key in keys.all:
            assert re.search(rf"(^|[\s{{,]){re.escape(key)}:", body, re.M), f"the example never uses {name}.{key}"
    for name in ("passed", "visited", "interest_at_least", "patience", "interest"):
        assert f"{name}:" in scenario_body


def test_the_broken_example_fails_exactly_as_the_guide_says(products):
    index = next(i for i, b in enumerate(BLOCKS) if b[0] == "yaml" and b[1] == "broken")
    body = BLOCKS[index][2]
    shown = next(b for b in BLOCKS[index + 1:] if b[0] == "text")[2]
    _, problems = parse_scenario(body.encode("utf-8"), "tea-typo.yaml", products)
    assert [str(p) for p in sorted(problems, key=sort_key)] == shown.strip().splitlines()


def documented(name: str) -> bool:
    return f"`{name}`" in TEXT


def test_every_key_is_documented():
    missing = [f"{obj}.{key}" for obj, keys in OBJECTS.items() for key in keys.all if not documented(key)]
    assert missing == []


def test_every_condition_effect_tag_check_and_temperament_is_documented():
    cat = load_catalogue()
    names = [*CONDITIONS, *EFFECTS, *TAGS, *cat.rubrics, *cat.checks, *TEMPERAMENTS]
    assert [n for n in names if not documented(n)] == []
    plain = TEXT.replace("`", "")
    for entry in [*CONDITIONS.values(), *EFFECTS.values()]:
        assert entry.doc_en in plain, entry.name


def test_the_commands_the_guide_names_exist():
    for command in set(re.findall(r"`roleplay (\w+)", TEXT)):
        assert command in COMMANDS, command


@pytest.mark.parametrize("info,body,line", [y for y in YAML if y[0] is None and not is_product(y[1])],
                         ids=lambda v: str(v) if isinstance(v, int) else "")
def test_the_examples_golden_transcripts_pass(products, info, body, line):
    # A trainer copies these examples first: their transcripts must really pass in the engine.
    from roleplay.engine.golden import replay
    from roleplay.engine.runtime import ScenarioRuntime

    scenario, _ = parse_scenario(body.encode("utf-8"), "authoring.md", products)
    assert scenario.tests, f"the example at line {line} has no golden transcript"
    runtime = ScenarioRuntime(scenario)
    outcomes = [replay(runtime, test) for test in scenario.tests]
    assert [(o.test.name, o.failures) for o in outcomes] == [(t.name, ()) for t in scenario.tests]


def test_the_pattern_example_needs_its_arrive_with(products):
    # The guide's pattern example is where a trainer learns passed_any, failed_any, the check gate
    # with threshold 0 and arrive_with: its transcript from the warm state passes only because of
    # the meters arrive_with gives (the persona's interest of 1 is below the close's gate).
    from roleplay.engine.golden import replay
    from roleplay.engine.runtime import ScenarioRuntime

    body = next(b for info, b, _ in YAML if info is None and "passed_any:" in b)
    for text in ("failed_any:", "threshold: 0", "from: close"):
        assert text in body
    cold = re.sub(r"^ *arrive_with:.*\n", "", body, flags=re.M)
    assert cold != body
    scenario, problems = parse_scenario(cold.encode("utf-8"), "authoring.md", products)
    assert problems == []
    warm_start = next(t for t in scenario.tests if t.start == "close")
    outcome = replay(ScenarioRuntime(scenario), warm_start)
    assert outcome.failures and outcome.result.path == ("close",)
