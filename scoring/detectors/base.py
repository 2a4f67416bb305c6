"""What every detector shares: the analysed answer, cached cue hits, and the ``Finding`` it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from scoring.cues import CueBook, Hit
from scoring.factmatch import FactIndex, FactMatch, units_at
from scoring.text import Answer, fold


@dataclass(frozen=True, slots=True)
class Finding:
    """What a detector saw in one answer.

    ``found`` means the thing the check looks for is there: for a ``does`` check the trainee did
    it; for an ``avoids`` check they did the wrong thing. The grader turns it into ``passed``.
    """

    found: bool
    """The behaviour the detector looks for occurs in the answer."""
    start: int = -1
    """Start of the deciding words in the answer (-1: none)."""
    end: int = -1
    """End of the deciding words."""
    note: str = ""
    """A note key (``scoring/data/notes.yaml``) saying why, when no span does, or what the span is."""
    widen: bool = True
    """Widen the span to its clause for the evidence (False: the span is already the right size)."""

    @property
    def has_span(self) -> bool:
        """True when the finding points at words of the answer."""
        return 0 <= self.start < self.end


def span(hit: Hit | FactMatch | tuple[int, int], note: str = "", *, found: bool = True, widen: bool = True) -> Finding:
    """A positive finding at a cue hit, a fact match or a (start, end) pair."""
    if isinstance(hit, tuple):
        start, end = hit
    else:
        start, end = hit.start, hit.end
    return Finding(found, start, end, note, widen)


def sentence(text: str, pos: int) -> tuple[int, int]:
    """The (start, end) of the sentence (between . ! ? ; and line breaks) holding offset ``pos``."""
    start = max(text.rfind(c, 0, pos) for c in ".!?;\n") + 1
    ends = [i for i in (text.find(c, pos) for c in ".!?;\n") if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def through_next_sentence(text: str, pos: int) -> int:
    """The end of the sentence after the one holding ``pos`` (or of that one, when it is the last)."""
    _, end = sentence(text, pos)
    return sentence(text, end)[1] if end < len(text) else end


def nothing(note: str) -> Finding:
    """A negative finding with the reason."""
    return Finding(False, note=note)


@dataclass
class Context:
    """One answer being graded, with everything the detectors compute once and share."""

    answer: Answer
    """The folded answer."""
    lang: str
    """``zh``, ``zh-Hant`` or ``en``."""
    cues: CueBook
    """The cue groups."""
    facts: FactIndex | None = None
    """The product sheet's phrases, when the scenario has a product."""
    customer: str = ""
    """What the customer just said (context for a few detectors)."""
    _hits: dict[tuple[str, bool], list[Hit]] = field(default_factory=dict)
    _raw: dict[str, list[tuple[str, list[tuple[int, int]]]]] = field(default_factory=dict)
    _memo: dict[str, object] = field(default_factory=dict)
    _units: dict[str, list[int]] | None = None

    def hits(self, group: str, *, negation: bool = True) -> list[Hit]:
        """The cue hits of ``group`` (cached; the group is searched once for both kinds)."""
        key = (group, negation)
        if key not in self._hits:
            raw = self._raw.get(group)
            if raw is None:
                raw = self._raw[group] = self.cues.spans(group, self.answer)
            self._hits[key] = self.cues.find(group, self.answer, negation=negation, raw=raw)
        return self._hits[key]

    def has_hits_of(self, group: str, *, negation: bool = True) -> bool:
        """True when ``group`` was already searched in this answer (reading it again is free)."""
        return (group, negation) in self._hits

    def has_facts_of(self, kind: str, threshold: float = 0.5) -> bool:
        """True when the facts of ``kind`` were already matched in this answer."""
        return f"facts:{kind}:{threshold}" in self._memo

    def first(self, group: str) -> Hit | None:
        """The first hit of ``group``, or None."""
        hits = self.hits(group)
        return hits[0] if hits else None

    def negated(self, group: str) -> list[Hit]:
        """Cues of ``group`` that a negator cancelled ("不能打折")."""
        all_hits = self.hits(group, negation=False)
        kept = {(h.start, h.end) for h in self.hits(group)}
        return [h for h in all_hits if (h.start, h.end) not in kept]

    def fact_matches(self, kind: str, threshold: float = 0.5) -> list[FactMatch]:
        """Phrases of the product sheet of ``kind`` said in the answer (cached)."""
        if self.facts is None:
            return []
        key = f"facts:{kind}:{threshold}"
        if key not in self._memo:
            self._memo[key] = self.facts.matches(self.answer, self.units(), kind, threshold)
        return self._memo[key]  # type: ignore[return-value]

    def units(self) -> dict[str, list[int]]:
        """The answer's matching units (``scoring.factmatch.units_at``) with their offsets (cached)."""
        if self._units is None:
            self._units = units_at(self.answer.folded)
        return self._units

    def customer_folded(self) -> str:
        """What the customer just said, folded like the answer (cached)."""
        if "customer_folded" not in self._memo:
            self._memo["customer_folded"] = fold(self.customer) if self.customer else ""
        return self._memo["customer_folded"]  # type: ignore[return-value]

    def customer_units(self) -> dict[str, list[int]]:
        """The units of what the customer just said (cached)."""
        if "customer_units" not in self._memo:
            self._memo["customer_units"] = units_at(self.customer_folded())
        return self._memo["customer_units"]  # type: ignore[return-value]

    def memo(self, key: str, compute: Callable[[], object]) -> object:
        """Compute a value once per answer (detectors reuse each other's findings)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


Detector = Callable[[Context], Finding]
"""A detector: one answer in, one finding out. Pure and deterministic."""
