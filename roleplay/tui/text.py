"""Small text helpers for the screens (no widgets here)."""

from __future__ import annotations

import re

from typing import Mapping, Sequence

from roleplay.scenario.model import Scenario


def local(text: Mapping[str, str] | None, lang: str) -> str:
    """The text in ``lang``, else in any language it has, else empty."""
    if not text:
        return ""
    if lang in text:
        return text[lang]
    return next(iter(text.values()), "")


def local_lines(lines: Mapping[str, Sequence[str]] | None, lang: str) -> Sequence[str]:
    """The variants in ``lang``, else in any language they have."""
    if not lines:
        return ()
    return lines.get(lang) or next(iter(lines.values()), ())


def scenario_matches(scenario: Scenario, query: str) -> bool:
    """True when every word of ``query`` is in the scenario's id, titles, summary or tags."""
    words = query.casefold().split()
    if not words:
        return True
    haystack = " ".join([scenario.id, *scenario.title.values(), *scenario.summary.values(), *scenario.tags])
    haystack = haystack.casefold()
    return all(word in haystack for word in words)


def highlight(text: str, spans: Sequence[tuple[int, int]], style: str = "b reverse $success") -> str:
    """``text`` as terminal-safe markup with the character ``spans`` highlighted (overlaps merged)."""
    from textual.markup import escape

    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif start < end:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(escape(terminal_safe(text[pos:start])))
        out.append(f"[{style}]{escape(terminal_safe(text[start:end]))}[/]")
        pos = end
    out.append(escape(terminal_safe(text[pos:])))
    return "".join(out)


_CONTROL = re.compile(r"[\x00-\x08\x09\x0b-\x1f\x7f-\x9f]")
"""Control characters other than the line break."""

_AMBIGUOUS = str.maketrans({
    "…": "...", "—": "-", "–": "-", "―": "-", "“": '"', "”": '"', "‘": "'", "’": "'",
    "·": "・", "•": "*", "●": "*", "○": "o", "★": "*", "☆": "*", "→": "->", "←": "<-",
    "×": "x", "※": "*", "°": "o", "±": "+-", "§": "S", "÷": "/",
})
"""Common characters of ambiguous East Asian width and neutral stand-ins for them."""


def terminal_safe(text: str) -> str:
    """``text`` with ambiguous-width characters replaced and control characters made visible,
    so lines stay aligned in any terminal and nothing in a scenario can drive the terminal.

    Scenario writers may type ``……`` or ``——`` in a customer's line; some terminals draw them
    one cell wide and others two, which breaks the layout beside Chinese text.
    """
    text = text.translate(_AMBIGUOUS)
    if _CONTROL.search(text):
        # A control character (an escape sequence in a scenario line, a bell...) would be sent
        # to the terminal as is: show it as a visible escape instead.
        text = _CONTROL.sub(lambda m: " " if m.group() == "\t" else repr(m.group())[1:-1], text)
    return text


def shown(text: str) -> str:
    """Text from a scenario or the scorer, ready for markup: terminal-safe and escaped."""
    from textual.markup import escape

    return escape(terminal_safe(text))
