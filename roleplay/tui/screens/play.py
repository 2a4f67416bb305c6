"""The role-play: the conversation as a chat, the customer's meters, the live checklist.

The screen never judges anything itself: answers go to ``PracticeSession`` in a worker thread
(the engine, the scorer and the store), and come back as ``TurnScored`` messages, so typing is
never blocked by slow work.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Static

from roleplay.practice import Practice, PracticeSession
from roleplay.scenario.model import Scenario
from roleplay.tui.localized import relabel_bindings
from roleplay.tui.widgets.keybar import KeyBar
from roleplay.tui.screens.confirm import Confirm
from roleplay.tui.text import local, shown
from roleplay.tui.widgets.answer import AnswerInput
from roleplay.tui.widgets.chat import ChatLog
from roleplay.tui.widgets.checklist import Checklist, Item
from roleplay.tui.widgets.meter import Meter

MAX_ANSWER = 2000
"""Characters kept of one answer; longer pastes are cut, with a notice."""


class PlayScreen(Screen[None]):
    """One role-play with a simulated customer."""

    CSS_PATH = "play.tcss"
    BINDINGS = [
        Binding("f1", "hint", "play.hint"),
        Binding("f3", "exam", "play.exam"),
        Binding("f5", "restart", "play.restart"),
        Binding("f10", "finish", "play.finish"),
        Binding("escape", "leave", "play.leave"),
        Binding("enter", "scorecard", "play.scorecard"),
    ]

    exam_mode: reactive[bool] = reactive(False)
    """Hide the live checklist (an exam)."""

    class SessionStarted(Message):
        """The engine session is ready and the customer has spoken."""

        def __init__(self, practice_session: PracticeSession) -> None:
            super().__init__()
            self.practice_session = practice_session

    class TurnScored(Message):
        """An answer was understood, scored and saved."""

        def __init__(self, turn: Any, save_ok: bool, save_message: str) -> None:
            super().__init__()
            self.turn = turn
            self.save_ok = save_ok
            self.save_message = save_message

    class SessionFinished(Message):
        """The conversation reached an end (or the trainee finished early) and was scored."""

        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    def __init__(self, practice: Practice, scenario: Scenario, *, lang: str, seed: int | None = None,
                 plan: dict | None = None, resume: int | None = None) -> None:
        super().__init__()
        relabel_bindings(self, self.app.t)  # before the footer's first paint
        self.practice = practice
        self.scenario = scenario
        self.lang = lang
        """The scenario language (fixed for the session; the interface may differ)."""
        self.seed = seed
        self.plan = plan
        self.resume = resume
        """The store id of an unfinished session to continue, if any."""
        self.ps: PracticeSession | None = None
        """The running session (None until started)."""
        self._save_failed = False
        self._turn_lock = asyncio.Lock()
        self._result: Any = None

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="talk"):
                yield ChatLog(id="chat")
                yield AnswerInput(id="answer", max_length=MAX_ANSWER)
            with Vertical(id="side"):
                yield Static(id="persona")
                yield Meter(id="patience")
                yield Meter(id="interest")
                yield Checklist(id="checklist")
        yield KeyBar()

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#answer", Input).focus()
        self._waiting = self.query_one(ChatLog).note(self.app.t("play.thinking"))
        self.start_session()

    def relabel(self) -> None:
        t, ui = self.app.t, self.app.ui_lang
        relabel_bindings(self, t)
        self.sub_title = t("play.title", title=local(self.scenario.title, ui))
        self.query_one("#answer", Input).placeholder = t("play.placeholder")
        persona = self.scenario.persona
        self.query_one("#persona", Static).update(
            f"[b $accent]{shown(local(self.scenario.title, ui))}[/]\n\n"
            f"[b]{shown(local(persona.name, self.lang))}[/b]\n[dim]{shown(local(persona.role, self.lang))}[/dim]")
        self.query_one("#patience", Meter).label = t("play.patience")
        self.query_one("#interest", Meter).label = t("play.interest")
        self._refresh_checklist()

    # -- the session, off the UI thread ------------------------------------------------------------

    @work(group="session")
    async def start_session(self) -> None:
        """Build the scenario's machine (first time only), start a session, save its start."""
        async with self._turn_lock:
            if self.resume is not None:
                try:
                    ps, faithful = await asyncio.to_thread(self.practice.resume, self.resume)
                except LookupError as exc:
                    self.notify(str(exc.args[0] if exc.args else exc), severity="error", timeout=10)
                    self.app.pop_screen()
                    return
                if not faithful:
                    self.notify(self.app.t("play.resumed_changed"), severity="warning", timeout=10)
            else:
                ps = await asyncio.to_thread(self.practice.start, self.scenario, lang=self.lang, seed=self.seed,
                                             plan=self.plan)
            self.post_message(self.SessionStarted(ps))

    def on_play_screen_session_started(self, message: SessionStarted) -> None:
        self.ps = message.practice_session
        session = self.ps.session
        self._waiting.remove()
        self._customer_says(session.opening)
        for turn in session.turns:  # a resumed session: show the conversation so far
            self.query_one(ChatLog).say(self.app.t("play.you"), turn.trainee, "trainee")
            if turn.reply:
                self._customer_says(turn.reply)
        self._show_meters()
        self._refresh_checklist()
        self._report_save(self.ps.save_status.ok, self.ps.save_status.message)

    @work(group="session")
    async def process_answer(self, text: str) -> None:
        """Engine, scorer and store for one answer, in a thread; the result comes back as a message.

        The lock keeps answers in the order they were typed, however fast the trainee types.
        """
        async with self._turn_lock:
            ps = self.ps
            if ps is None or ps.session.finished:
                return
            try:
                turn = await asyncio.to_thread(ps.answer, text)
            except ValueError:  # nothing left once control characters are removed
                return
            status = ps.save_status
            self.post_message(self.TurnScored(turn, status.ok, status.message))
            if ps.session.finished:
                self.post_message(self.SessionFinished(ps.result()))

    @work(group="session")
    async def finish_early(self) -> None:
        """Score the conversation as it stands."""
        async with self._turn_lock:
            if self.ps is not None and not self.ps.session.finished:
                self.post_message(self.SessionFinished(await asyncio.to_thread(self.ps.finish)))

    # -- what comes back -----------------------------------------------------------------------------

    def on_play_screen_turn_scored(self, message: TurnScored) -> None:
        turn, t = message.turn, self.app.t
        if turn.reply:
            self._customer_says(turn.reply)
        if turn.intent is None and not self.ps.session.finished:
            self.query_one(ChatLog).note(t("play.not_understood"))
        self._show_meters()
        self._refresh_checklist()
        self._report_save(message.save_ok, message.save_message)

    def on_play_screen_session_finished(self, message: SessionFinished) -> None:
        t = self.app.t
        self._result = message.result
        self.query_one(ChatLog).note(t("play.ended", outcome=t(f"play.outcome.{message.result.outcome}")))
        self.query_one("#answer", Input).disabled = True  # the customer's last words stay on screen
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scorecard":
            return self._result is not None
        if action in ("hint", "finish"):
            return self._result is None
        return True

    def action_scorecard(self) -> None:
        """See the scorecard of the finished conversation."""
        from roleplay.tui.screens.scorecard import ScorecardScreen

        if self._result is not None and self.ps is not None:
            self.app.push_screen(ScorecardScreen(self.practice, self.ps, self._result))

    def _customer_says(self, text: str) -> None:
        self.query_one(ChatLog).say(local(self.scenario.persona.name, self.lang), text, "customer")

    def _show_meters(self) -> None:
        if self.ps is None:
            return
        self.query_one("#patience", Meter).value = self.ps.session.patience
        self.query_one("#interest", Meter).value = self.ps.session.interest

    def _report_save(self, ok: bool, why: str) -> None:
        if not ok:
            self._save_failed = True
            self.notify(self.app.t("app.save_failed", why=why), severity="error", timeout=10)
        elif self._save_failed:
            self._save_failed = False
            self.notify(self.app.t("app.saved_again"))

    def _refresh_checklist(self) -> None:
        from scoring.catalogue import load_catalogue

        checklist = self.query_one(Checklist)
        checklist.display = not self.exam_mode
        checklist.title = self.app.t("play.checklist")
        if self.ps is None:
            return
        catalogue = load_catalogue()
        state = self.scenario.states.get(self.ps.session.state)
        if state is None:
            return
        status: dict[str, bool | None] = {}
        for turn in self.ps.session.turns:
            for check in turn.checks:
                spec = catalogue.checks.get(check.id)
                if spec is not None and spec.kind == "avoids":
                    status[check.id] = status.get(check.id, True) and check.passed
                elif check.passed:
                    status[check.id] = True
        ui = self.app.ui_lang
        checklist.items = tuple(
            Item(c, local(catalogue.checks[c].describes, ui) if c in catalogue.checks else c, status.get(c))
            for c in catalogue.expand(list(state.rubrics))
        )

    # -- the trainee's actions --------------------------------------------------------------------------

    @on(Input.Submitted, "#answer")
    def _answered(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text or (self.ps is not None and self.ps.session.finished):
            return
        event.input.clear()
        self.query_one(ChatLog).say(self.app.t("play.you"), text, "trainee")
        self.process_answer(text)

    def on_answer_input_truncated(self, message: AnswerInput.Truncated) -> None:
        self.notify(self.app.t("play.too_long", limit=message.limit), severity="warning")

    def action_hint(self) -> None:
        """Show the closest expected answer (it costs points)."""
        if self.ps is None or self.ps.session.finished:
            return
        hint = self.ps.hint()
        text = getattr(hint, "text", None) if hint is not None else None
        log = self.query_one(ChatLog)
        log.note(self.app.t("play.hint_text", text=text) if text else self.app.t("play.no_hint"))

    def action_exam(self) -> None:
        """Hide or show the live checklist."""
        self.exam_mode = not self.exam_mode

    def watch_exam_mode(self, exam: bool) -> None:
        self.query_one(Checklist).display = not exam
        if exam:
            self.notify(self.app.t("play.exam_mode"))

    def action_restart(self) -> None:
        """Start this role-play again (the current attempt is discarded)."""

        def restart(yes: bool | None) -> None:
            if not yes:
                return
            if self.ps is not None:
                self.ps.discard()
            self.app.switch_screen(PlayScreen(self.practice, self.scenario, lang=self.lang, seed=self.seed,
                                              plan=self.plan))

        self.app.push_screen(Confirm(self.app.t("play.confirm_restart")), callback=restart)

    def action_finish(self) -> None:
        """Finish now and see the scorecard."""
        if self.ps is not None and not self.ps.session.finished and self.ps.session.turns:
            self.finish_early()

    def action_leave(self) -> None:
        """Back to the library; answers so far stay as an unfinished session."""
        if self.ps is None or not self.ps.session.turns or self.ps.session.finished:
            self.app.pop_screen()
            return

        def leave(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(Confirm(self.app.t("play.confirm_leave")), callback=leave)
