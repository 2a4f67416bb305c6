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

import atexit
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable, Mapping

import yaml

from scoring.patterncache import PatternCache
from scoring.regexfirst import anchored, first_chars
from scoring.text import Answer

_MACRO_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_EN_WORD_RE = re.compile(r"[a-z0-9']+")


_EN_HEAD = "(?<![a-z0-9])(?:"
_EN_TAIL = ")(?![a-z0-9]|'(?!s(?![a-z0-9]))[a-z])"


def en_whole_words(body: str) -> str:
    """An English pattern made to match whole words only.

    No letter or digit may touch the cue on either side, and "can" must not match the start of
    "can't"; a possessive or "is" ("hotline's on the box", "support's the one to chase") still ends
    the word.
    """
    return f"{_EN_HEAD}{body}{_EN_TAIL}"


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
    """A cue group, ready to search (its patterns compile on first use)."""

    name: str
    """Its key in ``data/cues.yaml``."""
    patterns: Mapping[str, Alternation | None]
    """``zh`` and ``en``: one alternation of all the group's patterns (None when it has none)."""
    exceptions: Mapping[str, Alternation | None]
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


_SPECIAL = set("\\.^$*+?{}[]()|")
_QUANTIFIERS = set("*+?{")


_MAX_DISTRIBUTED = 40
"""Most branches one branch may be spelt out into (``_distribute``)."""
_MAX_GROWTH = 400
"""Most characters spelling a branch out may add at one level (compiling long patterns is what
makes loading slow)."""


def _scan(pattern: str, stop_at_close: bool = False) -> tuple[list[str], int]:
    """The top-level alternatives of ``pattern`` and where it ended: at its end, or with
    ``stop_at_close`` at the ``)`` closing a group opened just before ``pattern``."""
    out: list[str] = []
    depth, start, i, n = 0, 0, 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            # A "]" first in the class ("[]a]", "[^]a]") is a member, not the end.
            j = i + 1 + (pattern[i + 1: i + 2] == "^")
            if pattern[j: j + 1] == "]":
                i = j
        elif c == "(":
            depth += 1
        elif c == ")":
            if depth == 0 and stop_at_close:
                break
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:i])
    return out, i


def _top_level_branches(pattern: str) -> list[str]:
    """The alternatives of ``pattern`` at its top level ("a|b(c|d)" -> ["a", "b(c|d)"])."""
    return _scan(pattern)[0]


def _distribute(branch: str) -> list[str]:
    """A branch that opens with a group, spelt out: "(?:a|b)c" -> ["ac", "bc"], "(?:a|b)?c" ->
    ["ac", "bc", "c"] (same matches, tried in the same order), so the alternatives get literal
    first characters ``_dispatch`` can group. Left whole when it would grow past
    ``_MAX_DISTRIBUTED`` branches or the group has another quantifier."""
    if not branch.startswith("(?:"):
        return [branch]
    alternatives, end = _scan(branch[3:], stop_at_close=True)
    rest = branch[3 + end + 1:]
    if rest[:1] == "?" and rest[1:2] not in ("?", "+"):
        alternatives, rest = alternatives + [""], rest[1:]
    elif rest[:1] in _QUANTIFIERS:
        return [branch]
    if len(rest) * (len(alternatives) - 1) > _MAX_GROWTH:
        return [branch]
    out: list[str] = []
    for alternative in alternatives:
        out.extend(_distribute(alternative + rest))
        if len(out) > _MAX_DISTRIBUTED:
            return [branch]
    return out


def _literal_head(branch: str) -> str | None:
    """The branch's first character when it is a plain literal the regex must match first."""
    if not branch or branch[0] in _SPECIAL or not (branch[0].isalnum() or branch[0] in " '"):
        return None
    if branch[1:2] and branch[1] in _QUANTIFIERS:
        return None
    return branch[0]


