"""Folding keeps every offset an offset in the trainee's own words; the T->S table is zhconv's."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from scoring.text import MAX_ANALYSED, analyse, fold, length_units


@pytest.mark.parametrize("text", [
    "我哋技術支援部會盡快聯絡您，呢部機唔使排隊",
    "ＨＥＬＬＯ，　您好！我是联印的小李。",
    "a\x00b\x1b[31m红色\u200b\ud800x",
    "İstanbul ÇOK güzel",
    "这个 model 的 battery 很耐用",
])
def test_fold_keeps_the_length(text):
    assert len(fold(text)) == len(text)


def test_fold_reads_traditional_cantonese_and_full_width():
    assert fold("我哋技術支援部會盡快聯絡您") == "我们技术支持部会尽快联系您"
    assert fold("ＨＥＬＬＯ，您好！") == "hello,您好!"
    assert fold("呢部機唔使排隊") == "这部机不用排队"


def test_fold_turns_control_characters_into_spaces():
    assert fold("a\x00b\x07c\x1b") == "a b c "
    assert fold("x\ud800y") == "x y"


def test_clauses_and_evidence_point_at_the_original():
    text = "王经理，您好！　我是联印的小李。"
    a = analyse(text, "zh")
    ev = a.evidence(text.index("我是"), text.index("我是") + 2)
    assert ev.text == "我是联印的小李"
    assert text[ev.start:ev.end] == ev.text


def test_long_answers_are_analysed_on_their_head_but_measured_whole():
    text = "好" * 10_000
    a = analyse(text, "zh")
    assert len(a.folded) == MAX_ANALYSED
    assert a.truncated
    assert a.units == 10_000
    assert length_units("I am here to help you") == 6


def test_shipped_t2s_table_equals_a_fresh_build_from_zhconv():
    from scoring.t2s import build_table

    raw = json.loads(resources.files("scoring").joinpath("data/t2s.json").read_text("utf-8"))
    assert dict(zip(raw["trad"], raw["simp"])) == build_table()
