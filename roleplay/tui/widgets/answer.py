"""The answer box: an ``Input`` that takes pasted answers whole.

Textual's ``Input`` keeps only the first line of a paste and refuses a paste that would pass
``max_length``. A trainee pasting a prepared, multi-line answer would silently lose most of
it, so here lines are joined, control characters dropped, and an over-long paste is cut to
fit with a notice (``AnswerInput.Truncated``), never refused.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.message import Message
from textual.widgets import Input


def clean_paste(text: str) -> str:
    """One line: line breaks become spaces, other control characters are dropped."""
    joined = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return "".join(ch for ch in joined if unicodedata.category(ch)[0] != "C" or ch == " ")


class AnswerInput(Input):
    """Where the trainee types (IME friendly: Textual moves the real cursor to the caret)."""

    class Truncated(Message):
        """A paste was cut to fit the answer's length limit."""

        def __init__(self, limit: int) -> None:
            super().__init__()
            self.limit = limit

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        text = clean_paste(event.text)
        if not text:
            return
        if not self.selection.is_empty:
            self.delete_selection()
        room = (self.max_length - len(self.value)) if self.max_length else len(text)
        if len(text) > room:
            text = text[:max(0, room)]
            self.post_message(self.Truncated(self.max_length))
        if text:
            self.insert_text_at_cursor(text)