def _dispatch(branches: list[str]) -> str:
    """One alternation of ``branches`` that matches exactly what "(?:b1)|(?:b2)|..." matches, faster.

    A long alternation is tried branch by branch at every position of the answer. Branches that
    start with a literal character are grouped under that character ("好(?:处|用)"), so a position
    costs one test per distinct first character instead of one per branch, and an alternation
    whose branches all start with literals lets the regex engine skip to candidate characters.
    Leftmost-first order is kept: two branches with different first characters can never both
    match at one position, so only the order within a first character matters, and branches that
    do not start with a literal stay where they are, between runs that are grouped separately.
    """
    parts: list[str] = []
    run: dict[str, list[str]] = {}

    def flush() -> None:
        for head, rests in run.items():
            parts.append(f"{re.escape(head)}(?:{'|'.join(rests)})" if any(rests) or len(rests) > 1 else re.escape(head))
        run.clear()

    for branch in branches:
        head = _literal_head(branch)
        if head is None:
            flush()
            parts.append(f"(?:{branch})")
        else:
            run.setdefault(head, []).append(branch[1:])
    flush()
    return "|".join(parts)


Compile = Callable[[str], "re.Pattern[str]"]
"""Compiles one regular expression (``re.compile``, or ``PatternCache.compile``)."""
CompilePrefixed = Callable[[str, tuple[str, ...]], "list[re.Pattern[str]]"]
"""Compiles one regular expression behind each of several prefixes (``PatternCache.compile_prefixed``)."""


def _compile_each(body: str, prefixes: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(prefix + body) for prefix in prefixes]


