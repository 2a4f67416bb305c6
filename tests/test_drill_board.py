"""The drill board's figures (ranking, pass rates, side by side) from hand-made records, and the
reports: Markdown, CSV (the store's formula safety, BOM, CRLF) and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from roleplay.drill.board import build_board
from roleplay.drill.model import DrillSpec, DrillStep, StoredDrill
from roleplay.drill.report import FORMAT, cell, render, to_csv, to_json, to_markdown
from roleplay.store.records import CheckRecord, SessionRecord, TurnRecord

SPEC = DrillSpec(title="Week 3", lang="zh", seed=7, pass_mark=60, steps=(
    DrillStep("shop", "a" * 64, "/x/shop.yaml", {"zh": "小店", "en": "The shop"}),
    DrillStep("call", "b" * 64, "/x/call.yaml", {"zh": "来电", "en": "The call"}, from_state="ask"),
))
DRILL = StoredDrill("ABCDEF", SPEC, "2026-01-01T00:00:00Z")

_ids = iter(range(1, 10_000))


def turn(i: int, text: str, checks: dict[str, bool], *, customer: str = "你好？", state: str = "greet",
         intent: str | None = "x") -> TurnRecord:
    return TurnRecord(i, state, customer, text, "next", intent,
                      checks=tuple(CheckRecord(c, p, text[:2] if p else None) for c, p in checks.items()))


def session(trainee: str, scenario: str, score: int | None, checks: dict[str, bool], turns=(), *,
            outcome: str = "success", from_state: str | None = None, code: str = "ABCDEF",
            hints: int = 0) -> SessionRecord:
    ended = score is not None
    return SessionRecord(
        id=next(_ids), trainee=trainee, scenario_id=scenario, scenario_hash="h", lang="zh", seed=7,
        started_at="2026-01-01T00:00:00Z", outcome=outcome if ended else "unfinished",
        ended_at="2026-01-01T00:05:00Z" if ended else None, score=score, passed=None if score is None else score >= 60,
        hints_used=hints, from_state=from_state, drill_code=code, turns=tuple(turns),
        checks=tuple(CheckRecord(c, p) for c, p in checks.items()) if ended else ())


def records():
    """Ann 90+70, Bo 70+90 (a tie with Ann), Cy 40 and still playing the call, Di only joined."""
    return [
        session("Ann", "shop", 90, {"etiquette.greeting": True, "etiquette.polite": True},
                [turn(0, "您好，我是小安", {"etiquette.greeting": True, "etiquette.polite": True}),
                 turn(1, "试试吧", {"etiquette.polite": False}, customer="说说看")]),
        session("Ann", "call", 70, {"etiquette.greeting": False, "etiquette.polite": True}, from_state="ask"),
        session("Bo", "shop", 70, {"etiquette.greeting": True, "etiquette.polite": False},
                [turn(0, "你好", {"etiquette.greeting": True, "etiquette.polite": False}),
                 turn(1, "来两箱", {"etiquette.polite": False}, customer="还有呢？")]),
        session("Bo", "call", 90, {"etiquette.greeting": True, "etiquette.polite": True}, from_state="ask",
                hints=1),
        session("Cy", "shop", 40, {"etiquette.greeting": False, "etiquette.polite": False},
                [turn(0, "喂", {"etiquette.greeting": False, "etiquette.polite": False}, intent=None)]),
        session("cy", "call", None, {}, [turn(0, "嗯", {"etiquette.polite": False})], from_state="ask"),
        session("Di", "shop", None, {}),
        # Not this drill, or not one of its steps: ignored.
        session("Ann", "shop", 100, {"etiquette.greeting": True}, code="ZZZZZZ"),
        session("Ann", "call", 100, {"etiquette.greeting": True}, from_state=None),
    ]


@pytest.fixture
def board():
    return build_board(DRILL, records())


class TestRanking:
    def test_order_ties_and_partial_trainees(self, board):
        rows = [(s.rank, s.trainee, s.score, s.passed, s.played, s.status) for s in board.standings]
        assert rows == [
            (1, "Ann", 80, 2, 2, "done"),
            (1, "Bo", 80, 2, 2, "done"),
            (3, "Cy", 20, 0, 1, "playing"),   # the call in progress counts 0
            (4, "Di", 0, 0, 0, "playing"),
        ]
        assert board.done == 2 and board.standing("CY").trainee == "Cy"  # one person, first spelling
        assert board.standings[1].hints_used == 1

    def test_a_trainee_who_left_early_is_stopped(self):
        b = build_board(DRILL, [session("Ed", "shop", 55, {"etiquette.polite": True}, outcome="unfinished")])
        [ed] = b.standings
        assert (ed.status, ed.entries[0].status, ed.score) == ("stopped", "stopped", 28)

    def test_the_latest_scored_session_stands_for_a_scenario(self):
        first = session("Ed", "shop", 30, {"etiquette.polite": False})
        later = session("Ed", "shop", 80, {"etiquette.polite": True})
        stale = session("Ed", "shop", None, {})
        b = build_board(DRILL, [first, later, stale])
        assert b.standings[0].entries[0].session.id == later.id

    def test_nobody_yet(self):
        b = build_board(DRILL, [])
        assert b.standings == () and b.rates == () and b.turns == ((), ())


class TestRates:
    def test_pass_rates_over_played_scenarios_weakest_first(self, board):
        # Played: Ann shop, Ann call, Bo shop, Bo call, Cy shop (Cy's call and Di are not played).
        assert [(r.check_id, r.passed, r.total) for r in board.rates] == [
            ("etiquette.greeting", 3, 5), ("etiquette.polite", 3, 5)]
        shop, call = board.step_rates
        assert {(r.check_id, r.passed, r.total) for r in shop} == {("etiquette.greeting", 2, 3),
                                                                   ("etiquette.polite", 1, 3)}
        assert {(r.check_id, r.passed, r.total) for r in call} == {("etiquette.greeting", 1, 2),
                                                                   ("etiquette.polite", 2, 2)}
        assert shop[0].check_id == "etiquette.polite"  # weakest first
        assert board.rates[0].percent == 60


class TestSideBySide:
    def test_every_answer_of_a_turn_with_best_and_worst(self, board):
        first, second = board.turns[0]
        assert [a.trainee for a in first.answers] == ["Ann", "Bo", "Cy"]  # ranking order
        assert first.same_line
        ann, bo, cy = first.answers
        assert (ann.passed, bo.passed, cy.passed) == (2, 1, 0)
        assert (ann.best, bo.best, bo.worst, cy.worst) == (True, False, False, True)
        assert cy.intent is None
        assert not second.same_line and [a.trainee for a in second.answers] == ["Ann", "Bo"]
        assert not any(a.best or a.worst for a in second.answers)  # both passed none: nothing to mark

    def test_the_scenario_in_progress_shows_its_answers_too(self, board):
        [only] = board.turns[1]
        assert [a.trainee for a in only.answers] == ["Cy"]


class TestReports:
    def test_json_is_the_board_with_a_format_tag(self, board):
        doc = json.loads(to_json(board))
        assert doc["format"] == FORMAT and doc["version"] == 1
        assert doc["drill"]["code"] == "ABCDEF" and doc["drill"]["scenarios"][1]["from"] == "ask"
        assert [r["trainee"] for r in doc["ranking"]] == ["Ann", "Bo", "Cy", "Di"]
        assert doc["ranking"][0]["scenarios"][0]["score"] == 90
        assert doc["check_rates"][0] == {"check": "etiquette.greeting", "passed": 3, "total": 5, "rate": 0.6,
                                         "step": None}
        assert doc["turns"][0][0]["answers"][0]["best"] is True

    def test_csv_has_a_bom_crlf_and_three_tables(self, board):
        text = to_csv(board)
        assert text.startswith("\ufeff") and "\r\n" in text and "\n" not in text.replace("\r\n", "")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        sections = [r[0] for r in rows if len(r) == 1]
        assert sections == ["ranking", "check_rates", "answers"]
        ranking = rows[2:6]
        assert [r[1] for r in ranking] == ["Ann", "Bo", "Cy", "Di"]
        assert ranking[0][-2:] == ["90", "70"] and ranking[2][-2:] == ["40", ""]

    def test_csv_cells_a_spreadsheet_would_run_are_neutralised(self):
        evil = [session("=HYPERLINK(\"x\")", "shop", 50, {"etiquette.polite": True},
                        [turn(0, "+1 call me", {"etiquette.polite": True}, customer="@SUM(A1)")]),
                session("－cmd", "shop", 40, {"etiquette.polite": False})]
        rows = list(csv.reader(io.StringIO(to_csv(build_board(DRILL, evil)).lstrip("\ufeff"))))
        cells = [c for r in rows for c in r]
        assert "'=HYPERLINK(\"x\")" in cells and "'+1 call me" in cells and "'@SUM(A1)" in cells
        assert "'－cmd" in cells
        assert not any(c[:1] in "=+-@" for c in cells if c)

    @pytest.mark.parametrize("lang, words", [("en", ["# Drill report: Week 3", "## Ranking", "| 1 | Ann | 80 |",
                                                     "`etiquette.greeting`", "#### Turn 1", "Customer: 你好？",
                                                     "best", "worst"]),
                                             ("zh", ["# 演练报告：Week 3", "## 排名", "#### 第 1 轮", "最佳"])])
    def test_markdown_in_either_language(self, board, lang, words):
        text = to_markdown(board, lang)
        for word in words:
            assert word in text, word

    def test_markdown_cells_cannot_break_the_table(self):
        assert cell("a|b\nc") == "a\\|b c"
        assert cell("**x**") == "\\*\\*x\\*\\*"
        assert cell("a\x1b[2Jb\u202ec") == "a\\x1b\\[2Jb\\u202ec"
        b = build_board(DRILL, [session("x|y", "shop", 50, {"etiquette.polite": True},
                                        [turn(0, "line|one\nline two", {"etiquette.polite": True})])])
        text = render(b, "md", ui_lang="en")
        row = next(line for line in text.splitlines() if line.startswith("| x"))
        assert row.count(" | ") == 4 and "line\\|one line two" in row

    def test_markdown_defaults_to_the_drill_language_and_unknown_formats_fail(self, board):
        assert render(board, "md").startswith("# 演练报告")
        with pytest.raises(ValueError):
            render(board, "xlsx")
