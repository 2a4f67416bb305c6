"""The conversation as a chat: the customer on the left, the trainee on the right."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from roleplay.tui.text import terminal_safe


class Bubble(Static):
    """One line of the conversation."""

    def __init__(self, speaker: str, text: str, role: str) -> None:
        shown = terminal_safe(text)
        super().__init__(f"[b]{escape(speaker)}[/b]\n{escape(shown)}" if speaker else escape(shown),
                         classes=f"bubble {role}")
        self.role = role
        """``customer``, ``trainee`` or ``system``."""
        self.text = text
        """The words, unformatted (tests read them)."""


class ChatLog(VerticalScroll):
    """The conversation so far; follows the newest line."""

    can_focus = False

    def say(self, speaker: str, text: str, role: str) -> Bubble:
        """Add a line and scroll to it."""
        bubble = Bubble(speaker, text, role)
        self.mount(bubble)
        self.call_after_refresh(self.scroll_end, animate=False)
        return bubble

    def note(self, text: str) -> Bubble:
        """Add a line from the app itself (hint, notice), set apart from the talk."""
        return self.say("", text, "system")

    def lines(self) -> list[tuple[str, str]]:
        """(role, text) of every line, in order."""
        return [(b.role, b.text) for b in self.query(Bubble)]