class Alternation:
    """One cue group's patterns in one language, found as the alternation "(?:p1)|(?:p2)|...".

    Built and compiled on first use: a one-shot ``roleplay grade`` needs only the groups of the
    checks it grades, a Chinese answer never needs the English patterns, and spelling out and
    compiling the whole cue book is most of the scorer's load time.

    Chinese alternations are searched in two halves: the branches that start with a literal
    character (nearly all of them) and the rest (a lookbehind, "^", a character class first). When
    every branch of a regex starts with a literal, the engine jumps straight to the characters that
    can start a match; a single branch that does not makes it try every branch at every position,
    which was most of grading's time. The halves' matches are merged leftmost-first, and where both
    halves match at the same place the whole alternation (compiled only then) decides which branch
    comes first, so the spans found are exactly those of the plain alternation.

    English alternations are searched from the places a whole word can start (``_WordStarts``),
    the longest ones (many branches that do not start with a literal) in two halves the same way.
    """

    __slots__ = ("_lang", "_where", "_sources", "_macros", "_pattern", "_halves", "_whole", "_compile",
                 "_compile_prefixed", "_words", "_tie")

    def __init__(self, patterns: list[str], lang: str, where: str, macros: Mapping[str, str],
                 compile: Compile, compile_prefixed: CompilePrefixed | None = None) -> None:
        """
        Args:
            patterns: The group's patterns for ``lang``, as written (macros not yet expanded).
            lang: ``zh`` or ``en`` (English matches whole words only).
            where: Where they come from, for error messages ("argue.zh").
            macros: The cue book's macros, expanded.
            compile: How to compile a regular expression.
            compile_prefixed: How to compile one regular expression behind several one-character
                prefixes at once (``PatternCache.compile_prefixed``); None compiles each.
        """
        self._lang, self._where, self._macros, self._compile = lang, where, macros, compile
        self._compile_prefixed = compile_prefixed or _compile_each
        self._sources: list[tuple[str, str]] = [(p, p) for p in patterns]
        self._pattern: str | None = None
        self._halves: list[re.Pattern[str]] | None = None
        self._whole: re.Pattern[str] | None = None
        self._words: tuple[_WordStarts, ...] | None = None
        self._tie: re.Pattern[str] | None = None

    @classmethod
    def of_branches(cls, branches: list[str], lang: str, compile: Compile = re.compile) -> Alternation:
        """An alternation of ready-made branches (no macros): for tests and tools."""
        return cls(["|".join(branches)], lang, "branches", {}, compile)

    def _branches(self) -> list[str]:
        """The group's branches, macros expanded and leading groups spelt out (``_distribute``)."""
        expanded = [_expand(original, self._macros) for original, _ in self._sources]
        self._sources = [(original, e) for (original, _), e in zip(self._sources, expanded)]
        return [b for p in expanded for branch in _top_level_branches(p) for b in _distribute(branch)]

    def _whole_text(self, body: str) -> str:
        return en_whole_words(body) if self._lang == "en" else body

    @property
    def pattern(self) -> str:
        """The whole alternation's text."""
        if self._pattern is None:
            self._pattern = self._whole_text(_dispatch(self._branches()))
        return self._pattern

    @property
    def compiled(self) -> bool:
        """Whether the patterns are compiled yet."""
        return self._halves is not None

    def _ready(self) -> list[re.Pattern[str]]:
        if self._halves is None:
            branches = self._branches()
            body = _dispatch(branches)
            self._pattern = self._whole_text(body)
            literal = [b for b in branches if _literal_head(b) is not None]
            other = [b for b in branches if _literal_head(b) is None]
            if self._lang == "en":
                # Searched from word starts (``_WordStarts``); the whole alternation compiles only if
                # an empty match ever needs ``finditer``'s own stepping.
                if len(literal) >= _SPLIT_LITERAL and len(other) >= _SPLIT_OTHER:
                    # A long alternation whose literal runs are broken up by many other branches:
                    # searched in two halves, as the Chinese ones are.
                    self._words = tuple(_WordStarts(_dispatch(half), self._checked_prefixed, firsts=_first_class(half))
                                        for half in (literal, other))
                else:
                    self._words = (_WordStarts(body, self._checked_prefixed, firsts=_first_class(branches)),)
                self._halves = []
            else:
                halves = [literal, other] if literal and other else [branches]
                self._halves = [self._checked(_dispatch(h)) for h in halves]
        return self._halves

    def _checked(self, body: str) -> re.Pattern[str]:
        return self._named_errors(self._compile, body)

    def _checked_prefixed(self, body: str, prefixes: tuple[str, ...]) -> list[re.Pattern[str]]:
        return self._named_errors(lambda b: self._compile_prefixed(b, prefixes), body)

    def _named_errors(self, compile: Callable[[str], Any], body: str) -> Any:
        try:
            return compile(body)
        except re.error:
            # Name the faulty pattern rather than the whole alternation.
            for original, expanded in self._sources:
                try:
                    re.compile(expanded)
                except re.error as exc:
                    raise ValueError(f"scoring/data/cues.yaml: {self._where}: bad pattern {original!r}: {exc}") from None
            raise

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the alternation matches in ``text``, as ``finditer`` would find them."""
        halves = self._ready()
        if self._words is not None:
            found = self._words[0].spans(text) if len(self._words) == 1 else self._merged_words(text)
            return [m.span() for m in self._checked_whole().finditer(text)] if found is None else found
        if len(halves) == 1:
            return [m.span() for m in halves[0].finditer(text)]
        first, second = halves
        out: list[tuple[int, int]] = []
        pos = 0
        a, b = first.search(text), second.search(text)
        while a is not None or b is not None:
            if b is None or (a is not None and a.start() < b.start()):
                m = a
            elif a is None or b.start() < a.start():
                m = b
            else:  # both halves match here: the branch that comes first in the whole decides
                m = self._checked_whole().match(text, a.start())
            assert m is not None, "a branch matched here, so the whole alternation does"
            if m.end() == m.start():  # an empty match: leave the stepping rules to finditer
                return [x.span() for x in self._checked_whole().finditer(text)]
            out.append(m.span())
            pos = m.end()
            if a is not None and a.start() < pos:
                a = first.search(text, pos)
            if b is not None and b.start() < pos:
                b = second.search(text, pos)
        return out

    def _merged_words(self, text: str) -> list[tuple[int, int]] | None:
        """The two English halves' matches merged leftmost-first, ties decided by the whole
        alternation (as for Chinese); None after an empty match."""
        first, second = self._words  # type: ignore[misc]
        out: list[tuple[int, int]] = []
        a, b = first.first(text, 0), second.first(text, 0)
        while a is not None or b is not None:
            if b is None or (a is not None and a[0] < b[0]):
                m = a
            elif a is None or b[0] < a[0]:
                m = b
            else:  # both halves match here: the branch that comes first in the whole decides
                tie = self._tie_breaker().match(text, a[0])
                assert tie is not None, "a branch matched here, so the whole alternation does"
                m = tie.span()
            if m[1] <= m[0]:
                return None
            out.append(m)
            pos = m[1]
            if a is not None and a[0] < pos:
                a = first.first(text, pos)
            if b is not None and b[0] < pos:
                b = second.first(text, pos)
        return out

    def _tie_breaker(self) -> re.Pattern[str]:
        """The whole English alternation without the check before the cue (it holds where a half matched)."""
        if self._tie is None:
            self._tie = self._checked(self.pattern[len(_EN_HEAD) - 3:])
        return self._tie

    def _checked_whole(self) -> re.Pattern[str]:
        if self._whole is None:
            self._whole = self._checked(self.pattern)
        return self._whole

    def search(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether the alternation matches anywhere in ``text[start:end]``."""
        stop = len(text) if end is None else end
        halves = self._ready()
        if self._words is not None:
            return any(words.search(text, start, stop) for words in self._words)
        return any(h.search(text, start, stop) is not None for h in halves)


