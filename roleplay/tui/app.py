"""The Textual application and its factory.

``build_app`` is the one place that builds the app, for the CLI and the tests alike (as in
Posting). The app holds the headless ``Practice`` (library, engine runtimes, store) and hands
it to screens as a constructor argument: attributes down, messages up.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from roleplay.i18n import Translator
from roleplay.practice import Practice
from roleplay.tui.localized import relabel_bindings

import roleplay.tui as _tui

gc.set_threshold(*_tui._GC_THRESHOLDS)  # see roleplay/tui/__init__.py
gc.freeze()


@dataclass(frozen=True)
class AppConfig:
    """How the app starts (from the command line, or a test)."""

    scenario_dirs: tuple[str, ...] = ()
    """Extra scenario folders (``--scenarios``, ``ROLEPLAY_SCENARIOS``)."""
    db: str | None = None
    """The practice record (``--db``, ``ROLEPLAY_DB``); None for the default."""
    save: bool = True
    """False for ``--no-save``."""
    trainee: str | None = None
    """Who is practising; None for the login name."""
    ui_lang: str | None = None
    """Interface language; None: follows the scenario, else the system locale."""
    scenario: str | None = None
    """Open straight into this scenario (``roleplay play SCENARIO``)."""
    lang: str | None = None
    """The scenario language (``--lang``)."""
    seed: int | None = None
    """The seed (``--seed``)."""
    builtin: bool = True
    """Include the built-in library (tests may turn it off)."""
    user: bool = True
    """Include the user's scenario folder (tests turn it off)."""
    plan: bool = True
    """Offer the pre-visit plan before a role-play."""
    extra: dict = field(default_factory=dict)
    """Room for features that need more start-up settings (drills)."""


def system_ui_lang() -> str:
    """``zh`` when the system locale is Chinese, else ``en``."""
    for var in ("ROLEPLAY_UI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


class RoleplayApp(App[None]):
    """The sales role-play trainer."""

    CSS_PATH = "app.tcss"
    TITLE = "roleplay"
    BINDINGS = [
        Binding("ctrl+q", "quit", "app.quit", priority=True),
        Binding("f2", "switch_language", "app.language"),
    ]

    ui_lang: reactive[str] = reactive("en")
    """The interface language; screens re-label themselves when it changes."""

    def __init__(self, config: AppConfig, practice: Practice | None = None) -> None:
        super().__init__()
        self.config = config
        """How the app was started."""
        self.ui_lang_fixed = config.ui_lang is not None
        """True when the user chose the interface language (it then stops following scenarios)."""
        self.set_reactive(RoleplayApp.ui_lang, config.ui_lang or system_ui_lang())
        self._practice = practice
        relabel_bindings(self, self.t)
        # Everything made so far (Textual's and our modules, classes, the app) lives as long as
        # the process: moving it out of the cycle collector's generations spares every later
        # collection a scan of it. On the way to the first paint that was 30-60 ms of full
        # collections, re-walking the same module objects again and again.
        gc.freeze()

    @property
    def t(self) -> Translator:
        """Interface words in the current language."""
        return Translator(self.ui_lang)

    @property
    def practice(self) -> Practice:
        """The headless practice services (opened on first use)."""
        if self._practice is None:
            c = self.config
            self._practice = Practice.open(scenario_dirs=c.scenario_dirs, db=c.db, save=c.save,
                                           trainee=c.trainee, builtin=c.builtin, user=c.user, cache=True)
            gc.freeze()  # the library lives as long as the app: see ``RoleplayApp.__init__``
        return self._practice

    def on_mount(self) -> None:
        from roleplay.tui.screens.home import HomeScreen

        self.title = self.t("app.title")
        self.push_screen(HomeScreen(self.practice))
        if self.practice.store is None and self.practice.store_message:
            self.notify(self.t("app.not_saving", why=self.practice.store_message), severity="warning", timeout=8)
        if self.config.scenario:
            self.open_scenario_ref(self.config.scenario)
        start_screen = self.config.extra.get("start_screen")
        if start_screen is not None:  # e.g. `roleplay drill join` opens on the drill's screen: a factory(app)
            self.push_screen(start_screen(self))
        # After the first screen is up and the trainee is reading it: picking a scenario takes
        # longer than this, and warming up earlier would slow the first paint (the GIL is shared).
        self.set_timer(2.0, self._warm_up)

    def _warm_up(self) -> None:
        """Load the engine and scorer in the background, so the first role-play starts at once."""
        self.run_worker(self.practice.warm_up, thread=True, group="warm-up", exit_on_error=False)

    def open_scenario_ref(self, ref: str) -> None:
        """Open a scenario given by id or path, or say clearly why not."""
        try:
            scenario = self.practice.library.resolve(ref)
        except LookupError as exc:
            self.notify(str(exc.args[0] if exc.args else exc), severity="error", timeout=10)
            return
        self.start_scenario(scenario, lang=self.config.lang, seed=self.config.seed)

    def start_scenario(self, scenario, *, lang: str | None = None, seed: int | None = None) -> None:
        """Go to the pre-visit plan (or straight to the role-play)."""
        from roleplay.tui.screens.plan import PlanScreen
        from roleplay.tui.screens.play import PlayScreen

        lang = lang if lang in scenario.languages else (self.ui_lang if self.ui_lang in scenario.languages
                                                         else scenario.languages[0])
        if not self.ui_lang_fixed:
            self.ui_lang = lang

        def play(plan: dict | None) -> None:
            self.push_screen(PlayScreen(self.practice, scenario, lang=lang, seed=seed, plan=plan))

        if self.config.plan:
            self.push_screen(PlanScreen(scenario, lang), callback=play)
        else:
            play(None)

    def action_switch_language(self) -> None:
        """Switch the interface between Chinese and English."""
        self.ui_lang = "en" if self.ui_lang == "zh" else "zh"
        self.ui_lang_fixed = True

    def watch_ui_lang(self, lang: str) -> None:
        self.title = self.t("app.title")
        relabel_bindings(self, self.t)
        for screen in self.screen_stack:
            relabel = getattr(screen, "relabel", None)
            if relabel is not None:
                relabel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action bound on the current screen is also in the command palette."""
        yield from super().get_system_commands(screen)
        seen: set[str] = {"quit", "switch_language", "command_palette"}
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            yield SystemCommand(binding.description, f"key: {binding.key_display or key}",
                                lambda node=active.node, action=binding.action: node.run_action(action))
        yield SystemCommand(self.t("app.switch_language"), "key: f2", self.action_switch_language)

    async def action_quit(self) -> None:
        self.exit()

    def on_unmount(self) -> None:
        if self._practice is not None:
            self._practice.close()


def build_app(config: AppConfig | None = None, practice: Practice | None = None) -> RoleplayApp:
    """Build the app for the CLI or a test (tests pass a ``Practice`` over a temporary store)."""
    return RoleplayApp(config or AppConfig(), practice)
