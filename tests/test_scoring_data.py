"""The scorer's data files hang together: every cue group and note a detector names exists, the
patterns compile, folds keep the length; and the development figures do not regress."""

from __future__ import annotations

import json
import re
import statistics
from importlib import resources
from pathlib import Path

import pytest
import yaml

from scoring.catalogue import load_catalogue
from scoring.cues import CueBook, load_cues
from scoring.facts import from_mapping
from scoring.grader import Grader

DETECTORS = Path(__file__).resolve().parent.parent / "scoring" / "detectors"
DEV = Path(__file__).resolve().parent / "data" / "labelled" / "dev"


def detector_source() -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(DETECTORS.glob("*.py")))


def test_every_cue_group_a_detector_reads_exists():
    groups = set(re.findall(r'ctx\.(?:first|hits|negated)\("([a-z_]+)"', detector_source()))
    groups |= set(re.findall(r'groups\["([a-z_]+)"\]', detector_source()))
    assert groups, "the detectors read no cue groups?"
    assert groups <= set(load_cues().groups), groups - set(load_cues().groups)


def test_every_shipped_pattern_compiles():
    load_cues().compile_all()  # they otherwise compile on first use


@pytest.mark.parametrize("spec, named", [
    ({"zh": ["好(?:处", "不错"]}, "praise.zh: bad pattern '好(?:处'"),
    ({"en": ["{NOPE} way"]}, "unknown macro {NOPE}"),
])
def test_a_faulty_cue_pattern_is_named(spec, named):
    book = CueBook({"groups": {"praise": spec}})
    with pytest.raises(ValueError, match=re.escape(named)):
        book.compile_all()


def test_every_note_a_detector_gives_has_a_text():
    notes = yaml.safe_load(resources.files("scoring").joinpath("data/notes.yaml").read_text("utf-8"))["notes"]
    src = detector_source()
    used = set(re.findall(r'(?:nothing|span)\([^()]*?"([a-z_]+)"\)', src))
    used |= set(re.findall(r'Finding\((?:True|False|found)[^()]*?"([a-z_]+)"\)', src))
    # fab.py builds its notes as f"fact_{kind}" / f"cue_{kind}".
    used |= {f"{prefix}_{kind}" for prefix in ("fact", "cue") for kind in ("feature", "advantage", "benefit")}
    assert used, "no notes found in the detectors?"
    missing = {u for u in used if u not in notes}
    assert not missing, missing
    for key, texts in notes.items():
        assert texts.get("zh") and texts.get("en"), key


def test_every_turn_check_has_a_detector():
    from scoring.detectors import DETECTORS as table

    cat = load_catalogue()
    assert {c for c, s in cat.checks.items() if s.scope == "turn"} == set(table)


def test_variant_folds_keep_the_length():
    raw = yaml.safe_load(resources.files("scoring").joinpath("data/variants.yaml").read_text("utf-8"))
    for key, value in raw["folds"].items():
        assert len(str(key)) == len(str(value)), key


def load_dev():
    products = yaml.safe_load((DEV / "products.yaml").read_text("utf-8"))
    items = products.get("products", products) if isinstance(products, dict) else products
    by_id = {p["id"]: p for p in items}
    answers = [json.loads(line) for path in sorted(DEV.glob("*.jsonl"))
               for line in path.read_text("utf-8").splitlines() if line.strip()]
    return by_id, answers


@pytest.mark.skipif(not (DEV / "products.yaml").exists(), reason="no labelled development data")
def test_development_figures_do_not_regress():
    """A floor well under today's figures (benchmarks/bench_scoring.py prints them): a change that
    breaks a detector shows here, not only in the benchmark."""
    products, answers = load_dev()
    grader = Grader()
    counts: dict[tuple[str, str], list[int]] = {}
    for item in answers:
        lang = item["lang"]
        facts = from_mapping(products[item["product"]], lang) if item.get("product") in products else None
        results = grader.grade_answer(item["answer"], lang=lang, checks=list(item["labels"]), facts=facts)
        for res in results:
            c = counts.setdefault((res.id, "zh" if lang.startswith("zh") else "en"), [0, 0, 0])
            gold = item["labels"][res.id]
            c[0] += gold and res.passed
            c[1] += (not gold) and res.passed
            c[2] += gold and not res.passed
    for lang in ("zh", "en"):
        f1s = []
        for (check, la), (tp, fp, fn) in counts.items():
            if la == lang and tp + fn:
                f1s.append(2 * tp / (2 * tp + fp + fn))
        assert statistics.mean(f1s) >= 0.85, (lang, statistics.mean(f1s))


def test_no_english_cue_branch_ends_in_a_bare_space():
    """English cues are matched as whole words: a branch that ends in a space can never match
    before the next word (the guard rejects a letter after the match), so it silently finds
    nothing. End such a branch with a lookahead ``(?= )`` instead."""
    from scoring import cues as C

    raw = yaml.safe_load(resources.files("scoring").joinpath("data/cues.yaml").read_text("utf-8"))
    macros = {str(k): str(v) for k, v in (raw.get("macros") or {}).items()}
    dead = []
    for name, spec in (raw.get("groups") or {}).items():
        for source in (spec.get("en") or [], (spec.get("except") or {}).get("en") or []):
            for pattern in source:
                for branch in C._top_level_branches(C._expand(str(pattern), macros)):
                    if re.search(r"(?<!\(\?=) (?:\)\??)?$", branch):
                        dead.append((name, branch[-50:]))
    assert dead == []
