"""Joining and playing a drill in the app, driven by Textual's pilot: hot-seat turns at one
terminal, a taken name confirmed before resuming, the drill's time limit and hint rule."""

from __future__ import annotations

import re
import time

import pytest
from textual.widgets import Input, Static

from roleplay.drill import create_drill, load_drill, open_drill
from roleplay.practice import Practice
from roleplay.scenario.library import Library
from roleplay.store import Store
from roleplay.tui.app import AppConfig, build_app
from roleplay.tui.screens.board import BoardScreen
from roleplay.tui.screens.confirm import Confirm
from roleplay.tui.screens.drill_common import DrillContext
from roleplay.tui.screens.drill_done import DrillDoneScreen
from roleplay.tui.screens.drill_join import DrillJoinScreen
from roleplay.tui.screens.drill_play import DrillPlayScreen
from roleplay.tui.widgets.chat import ChatLog
from test_drill import DRILL, GOOD_CALL, GOOD_SHOP, write_drill, write_scenarios
from tui.test_drill_board import until


@pytest.fixture
def make(tmp_path):
    """Build the app on a drill's join screen; ``extra`` lines are added to the drill file."""
    library = Library.discover([write_scenarios(tmp_path / "scenarios")], builtin=False, user=False)
    db = str(tmp_path / "team.db")

    def build(extra: str = "", **context):
        spec, problems = load_drill(write_drill(tmp_path, DRILL + extra, f"d{len(extra)}.yaml"), library)
        assert spec is not None, problems
        with Store.open(db) as store:
            drill = open_drill(store, library, create_drill(store, spec).code)
        ctx = DrillContext(db=db, drill=drill, library=library, **context)
        config = AppConfig(db=db, ui_lang="en", plan=False, user=False,
                           extra={"start_screen": lambda app: DrillJoinScreen(ctx)})
        return build_app(config, Practice(library, None, "x", "")), ctx

    return build


async def type_name(pilot, name: str) -> None:
    pilot.app.screen.query_one("#name", Input).value = name
    await pilot.press("enter")


async def answer(pilot, text: str) -> None:
    screen = pilot.app.screen
    count = len(screen.query_one(ChatLog).lines())
    screen.query_one("#answer", Input).value = text
    await pilot.press("enter")
    await until(pilot, lambda: len(screen.query_one(ChatLog).lines()) > count + 1 or screen._step_over)


async def play_through(pilot, lines_per_step: list[list[str]]) -> None:
    for lines in lines_per_step:
        await until(pilot, lambda: isinstance(pilot.app.screen, DrillPlayScreen)
                    and not pilot.app.screen.query_one("#answer", Input).disabled)
        for line in lines:
            await answer(pilot, line)
        screen = pilot.app.screen
        await until(pilot, lambda: screen._step_over)
        await pilot.click("#next")


async def test_hot_seat_trainees_take_turns_and_a_taken_name_is_confirmed(make):
    app, ctx = make(hot_seat=True)
    async with app.run_test(size=(110, 32)) as pilot:
        join_screen = app.screen
        assert isinstance(join_screen, DrillJoinScreen)
        assert "Hot-seat" in str(join_screen.query_one("#hot-seat", Static).render())
        await type_name(pilot, "Ann")
        await play_through(pilot, [GOOD_SHOP, GOOD_CALL])
        await until(pilot, lambda: isinstance(app.screen, DrillDoneScreen))
        done = app.screen
        await until(pilot, lambda: "Rank 1 of 1" in str(done.query_one("#rank", Static).render()))
        assert "Ann, your drill score: 100 / 100" in str(done.query_one("#score", Static).render())
        await pilot.click("#next")
        await until(pilot, lambda: app.screen is join_screen)
        assert "Played so far: Ann" in str(join_screen.query_one("#hot-seat", Static).render())

        # The next trainee types a name already on the board: asked, and "no" keeps Ann's results.
        await type_name(pilot, "ann")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "already on the board" in str(app.screen.query_one("#question", Static).render())
        await pilot.press("n")
        await until(pilot, lambda: app.screen is join_screen)
        await type_name(pilot, "Bo")
        await until(pilot, lambda: isinstance(app.screen, DrillPlayScreen))
        chat = app.screen.query_one(ChatLog)
        assert [role for role, _ in chat.lines()] == ["customer"]  # Bo's own, fresh conversation
        await play_through(pilot, [GOOD_SHOP])
        await until(pilot, lambda: isinstance(app.screen, DrillPlayScreen) and not app.screen._step_over)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(pilot, lambda: app.screen is join_screen)
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.board is not None)
        assert [s.trainee for s in app.screen.board.standings] == ["Ann", "Bo"]
        assert app.screen.board.standings[1].status == "playing"  # Bo left mid-drill: resumable

    with Store.open(ctx.db, readonly=True) as store:
        assert {s.trainee for s in store.sessions(drill_code=ctx.drill.code)} == {"Ann", "Bo"}


