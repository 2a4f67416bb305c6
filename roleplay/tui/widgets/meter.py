"""A meter for the customer's patience or interest: ``耐心 ▰▰▰▱▱ 3/5``.

The glyphs are of neutral East Asian width, so the meter lines up beside Chinese text.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

FULL, EMPTY = "▰", "▱"


class Meter(Static):
    """A labelled meter from 0 to ``maximum``."""

    value: reactive[int] = reactive(0)
    """The current value."""
    label: reactive[str] = reactive("")
    """What the meter measures, in the interface language."""

    def __init__(self, label: str = "", value: int = 0, maximum: int = 5, **kwargs) -> None:
        super().__init__(**kwargs)
        self.maximum = maximum
        self.set_reactive(Meter.label, label)
        self.set_reactive(Meter.value, value)

    def render(self) -> str:
        value = max(0, min(self.value, self.maximum))
        level = "low" if value <= 1 else "mid" if value <= 3 else "high"
        colour = {"low": "$error", "mid": "$warning", "high": "$success"}[level]
        return f"{self.label} [{colour}]{FULL * value}[/][dim]{EMPTY * (self.maximum - value)}[/] {value}/{self.maximum}"

    def watch_value(self, old: int, new: int) -> None:
        if old != new:
            self.remove_class("-up", "-down")
            self.add_class("-up" if new > old else "-down")
