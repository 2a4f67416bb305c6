"""Finding a product fact in the trainee's own words.

A trainee rarely repeats the product sheet word for word. Each fact phrase and the answer are cut
into *units* - Chinese character bigrams, English content-word stems, and numbers (Chinese
numerals and digits alike, so "四十页" meets "40页") - and a phrase counts as said when enough of
its units occur in one clause of the answer. The clause with the most shared units is the
evidence. Function-word units ("我们", "the") are left out: they would match any answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scoring.facts import ProductFacts
from scoring.text import CJK, Answer, fold

_CJK_RUN_RE = re.compile(f"[{CJK}]+")
_EN_WORD_RE = re.compile(r"[a-z][a-z']*[a-z]|[a-z]")  # hyphens split words: 'single-origin' is 'single origin'
_CN_NUM_RE = re.compile(r"[零〇一二三四五六七八九十两百千万]+")
_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")

# Characters that carry grammar, not content: a bigram made only of them says nothing.
FUNCTION_CHARS = frozenset("的了是在和有也都就我们您你他她它这那个一不很吗吧呢啊呀嘛着过给把被让对从到为与及或而且还又再会能要可以得地之其所")
_EN_STOP = set(
    "a an the and or but of to in on at for with by from as is are was were be been being it its this that these "
    "those you your we our us they their i me my he she his her them so than then there here very really just "
    "also can will would could should may might do does did done have has had not no more most less all any "
    "every each one which who what when where how up out into over about after before".split()
)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_number(text: str) -> int | None:
    """The value of a Chinese numeral such as ``四十``, ``一百二十``, ``三千``; None when it is not one."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total = (total + section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
        else:
            return None
    return total + section + (digit or 0)


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    # Cached: the same few thousand words come back in every answer and every product phrase.
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def units_at(folded: str) -> dict[str, list[int]]:
    """Every unit of a folded text with the offsets where it starts."""
    out: dict[str, list[int]] = {}
    for m in _CJK_RUN_RE.finditer(folded):
        run, base = m.group(0), m.start()
        for i in range(len(run) - 1):
            bigram = run[i: i + 2]
            if bigram[0] in FUNCTION_CHARS and bigram[1] in FUNCTION_CHARS:
                continue
            out.setdefault(bigram, []).append(base + i)
        if len(run) == 1 and run not in FUNCTION_CHARS:
            out.setdefault(run, []).append(base)
    for m in _CN_NUM_RE.finditer(folded):
        value = cn_number(m.group(0))
        if value is not None and m.group(0) not in ("一", "两"):
            out.setdefault(f"#{value}", []).append(m.start())
    for m in _DIGITS_RE.finditer(folded):
        out.setdefault(f"#{m.group(0)}", []).append(m.start())
    for m in _EN_WORD_RE.finditer(folded):
        word = m.group(0)
        if word in _EN_STOP or len(word) < 3:
            continue
        out.setdefault(_stem(word), []).append(m.start())
    return out


@dataclass(frozen=True, slots=True)
class Phrase:
    """One fact phrase, cut into units."""

    kind: str
    """``feature``, ``advantage``, ``benefit``, ``competitor`` or ``support``."""
    text: str
    """The phrase as the trainer wrote it."""
    units: frozenset[str]
    """Its units."""


@dataclass(frozen=True, slots=True)
class FactMatch:
    """A fact phrase found in an answer."""

    kind: str
    """Which kind of fact."""
    phrase: str
    """The product sheet's phrase."""
    score: float
    """Share of the phrase's units found in the best clause (0-1)."""
    start: int
    """Start of the clause that holds them."""
    end: int
    """End of that clause."""


class FactIndex:
    """The phrases of one product sheet, ready to be looked for in answers."""

    def __init__(self, facts: ProductFacts) -> None:
        self.facts = facts
        phrases: list[Phrase] = []
        for kind, texts in (("feature", facts.features), ("advantage", facts.advantages),
                            ("benefit", facts.benefits), ("competitor", facts.competitors),
                            ("support", (facts.support_team,) if facts.support_team else ())):
            for text in texts:
                units = frozenset(units_at(fold(text)))
                if units:
                    phrases.append(Phrase(kind, text, units))
        self.phrases = tuple(phrases)
        self.hotline_digits = re.sub(r"\D", "", facts.hotline or "")

    def matches(self, answer: Answer, units: dict[str, list[int]], kind: str, threshold: float) -> list[FactMatch]:
        """Phrases of ``kind`` whose units reach ``threshold`` within one clause, best first."""
        found: list[FactMatch] = []
        for phrase in self.phrases:
            if phrase.kind != kind:
                continue
            shared = [u for u in phrase.units if u in units]
            # Short phrases (a brand name) must be found whole; longer ones need two units at least.
            need = len(phrase.units) if len(phrase.units) <= 2 else 2
            if len(shared) < need:
                continue
            # Count shared units per clause: a fact is said in one breath, not pieced together.
            per_clause: dict[tuple[int, int], set[str]] = {}
            for u in shared:
                for pos in units[u]:
                    per_clause.setdefault(answer.clause(pos), set()).add(u)
            (c_start, c_end), best = max(per_clause.items(), key=lambda kv: (len(kv[1]), -kv[0][0]))
            score = len(best) / len(phrase.units)
            if len(best) >= need and score >= threshold:
                found.append(FactMatch(kind, phrase.text, score, c_start, c_end))
        found.sort(key=lambda m: (-m.score, m.start))
        return found

    def hotline_in(self, answer: Answer) -> tuple[int, int] | None:
        """Where the product's hotline number is given in the answer, if it is."""
        if len(self.hotline_digits) < 3:
            return None
        digits = [(i, c) for i, c in enumerate(answer.folded) if c.isdigit()]
        joined = "".join(c for _, c in digits)
        at = joined.find(self.hotline_digits)
        if at < 0:
            return None
        return digits[at][0], digits[at + len(self.hotline_digits) - 1][0] + 1


@lru_cache(maxsize=64)
def fact_index(facts: ProductFacts) -> FactIndex:
    """The index of a product sheet (cached: the engine passes the same facts every turn)."""
    return FactIndex(facts)
