"""Cue groups: the patterns of ``data/cues.yaml``, compiled, with negation scope and exceptions.

A cue group is a list of regular expressions per language. ``CueBook.find(group, answer)``
returns the spans where the group's cues occur in the folded answer, after dropping

- cues overlapped by one of the group's ``except`` patterns ("尽可能" is not the hedge "可能"),
- cues negated in their own clause when the group sets ``negation: N``: a negator up to N
  characters (Chinese) or N words (English) before the cue cancels it, so "不能打折" is not a
  discount and "我不是说您错了" is not arguing. Look-alikes that do not negate ("不仅", "不错",
  "no problem") are skipped.

English patterns match whole words only. Both languages' patterns run on an answer that holds
both scripts (mixed answers such as "这个 model 的 battery 很耐用").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

import yaml

from scoring.text import Answer

_MACRO_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_EN_WORD_RE = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True, slots=True)
class Hit:
    """One cue found in an answer."""

    start: int
    """Offset of the cue in the answer."""
    end: int
    """Offset just past the cue."""
    group: str
    """The cue group it belongs to."""


@dataclass(frozen=True, slots=True)
class CueGroup:
    """A compiled cue group."""

    name: str
    """Its key in ``data/cues.yaml``."""
    patterns: Mapping[str, re.Pattern[str] | None]
    """``zh`` and ``en``: one alternation of all the group's patterns (None when it has none)."""
    exceptions: Mapping[str, re.Pattern[str] | None]
    """``zh`` and ``en``: patterns that cancel an overlapping cue."""
    negation: int
    """Look-back for a negator, in characters (zh) or words (en); 0 = negation is not checked."""
    negators: Mapping[str, re.Pattern[str]] | None = None
    """The group's own negators (e.g. "不是说" for arguing), replacing the book's; None: the book's."""


def _expand(pattern: str, macros: Mapping[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise ValueError(f"scoring/data/cues.yaml: unknown macro {{{name}}} in {pattern!r}")
        return macros[name]

    return _MACRO_RE.sub(sub, pattern)


def _compile(patterns: Any, lang: str, macros: Mapping[str, str], where: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    if isinstance(patterns, str):
        patterns = [patterns]
    expanded = [_expand(str(p), macros) for p in patterns]
    body = "|".join(f"(?:{p})" for p in expanded)
    if lang == "en":
        # Whole words only: no letter or digit may touch the cue on either side, and "can" must
        # not match the start of "can't".
        body = f"(?<![a-z0-9])(?:{body})(?![a-z0-9]|'[a-z])"
    try:
        return re.compile(body)
    except re.error:
        # Name the faulty pattern rather than the whole alternation.
        for original, p in zip(patterns, expanded):
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"scoring/data/cues.yaml: {where}: bad pattern {original!r}: {exc}") from None
        raise


class CueBook:
    """All cue groups, ready to search answers."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        macros = {str(k): str(v) for k, v in (raw.get("macros") or {}).items()}
        # Macros may use earlier macros.
        for key in list(macros):
            macros[key] = _expand(macros[key], macros)
        self.groups: dict[str, CueGroup] = {}
        for name, spec in (raw.get("groups") or {}).items():
            exceptions = spec.get("except") or {}
            own = spec.get("negators")
            self.groups[name] = CueGroup(
                name=name,
                patterns={lang: _compile(spec.get(lang), lang, macros, f"{name}.{lang}") for lang in ("zh", "en")},
                exceptions={lang: _compile(exceptions.get(lang), lang, macros, f"{name}.except.{lang}")
                            for lang in ("zh", "en")},
                negation=int(spec.get("negation") or 0),
                negators=self._negator_patterns(own) if own else None,
            )
        self._negator = self._negator_patterns(raw.get("negators") or {})
        self._not_negator = self._negator_patterns(raw.get("not_negators") or {})

    @staticmethod
    def _negator_patterns(spec: Mapping[str, str]) -> dict[str, re.Pattern[str]]:
        return {"zh": re.compile(spec.get("zh") or "(?!)"),
                "en": re.compile(rf"(?<![a-z])(?:{spec.get('en') or '(?!)'})(?![a-z])")}

    def langs_for(self, answer: Answer) -> tuple[str, ...]:
        """The pattern languages to run on an answer: its own, plus the other script when present."""
        return answer.scripts

    def negated(self, answer: Answer, start: int, window: int, lang: str,
                negators: Mapping[str, re.Pattern[str]] | None = None) -> bool:
        """True when a negator stands up to ``window`` characters/words before ``start`` in its clause."""
        c_start, _ = answer.clause(start)
        if lang == "zh":
            before = answer.folded[max(c_start, start - window - 3):start]
            before = self._not_negator["zh"].sub("  ", before)
            before = before[-window:] if window else ""
        else:
            words = _EN_WORD_RE.findall(answer.folded[c_start:start])
            before = " ".join(words[-window:]) if window else ""
            before = self._not_negator["en"].sub(" ", before)
        return bool(before) and (negators or self._negator)[lang].search(before) is not None

    def find(self, name: str, answer: Answer, *, negation: bool = True) -> list[Hit]:
        """Every cue of group ``name`` in the answer, in text order, negated ones dropped."""
        group = self.groups[name]
        hits: list[Hit] = []
        for lang in self.langs_for(answer):
            pattern = group.patterns.get(lang)
            if pattern is None:
                continue
            found = [(m.start(), m.end()) for m in pattern.finditer(answer.folded) if m.end() > m.start()]
            if not found:
                continue
            exc = group.exceptions.get(lang)
            if exc is not None:
                spans = [(m.start(), m.end()) for m in exc.finditer(answer.folded)]
                found = [(s, e) for s, e in found if not any(s < xe and xs < e for xs, xe in spans)]
            if negation and group.negation:
                found = [(s, e) for s, e in found if not self.negated(answer, s, group.negation, lang, group.negators)]
            hits.extend(Hit(s, e, name) for s, e in found)
        hits.sort(key=lambda h: (h.start, h.end))
        return hits


@lru_cache(maxsize=1)
def load_cues() -> CueBook:
    """The shipped cue book (read once)."""
    text = resources.files("scoring").joinpath("data/cues.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return CueBook(raw)
