"""Progress: past sessions, the pass rate of each rubric over time, and the weakest checks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, Sparkline, Static

from roleplay.practice import Practice
from roleplay.tui.localized import relabel_bindings
from roleplay.tui.widgets.keybar import KeyBar
from roleplay.tui.text import local, shown


@dataclass(frozen=True)
class ProgressData:
    """What the screen shows, read from the store in one go."""

    sessions: list
    """The trainee's sessions, newest first."""
    rubric_series: dict[str, list[float]]
    """Rubric id -> pass rate (0-1) per finished session, oldest first."""
    weakest: list
    """The weakest checks (``CheckRate``)."""


def rubric_series(points: list, rubric_of: dict[str, str]) -> dict[str, list[float]]:
    """Pass rate per rubric per session, oldest session first, from session-level check points."""
    per_session: dict[int, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    order: list[int] = []
    for p in points:
        if p.session_id not in per_session:
            order.append(p.session_id)
        per_session[p.session_id][rubric_of.get(p.check_id, p.check_id.split(".")[0])].append(p.passed)
    series: dict[str, list[float]] = defaultdict(list)
    for sid in order:
        for rubric, results in per_session[sid].items():
            series[rubric].append(sum(results) / len(results))
    return dict(series)


class ProgressScreen(Screen[None]):
    """How the trainee is doing over time."""

    CSS_PATH = "progress.tcss"
    BINDINGS = [
        Binding("escape", "back", "progress.back"),
        Binding("enter", "resume", "progress.resume"),
        Binding("d", "discard", "progress.discard"),
    ]

    class Loaded(Message):
        """The progress data was read from the store."""

        def __init__(self, data: ProgressData) -> None:
            super().__init__()
            self.data = data

    def __init__(self, practice: Practice) -> None:
        super().__init__()
        relabel_bindings(self, self.app.t)  # before the footer's first paint
        self.practice = practice
        self._data: ProgressData | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Label(id="sessions-title", classes="section-title")
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="right"):
                yield Label(id="rubrics-title", classes="section-title")
                yield Vertical(id="rubrics")
                yield Label(id="weakest-title", classes="section-title")
                yield Static(id="weakest")
        yield KeyBar()

    def on_mount(self) -> None:
        self.relabel()
        self.load()

    def relabel(self) -> None:
        t = self.app.t
        relabel_bindings(self, t)
        self.sub_title = t("progress.title")
        self.query_one("#sessions-title", Label).update(t("progress.sessions"))
        self.query_one("#rubrics-title", Label).update(t("progress.by_rubric"))
        self.query_one("#weakest-title", Label).update(t("progress.weakest"))
        if self._data is not None:
            self._show(self._data)

    @work(thread=True, exclusive=True, group="progress")
    def load(self) -> None:
        """Read the trainee's record off the UI thread."""
        from roleplay.store import StoreError
        from scoring.catalogue import load_catalogue

        store, trainee = self.practice.store, self.practice.trainee
        data = ProgressData([], {}, [])
        if store is not None:
            try:
                catalogue = load_catalogue()
                rubric_of = {c: spec.rubric for c, spec in catalogue.checks.items()}
                data = ProgressData(store.sessions(trainee=trainee, limit=200),
                                    rubric_series(store.check_history(trainee=trainee), rubric_of),
                                    store.weakest_checks(trainee, limit=5))
            except StoreError as exc:
                self.app.call_from_thread(self.notify, str(exc), severity="error")
        self.post_message(self.Loaded(data))

    def on_progress_screen_loaded(self, message: Loaded) -> None:
        self._data = message.data
        self._show(message.data)

    def _show(self, data: ProgressData) -> None:
        from scoring.catalogue import load_catalogue

        t, lang = self.app.t, self.app.ui_lang
        catalogue = load_catalogue()
        table = self.query_one("#sessions", DataTable)
        table.clear(columns=True)
        for key in ("when", "scenario", "lang", "outcome", "score"):
            table.add_column(t(f"progress.columns.{key}"), key=key)
        for r in data.sessions:
            scenario = self.practice.library.scenarios.get(r.scenario_id)
            title = local(scenario.title, lang) if scenario else r.scenario_id
            outcome = t(f"play.outcome.{r.outcome}")
            score = "" if r.score is None else f"{r.score} {t('home.pass') if r.passed else t('home.fail')}"
            table.add_row(r.started_at[:16].replace("T", " "), title, r.lang, outcome, score, key=str(r.id))
        rubrics = self.query_one("#rubrics", Vertical)
        rubrics.remove_children()
        if not data.rubric_series:
            rubrics.mount(Static(t("progress.none"), classes="muted"))
        for rubric, values in data.rubric_series.items():
            title = local(catalogue.titles.get(rubric, {}), lang) or rubric
            last = values[-1]
            rubrics.mount(Label(f"{title}  {round(last * 100)}%", classes="rubric-label"))
            rubrics.mount(Sparkline(values if len(values) > 1 else values * 2, classes="rubric-chart"))
        weakest = [f"{shown(local(catalogue.checks[w.check_id].describes, lang) if w.check_id in catalogue.checks else w.check_id)}"
                   f"  [dim]{t('progress.rate', passed=w.passed, total=w.total)}[/dim]"
                   for w in data.weakest]
        self.query_one("#weakest", Static).update("\n".join(weakest) or t("progress.none"))

    def _selected(self):
        """The session record under the cursor, or None."""
        if self._data is None or not self._data.sessions:
            return None
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self._data.sessions if str(r.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("resume", "discard"):
            record = self._selected()
            return record is not None and record.outcome == "unfinished"
        return True

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    def on_data_table_row_selected(self) -> None:
        self.action_resume()

    def action_resume(self) -> None:
        """Continue the unfinished session under the cursor."""
        from roleplay.tui.screens.play import PlayScreen

        record = self._selected()
        if record is None or record.outcome != "unfinished":
            return
        scenario = self.practice.library.scenarios.get(record.scenario_id)
        if scenario is None:
            self.notify(self.app.t("progress.scenario_gone", scenario=record.scenario_id), severity="error")
            return
        self.app.push_screen(PlayScreen(self.practice, scenario, lang=record.lang, seed=record.seed,
                                        plan=record.plan, resume=record.id))

    def action_discard(self) -> None:
        """Delete the unfinished session under the cursor (asks first)."""
        from roleplay.tui.screens.confirm import Confirm

        record = self._selected()
        if record is None or record.outcome != "unfinished":
            return

        def discard(yes: bool | None) -> None:
            if yes and self.practice.store is not None:
                self.practice.store.discard(record.id)
                self.load()

        self.app.push_screen(Confirm(self.app.t("progress.confirm_discard")), callback=discard)

    def on_screen_resume(self) -> None:
        self.load()

    def action_back(self) -> None:
        """Back to the library."""
        self.app.pop_screen()
