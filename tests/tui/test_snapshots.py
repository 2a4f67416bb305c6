"""Snapshot tests: how the main screens look at 80x24 and 120x40.

They use the frozen fixture library (tests/fixtures/tui) and, for the scorecard, a scorer with
fixed verdicts, so a picture changes only when the interface does. Update them with
``pytest tests/tui/test_snapshots.py --snapshot-update`` after checking the new pictures.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from scoring.grader import Grader
from scoring.results import CheckResult, Evidence


class FixedGrader(Grader):
    """The real session rules over fixed per-answer verdicts: every other check passes, with the
    answer's first four characters as evidence."""

    def grade_answer(self, answer, *, lang, checks, facts=None, customer=None):
        return tuple(
            CheckResult(check, i % 2 == 0, Evidence(0, min(4, len(answer)), answer[:4]) if i % 2 == 0 else None,
                        feedback="" if i % 2 == 0 else f"feedback for {check}")
            for i, check in enumerate(checks)
        )


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, make_app, size):
    """The library list on the left with the first scenario highlighted; its title, summary,
    customer, difficulty, tags and languages on the right; 'Recommended next' and 'No results
    yet' below; the footer shows Enter, /, p, r, ^q and f2."""
    assert snap_compare(make_app("en", frozen=True), terminal_size=size)


def test_home_in_chinese(snap_compare, make_app):
    """The same screen with every label in Chinese, and the footer's f2 offering English."""
    assert snap_compare(make_app("zh", frozen=True), terminal_size=(80, 24))


def test_plan(snap_compare, make_app):
    """The pre-visit plan: goal, questions and answers, materials, and the two buttons."""

    async def open_plan(pilot):
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app("en", frozen=True, plan=True), terminal_size=(80, 24), run_before=open_plan)


@pytest.mark.parametrize("size", SIZES)
def test_play_opening(snap_compare, make_app, size):
    """The customer's first line in a chat bubble, the answer box below it, and on the right the
    customer's name and role, patience and interest meters, and the checklist all at '-'."""

    async def start(pilot):
        pilot.app.screen.query_one("#search", Input).value = "printer"
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app("zh", frozen=True, grader=FixedGrader()), terminal_size=size, run_before=start)


def test_scorecard(snap_compare, make_app):
    """After two answers and F10: the score line with pass/fail and pass mark, the Checks tab
    listing misses first with their feedback and passes with the trainee's words highlighted."""

    async def play(pilot):
        pilot.app.screen.query_one("#search", Input).value = "printer"
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.app.workers.wait_for_complete()
        for line in ("您好，这里是联印销售部", "请您拨打技术支持热线"):
            pilot.app.screen.query_one("#answer", Input).value = line
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
        await pilot.press("f10")
        await pilot.app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app("zh", frozen=True, grader=FixedGrader()), terminal_size=(100, 32), run_before=play)
