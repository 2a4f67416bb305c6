"""The characters a regular expression's match can start with.

English cues are searched from the places a word can start (``scoring.cues.Alternation``): after a
space (the regex engine's fast path), after an apostrophe, and at the few other places where a
character a cue can start with follows some other punctuation. ``first_chars(branch)`` tells which
characters those are; where that cannot be shown (a negated class, "." at the start, a branch that
can match nothing) it returns None, and every such place is tried, so only speed is lost.

The analysis reads the standard library's own parse of the pattern (``re._parser``, Python 3.11+);
should that module ever change shape, ``first_chars`` returns None.
"""

from __future__ import annotations

import re
from typing import Any

try:
    from re import _constants as _c, _parser
except ImportError:  # pragma: no cover - a Python without the 3.11 layout: nothing is known
    _c = _parser = None  # type: ignore[assignment]

_Firsts = tuple[set[str], bool]
"""The characters a match may start with, and whether the match may be empty there."""

_LONGEST_RANGE = 128
"""A range of more characters than this ("[\\u4e00-\\u9fff]") is not spelt out."""


class _Unknown(Exception):
    """The pattern starts with something whose first characters are not worth listing."""


def _class_items(items: list[tuple[Any, Any]]) -> set[str]:
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            out.add(chr(av))
        elif op is _c.RANGE and 0 <= av[1] - av[0] <= _LONGEST_RANGE:
            out.update(chr(code) for code in range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av in _CATEGORIES:
            out.add(_CATEGORIES[av])
        else:  # NEGATE, a negated category, a long range...
            raise _Unknown
    return out


def _sequence(items: Any) -> _Firsts:
    firsts: set[str] = set()
    for op, av in items:
        found, may_be_empty = _item(op, av)
        firsts |= found
        if not may_be_empty:
            return firsts, False
    return firsts, True


def _item(op: Any, av: Any) -> _Firsts:
    if op is _c.LITERAL:
        return {chr(av)}, False
    if op is _c.IN:
        return _class_items(av), False
    if op is _c.BRANCH:
        firsts: set[str] = set()
        may_be_empty = False
        for alternative in av[1]:
            found, empty = _sequence(alternative)
            firsts |= found
            may_be_empty = may_be_empty or empty
        return firsts, may_be_empty
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if add_flags or del_flags:
            raise _Unknown
        return _sequence(body)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, body = av
        found, empty = _sequence(body)
        return found, empty or low == 0
    if op is _c.ATOMIC_GROUP:
        return _sequence(av)
    if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
        return set(), True  # zero width: the next item decides
    raise _Unknown  # ".", a negated literal, a back reference...


if _c is not None:
    _CATEGORIES = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_SPACE: r"\s"}


def anchored(pattern: str) -> bool:
    """True when ``pattern`` can only match at the very start of the text (it opens with "^")."""
    if _parser is None:
        return False
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return False
    return bool(len(parsed)) and parsed[0][0] is _c.AT and parsed[0][1] in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING)


def first_chars(pattern: str) -> frozenset[str] | None:
    """Every character a match of ``pattern`` can start with, or None when that is not known.

    A category stands for itself: "\\d", "\\w" or "\\s" in the set means any character of it.

    Args:
        pattern: A regular expression without inline flags.
    """
    if _parser is None:
        return None
    try:
        firsts, may_be_empty = _sequence(_parser.parse(pattern))
    except (_Unknown, re.error):
        return None
    return None if may_be_empty else frozenset(firsts)