_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class _WordStarts:
    """An English alternation searched from the places a whole word can start.

    A cue must not follow a letter or digit. Searched as it is written, that check runs at every
    character of the answer; here the engine's fast path finds the cues after a space (" cue": it
    jumps from space to space) and after an apostrophe, the start is tried on its own, and so are
    the few other places where a character a cue can start with follows other punctuation. The
    leftmost wins and the same alternation decides at each place, so the matches are exactly those
    of the whole-word alternation (``finditer``).
    """

    __slots__ = ("after_space", "after_apostrophe", "bare", "others")

    def __init__(self, body: str, compile_prefixed: CompilePrefixed, *, firsts: str | None) -> None:
        """
        Args:
            body: The alternation, without the whole-word check.
            compile_prefixed: How to compile it behind one-character prefixes (parsed once).
            firsts: A character class of every character a cue can start with ("[a-z\\d']"), None
                when unknown (every other place is then tried).
        """
        tail = _EN_TAIL[1:]  # the check after the cue, without the group's closing parenthesis
        # Two patterns rather than "[ ']cue": a literal first character is the engine's fastest path.
        self.after_space, self.after_apostrophe, self.bare = compile_prefixed(f"(?:{body}){tail}", (" ", "'", ""))
        """The cues that follow a space (the space included), an apostrophe (likewise), and the cues
        without the check before them, for places where it is known to hold."""
        self.others = _OTHER_START if firsts is None else f"{_OTHER_START}(?={firsts})"
        """Where else a cue may start: just after what this regex matches (``_other_word_starts``)."""

    def spans(self, text: str) -> list[tuple[int, int]] | None:
        """The whole-word matches in ``text``, leftmost first; None after an empty one (the caller
        then leaves the stepping rules to ``finditer``)."""
        # The same steps as ``first``, but each search is kept until the place it found is passed
        # (``first`` alone would search again after every match: 5% slower on English answers).
        out: list[tuple[int, int]] = []
        pos = 0
        first = self.bare.match(text)
        if first is not None:
            if first.end() == 0:
                return None
            out.append(first.span())
            pos = first.end()
        others = _other_word_starts(text, self.others)
        k = bisect_left(others, pos)
        space = self.after_space.search(text, max(pos - 1, 0))
        apostrophe = self.after_apostrophe.search(text, max(pos - 1, 0))
        beyond = len(text) + 1
        while True:
            at_space = space.start() + 1 if space is not None else beyond
            at_apostrophe = apostrophe.start() + 1 if apostrophe is not None else beyond
            nearest = min(at_space, at_apostrophe)
            hit: tuple[int, int] | None = None
            while k < len(others) and others[k] < nearest:
                m = self.bare.match(text, others[k])
                k += 1
                if m is not None:
                    hit = m.span()
                    break
            if hit is None:
                if nearest == beyond:
                    return out
                # A space and an apostrophe are different characters: the two never start together.
                hit = (at_space, space.end()) if at_space < at_apostrophe else (at_apostrophe, apostrophe.end())  # type: ignore[union-attr]
            if hit[1] <= hit[0]:
                return None
            out.append(hit)
            pos = hit[1]
            k = bisect_left(others, pos, k)
            if space is not None and at_space < pos:
                space = self.after_space.search(text, pos - 1)
            if apostrophe is not None and at_apostrophe < pos:
                apostrophe = self.after_apostrophe.search(text, pos - 1)

    def first(self, text: str, pos: int) -> tuple[int, int] | None:
        """The leftmost whole-word match that starts at ``pos`` or later, or None."""
        if pos == 0:
            m = self.bare.match(text)
            if m is not None:
                return m.span()
        space = self.after_space.search(text, max(pos - 1, 0))
        apostrophe = self.after_apostrophe.search(text, max(pos - 1, 0))
        beyond = len(text) + 1
        at_space = space.start() + 1 if space is not None else beyond
        at_apostrophe = apostrophe.start() + 1 if apostrophe is not None else beyond
        nearest = min(at_space, at_apostrophe)
        others = _other_word_starts(text, self.others)
        for k in range(bisect_left(others, max(pos, 1)), len(others)):
            if others[k] >= nearest:
                break
            m = self.bare.match(text, others[k])
            if m is not None:
                return m.span()
        if nearest == beyond:
            return None
        # A space and an apostrophe are different characters: the two never start at one place.
        return (at_space, space.end()) if at_space < at_apostrophe else (at_apostrophe, apostrophe.end())  # type: ignore[union-attr]

    def search(self, text: str, start: int, stop: int) -> bool:
        """Whether a whole-word cue matches in ``text[start:stop]``, as ``search(text, start, stop)``
        of the whole-word alternation would find it."""
        if start == 0 and self.bare.match(text, 0, stop) is not None:
            return True
        if any(p.search(text, max(start - 1, 0), stop) is not None for p in (self.after_space, self.after_apostrophe)):
            return True
        others = _other_word_starts(text, self.others)
        return any(self.bare.match(text, o, stop) is not None
                   for o in others[bisect_left(others, max(start, 1)):] if o <= stop)


