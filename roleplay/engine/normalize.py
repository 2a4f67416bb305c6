"""Text normalisation for matching trainee answers, in Chinese (Simplified or Traditional) and English.

``normalize`` turns what a trainee typed into a canonical form that two phrasings of the same
words share:

1. control characters (and lone surrogates left by badly decoded bytes) become spaces, and the
   text is capped at ``MAX_MATCH_CHARS`` characters, so a pasted 10,000-character answer costs no
   more than a long sentence;
2. Unicode NFKC, which also folds full-width letters, digits, punctuation and the ideographic
   space into their ordinary forms;
3. case folding;
4. punctuation and symbols are *removed*, not turned into spaces (``联印，您好`` and ``联印您好``
   must compare equal: Chinese has no spaces for a comma to stand in for);
5. whitespace collapsed to single spaces, and dropped next to a Chinese character (so
   ``这个 model 的 battery`` and ``这个model的battery`` are the same);
6. Traditional Chinese folded to Simplified (``zhconv``, ``zh-cn``), only when the text holds CJK
   characters, since the conversion is the slowest step.

``tokens`` then splits a normalised text into the units the bigram matcher compares: words for
Latin-script runs, overlapping character bigrams for Chinese runs (a one-character run is kept as
is). Bigrams make reordered Chinese clauses share most of their units without word segmentation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import zhconv

MAX_MATCH_CHARS = 600
"""Answers longer than this are cut before matching: every expected phrase is far shorter, and
the cut keeps a turn's cost bounded whatever is pasted in."""

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")
# After NFKC every punctuation mark or symbol is a non-word, non-space character; the underscore
# counts as a word character for ``re`` and is removed explicitly.
_PUNCT_RE = re.compile(r"[^\w\s]|_")
# CSI (ESC [ ... final) and OSC (ESC ] ... BEL or ESC \) sequences, and two-character escapes.
_ESCAPE_SEQ_RE = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_SPACE_RE = re.compile(r"\s+")
# A space with a Chinese character on either side (spaces are single by then); matching only at
# spaces keeps this cheap on long Chinese text.
_CJK_SPACE_RE = re.compile(f"(?<=[{_CJK}]) | (?=[{_CJK}])")
_TOKEN_RE = re.compile(f"[{_CJK}]+|[^\\s{_CJK}]+")


def clean(text: str, limit: int | None = None) -> str:
    """Replace control and invisible formatting characters with spaces; optionally cap the length.

    Args:
        text: Any string, possibly holding NULs, escape sequences or lone surrogates.
        limit: Keep at most this many characters (``None``: no cap).

    Returns:
        The text with every control character replaced by a space.
    """
    if limit is not None and len(text) > limit:
        text = text[:limit]
    if "\x1b" in text or "\x9b" in text:
        # A terminal escape sequence goes as a whole: "\x1b[31m" is colour, not words.
        text = _ESCAPE_SEQ_RE.sub(" ", text)
    return _CONTROL_RE.sub(" ", text)


def has_cjk(text: str) -> bool:
    """True when the text holds at least one Chinese character."""
    return _CJK_RE.search(text) is not None


@lru_cache(maxsize=8192)
def to_simplified(text: str) -> str:
    """Traditional -> Simplified Chinese (``zhconv`` ``zh-cn``), cached; other text is returned as is."""
    if not has_cjk(text):
        return text
    return zhconv.convert(text, "zh-cn")


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The canonical form of a phrase or an answer (see the module docstring for the steps).

    Args:
        text: What the trainee typed, or an example phrase.

    Returns:
        The normalised text; empty when nothing but punctuation, symbols or spaces was given.
    """
    text = clean(text, MAX_MATCH_CHARS)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _PUNCT_RE.sub("", text)
    text = _SPACE_RE.sub(" ", text).strip()
    if has_cjk(text):
        text = _CJK_SPACE_RE.sub("", text)
        text = to_simplified(text)
    return text


def tokens(norm: str) -> list[str]:
    """Matching units of a normalised text: Latin words, and character bigrams of Chinese runs.

    Args:
        norm: A text already passed through ``normalize``.

    Returns:
        The units in text order (duplicates kept).
    """
    out: list[str] = []
    for run in _TOKEN_RE.findall(norm):
        if _CJK_RE.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out