async def test_yes_to_a_taken_name_resumes_that_trainee(make):
    app, ctx = make(hot_seat=True)
    async with app.run_test(size=(110, 32)) as pilot:
        await type_name(pilot, "Ann")
        await until(pilot, lambda: isinstance(app.screen, DrillPlayScreen))
        await answer(pilot, GOOD_SHOP[0])
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, DrillJoinScreen))
        await type_name(pilot, "ANN")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, DrillPlayScreen)
                    and len(app.screen.query_one(ChatLog).lines()) >= 4)
        lines = app.screen.query_one(ChatLog).lines()
        assert ("trainee", GOOD_SHOP[0]) in lines and "Welcome back, Ann" in lines[-1][1]
        await answer(pilot, GOOD_SHOP[1])
        await until(pilot, lambda: app.screen._step_over)
        assert "Scenario over: success" in app.screen.query_one(ChatLog).lines()[-1][1]
    with Store.open(ctx.db, readonly=True) as store:
        shop = store.sessions(drill_code=ctx.drill.code, scenario_id="drill-shop", full=True)
        assert len(shop) == 1 and [t.trainee for t in shop[0].turns] == GOOD_SHOP


async def test_the_name_from_the_command_line_joins_at_once(make):
    app, _ = make(trainee="Cy")
    async with app.run_test(size=(110, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DrillPlayScreen) and app.screen.sub_title)
        assert "Cy" in app.screen.sub_title
        assert "Scenario 1/2" in str(app.screen.query_one("#step", Static).render())


async def test_a_bad_name_is_said_on_the_join_screen(make):
    app, _ = make()
    async with app.run_test(size=(110, 32)) as pilot:
        await type_name(pilot, "Li\x07")
        await until(pilot, lambda: "control characters" in str(app.screen.query_one("#error", Static).render()))
        assert isinstance(app.screen, DrillJoinScreen)


async def test_no_hints_when_the_drill_forbids_them(make):
    app, _ = make("hints: false\n", trainee="Cy")
    async with app.run_test(size=(110, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DrillPlayScreen)
                    and not app.screen.query_one("#answer", Input).disabled)
        screen = app.screen
        assert screen.check_action("hint", ()) is False
        assert "f1" not in {b.binding.key for b in screen.active_bindings.values() if b.binding.show}
        join_screen = next(s for s in app.screen_stack if isinstance(s, DrillJoinScreen))
        assert "No hints in this drill." in str(join_screen.query_one("#rules", Static).render())
        await pilot.press("f1")
        await pilot.pause()
        assert not any("Hint" in text for _, text in screen.query_one(ChatLog).lines())


async def test_hints_when_allowed_cost_points(make):
    app, ctx = make(trainee="Cy")
    async with app.run_test(size=(110, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DrillPlayScreen)
                    and not app.screen.query_one("#answer", Input).disabled)
        await pilot.press("f1")
        await until(pilot, lambda: any("Hint (costs points)" in t for _, t in app.screen.query_one(ChatLog).lines()))


async def test_when_time_runs_out_the_typed_answer_is_sent_else_the_scenario_ends(make):
    app, ctx = make("time_limit: 60\n", trainee="Cy")
    async with app.run_test(size=(110, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DrillPlayScreen)
                    and not app.screen.query_one("#answer", Input).disabled)
        screen = app.screen
        await until(pilot, lambda: "Time left" in str(screen.query_one("#timer", Static).render()))
        assert re.search(r"Time left: (60|59|58) s", str(screen.query_one("#timer", Static).render()))
        screen.query_one("#answer", Input).value = GOOD_SHOP[0]
        screen._deadline = time.monotonic() - 1  # as if the minute had passed
        await until(pilot, lambda: any("sent as typed" in t for _, t in screen.query_one(ChatLog).lines()))
        await until(pilot, lambda: screen.query_one("#answer", Input).value == ""
                    and ("trainee", GOOD_SHOP[0]) in screen.query_one(ChatLog).lines()
                    and screen._deadline is not None)
        screen._deadline = time.monotonic() - 1  # and now with nothing typed
        await until(pilot, lambda: screen._step_over)
        assert any(t == "Time is up." for _, t in screen.query_one(ChatLog).lines())
    with Store.open(ctx.db, readonly=True) as store:
        [shop] = store.sessions(drill_code=ctx.drill.code, scenario_id="drill-shop", full=True)
        assert shop.outcome == "unfinished" and shop.score is not None and len(shop.turns) == 1
