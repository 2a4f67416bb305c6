"""The live checklist: the checks that apply in the current state, and how the trainee is doing.

``✓`` passed so far, ``✗`` failed (a guard broken), ``-`` not yet. Neutral-width glyphs only.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.markup import escape
from textual.reactive import reactive
from textual.widgets import Static


@dataclass(frozen=True)
class Item:
    """One line of the checklist."""

    check_id: str
    label: str
    status: bool | None
    """True passed, False failed, None not yet."""


class Checklist(Static):
    """Checks that apply now."""

    items: reactive[tuple[Item, ...]] = reactive(tuple)
    """What to show, in order."""
    title: reactive[str] = reactive("")
    """The heading, in the interface language."""

    def render(self) -> str:
        lines = [f"[b $accent]{escape(self.title)}[/]"]
        for item in self.items:
            if item.status is True:
                mark = "[$success]✓[/]"
            elif item.status is False:
                mark = "[$error]✗[/]"
            else:
                mark = "[dim]-[/]"
            lines.append(f"{mark} {escape(item.label)}")
        return "\n".join(lines)
