"""The interface words: every key in both languages, and no ambiguous-width glyphs.

Characters of East Asian width "A" (…, —, ●, ★, “ ” …) are drawn one cell wide by some
terminals and two by others, which breaks alignment beside Chinese text.
"""

from __future__ import annotations

import unicodedata
from importlib import resources

import pytest
import yaml

from roleplay.i18n import strings

AREAS = sorted({p.name.split(".")[0] for p in resources.files("roleplay").joinpath("locales").iterdir()
                if p.name.endswith(".yaml")})


@pytest.mark.parametrize("area", AREAS)
def test_both_languages_have_the_same_keys(area):
    assert set(strings(area, "zh")) == set(strings(area, "en"))


@pytest.mark.parametrize("area", ["ui", "diary", "drill"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_ambiguous_width_characters_in_interface_words(area, lang):
    bad = {key: ch for key, text in strings(area, lang).items() for ch in text
           if unicodedata.east_asian_width(ch) == "A"}
    assert not bad, f"ambiguous-width characters in {area}.{lang}: {bad}"


@pytest.mark.parametrize("area", AREAS)
def test_placeholders_agree(area):
    import string

    def names(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    zh, en = strings(area, "zh"), strings(area, "en")
    mismatched = {k for k in zh if k in en and names(zh[k]) != names(en[k])}
    assert not mismatched


def test_customer_words_are_made_terminal_safe_for_display():
    """Customer lines (engine locale, scenarios) may use …… or ——; the TUI shows stand-ins."""
    from roleplay.scenario.library import Library
    from roleplay.tui.text import terminal_safe

    texts = [t for area in AREAS for lang in ("zh", "en") for t in strings(area, lang).values()]
    for scenario in Library.discover(user=False).scenarios.values():
        for state in scenario.states.values():
            texts += [line for lines in state.customer.values() for line in lines]
    leftovers = {ch for text in texts for ch in terminal_safe(text) if unicodedata.east_asian_width(ch) == "A"}
    assert not leftovers


def test_control_characters_never_reach_the_terminal():
    from roleplay.tui.text import terminal_safe

    shown = terminal_safe("a\x1b[31mred\x07\x9b2Jb\tc\nd")
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert shown.endswith("b c\nd") or "\n" in shown
