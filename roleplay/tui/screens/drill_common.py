"""What the drill screens share: the drill being played, and the one thread that owns its store.

SQLite connections belong to the thread that opened them, and an engine session is driven by one
caller at a time. So every store call and every answer of the drill screens runs on one
dedicated thread (``StoreThread``), which opens the practice record on first use: the UI thread
never waits on the disk or the scorer, and answers are handled in the order they were typed.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from roleplay.i18n import Translator
from roleplay.tui.text import terminal_safe

if TYPE_CHECKING:
    from roleplay.drill import OpenDrill
    from roleplay.scenario.library import Library
    from roleplay.store import Store

T = TypeVar("T")


class StoreThread:
    """One worker thread owning a store connection; ``await run(fn)`` calls ``fn(store)`` there."""

    def __init__(self, db: str | None) -> None:
        self._db = db
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drill-store")
        self._store: "Store | None" = None

    def _call(self, fn: Callable[["Store"], T]) -> T:
        if self._store is None:
            from roleplay.store import Store

            self._store = Store.open(self._db)
        return fn(self._store)

    async def run(self, fn: Callable[["Store"], T]) -> T:
        """Run ``fn(store)`` on the store's thread and wait for it without blocking the UI."""
        return await asyncio.wrap_future(self._pool.submit(self._call, fn))

    def close(self) -> None:
        """Close the store on its thread and stop the thread (waits for work in progress)."""

        def close() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        self._pool.submit(close)
        self._pool.shutdown(wait=True)


@dataclass
class DrillContext:
    """The drill a terminal is playing, and how (mutable: hot-seat adds names as they play)."""

    db: str | None
    """The practice record (shared by the team)."""
    drill: "OpenDrill"
    """The drill, its scenarios resolved."""
    library: "Library"
    """The scenario library."""
    hot_seat: bool = False
    """One terminal, trainees in turn."""
    trainee: str | None = None
    """The name given on the command line (asked in the app otherwise)."""
    resume: bool = False
    """Continue as ``trainee`` (``--resume``)."""
    exit_on_leave: bool = True
    """Leaving the drill ends the app (it was opened by ``roleplay drill join``)."""
    played: list[str] = field(default_factory=list)
    """Names that have played at this terminal (hot-seat)."""
    thread: StoreThread | None = None
    """The store's thread (created on first use)."""

    def store_thread(self) -> StoreThread:
        if self.thread is None:
            self.thread = StoreThread(self.db)
        return self.thread

    def close(self) -> None:
        if self.thread is not None:
            self.thread.close()
            self.thread = None


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """Text from a scenario or a trainee, safe on screen: no ambiguous widths, and control
    characters (a customer line may hold an escape written as ``\\e`` in YAML) shown as escapes."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), terminal_safe(text))


def drill_words(app: Any) -> Translator:
    """The drill's interface words in the app's interface language."""
    return Translator(getattr(app, "ui_lang", "en"), "drill")


def rules_text(t: Translator, drill: "OpenDrill", ui_lang: str) -> str:
    """The drill's rules and scenarios, as the join screen shows them."""
    from textual.markup import escape

    spec = drill.spec
    lines = [t("common.rules.scenarios", count=len(spec.steps), lang=t(f"common.langs.{spec.lang}"))]
    for i, step in enumerate(spec.steps):
        title = step.title.get(ui_lang) or step.title.get(spec.lang) or step.scenario_id
        lines.append(f"  {i + 1}. {escape(shown(title))}")
    lines.append("")
    lines.append(t("common.rules.time_limit", seconds=spec.time_limit) if spec.time_limit
                 else t("common.rules.no_time_limit"))
    lines.append(t("common.rules.hints_on") if spec.hints else t("common.rules.hints_off"))
    lines.append(t("common.rules.pass_mark", mark=spec.pass_mark) if spec.pass_mark is not None
                 else t("common.rules.own_pass_mark"))
    return "\n".join(lines)
