"""The JSON Schemas (draft-07) say what the loader says: same keys, same required keys, same
vocabularies; every shipped file validates against them and names them on its first line."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from roleplay.scenario.language import OBJECTS
from roleplay.scenario.model import LANGS, TEMPERAMENTS
from roleplay.scenario.tags import TAGS
from roleplay.scenario.vocabulary import CONDITIONS, EFFECTS
from scenarios import LIBRARY_DIR, PRODUCTS_DIR
from scoring.catalogue import load_catalogue

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def schema(name: str) -> dict:
    return json.loads(resources.files("roleplay").joinpath(f"schemas/{name}.schema.json").read_text("utf-8"))


SCENARIO = schema("scenario")
PRODUCT = schema("product")

WHERE = {
    # loader object -> (schema, the JSON object in it that describes that mapping)
    "scenario": (SCENARIO, SCENARIO),
    "persona": (SCENARIO, SCENARIO["definitions"]["persona"]),
    "reaction": (SCENARIO, SCENARIO["definitions"]["reaction"]),
    "matching": (SCENARIO, SCENARIO["definitions"]["matching"]),
    "state": (SCENARIO, SCENARIO["definitions"]["state"]),
    "arrive_with": (SCENARIO, SCENARIO["definitions"]["arrive_with"]),
    "intent": (SCENARIO, SCENARIO["definitions"]["intent"]),
    "otherwise": (SCENARIO, SCENARIO["definitions"]["otherwise"]),
    "effects": (SCENARIO, SCENARIO["definitions"]["effects"]),
    "test": (SCENARIO, SCENARIO["definitions"]["test"]),
    "test_expect": (SCENARIO, SCENARIO["definitions"]["test_expect"]),
    "product": (PRODUCT, PRODUCT),
    "fact": (PRODUCT, PRODUCT["definitions"]["fact"]),
    "support": (PRODUCT, PRODUCT["definitions"]["support"]),
}


def shipped(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def test_both_schemas_are_valid_draft_07():
    for s in (SCENARIO, PRODUCT):
        assert s["$schema"] == "http://json-schema.org/draft-07/schema#"
        Draft7Validator.check_schema(s)


def test_every_loader_object_has_a_schema_object_and_vice_versa():
    assert set(WHERE) == set(OBJECTS)


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_schema_keys_match_the_loader_keys(name):
    keys = OBJECTS[name]
    _, obj = WHERE[name]
    expected = set(keys.all) | (set(LANGS) if keys.per_language else set())
    assert set(obj["properties"]) == expected
    assert set(obj.get("required", ())) == set(keys.required)
    assert obj.get("additionalProperties") is False, "unknown keys must be refused, as the loader does"


def test_vocabularies_match():
    d = SCENARIO["definitions"]
    cat = load_catalogue()
    assert set(d["when"]["properties"]) == set(CONDITIONS)
    assert set(d["effects"]["properties"]) == set(EFFECTS)
    assert d["checkId"]["enum"] == list(cat.checks)
    assert d["rubricOrCheck"]["enum"] == list(cat.rubrics) + list(cat.checks)
    assert d["tag"]["anyOf"][0]["enum"] == list(TAGS)
    assert d["persona"]["properties"]["temperament"]["enum"] == list(TEMPERAMENTS)
    assert set(d["text"]["properties"]) == set(LANGS) == set(d["lines"]["properties"])


SCENARIO_FILES = shipped(LIBRARY_DIR) + shipped(FIXTURES / "valid")
PRODUCT_FILES = shipped(PRODUCTS_DIR) + shipped(FIXTURES / "valid" / "products")


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_scenario_files_validate_against_the_schema(path):
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
              for e in Draft7Validator(SCENARIO).iter_errors(yaml.safe_load(path.read_text("utf-8")))]
    assert errors == []


@pytest.mark.parametrize("path", PRODUCT_FILES, ids=lambda p: p.name)
def test_product_files_validate_against_the_schema(path):
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
              for e in Draft7Validator(PRODUCT).iter_errors(yaml.safe_load(path.read_text("utf-8")))]
    assert errors == []


@pytest.mark.parametrize("path", shipped(LIBRARY_DIR) + shipped(PRODUCTS_DIR), ids=lambda p: p.name)
def test_shipped_files_name_their_schema_on_the_first_line(path):
    first = path.read_text("utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first[len(prefix):]).resolve()
    kind = "product" if path.parent == PRODUCTS_DIR else "scenario"
    assert target == (Path(str(resources.files("roleplay"))) / "schemas" / f"{kind}.schema.json").resolve()


@pytest.mark.parametrize("name", ["unknown-key-typo", "wrong-type-patience-text", "difficulty-out-of-range",
                                  "unknown-temperament", "unsupported-version", "bad-score-range",
                                  "norway-no-as-text", "missing-required-keys", "unknown-effect",
                                  "condition-check-list-wrong", "arrive-with-out-of-range"])
def test_the_schema_also_refuses_structural_defects(name):
    data = yaml.safe_load((FIXTURES / "invalid" / f"{name}.yaml").read_text("utf-8"))
    assert list(Draft7Validator(SCENARIO).iter_errors(data)), f"{name} passes the schema"
