"""A filter button: shows its current choice on one line and opens a list only when used.

Textual's ``Select`` builds its drop-down list up front; three of them were the largest part of
the home screen's first paint. This button is one line of text until Enter or a click opens a
small modal list of the choices.
"""

from __future__ import annotations

from typing import Any, Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from roleplay.tui.text import shown

ANY = None
"""The value meaning "no filter"."""


class ChoiceList(ModalScreen[Any]):
    """The choices of a ``ChoiceButton``; dismisses with the chosen value (Escape: no change)."""

    DEFAULT_CSS = """
    ChoiceList {
        align: center middle;
        background: $background 50%;
    }
    ChoiceList OptionList {
        width: 40;
        max-height: 80%;
        height: auto;
        border: round $accent;
    }
    """
    BINDINGS = [Binding("escape", "dismiss_unchanged", show=False)]

    def __init__(self, title: str, choices: Sequence[tuple[str, Any]], current: Any) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        option_list = OptionList(*(Option(shown(label), id=str(i)) for i, (label, _) in enumerate(self.choices)))
        option_list.border_title = self.title_text
        yield option_list

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        values = [value for _, value in self.choices]
        option_list.highlighted = values.index(self.current) if self.current in values else 0
        option_list.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id)][1])

    def action_dismiss_unchanged(self) -> None:
        self.dismiss(self.current)


class ChoiceButton(Widget, can_focus=True):
    """``Label: choice`` on one line; Enter, Space or a click opens the choices."""

    DEFAULT_CSS = """
    ChoiceButton {
        height: 1;
        width: auto;
        padding: 0 1;
        background: $boost;
    }
    ChoiceButton:focus {
        background: $accent 30%;
        text-style: bold;
    }
    """
    BINDINGS = [Binding("enter,space", "open", show=False)]

    value: reactive[Any] = reactive(ANY, init=False)
    """The chosen value; ``ANY`` (None) for no filter."""

    class Changed(Message):
        """The choice changed."""

        def __init__(self, button: "ChoiceButton", value: Any) -> None:
            super().__init__()
            self.button = button
            self.value = value

        @property
        def control(self) -> "ChoiceButton":
            return self.button

    def __init__(self, label: str, choices: Sequence[tuple[str, Any]], any_label: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label = label
        """What is being chosen (e.g. "Tag")."""
        self.any_label = any_label
        """The word for no filter (e.g. "Any")."""
        self.choices = list(choices)
        """(label, value) pairs, without the "any" choice."""

    def set_choices(self, label: str, choices: Sequence[tuple[str, Any]], any_label: str) -> None:
        """New words or choices (the interface language changed); the value is kept if still offered."""
        self.label, self.any_label, self.choices = label, any_label, list(choices)
        if self.value is not ANY and self.value not in [v for _, v in self.choices]:
            self.value = ANY
        self.refresh(layout=True)

    def render(self) -> str:
        current = next((label for label, value in self.choices if value == self.value), self.any_label)
        return f"{shown(self.label)}: [b]{shown(current)}[/b]"

    def watch_value(self, value: Any) -> None:
        self.refresh(layout=True)
        self.post_message(self.Changed(self, value))

    def action_open(self) -> None:
        """Show the choices."""
        choices = [(self.any_label, ANY), *self.choices]

        def chosen(value: Any) -> None:
            self.value = value

        self.app.push_screen(ChoiceList(self.label, choices, self.value), callback=chosen)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open()
