"""The live checklist: the checks that apply in the current state, and how the trainee is doing.

``✓`` done (or, for a guard, not broken so far), ``✗`` a guard broken, ``-`` not yet.
Neutral-width glyphs only; each label wraps under itself, not under its mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Label, Static

from roleplay.tui.text import shown


@dataclass(frozen=True)
class Item:
    """One line of the checklist."""

    check_id: str
    label: str
    status: bool | None
    """True passed, False failed, None not yet."""


MARKS = {True: "[$success]✓[/]", False: "[$error]✗[/]", None: "[dim]-[/]"}


class Checklist(Vertical):
    """Checks that apply now."""

    items: reactive[tuple[Item, ...]] = reactive(tuple, recompose=True)
    """What to show, in order."""
    title: reactive[str] = reactive("", recompose=True)
    """The heading, in the interface language."""

    def compose(self) -> ComposeResult:
        yield Label(f"[b $accent]{shown(self.title)}[/]", classes="checklist-title")
        for item in self.items:
            with Horizontal(classes="check-item"):
                yield Static(MARKS[item.status], classes="check-mark")
                yield Static(shown(item.label), classes="check-label")

    def statuses(self) -> dict[str, bool | None]:
        """Check id -> status, as shown (tests read it)."""
        return {item.check_id: item.status for item in self.items}
