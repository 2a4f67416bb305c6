"""A trainee playing a drill: its scenarios one after another, under the drill's rules.

Like the practice screen, the screen judges nothing itself: answers go to the drill ``Attempt``
on the store's thread (engine, scorer, store) and the screen shows what comes back. The drill's
rules show here: the scenario number, a countdown when the drill has a time limit per answer,
and no hint key when hints are off.

When time runs out, what the trainee has typed is sent as the answer; with nothing typed the
scenario ends there and is scored as it stands. Leaving keeps every answer: joining again with
the same name continues where the trainee stopped.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from roleplay.tui.localized import relabel_bindings
from roleplay.tui.widgets.keybar import KeyBar
from roleplay.tui.screens.drill_common import DrillContext, drill_words, shown
from roleplay.tui.text import local
from roleplay.tui.widgets.chat import ChatLog
from roleplay.tui.widgets.meter import Meter

MAX_ANSWER = 2000
"""Characters kept of one answer (the engine keeps fewer)."""

TICK = 0.25
"""Seconds between countdown updates."""


class DrillPlayScreen(Screen[str | None]):
    """One trainee's drill; dismisses with ``next``, ``board``, ``quit`` or None (left)."""

    CSS_PATH = "drill_play.tcss"
    BINDINGS = [
        Binding("f1", "hint", "play.hint"),
        Binding("f10", "give_up", "play.give_up"),
        Binding("escape", "leave", "common.leave"),
    ]

    def __init__(self, context: DrillContext, attempt: Any) -> None:
        super().__init__()
        self.context = context
        self.attempt = attempt
        """The trainee's ``roleplay.drill.Attempt`` (used only on the store's thread)."""
        self._lock = asyncio.Lock()
        self._deadline: float | None = None
        self._step_over = False
        self._save_failed = False

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static(id="step")
            yield Static(id="timer")
        with Horizontal(id="body"):
            with Vertical(id="talk"):
                yield ChatLog(id="chat")
                yield Input(id="answer", max_length=MAX_ANSWER)
                yield Button(id="next", variant="primary")
            with Vertical(id="side"):
                yield Static(id="persona")
                yield Meter(id="patience")
                yield Meter(id="interest")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#next", Button).display = False
        self.relabel()
        if self.context.drill.spec.time_limit:
            self.set_interval(TICK, self._tick)
        self.start_step()

    def relabel(self) -> None:
        t = drill_words(self.app)
        relabel_bindings(self, t)
        self.sub_title = f"{self.context.drill.spec.title} - {self.attempt.trainee}"
        self.query_one("#answer", Input).placeholder = t("play.placeholder")
        self.query_one("#patience", Meter).label = t("play.patience")
        self.query_one("#interest", Meter).label = t("play.interest")
        self.query_one("#next", Button).label = t("play.see_results" if self.attempt.finished else "play.next")
        self._show_step()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hint" and not self.context.drill.spec.hints:
            return False  # hidden from the footer: this drill has no hints
        return True

    @property
    def t(self):  # noqa: ANN201 - a Translator
        return drill_words(self.app)

    @property
    def lang(self) -> str:
        return self.context.drill.spec.lang

    def _scenario(self) -> Any:
        step = min(self.attempt.step, len(self.context.drill.scenarios) - 1)
        return self.context.drill.scenarios[step]

    def _show_step(self) -> None:
        drill, t = self.context.drill, self.t
        step = min(self.attempt.step, len(drill.spec.steps) - 1)
        scenario = drill.scenarios[step]
        title = shown(local(scenario.title, self.app.ui_lang))
        self.query_one("#step", Static).update(
            f"[b]{escape(t('common.scenario_n', n=step + 1, total=len(drill.spec.steps), title=title))}[/b]")
        persona = scenario.persona
        self.query_one("#persona", Static).update(
            f"[b]{escape(shown(local(persona.name, self.lang)))}[/b]\n"
            f"[dim]{escape(shown(local(persona.role, self.lang)))}[/dim]")

    # -- the drill, on the store's thread ---------------------------------------------------------

    async def _run(self, fn):  # noqa: ANN001, ANN202
        return await self.context.store_thread().run(lambda store: fn())

    @work(group="drill")
    async def start_step(self) -> None:
        """Start (or resume) the next scenario and show its conversation so far."""
        async with self._lock:
            ps = await self._run(self.attempt.start_step)
            if ps is None:
                self._show_results()
                return
            self._step_over = False
            self._show_step()
            chat = self.query_one(ChatLog)
            await chat.remove_children()
            name = local(self._scenario().persona.name, self.lang)
            chat.say(name, ps.session.opening, "customer")
            for turn in ps.session.turns:  # replayed after a crash
                chat.say(self.t("play.you"), turn.trainee, "trainee")
                if turn.reply:
                    chat.say(name, turn.reply, "customer")
            if ps.session.turns:
                chat.note(self.t("play.resumed", name=self.attempt.trainee))
            self._show_meters(ps)
            self._report_save(ps.save_status)
            self.query_one("#next", Button).display = False
            answer = self.query_one("#answer", Input)
            answer.disabled = False
            answer.focus()
            self._start_clock()

    @work(group="drill")
    async def process_answer(self, text: str) -> None:
        """Engine, scorer and store for one answer; answers are handled in the order typed."""
        async with self._lock:
            if self._step_over or self.attempt.current is None:
                return
            ps, step = self.attempt.current, self.attempt.step
            self._deadline = None
            try:
                turn = await self._run(lambda: self.attempt.answer(text))
            except ValueError:  # nothing left once control characters are removed
                self._start_clock()
                return
            if turn.reply:
                self.query_one(ChatLog).say(local(self._scenario_at(step).persona.name, self.lang), turn.reply,
                                            "customer")
            self._show_meters(ps)
            self._report_save(ps.save_status)
            if self.attempt.current is not ps:
                self._end_step(step)
                return
            if turn.intent is None:
                self.query_one(ChatLog).note(self.t("play.not_understood"))
            self._start_clock()

    @work(group="drill")
    async def stop_step(self) -> None:
        """End the scenario now, scored as it stands."""
        async with self._lock:
            if self._step_over or self.attempt.current is None:
                return
            step = self.attempt.step
            self._deadline = None
            await self._run(self.attempt.stop_step)
            self._end_step(step)

    @work(group="drill")
    async def show_hint(self) -> None:
        async with self._lock:
            if self._step_over or self.attempt.current is None:
                return
            hint = await self._run(self.attempt.hint)
            text = getattr(hint, "text", None) if hint is not None else None
            self.query_one(ChatLog).note(self.t("play.hint_text", text=text) if text else self.t("play.no_hint"))

    # -- showing what came back ---------------------------------------------------------------------

    def _scenario_at(self, step: int) -> Any:
        return self.context.drill.scenarios[step]

    def _show_meters(self, ps: Any) -> None:
        self.query_one("#patience", Meter).value = ps.session.patience
        self.query_one("#interest", Meter).value = ps.session.interest

    def _report_save(self, status: Any) -> None:
        if not status.ok:
            self._save_failed = True
            self.notify(self.t("play.save_failed", why=status.message), severity="error", timeout=10)
        elif self._save_failed:
            self._save_failed = False

    def _end_step(self, step: int) -> None:
        self._step_over = True
        self._deadline = None
        self.query_one("#timer", Static).update("")
        result = self.attempt.results[step]
        t = self.t
        if result is not None:
            self.query_one(ChatLog).note(t("play.step_ended", outcome=t(f"common.outcome.{result.outcome}"),
                                           score=result.score))
        answer = self.query_one("#answer", Input)
        answer.disabled = True
        button = self.query_one("#next", Button)
        button.label = t("play.see_results" if self.attempt.finished else "play.next")
        button.display = True
        button.focus()

    def _show_results(self) -> None:
        from roleplay.tui.screens.drill_done import DrillDoneScreen

        def done(choice: str | None) -> None:
            self.dismiss(choice)  # not awaited: a callback may not wait on its own screen's dismissal

        self.app.push_screen(DrillDoneScreen(self.context, self.attempt), callback=done)

    # -- the clock --------------------------------------------------------------------------------

    def _start_clock(self) -> None:
        limit = self.context.drill.spec.time_limit
        self._deadline = time.monotonic() + limit if limit else None
        self._tick()

    def _tick(self) -> None:
        timer = self.query_one("#timer", Static)
        if self._deadline is None:
            return
        left = self._deadline - time.monotonic()
        if left > 0:
            seconds = int(left + 0.999)
            style = "$error" if seconds <= 10 else "$warning" if seconds <= 30 else "$text-muted"
            timer.update(f"[{style}]{escape(self.t('play.time_left', seconds=seconds))}[/]")
            return
        self._deadline = None
        timer.update("")
        self.time_up()

    def time_up(self) -> None:
        """Send what is typed; with nothing typed, the scenario ends here."""
        answer = self.query_one("#answer", Input)
        text = answer.value.strip()
        chat = self.query_one(ChatLog)
        if text:
            answer.clear()
            chat.say(self.t("play.you"), text, "trainee")
            chat.note(self.t("play.time_up_sent"))
            self.process_answer(text)
        else:
            chat.note(self.t("play.time_up"))
            self.stop_step()

    # -- the trainee's actions ----------------------------------------------------------------------

    @on(Input.Submitted, "#answer")
    def _answered(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text or self._step_over:
            return
        event.input.clear()
        self.query_one(ChatLog).say(self.t("play.you"), text, "trainee")
        self.process_answer(text)

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        if self.attempt.finished:
            self._show_results()
        else:
            self.start_step()

    def action_hint(self) -> None:
        """A hint, when the drill allows them (it costs points)."""
        if not self.context.drill.spec.hints:
            self.query_one(ChatLog).note(self.t("play.hints_off"))
            return
        self.show_hint()

    def action_give_up(self) -> None:
        """End this scenario now (scored as it stands)."""
        if self._step_over or self.attempt.current is None:
            return
        from roleplay.tui.screens.confirm import Confirm

        def answer(yes: bool | None) -> None:
            if yes:
                self.stop_step()

        self.app.push_screen(Confirm(self.t("play.confirm_give_up")), callback=answer)

    def action_leave(self) -> None:
        """Leave the drill; everything answered is kept for a resume."""
        if self.attempt.finished:
            self.dismiss(None)
            return
        from roleplay.tui.screens.confirm import Confirm

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(Confirm(self.t("play.confirm_leave")), callback=answer)
