"""A trainee's drill results: the drill score, each scenario, and the rank so far.

In hot-seat mode the next trainee takes the keyboard from here; otherwise the trainee can look
at the board or quit.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Static

from roleplay.tui.localized import relabel_bindings
from roleplay.tui.widgets.keybar import KeyBar
from roleplay.tui.screens.drill_common import DrillContext, drill_words, shown
from roleplay.tui.text import local


class DrillDoneScreen(Screen[str]):
    """Dismisses with ``next`` (hot-seat), ``board`` or ``quit``."""

    CSS_PATH = "drill_done.tcss"
    BINDINGS = [
        Binding("f4", "choose('board')", "common.board"),
        Binding("escape", "choose('next')", "common.leave"),
    ]

    def __init__(self, context: DrillContext, attempt: Any) -> None:
        super().__init__()
        self.context = context
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="page"):
            yield Static(id="score")
            yield Static(id="steps")
            yield Static(id="rank")
            with Horizontal(id="buttons"):
                yield Button(id="next", variant="primary")
                yield Button(id="board")
                yield Button(id="quit")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.attempt.trainee not in self.context.played:
            self.context.played.append(self.attempt.trainee)
        self.query_one("#next", Button).display = self.context.hot_seat
        self.relabel()
        self.query_one("#next" if self.context.hot_seat else "#board", Button).focus()
        self.load_rank()

    def relabel(self) -> None:
        t, ui = drill_words(self.app), self.app.ui_lang
        relabel_bindings(self, t)
        self.sub_title = t("done.title")
        a = self.attempt
        played = a.played()
        self.query_one("#score", Static).update(
            f"[b]{escape(t('done.well_done', name=a.trainee, score=a.score()))}[/b]\n"
            f"{escape(t('done.summary', passed=sum(r.passed for r in played), total=len(a.results)))}")
        lines = []
        for i, scenario in enumerate(self.context.drill.scenarios):
            r = a.results[i]
            title = escape(shown(local(scenario.title, ui)))
            if r is None:
                lines.append(f"  {i + 1}. {title}: -")
                continue
            verdict = t("common.passed") if r.passed else t("common.not_passed")
            colour = "$success" if r.passed else "$error"
            lines.append(f"  {i + 1}. {title}: {r.score} [{colour}]{escape(verdict)}[/] "
                         f"[dim]({escape(t(f'common.outcome.{r.outcome}'))})[/dim]")
        self.query_one("#steps", Static).update("\n".join(lines))
        self.query_one("#next", Button).label = t("done.next_trainee")
        self.query_one("#board", Button).label = t("done.show_board")
        self.query_one("#quit", Button).label = t("done.quit")

    @work(group="rank", exclusive=True)
    async def load_rank(self) -> None:
        """The trainee's rank among those who have played so far (read on the store's thread)."""
        from roleplay.drill import DrillError, load_board
        from roleplay.store import StoreError

        code = self.context.drill.code
        try:
            board = await self.context.store_thread().run(lambda store: load_board(store, code))
        except (DrillError, StoreError) as exc:
            self.query_one("#rank", Static).update(f"[dim]{escape(str(exc))}[/dim]")
            return
        standing = board.standing(self.attempt.trainee)
        if standing is not None:
            self.query_one("#rank", Static).update(
                drill_words(self.app)("done.rank", rank=standing.rank, count=len(board.standings)))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "quit")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
