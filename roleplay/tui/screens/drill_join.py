"""Joining a drill: the drill's rules, then the trainee's name.

Opened by ``roleplay drill join CODE`` (with ``--trainee`` the name is filled in and joined at
once). In hot-seat mode (``--hot-seat``) the screen comes back after each trainee, asking the next
one's name, so a team can take turns at one terminal. A name already on the board is not taken
over silently: the trainee is asked whether it is them, and only then continues (resume).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Input, Static

from roleplay.drill.model import MAX_NAME_CHARS
from roleplay.tui.localized import relabel_bindings
from roleplay.tui.widgets.keybar import KeyBar
from roleplay.tui.screens.drill_common import DrillContext, drill_words, rules_text


class DrillJoinScreen(Screen[None]):
    """The drill's rules and the name field."""

    CSS_PATH = "drill_join.tcss"
    BINDINGS = [
        Binding("f4", "board", "common.board"),
        Binding("escape", "leave", "common.leave"),
    ]

    def __init__(self, context: DrillContext) -> None:
        super().__init__()
        self.context = context
        self._busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="page"):
            yield Static(id="heading")
            yield Static(id="rules")
            yield Static(id="hot-seat")
            with Vertical(id="form"):
                yield Static(id="name-label")
                yield Input(id="name", max_length=MAX_NAME_CHARS)
                yield Static(id="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.relabel()
        name = self.query_one("#name", Input)
        name.focus()
        if self.context.trainee and not self.context.hot_seat:
            name.value = self.context.trainee
            self.join(self.context.trainee, resume=self.context.resume)

    def relabel(self) -> None:
        t, ui = drill_words(self.app), self.app.ui_lang
        relabel_bindings(self, t)
        drill = self.context.drill
        self.sub_title = t("join.title")
        self.query_one("#heading", Static).update(
            f"[b]{escape(drill.spec.title)}[/b]\n[dim]{escape(t('common.code', code=drill.code))}[/dim]")
        self.query_one("#rules", Static).update(rules_text(t, drill, ui))
        hot = self.query_one("#hot-seat", Static)
        hot.display = self.context.hot_seat
        if self.context.hot_seat:
            played = self.context.played
            names = t("join.played_by", names=", ".join(played)) if played else t("join.nobody_yet")
            hot.update(f"{escape(t('join.hot_seat'))}\n[dim]{escape(names)}[/dim]")
        self.query_one("#name-label", Static).update(t("join.name"))
        self.query_one("#name", Input).placeholder = t("join.name_placeholder")

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(f"[$error]{escape(message)}[/]")

    @on(Input.Submitted, "#name")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.join(event.value)

    @work(group="join", exclusive=True)
    async def join(self, name: str, resume: bool = False) -> None:
        """Join in the store's thread; a taken name asks whether it is the same person."""
        from roleplay.drill import DrillError, NameTaken, join
        from roleplay.store import StoreError
        from roleplay.tui.screens.confirm import Confirm

        if self._busy:
            return
        self._busy = True
        t = drill_words(self.app)
        self.query_one("#error", Static).update(f"[dim]{escape(t('join.joining'))}[/dim]")
        ctx = self.context
        try:
            attempt = await ctx.store_thread().run(
                lambda store: join(ctx.drill, ctx.library, store, name, resume=resume))
        except NameTaken:
            self._busy = False
            self.query_one("#error", Static).update("")
            typed = " ".join(name.split())
            if await self.app.push_screen_wait(Confirm(t("join.taken", name=typed))):
                self.join(name, resume=True)
            else:
                self.query_one("#name", Input).focus()
            return
        except (DrillError, StoreError) as exc:
            self._busy = False
            self.show_error(str(exc))
            return
        self._busy = False
        self.query_one("#error", Static).update("")
        self.query_one("#name", Input).value = ""
        self.play(attempt)

    def play(self, attempt) -> None:  # attempt: roleplay.drill.Attempt
        from roleplay.tui.screens.drill_play import DrillPlayScreen

        self.app.push_screen(DrillPlayScreen(self.context, attempt), callback=self._after)

    def _after(self, choice: str | None) -> None:
        """Back from a trainee's drill: ``next`` trainee, the ``board``, or ``quit``."""
        if choice == "board":
            self.action_board()
        elif choice == "quit" or (choice in (None, "next") and not self.context.hot_seat
                                  and self.context.exit_on_leave):
            self.app.exit()
        else:
            self.relabel()
            self.query_one("#name", Input).focus()

    def action_board(self) -> None:
        from roleplay.tui.screens.board import BoardScreen

        self.app.push_screen(BoardScreen(self.context.db, self.context.drill.code))

    def action_leave(self) -> None:
        if self.context.exit_on_leave:
            self.app.exit()
        else:
            self.app.pop_screen()

    def on_unmount(self) -> None:
        self.context.close()
