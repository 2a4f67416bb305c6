"""``roleplay rubrics [--json]``: every check of the catalogue with its rubric, texts, kind, scope, weight."""

from __future__ import annotations

import json

from roleplay.cli import main
from scoring.catalogue import load_catalogue


def test_rubrics_json_lists_every_check(capsys):
    assert main(["rubrics", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    cat = load_catalogue()
    assert [row["id"] for row in rows] == list(cat.checks)
    for row in rows:
        spec = cat.checks[row["id"]]
        assert row["rubric"] == spec.rubric
        assert row["kind"] == spec.kind and row["scope"] == spec.scope
        assert set(row["describes"]) == {"zh", "en"} and all(row["describes"].values())
        assert row["weight"] > 0


def test_rubrics_table_shows_ids_and_both_languages(capsys):
    assert main(["rubrics"]) == 0
    out = capsys.readouterr().out
    for check_id in load_catalogue().checks:
        assert check_id in out
    assert "用客户的语言说出客户得到的利益" in out and "says what the customer gains" in out


def test_rubrics_one_language(capsys):
    assert main(["rubrics", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "says what the customer gains" in out and "用客户的语言" not in out


def test_every_check_has_feedback_and_weight():
    for spec in load_catalogue().checks.values():
        for verdict in ("pass", "miss"):
            for lang in ("zh", "en"):
                assert spec.feedback[verdict][lang].strip(), (spec.id, verdict, lang)
        assert spec.weight > 0
