"""Compiled cue patterns kept between runs, so the scorer loads fast.

Python's regular-expression compiler spends about half a second on the cue book (a few hundred
kilobytes of alternations). What it produces is a list of small integers per pattern, which the
``_sre`` engine turns into a pattern object in microseconds. This module keeps those lists in the
user's cache folder (``roleplay.cachefiles``) and rebuilds the patterns from them on the next load.

The cache is only a shortcut: it is keyed by the exact Python build and the pattern text, so a new
Python or an edited ``cues.yaml`` simply misses and recompiles; an unreadable, stale or damaged file
is ignored (``_sre`` validates the code it is given); ``ROLEPLAY_NO_CACHE=1`` turns it off. Only the
compiler's internals are used, and any of them missing (another Python) means plain ``re.compile``.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
from pathlib import Path
from typing import Any

try:  # CPython 3.11+: the compiler's own steps, so its output can be kept.
    import _sre
    from re import _compiler, _constants, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another implementation: no cache
    _sre = _compiler = _constants = _parser = None  # type: ignore[assignment]

_FORMAT = 1
"""Bumped when the file's layout changes."""

Entry = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]
"""flags, code, groups - 1, group index, index group: what ``_sre.compile`` takes."""


def _build_tag() -> str:
    magic = getattr(_sre, "MAGIC", None) if _sre is not None else None
    return f"{sys.implementation.name}-{sys.version}-{magic}-{_FORMAT}"


def _opens_or_branches(body: str) -> bool:
    """Whether ``body`` starts with an anchor or has a "|" outside every group and class."""
    if body[:1] == "^" or body[:2] == "\\A":
        return True
    depth, i, in_class = 0, 0, False
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 + (body[i + 1: i + 2] == "^")  # a "]" first in a class is a member
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


class PatternCache:
    """Compiles patterns, reusing the compiled code kept from an earlier run when there is one."""

    def __init__(self, key_text: str) -> None:
        """
        Args:
            key_text: The source the patterns come from (the cue file's text): part of the file name.
        """
        self._usable = _sre is not None and hasattr(_compiler, "_code") and hasattr(_parser, "parse")
        digest = hashlib.sha256((_build_tag() + "\0" + key_text).encode("utf-8")).hexdigest()[:20]
        self._name = f"cues-{digest}.sre"
        self._kept: dict[str, Entry] = {}
        self._new: dict[str, Entry] = {}
        if self._usable:
            self._kept = self._read()

    def compile(self, body: str) -> re.Pattern[str]:
        """The compiled pattern for ``body`` (``re.error`` as ``re.compile`` would raise it)."""
        if not self._usable:
            return re.compile(body)
        entry = self._kept.get(body)
        if entry is not None:
            try:
                return _sre.compile(body, entry[0], entry[1], entry[2], entry[3], entry[4])
            except Exception:  # noqa: BLE001 - damaged cache entry: compile afresh (below)
                self._kept.pop(body, None)
        return self._build(body, _parser.parse(body, 0))

    def _build(self, body: str, parsed: Any) -> re.Pattern[str]:
        code = _compiler._code(parsed, 0)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[Any] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        # The code holds named opcode constants (int subclasses): plain ints keep and load alike.
        entry = (int(parsed.state.flags), [int(op) for op in code], parsed.state.groups - 1, groupindex,
                 tuple(indexgroup))
        self._new[body] = entry
        return _sre.compile(body, *entry)

    def compile_prefixed(self, body: str, prefixes: tuple[str, ...]) -> list[re.Pattern[str]]:
        """``prefix + body`` compiled for each one-character (or empty) prefix, ``body`` parsed once.

        Parsing is most of compiling a long alternation; the variants differ only in a literal
        character in front, so each is the parsed ``body`` with that character put first (exactly
        what parsing ``prefix + body`` yields).
        """
        wanted = [prefix + body for prefix in prefixes]
        if not self._usable or all(text in self._kept for text in wanted):
            return [self.compile(text) for text in wanted]
        if _opens_or_branches(body):
            # "a|b" behind "x" is "xa|b" (not "x(?:a|b)"), and "^a" is anchored: parse those whole.
            return [self.compile(text) for text in wanted]
        parsed = _parser.parse(body, 0)
        out = []
        for prefix, text in zip(prefixes, wanted):
            if text in self._kept or len(prefix) > 1:
                out.append(self.compile(text))
                continue
            variant = parsed
            if prefix:
                variant = _parser.SubPattern(parsed.state, [(_constants.LITERAL, ord(prefix))] + list(parsed.data))
            out.append(self._build(text, variant))
        return out

    def save(self) -> None:
        """Keep what was compiled this time (nothing is written when everything came from the cache)."""
        if not self._usable or not self._new:
            return
        from roleplay import cachefiles

        if not cachefiles.enabled():
            return
        data = {**self._kept, **self._new}
        cachefiles.write_cache_file(self._path(), lambda handle: marshal.dump(data, handle), stale="cues-*.sre",
                                    errors=(ValueError,))

    def _path(self) -> Path:
        from roleplay import cachefiles

        return cachefiles.cache_dir() / "scoring" / self._name

    def _read(self) -> dict[str, Entry]:
        from roleplay import cachefiles

        if not cachefiles.enabled():
            return {}
        try:
            # One read, then ``loads``: ``marshal.load`` on a file reads it in small pieces, and took
            # 0.4 s on the cue book's 3 MB where this takes 0.03 s.
            data = marshal.loads(self._path().read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return data if isinstance(data, dict) else {}