_SPLIT_LITERAL = 50
_SPLIT_OTHER = 10
"""An English alternation with at least this many branches that start with a literal character and
this many that do not is searched in two halves (``Alternation``); a smaller one is cheaper whole."""

_OTHER_START = "[^a-z0-9 ']"
"""A character after which a word may start, other than a space or an apostrophe."""


def _first_class(branches: Iterable[str]) -> str | None:
    """A character class admitting every character the ``branches`` can start with (None: unknown).

    Letters and digits are written as "a-z\\d" whatever the branches start with: the class only
    has to admit at least those characters, and one shared class lets every group reuse the places
    found (``_other_word_starts``).
    """
    chars: set[str] = set()
    for branch in branches:
        head = _literal_head(branch)
        if head is not None:  # most branches: no need to parse them
            chars.add(head)
            continue
        if anchored(branch):  # only ever tried at the start
            continue
        found = first_chars(branch)
        if found is None:
            return None
        chars |= found
    extra = sorted(c for c in chars if c not in _ALNUM and c != r"\d")
    return "[a-z\\d" + "".join(c if c in (r"\w", r"\s") else re.escape(c) for c in extra) + "]"


@lru_cache(maxsize=16)
def _other_word_starts(text: str, pattern: str) -> list[int]:
    """Where ``pattern`` (a character before a word start, see ``_WordStarts``) ends in ``text``.
    Cached: every English group of an answer asks, and most share one pattern."""
    return [m.end() for m in re.finditer(pattern, text)]


