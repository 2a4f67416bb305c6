"""The home screen: the scenario library with search and filters, what a scenario teaches, the
trainee's recent results and a recommended next scenario aimed at their weakest checks."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.practice import Practice, Recommendation
from roleplay.scenario.model import Scenario
from roleplay.tui.localized import relabel_bindings
from roleplay.tui.widgets.choice import ChoiceButton
from roleplay.tui.widgets.keybar import KeyBar
from roleplay.tui.text import local, scenario_matches, shown


@dataclass(frozen=True)
class Filters:
    """What the trainee is looking for."""

    search: str = ""
    tag: str | None = None
    difficulty: int | None = None
    lang: str | None = None

    def admits(self, scenario: Scenario) -> bool:
        return ((self.tag is None or self.tag in scenario.tags)
                and (self.difficulty is None or scenario.difficulty == self.difficulty)
                and (self.lang is None or self.lang in scenario.languages)
                and scenario_matches(scenario, self.search))


class ScenarioList(OptionList):
    """The library's scenarios; Enter practises the highlighted one."""

    BINDINGS = [Binding("enter", "select", "home.practise")]

    def __init__(self, *options: Option, **kwargs) -> None:
        super().__init__(*options, **kwargs)
        relabel_bindings(self, self.app.t)


class HomeScreen(Screen[None]):
    """Pick a scenario to practise."""

    CSS_PATH = "home.tcss"
    AUTO_FOCUS = "#scenarios"
    """Focus starts on the list (focusing it in ``on_mount`` moved it away from the search box
    after the first paint: a second paint of both, and of the key bar)."""
    BINDINGS = [
        Binding("slash", "focus_search", "home.focus_search", key_display="/"),
        Binding("p", "progress", "home.progress"),
        Binding("r", "recommended", "home.recommended"),
    ]

    filters: reactive[Filters] = reactive(Filters, init=False)
    """The search text and filters; the list follows them."""

    class RecentLoaded(Message):
        """The trainee's recent results and the recommendation were read from the store."""

        def __init__(self, recent: list, recommendation: Recommendation | None) -> None:
            super().__init__()
            self.recent = recent
            self.recommendation = recommendation

    def __init__(self, practice: Practice) -> None:
        super().__init__()
        relabel_bindings(self, self.app.t)  # before the footer's first paint
        self.practice = practice
        # The first reading of recent results and the recommendation is done here, before the
        # first paint: two indexed reads of the store that Practice.open has just opened (about
        # a millisecond). Read after the paint, they redrew the side pane (and the screen's
        # layout) a second time before the app was idle. Later readings (back from a role-play)
        # are done off the UI thread (``refresh_recent``).
        self._recent: list = practice.recent(limit=5)
        self._recommendation: Recommendation | None = practice.recommend()
        self._first_resume = True

    @property
    def t(self):
        return self.app.t

    def _filter_options(self) -> dict[str, tuple[str, list[tuple[str, object]]]]:
        """Select id -> (prompt, options), in the interface language."""
        t = self.t
        tags = sorted({tag for s in self.practice.scenarios() for tag in s.tags})
        return {
            "tag": (t("home.tag"), [(tag, tag) for tag in tags]),
            "difficulty": (t("home.difficulty"), [(f"{n} {t(f'home.levels.{n}')}", n) for n in (1, 2, 3)]),
            "lang": (t("home.language"), [("中文", "zh"), ("English", "en")]),
        }

    def compose(self) -> ComposeResult:
        # Widgets are built with their words and options at once: changing them after mount
        # would redraw the screen again before its first paint.
        t = self.t
        with Horizontal(id="filters"):
            yield Input(id="search", compact=True, placeholder=t("home.search"))
            for select_id, (prompt, options) in self._filter_options().items():
                yield ChoiceButton(prompt, options, t("home.any"), id=select_id)
        options = self._options()
        first = next((o.id for o in options if o.id is not None), None)
        recommended, recent = self._side_texts()
        with Horizontal(id="body"):
            yield ScenarioList(*options, id="scenarios")
            with VerticalScroll(id="side"):
                yield Static(self._details_text(self.practice.library.scenarios.get(first) if first else None),
                             id="details")
                yield Label(t("home.recommended"), id="recommended-title", classes="section-title")
                yield Static(recommended, id="recommended")
                yield Label(t("home.recent"), id="recent-title", classes="section-title")
                yield Static(recent, id="recent")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = self.t("home.title")

    def on_screen_resume(self) -> None:
        if self._first_resume:  # read in __init__ already
            self._first_resume = False
            return
        self.refresh_recent()

    # -- labels ---------------------------------------------------------------------------

    def relabel(self) -> None:
        """Put every word on the screen in the current interface language."""
        t = self.t
        self.sub_title = t("home.title")
        relabel_bindings(self, t)
        relabel_bindings(self.query_one("#scenarios", ScenarioList), t)
        self.query_one("#search", Input).placeholder = t("home.search")
        for select_id, (prompt, options) in self._filter_options().items():
            self.query_one(f"#{select_id}", ChoiceButton).set_choices(prompt, options, t("home.any"))
        self.query_one("#recommended-title", Label).update(t("home.recommended"))
        self.query_one("#recent-title", Label).update(t("home.recent"))
        self._fill_list()
        self._show_side()

    # -- the list --------------------------------------------------------------------------

    def _visible(self) -> list[Scenario]:
        scenarios = [s for s in self.practice.scenarios() if self.filters.admits(s)]
        return sorted(scenarios, key=lambda s: (s.difficulty, local(s.title, self.app.ui_lang)))

    def _options(self) -> list[Option]:
        """The list's options for the current filters (one disabled line when none match)."""
        lang = self.app.ui_lang
        options = []
        for s in self._visible():
            tags = ", ".join(s.tags[:3])
            prompt = f"[b]{shown(local(s.title, lang))}[/b]\n[dim]L{s.difficulty}  {escape(tags)}[/dim]"
            options.append(Option(prompt, id=s.id))
        if not options:
            key = "home.no_match" if self.practice.library.scenarios else "home.empty_library"
            options.append(Option(self.t(key), disabled=True))
        return options

    def _fill_list(self) -> None:
        option_list = self.query_one("#scenarios", OptionList)
        highlighted = option_list.highlighted_option.id if option_list.highlighted_option else None
        options = self._options()
        option_list.clear_options()
        option_list.add_options(options)
        if options[0].id is not None:
            ids = [o.id for o in options]
            option_list.highlighted = ids.index(highlighted) if highlighted in ids else 0
        self._show_details()

    def _selected(self) -> Scenario | None:
        option = self.query_one("#scenarios", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return self.practice.library.scenarios.get(option.id)

    def _show_details(self) -> None:
        self.query_one("#details", Static).update(self._details_text(self._selected()))

    def _details_text(self, s: Scenario | None) -> str:
        t, lang = self.t, self.app.ui_lang
        if s is None:
            problems = len({p.location.path for p in self.practice.library.problems if p.severity == "error"})
            return t("home.problems", count=problems) if problems else ""
        persona = s.persona
        lines = [
            f"[b $accent]{shown(local(s.title, lang))}[/]",
            shown(local(s.summary, lang)),
            "",
            f"[b]{t('home.customer')}:[/b] {shown(local(persona.name, lang))}, {shown(local(persona.role, lang))}",
            f"[b]{t('home.difficulty')}:[/b] {s.difficulty} {t(f'home.levels.{s.difficulty}')}",
            f"[b]{t('home.tags')}:[/b] {escape(', '.join(s.tags))}",
            f"[b]{t('home.languages')}:[/b] {', '.join(s.languages)}",
        ]
        return "\n".join(lines)

    def _show_side(self) -> None:
        recommended, recent = self._side_texts()
        self.query_one("#recommended", Static).update(recommended)
        self.query_one("#recent", Static).update(recent)

    def _side_texts(self) -> tuple[str, str]:
        """The recommendation and the recent results, as shown."""
        t, lang = self.t, self.app.ui_lang
        rec = self._recommendation
        recommended = ""
        if rec is not None and rec.weak_checks:
            from scoring.catalogue import load_catalogue  # only to name weak checks: not on a first start

            catalogue = load_catalogue()
            why = t("home.recommended_weak", checks=", ".join(
                local(catalogue.checks[c].describes, lang) if c in catalogue.checks else c
                for c in rec.weak_checks))
        else:
            why = t("home.recommended_first")
        if rec is not None:
            recommended = f"[b]{shown(local(rec.scenario.title, lang))}[/b]  [dim](r)[/dim]\n{escape(why)}"
        if not self._recent:
            return recommended, f"[dim]{t('home.no_recent')}[/dim]"
        rows = []
        for r in self._recent:
            scenario = self.practice.library.scenarios.get(r.scenario_id)
            title = local(scenario.title, lang) if scenario else r.scenario_id
            if r.score is None:
                verdict = t("home.unfinished")
            else:
                verdict = f"{r.score:>3} {t('home.pass') if r.passed else t('home.fail')}"
            rows.append(f"{r.started_at[:10]}  {verdict}  {escape(title)}")
        return recommended, "\n".join(rows)

    # -- store reads off the UI thread -----------------------------------------------------

    @work(thread=True, exclusive=True, group="home-recent")
    def refresh_recent(self) -> None:
        """Read recent results and the recommendation without blocking the screen."""
        recent = self.practice.recent(limit=5)
        rec = self.practice.recommend()
        self.post_message(self.RecentLoaded(recent, rec))

    def on_home_screen_recent_loaded(self, message: RecentLoaded) -> None:
        self._recent, self._recommendation = message.recent, message.recommendation
        self._show_side()

    # -- events ------------------------------------------------------------------------------

    def watch_filters(self) -> None:
        self._fill_list()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.filters = Filters(event.value, self.filters.tag, self.filters.difficulty, self.filters.lang)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one("#scenarios", OptionList).focus()

    @on(ChoiceButton.Changed)
    def _filter_changed(self, event: ChoiceButton.Changed) -> None:
        value = event.value
        f = self.filters
        if event.button.id == "tag":
            self.filters = Filters(f.search, value, f.difficulty, f.lang)
        elif event.button.id == "difficulty":
            self.filters = Filters(f.search, f.tag, value, f.lang)
        elif event.button.id == "lang":
            self.filters = Filters(f.search, f.tag, f.difficulty, value)

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _highlighted(self) -> None:
        self._show_details()

    @on(OptionList.OptionSelected, "#scenarios")
    def _chosen(self) -> None:
        self.action_practise()

    def action_practise(self) -> None:
        """Practise the highlighted scenario."""
        scenario = self._selected()
        if scenario is not None:
            self.app.start_scenario(scenario, lang=self.filters.lang)

    def action_focus_search(self) -> None:
        """Search the library."""
        self.query_one("#search", Input).focus()

    def action_progress(self) -> None:
        """See past sessions and progress."""
        from roleplay.tui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen(self.practice))

    def action_recommended(self) -> None:
        """Practise the recommended scenario."""
        if self._recommendation is not None:
            self.app.start_scenario(self._recommendation.scenario)
