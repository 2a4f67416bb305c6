"""Normalising an answer while keeping every offset an offset in the trainee's own words.

Detectors search a *folded* copy of the answer: control characters become spaces, full-width
letters, digits and punctuation become ASCII, Traditional characters become Simplified
(``data/t2s.json``, built from ``zhconv``), Cantonese and Taiwan usage folds to Mainland usage
(``data/variants.yaml``), and letters are lower-cased. Every step maps one character to one
character, so ``folded[i]`` always stands for ``original[i]`` and an evidence span found in the
folded text is cut from the original answer unchanged.

Very long answers are analysed on their first ``MAX_ANALYSED`` characters (the length itself is
still measured on the whole answer, for ``etiquette.concise``), which keeps grading fast whatever
is pasted in.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from scoring.results import Evidence

MAX_ANALYSED = 600
"""Characters of an answer the detectors read; a spoken answer is far shorter than this."""

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""The CJK ideograph ranges (for regex character classes)."""

_CJK_RE = re.compile(f"[{CJK}]")
_LATIN_RUN_RE = re.compile(r"[a-z]{2,}")
_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)
# Clause boundaries in the folded text: sentence and clause punctuation, line breaks, and a dot
# that is not a decimal point.
# Every branch opens with a literal or a class, so the regex engine skips straight to punctuation
# ("\.(?<!\d\.)" is "(?<!\d)\." written that way): a decimal point ("3.5") does not split.
_CLAUSE_SPLIT_RE = re.compile(r"[,!?;:\n…~()\[\]\"]+|\.(?<!\d\.)\.*|\.+(?!\d)|\s-\s|—+")

_PUNCT_FOLDS = {
    "\u3000": " ", "。": ".", "、": ",", "「": '"', "」": '"', "『": '"', "』": '"', "“": '"', "”": '"',
    "‘": "'", "’": "'", "【": "[", "】": "]", "《": '"', "》": '"', "〈": '"', "〉": '"', "–": "-", "—": "—",
    "～": "~", "·": " ", "•": " ", "\u00a0": " ", "…": "…",
}


def _control_folds() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)):
        table[code] = " "
    table[ord("\n")] = "\n"
    table[ord("\r")] = "\n"
    for code in list(range(0x200B, 0x2010)) + list(range(0x2028, 0x202F)) + list(range(0x2060, 0x2070)) + [0xFEFF]:
        table[code] = " "
    for code in range(0xD800, 0xE000):  # lone surrogates left by badly decoded bytes
        table[code] = " "
    return table


@lru_cache(maxsize=1)
def _translate_table() -> dict[int, str]:
    table = _control_folds()
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII forms
        table[code] = chr(code - 0xFEE0)
    for src, dst in _PUNCT_FOLDS.items():
        table[ord(src)] = dst
    raw = json.loads(resources.files("scoring").joinpath("data/t2s.json").read_text("utf-8"))
    for trad, simp in zip(raw["trad"], raw["simp"]):
        table[ord(trad)] = simp
    return table


@lru_cache(maxsize=1)
def _variant_folds() -> tuple[re.Pattern[str], dict[str, str]]:
    raw = yaml.load(resources.files("scoring").joinpath("data/variants.yaml").read_text("utf-8"),
                    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    folds = {str(k): str(v) for k, v in (raw.get("folds") or {}).items()}
    bad = [k for k, v in folds.items() if len(k) != len(v)]
    if bad:
        raise ValueError(f"scoring/data/variants.yaml: folds must keep the length: {', '.join(bad)}")
    keys = sorted(folds, key=lambda k: (-len(k), k))
    return re.compile("|".join(map(re.escape, keys))), folds


def fold(text: str) -> str:
    """The folded form of ``text``, exactly as long as ``text`` (see the module docstring)."""
    out = text.translate(_translate_table())
    lowered = out.lower()
    if len(lowered) != len(out):  # e.g. "İ" lower-cases to two characters: fold those one by one
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in out)
    out = lowered
    if _CJK_RE.search(out):
        pattern, folds = _variant_folds()
        out = pattern.sub(lambda m: folds[m.group(0)], out)
    return out


def is_chinese(lang: str) -> bool:
    """``zh``, ``zh-Hant`` and other Chinese variants."""
    return lang.lower().startswith("zh")


def length_units(text: str) -> int:
    """How long an answer is to a listener: Chinese characters plus Latin-script words.

    Beyond 2,000 characters the count is extrapolated from the first 2,000: such an answer is
    far too long either way, and counting every character of a pasted book would be slow.
    """
    head = text[:2000]
    units = len(_CJK_RE.findall(head)) + len(_WORD_RE.findall(head))
    if len(text) > len(head):
        units = units * len(text) // len(head)
    return units


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer, ready for the detectors."""

    original: str
    """What the trainee typed, unchanged (evidence is cut from it)."""
    folded: str
    """The folded first ``MAX_ANALYSED`` characters: same length, offsets shared with ``original``."""
    chinese: bool
    """True for a Chinese answer (``zh`` or ``zh-Hant``)."""
    units: int
    """The length of the whole answer in Chinese characters plus Latin words."""
    clause_starts: tuple[int, ...]
    """Start offsets of the clauses (the text between clause punctuation), ascending."""
    clause_ends: tuple[int, ...]
    """End offsets of the same clauses."""
    scripts: tuple[str, ...] = ("zh",)
    """The cue languages to run: the answer's own, then the other one when its script occurs
    ("这个 model 的 battery 很耐用" runs both)."""

    @property
    def truncated(self) -> bool:
        """True when only the first ``MAX_ANALYSED`` characters were analysed."""
        return len(self.folded) < len(self.original)

    def clause(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the clause holding offset ``pos``."""
        i = bisect.bisect_right(self.clause_starts, pos) - 1
        if i < 0:
            return 0, 0
        return self.clause_starts[i], self.clause_ends[i]

    def evidence(self, start: int, end: int, *, widen: bool = True, limit: int = 60) -> Evidence:
        """The trainee's words around ``[start, end)``: the whole clause when ``widen`` and it is short."""
        if widen:
            c_start, c_end = self.clause(start)
            if c_end >= end and c_end - c_start <= limit:
                start, end = c_start, c_end
            elif c_end >= end:
                # A long clause: keep the match and a little context on each side.
                pad = max(0, (limit - (end - start)) // 2)
                start, end = max(c_start, start - pad), min(c_end, end + pad)
        while start < end and self.original[start].isspace():
            start += 1
        while end > start and self.original[end - 1].isspace():
            end -= 1
        return Evidence(start, end, self.original[start:end])


def analyse(text: str, lang: str) -> Answer:
    """Fold an answer and find its clauses.

    Args:
        text: The trainee's answer, any length, possibly with control characters.
        lang: ``zh``, ``zh-Hant`` or ``en``.
    """
    head = text[:MAX_ANALYSED]
    folded = fold(head)
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _CLAUSE_SPLIT_RE.finditer(folded):
        if m.start() > pos:
            starts.append(pos)
            ends.append(m.start())
        pos = m.end()
    if pos < len(folded):
        starts.append(pos)
        ends.append(len(folded))
    chinese = is_chinese(lang)
    if chinese:
        scripts = ("zh", "en") if _LATIN_RUN_RE.search(folded) else ("zh",)
    else:
        scripts = ("en", "zh") if _CJK_RE.search(folded) else ("en",)
    return Answer(text, folded, chinese, length_units(text), tuple(starts), tuple(ends), scripts)