def _alternation(patterns: Any, lang: str, macros: Mapping[str, str], where: str,
                 compile: Compile, compile_prefixed: CompilePrefixed | None) -> Alternation | None:
    if not patterns:
        return None
    return Alternation([str(p) for p in ([patterns] if isinstance(patterns, str) else patterns)], lang, where,
                       macros, compile, compile_prefixed)


class CueBook:
    """All cue groups, ready to search answers."""

    def __init__(self, raw: Mapping[str, Any], cache: PatternCache | None = None) -> None:
        """
        Args:
            raw: The parsed ``cues.yaml``.
            cache: Compiled patterns kept from an earlier run (``scoring.patterncache``); None compiles afresh.
        """
        compile: Compile = cache.compile if cache is not None else re.compile
        prefixed = cache.compile_prefixed if cache is not None else None
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
                patterns={lang: _alternation(spec.get(lang), lang, macros, f"{name}.{lang}", compile, prefixed)
                          for lang in ("zh", "en")},
                exceptions={lang: _alternation(exceptions.get(lang), lang, macros, f"{name}.except.{lang}",
                                          compile, prefixed)
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

    def compile_all(self) -> None:
        """Compile every pattern now (they otherwise compile on first use); ``ValueError`` names a bad one."""
        for group in self.groups.values():
            for alternation in (*group.patterns.values(), *group.exceptions.values()):
                if alternation is not None:
                    alternation.spans("")

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

    def find(self, name: str, answer: Answer, *, negation: bool = True,
             raw: list[tuple[str, list[tuple[int, int]]]] | None = None) -> list[Hit]:
        """Every cue of group ``name`` in the answer, in text order, negated ones dropped.

        Args:
            name: The cue group.
            answer: The analysed answer.
            negation: False keeps the cues a negator cancels.
            raw: What ``spans(name, answer)`` returned for this answer, when the caller kept it
                (a detector that asks for the cues with and without negation searches once).
        """
        group = self.groups[name]
        hits: list[Hit] = []
        for lang, found in (self.spans(name, answer) if raw is None else raw):
            if negation and group.negation:
                found = [(s, e) for s, e in found if not self.negated(answer, s, group.negation, lang, group.negators)]
            hits.extend(Hit(s, e, name) for s, e in found)
        hits.sort(key=lambda h: (h.start, h.end))
        return hits

    def spans(self, name: str, answer: Answer) -> list[tuple[str, list[tuple[int, int]]]]:
        """Per pattern language, the spans of group ``name``'s cues that no exception overlaps."""
        group = self.groups[name]
        out: list[tuple[str, list[tuple[int, int]]]] = []
        for lang in self.langs_for(answer):
            pattern = group.patterns.get(lang)
            if pattern is None:
                continue
            found = [(s, e) for s, e in pattern.spans(answer.folded) if e > s]
            if not found:
                continue
            exc = group.exceptions.get(lang)
            if exc is not None:
                spans = exc.spans(answer.folded)
                found = [(s, e) for s, e in found if not any(s < xe and xs < e for xs, xe in spans)]
            out.append((lang, found))
        return out


@lru_cache(maxsize=1)
def load_cues() -> CueBook:
    """The shipped cue book (read once)."""
    text = resources.files("scoring").joinpath("data/cues.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    # Compiling the patterns is most of the load time: each compiles on first use, and the compiled
    # code is kept between runs (written when the process ends, so it holds what this run compiled).
    cache = PatternCache(text)
    atexit.register(cache.save)
    return CueBook(raw, cache)
