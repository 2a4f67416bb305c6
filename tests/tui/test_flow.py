"""The whole flow a new hire goes through: pick, plan, play (typed, pasted, Chinese and English),
hint, finish, scorecard with evidence, review and diary, and the session in progress."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import DataTable, Input, TextArea

from roleplay.tui.screens.home import HomeScreen
from roleplay.tui.screens.plan import PlanScreen
from roleplay.tui.screens.play import PlayScreen
from roleplay.tui.screens.progress import ProgressScreen
from roleplay.tui.screens.scorecard import ScorecardScreen
from roleplay.tui.widgets.chat import ChatLog
from roleplay.tui.widgets.checklist import Checklist

PRINTER_ZH = [
    "您好，这里是联印销售部，我是小李，请问有什么可以帮您？",
    "王经理，真不好意思。维修由我们技术支持部负责，请您拨打技术支持热线400-820-0000。",
    "请您留下联系电话，告诉我大致什么故障，我们的工程师会尽快与您联系。",
]


async def _open(pilot, scenario_id: str) -> None:
    await pilot.press("slash")
    pilot.app.screen.query_one("#search", Input).value = scenario_id
    await pilot.pause()
    await pilot.press("enter", "enter")  # leave the search box, then practise
    await pilot.pause()


async def _say(pilot, text: str, *, paste: bool = False) -> None:
    answer = pilot.app.screen.query_one("#answer", Input)
    if paste:
        answer.post_message(events.Paste(text))
        await pilot.pause()
    else:
        await pilot.press(*text) if text.isascii() else answer.insert_text_at_cursor(text)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class TestPlaying:
    async def test_chinese_role_play_to_scorecard_with_evidence(self, make_app):
        app = make_app("zh")
        async with app.run_test(size=(100, 32)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            assert isinstance(app.screen, PlayScreen)
            await app.workers.wait_for_complete()
            await pilot.pause()
            chat = app.screen.query_one(ChatLog)
            assert chat.lines()[0][0] == "customer"
            await _say(pilot, PRINTER_ZH[0])
            await _say(pilot, PRINTER_ZH[1], paste=True)
            assert app.screen.query_one(Checklist).statuses()["scope.routes_to_support"] is True
            await _say(pilot, PRINTER_ZH[2])
            assert isinstance(app.screen, PlayScreen)  # the customer's last words stay on screen
            assert chat.lines()[-2][0] == "customer" and chat.lines()[-1][0] == "system"
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ScorecardScreen)
            card = app.screen
            assert card.result.outcome == "success"
            greeting = card.result.grade.check("etiquette.greeting")
            assert greeting.passed and greeting.evidence.text in PRINTER_ZH[0]
            assert "得分" in str(card.query_one("#verdict").render())

    async def test_english_answers_typed_key_by_key(self, make_app):
        app = make_app("en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await app.workers.wait_for_complete()
            await _say(pilot, "Good morning, UniPrint sales, this is Li. How can I help you?")
            turns = app.screen.ps.session.turns
            assert turns and turns[0].intent == "greet_and_offer_help"

    async def test_hint_is_shown_recorded_and_costs_points(self, make_app):
        app = make_app("en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await app.workers.wait_for_complete()
            await pilot.press("f1")
            await pilot.pause()
            notes = [text for role, text in app.screen.query_one(ChatLog).lines() if role == "system"]
            assert notes and notes[-1].startswith("Hint")
            await _say(pilot, "Good morning, UniPrint sales, how can I help you?")
            assert app.screen.ps.session.turns[0].hinted

    async def test_control_characters_and_huge_paste_do_not_break_anything(self, make_app):
        app = make_app("en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await app.workers.wait_for_complete()
            await _say(pilot, "\x1b[31mhello\x07\nsecond line " + "very long answer " * 800, paste=True)
            assert isinstance(app.screen, PlayScreen)
            [turn] = app.screen.ps.session.turns
            assert turn.trainee.startswith("[31mhello second line very long answer")

    async def test_finish_early_then_review_and_diary_are_saved(self, make_app):
        app = make_app("en")
        async with app.run_test(size=(100, 32)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await app.workers.wait_for_complete()
            await _say(pilot, "Hello, UniPrint sales.")
            await pilot.press("f10")
            await app.workers.wait_for_complete()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ScorecardScreen)
            app.screen.query_one("#review", TextArea).text = "I should route to support sooner."
            await pilot.press("ctrl+s", "ctrl+d")
            await app.workers.wait_for_complete()
            record = app.practice.store.session(app.screen.ps.store_id)
            assert record.review == "I should route to support sooner."
            assert record.diary and "Work done" in record.diary
            assert record.outcome == "unfinished" and record.score is not None


class TestPlan:
    async def test_plan_is_kept_with_the_session(self, make_app):
        app = make_app("en", plan=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            assert isinstance(app.screen, PlanScreen)
            app.screen.query_one("#goal", Input).value = "route the call properly"
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen)
            await _say(pilot, "Hello, UniPrint sales, how can I help?")
            record = app.practice.store.session(app.screen.ps.store_id)
            assert record.plan["goal"] == "route the call properly"

    async def test_escape_skips_the_plan(self, make_app):
        app = make_app("en", plan=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen) and app.screen.plan is None


class TestLeavingAndProgress:
    async def test_leave_keeps_an_unfinished_session_then_progress_shows_it(self, make_app):
        app = make_app("en")
        async with app.run_test(size=(100, 32)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await app.workers.wait_for_complete()
            await _say(pilot, "Hello, UniPrint sales.")
            await pilot.press("escape")  # asks first
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("p")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, ProgressScreen)
            assert app.screen.query_one("#sessions", DataTable).row_count == 1

    async def test_restart_discards_the_attempt(self, make_app):
        app = make_app("en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await app.workers.wait_for_complete()
            await _say(pilot, "Hello, UniPrint sales.")
            await pilot.press("f5", "y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen) and not app.screen.ps.session.turns
            assert len(app.practice.store.sessions()) == 1  # the discarded one is gone


class TestNoSave:
    async def test_practice_runs_without_a_store(self, make_app):
        app = make_app("en", save=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await app.workers.wait_for_complete()
            await _say(pilot, "Hello, UniPrint sales, how can I help?")
            assert app.screen.ps.store_id is None and app.screen.ps.session.turns


class TestResume:
    async def test_unfinished_session_resumes_from_progress(self, make_app):
        app = make_app("zh")
        async with app.run_test(size=(100, 32)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await app.workers.wait_for_complete()
            await _say(pilot, PRINTER_ZH[0])
            await pilot.press("escape", "y")
            await pilot.pause()
            await pilot.press("p")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen) and app.screen.resume is not None
            lines = app.screen.query_one(ChatLog).lines()
            assert ("trainee", PRINTER_ZH[0]) in lines
            await _say(pilot, PRINTER_ZH[1])
            record = app.practice.store.session(app.screen.resume)
            assert [t.trainee for t in record.turns] == PRINTER_ZH[:2]

    async def test_discard_from_progress(self, make_app):
        app = make_app("en")
        async with app.run_test(size=(100, 32)) as pilot:
            await _open(pilot, "printer-out-of-scope")
            await app.workers.wait_for_complete()
            await _say(pilot, "Hello, UniPrint sales.")
            await pilot.press("escape", "y")
            await pilot.pause()
            await pilot.press("p")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("d", "y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.practice.store.sessions() == []
