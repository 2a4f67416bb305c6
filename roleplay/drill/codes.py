"""Drill codes: short, readable and hard to mistype.

A code is six characters from an alphabet without ``0``/``O`` and ``1``/``I`` (32 symbols, so
about a billion codes). Trainers read codes aloud or write them on a whiteboard; trainees type
them in any case, with or without a dash or spaces (``abc-def`` is ``ABCDEF``).
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""The symbols of a code: digits 2-9 and the letters except I and O."""

LENGTH = 6
"""Characters in a code."""

_CONFUSABLE = {"0": "O", "O": "0", "1": "I", "I": "1"}


class BadCode(ValueError):
    """The text cannot be a drill code; the message says why, in one line."""


def new_code() -> str:
    """A fresh random code (``secrets``: codes cannot be guessed from earlier ones)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """The code as stored: upper case, dashes and spaces removed.

    Raises:
        BadCode: Wrong length, or a character no code holds (with the reason).
    """
    code = "".join(ch for ch in text.strip().upper() if ch not in "- \t")
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad)
        extra = (" (codes never use 0, O, 1 or I: check the code you were given)"
                 if any(ch in _CONFUSABLE for ch in bad) else "")
        verb = "never appears" if len(bad) == 1 else "never appear"
        raise BadCode(f"'{text.strip()}' is not a drill code: {shown} {verb} in one{extra}")
    if len(code) != LENGTH:
        raise BadCode(f"'{text.strip()}' is not a drill code: codes have {LENGTH} characters, "
                      f"this has {len(code)}")
    return code
