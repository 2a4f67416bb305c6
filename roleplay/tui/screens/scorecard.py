"""The scorecard: the score and verdict, every check with the trainee's own words highlighted,
the feedback for each miss, the model answer beside what the trainee said, then the post-visit
review and a one-keystroke sales-diary entry."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Static, TabbedContent, TabPane, TextArea

from roleplay.diary import compose_diary
from roleplay.practice import Practice, PracticeSession
from roleplay.tui.localized import relabel_bindings
from roleplay.tui.widgets.keybar import KeyBar
from roleplay.tui.text import highlight, local, shown


class ScorecardScreen(Screen[None]):
    """What the trainee did well, what to improve, and what a better answer sounds like."""

    CSS_PATH = "scorecard.tcss"
    BINDINGS = [
        Binding("r", "retry", "scorecard.retry"),
        Binding("n", "next", "scorecard.next"),
        Binding("escape", "back", "scorecard.back"),
        Binding("ctrl+s", "save_review", "scorecard.save_review"),
        Binding("ctrl+d", "diary", "scorecard.diary"),
    ]

    def __init__(self, practice: Practice, ps: PracticeSession, result: Any) -> None:
        super().__init__()
        relabel_bindings(self, self.app.t)  # before the footer's first paint
        self.practice = practice
        self.ps = ps
        self.result = result

    def compose(self) -> ComposeResult:
        yield Static(id="verdict")
        with TabbedContent(id="tabs"):
            with TabPane("checks", id="tab-checks"):
                yield VerticalScroll(id="checks")
            with TabPane("answers", id="tab-answers"):
                yield VerticalScroll(id="answers")
            with TabPane("review", id="tab-review"):
                with VerticalScroll(id="review-pane"):
                    yield Static(id="plan")
                    yield Static(id="review-intro", classes="muted")
                    yield TextArea(id="review", soft_wrap=True)
                    with Horizontal(id="review-buttons"):
                        yield Button(id="save-review", variant="primary")
                        yield Button(id="diary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        t, ui = self.app.t, self.app.ui_lang
        relabel_bindings(self, t)
        self.sub_title = t("scorecard.title")
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("tab-checks").label = t("scorecard.checks")
        tabs.get_tab("tab-answers").label = t("scorecard.better")
        tabs.get_tab("tab-review").label = t("scorecard.review")
        self._show_verdict()
        self._show_checks()
        self._show_answers()
        self.query_one("#plan", Static).update(self._plan_text())
        self.query_one("#review-intro", Static).update(t("scorecard.review_intro"))
        self.query_one("#save-review", Button).label = f"{t('scorecard.save_review')} (ctrl+s)"
        self.query_one("#diary", Button).label = f"{t('scorecard.diary')} (ctrl+d)"

    # -- content ----------------------------------------------------------------------------------

    def _describe(self, check_id: str) -> str:
        from scoring.catalogue import load_catalogue

        spec = load_catalogue().checks.get(check_id)
        return local(spec.describes, self.app.ui_lang) if spec else check_id

    def _show_verdict(self) -> None:
        t, r = self.app.t, self.result
        verdict = f"[b $success]{t('scorecard.passed')}[/]" if r.passed else f"[b $error]{t('scorecard.failed')}[/]"
        parts = [f"[b]{t('scorecard.score', score=r.score)}[/b]", verdict,
                 t("scorecard.pass_mark", mark=self.ps.scenario.pass_mark)]
        if r.hints_used:
            parts.append(t("scorecard.hints", count=r.hints_used))
        blocked = r.grade.blocked_by
        line = "   ".join(parts)
        if blocked:
            line += "\n" + t("scorecard.blocked", checks=", ".join(self._describe(c) for c in blocked))
        self.query_one("#verdict", Static).update(line)

    def _turn_text(self, index: int | None) -> str | None:
        turns = self.ps.session.turns
        return turns[index].trainee if index is not None and 0 <= index < len(turns) else None

    def _show_checks(self) -> None:
        t = self.app.t
        pane = self.query_one("#checks", VerticalScroll)
        pane.remove_children()
        widgets = []
        for check in sorted(self.result.grade.checks, key=lambda c: c.passed):
            mark = "[$success]✓[/]" if check.passed else "[$error]✗[/]"
            lines = [f"{mark} [b]{escape(self._describe(check.id))}[/b]  [dim]{check.id}[/dim]"]
            ev = check.evidence
            if ev is not None:
                said = self._turn_text(ev.turn)
                if said is not None and said[ev.start:ev.end] == ev.text:
                    words = highlight(said, [(ev.start, ev.end)],
                                      "b reverse $success" if check.passed else "b reverse $error")
                    lines.append(f"   {t('scorecard.turn', n=ev.turn + 1)}: {words}")
                else:
                    lines.append(f"   {t('scorecard.your_words')}: [b]{shown(ev.text)}[/b]")
            elif not check.passed:
                lines.append(f"   [dim]{t('scorecard.your_words')}: {t('scorecard.no_evidence')}[/dim]")
            if check.feedback and not check.passed:
                lines.append(f"   [$warning]{shown(check.feedback)}[/]")
            widgets.append(Static("\n".join(lines), classes="check " + ("ok" if check.passed else "miss")))
        pane.mount_all(widgets)

    def _show_answers(self) -> None:
        t, lang = self.app.t, self.ps.lang
        pane = self.query_one("#answers", VerticalScroll)
        pane.remove_children()
        widgets = []
        for turn in self.ps.session.turns:
            state = self.ps.scenario.states.get(turn.state)
            spans = [(c.evidence.start, c.evidence.end) for c in turn.checks if c.passed and c.evidence]
            lines = [f"[b $accent]{t('scorecard.turn', n=turn.index + 1)}[/]  [dim]{escape(turn.state)}[/dim]",
                     f"[dim]{shown(local(self.ps.scenario.persona.name, lang))}:[/dim] {shown(turn.customer)}",
                     f"[b]{t('scorecard.you_said')}:[/b] {highlight(turn.trainee, spans)}"]
            model = local(state.model_answer, lang) if state is not None and state.model_answer else ""
            if model:
                lines.append(f"[b $success]{t('scorecard.model')}:[/] {shown(model)}")
            widgets.append(Static("\n".join(lines), classes="answer"))
        pane.mount_all(widgets)

    def _plan_text(self) -> str:
        plan = self.ps.plan
        if not plan:
            return ""
        t = self.app.t
        rows = [f"[b $accent]{t('scorecard.plan_was')}[/]"]
        for key, label in (("goal", "plan.goal"), ("questions", "plan.questions"), ("materials", "plan.materials")):
            if plan.get(key):
                rows.append(f"[b]{t(label)}:[/b] {escape(plan[key])}")
        return "\n".join(rows)

    # -- actions ------------------------------------------------------------------------------------

    @on(Button.Pressed, "#save-review")
    def action_save_review(self) -> None:
        """Keep the post-visit review with the session."""
        self._save("review", self.query_one("#review", TextArea).text, "scorecard.review_saved")

    @on(Button.Pressed, "#diary")
    def action_diary(self) -> None:
        """Write today's sales-diary entry from this session, in one keystroke."""
        review = self.query_one("#review", TextArea).text
        entry = compose_diary(self.ps.scenario, self.result.grade, self.ps.session.turns, self.app.ui_lang,
                              self.ps.plan, review)
        self._save("diary", entry, "scorecard.diary_saved")

    @work(thread=True, group="save")
    def _save(self, what: str, text: str, done_key: str) -> None:
        status = self.ps.save_text(what, text)
        if status.ok:
            self.app.call_from_thread(self.notify, self.app.t(done_key))
        else:
            self.app.call_from_thread(self.notify, self.app.t("app.save_failed", why=status.message),
                                      severity="error")

    def _leave_play(self) -> None:
        """Close this scorecard and the role-play under it."""
        self.app.pop_screen()
        from roleplay.tui.screens.play import PlayScreen

        if isinstance(self.app.screen, PlayScreen):
            self.app.pop_screen()

    def action_retry(self) -> None:
        """Play the same scenario again."""
        scenario, lang = self.ps.scenario, self.ps.lang
        self._leave_play()
        self.app.start_scenario(scenario, lang=lang)

    def action_next(self) -> None:
        """Play the recommended next scenario (or the next one in the library)."""
        rec = self.practice.recommend(self.ps.lang)
        scenarios = sorted(self.practice.scenarios(), key=lambda s: (s.difficulty, s.id))
        if rec is not None and rec.scenario.id != self.ps.scenario.id:
            nxt = rec.scenario
        else:
            ids = [s.id for s in scenarios]
            nxt = scenarios[(ids.index(self.ps.scenario.id) + 1) % len(scenarios)] if self.ps.scenario.id in ids \
                else scenarios[0]
        lang = self.ps.lang
        self._leave_play()
        self.app.start_scenario(nxt, lang=lang)

    def action_back(self) -> None:
        """Back to the library."""
        self._leave_play()
