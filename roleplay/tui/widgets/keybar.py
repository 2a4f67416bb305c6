"""The key bar: the screen's active bindings on one line, like Textual's ``Footer``, but drawn
as a single widget.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the bindings change
(every focus change); on the home screen that was the largest cost of the first paint. This bar
redraws one line of text instead. Keys stay clickable: a click runs the binding under the mouse.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.dom import DOMNode
from textual.widget import Widget


@dataclass(frozen=True)
class _Spot:
    """Where one key is drawn, and what clicking it does."""

    start: int
    end: int
    node: DOMNode
    action: str


class KeyBar(Widget):
    """The active bindings of the screen, ``key description`` pairs on one line."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._spots: list[_Spot] = []
        self._content = Content("")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._rebuild()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self._rebuild()

    def _rebuild(self) -> None:
        parts: list[Content] = []
        spots: list[_Spot] = []
        x, seen = 0, set()
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            style_key = "bold $footer-key-foreground" if enabled else "dim"
            piece = Content.assemble((f" {key} ", style_key), (f"{binding.description} ", "" if enabled else "dim"))
            width = cell_len(f" {key} {binding.description} ")
            if enabled:
                spots.append(_Spot(x, x + width, node, binding.action))
            parts.append(piece)
            x += width
        self._spots = spots
        self._content = Content("").join(parts)
        self.refresh()

    def render(self) -> Content:
        return self._content

    def on_click(self, event: events.Click) -> None:
        for spot in self._spots:
            if spot.start <= event.x < spot.end:
                event.stop()
                self.run_worker(self.app.run_action(spot.action, spot.node), exclusive=False)
                return

    @property
    def text(self) -> str:
        """The bar as plain text (tests read it)."""
        return self._content.plain
