"""The live drill board, driven by Textual's pilot: it reads the store off the UI thread, updates
while trainees finish, shows the ranking, pass rates and answers side by side."""

from __future__ import annotations

import pytest
from textual.css.query import NoMatches
from textual.widgets import DataTable, Static, TabbedContent

from roleplay.drill import create_drill, join, load_drill, open_drill, play_lines
from roleplay.practice import Practice
from roleplay.scenario.library import Library
from roleplay.store import Store
from roleplay.tui.app import AppConfig, build_app
from roleplay.tui.screens.board import AnswerCard, BoardScreen
from test_drill import GOOD_CALL, GOOD_SHOP, WEAK_CALL, WEAK_SHOP, write_drill, write_scenarios


async def until(pilot, predicate, tries: int = 500) -> None:
    """Let the app run until ``predicate()`` holds (bounded; not a timing assertion).

    A widget the predicate asks for may not be mounted yet (a screen still being built on a busy
    machine): that counts as "not yet", not as a failure.
    """
    for _ in range(tries):
        try:
            if predicate():
                return
        except NoMatches:
            pass  # the screen is still being composed; look again after a pause
        await pilot.pause(0.02)
    assert predicate()


@pytest.fixture
def drill(tmp_path):
    """A drill in a fresh record, with Ann's answers already in."""
    library = Library.discover([write_scenarios(tmp_path / "scenarios")], builtin=False, user=False)
    spec, _ = load_drill(write_drill(tmp_path), library)
    db = str(tmp_path / "team.db")
    with Store.open(db) as store:
        opened = open_drill(store, library, create_drill(store, spec).code)
        play_lines(join(opened, library, store, "Ann"), GOOD_SHOP + GOOD_CALL)
    return db, opened, library


def board_app(db: str, code: str, ui_lang: str = "en"):
    config = AppConfig(db=db, ui_lang=ui_lang, plan=False, user=False,
                       extra={"start_screen": lambda app: BoardScreen(db, code, poll_seconds=0.1)})
    return build_app(config, Practice(Library(), None, "trainer", ""))


def rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_board_updates_while_trainees_finish(drill):
    db, opened, library = drill
    app = board_app(db, opened.code)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        await until(pilot, lambda: screen.loads >= 1)
        assert [r[:3] for r in rows(screen.query_one("#ranking", DataTable))] == [["1", "Ann", "100"]]
        assert "1 of 1 trainees done" in str(screen.query_one("#heading", Static).render())

        # Bo plays in another connection (as another process would); the board notices.
        with Store.open(db) as store:
            attempt = join(opened, library, store, "Bo")
            play_lines(attempt, WEAK_SHOP)
        await until(pilot, lambda: screen.board is not None and len(screen.board.standings) == 2)
        await pilot.pause()
        table = rows(screen.query_one("#ranking", DataTable))
        assert [r[1] for r in table] == ["Ann", "Bo"]
        assert table[1][6] == "stopped" and table[1][8] == "-"  # Bo left after the first scenario
        rates = rows(screen.query_one("#rates", DataTable))
        assert rates and all("%" in r[3] for r in rates)
        assert [r[0] for r in rates] == [r.check_id for r in screen.board.rates]


async def test_answers_side_by_side_with_best_and_worst(drill):
    db, opened, library = drill
    with Store.open(db) as store:
        play_lines(join(opened, library, store, "Bo"), WEAK_SHOP + WEAK_CALL)
    app = board_app(db, opened.code)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.loads >= 1)
        await pilot.press("right_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "tab-answers"
        cards = list(screen.query(AnswerCard))
        assert len(cards) == 2
        assert cards[0].has_class("best") and cards[1].has_class("worst")
        text = str(cards[0].render())
        assert "Ann" in text and GOOD_SHOP[0] in text and "etiquette.greeting" in text
        assert "Customer" in str(screen.query_one("#customer", Static).render())
        await pilot.press("s")
        await pilot.pause()
        assert screen.step == 1 and "Scenario 2/2" in str(screen.query_one("#turn-label", Static).render())
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        assert screen.turn == 2  # Bo's third answer: Ann's call ended after two


async def test_words_follow_the_interface_language(drill):
    db, opened, _ = drill
    app = board_app(db, opened.code, ui_lang="zh")
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.loads >= 1)
        assert "1 位学员中 1 位已完成" in str(screen.query_one("#heading", Static).render())
        await pilot.press("f2")
        await pilot.pause()
        assert "1 of 1 trainees done" in str(screen.query_one("#heading", Static).render())
        assert str(screen.query_one(TabbedContent).get_tab("tab-ranking").label) == "Ranking"


async def test_an_unreadable_record_is_said_on_the_board(tmp_path):
    app = board_app(str(tmp_path / "missing.db"), "ABCDEF")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.loads >= 1)
        assert "does not exist yet" in str(screen.query_one("#heading", Static).render())


async def test_the_board_says_when_a_drill_is_closed(drill):
    db, opened, _ = drill
    with Store.open(db, clock=lambda: "2026-11-27T10:45:00Z") as store:
        store.close_drill(opened.code)
    app = board_app(db, opened.code)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.loads >= 1)
        assert "Closed to new trainees since 2026-11-27 10:45:00Z" in str(screen.query_one("#heading", Static).render())
