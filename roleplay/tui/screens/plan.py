"""Before the visit: the pre-visit plan of the source articles (optional, skippable).

Dismisses with the plan as a dict (goal, questions, materials), or None when skipped; the plan
is kept with the session and shown again at the review.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static, TextArea

from roleplay.scenario.model import Scenario
from roleplay.tui.localized import relabel_bindings
from roleplay.tui.widgets.keybar import KeyBar
from roleplay.tui.text import local, shown


class PlanScreen(Screen[dict | None]):
    """Plan the visit, or skip."""

    CSS_PATH = "plan.tcss"
    BINDINGS = [
        Binding("ctrl+s", "start", "plan.start"),
        Binding("escape", "skip", "plan.skip"),
    ]

    def __init__(self, scenario: Scenario, lang: str) -> None:
        super().__init__()
        relabel_bindings(self, self.app.t)  # before the footer's first paint
        self.scenario = scenario
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static(id="scenario")
            yield Static(id="intro", classes="muted")
            yield Label(id="goal-label", classes="section-title")
            yield Input(id="goal")
            yield Label(id="questions-label", classes="section-title")
            yield TextArea(id="questions", soft_wrap=True)
            yield Label(id="materials-label", classes="section-title")
            yield Input(id="materials")
            with Horizontal(id="buttons"):
                yield Button(id="start", variant="primary")
                yield Button(id="skip")
        yield KeyBar()

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#goal", Input).focus()

    def relabel(self) -> None:
        t = self.app.t
        relabel_bindings(self, t)
        self.sub_title = t("plan.title")
        self.query_one("#scenario", Static).update(
            f"[b $accent]{t('plan.title')}[/]  {shown(local(self.scenario.title, self.app.ui_lang))}")
        self.query_one("#intro", Static).update(t("plan.intro"))
        self.query_one("#goal-label", Label).update(t("plan.goal"))
        self.query_one("#goal", Input).placeholder = t("plan.goal_placeholder")
        self.query_one("#questions-label", Label).update(t("plan.questions"))
        self.query_one("#materials-label", Label).update(t("plan.materials"))
        self.query_one("#materials", Input).placeholder = t("plan.materials_placeholder")
        self.query_one("#start", Button).label = f"{t('plan.start')} (ctrl+s)"
        self.query_one("#skip", Button).label = f"{t('plan.skip')} (esc)"

    def plan(self) -> dict | None:
        """The plan as written, or None when nothing was written."""
        plan = {
            "goal": self.query_one("#goal", Input).value.strip(),
            "questions": self.query_one("#questions", TextArea).text.strip(),
            "materials": self.query_one("#materials", Input).value.strip(),
        }
        return plan if any(plan.values()) else None

    @on(Input.Submitted, "#goal")
    def _next_field(self) -> None:
        self.query_one("#questions", TextArea).focus()

    @on(Input.Submitted, "#materials")
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Start the role-play with this plan."""
        self.dismiss(self.plan())

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        """Start without a plan."""
        self.dismiss(None)
