"""Typed reading of YAML nodes: text, numbers, lists, per-language maps, with located problems.

The loader never lets PyYAML *construct* values. It reads each node's raw text and decides from
the field what it means, so ``NO`` in a text field never becomes ``false``: it is refused with a
message that says to quote it (the trainer's editor and every other YAML tool would read it as
``false``), and ``"3"`` where a number is expected is an error rather than a silent conversion. Every reader returns None after reporting, and the caller carries on:
all problems of a file are collected.
"""

from __future__ import annotations

import re
from typing import Iterable

import yaml
from rapidfuzz import fuzz, process

from roleplay.scenario.language import Keys
from roleplay.scenario.model import LANGS, Location
from roleplay.scenario.problems import Report

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"

_MISREAD_AS = {BOOL: "true/false", INT: "a number", FLOAT: "a number", NULL: "empty (null)",
               TIMESTAMP: "a date"}
"""What YAML 1.1 tools would turn a plain scalar into, for the "text is text" warning."""

_DECIMAL = re.compile(r"[-+]?[0-9]+\Z")
_REAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
ID_RE = re.compile(r"[^\W][\w-]*\Z")
"""State, intent and fact ids: letters (any script), digits, ``_`` and ``-``; no spaces."""


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and line break."""


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 60.0) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or an empty string."""
    choices = list(choices)
    if not choices:
        return ""
    match = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return f" (did you mean '{match[0]}'?)" if match else ""


_ALLOWED: dict[tuple[int, tuple[str, ...]], frozenset[str]] = {}


def _ordered(keys: Keys, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The keys a mapping allows, in the order a "did you mean" should prefer them."""
    return keys.all + tuple(extra) + (LANGS if keys.per_language else ())


def _allowed(keys: Keys, extra: tuple[str, ...]) -> frozenset[str]:
    """The keys a mapping allows, as a set (computed once per kind of mapping)."""
    cache_key = (id(keys), extra)
    allowed = _ALLOWED.get(cache_key)
    if allowed is None:
        allowed = _ALLOWED[cache_key] = frozenset(_ordered(keys, extra))
    return allowed


def kind_of(node: yaml.Node) -> str:
    """A word for what a node is, for messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == NULL and node.value in ("", "~", "null", "Null", "NULL"):
        return "empty"
    if node.tag in (INT, FLOAT):
        return "a number"
    if node.tag == BOOL:
        return "true/false"
    return "text"


class Fields:
    """Reads nodes of one file into Python values, reporting problems to ``report``."""

    def __init__(self, report: Report, *, langs: tuple[str, ...] = LANGS, shared: bool = False) -> None:
        self.report = report
        self.path = report.path
        self.langs = langs
        """The languages every per-language text must have (the scenario's ``languages``)."""
        self._guard: set[int] | None = set() if shared else None
        # With aliases in the file the node graph may share nodes (an alias bomb shares
        # millions of paths): each collection is then entered at most once.

    # -- locations and problems ---------------------------------------------------------

    def loc(self, node: yaml.Node) -> Location:
        """The node's start, 1-based."""
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node, message: str) -> None:
        """An error at ``node``."""
        self.report.error(self.loc(node), message)

    def warning(self, node: yaml.Node, message: str) -> None:
        """A warning at ``node``."""
        self.report.warning(self.loc(node), message)

    def _enter(self, node: yaml.Node) -> bool:
        """False when ``node`` was already read (only tracked when the file has aliases)."""
        if self._guard is None or isinstance(node, yaml.ScalarNode):
            return True
        if id(node) in self._guard:
            return False
        self._guard.add(id(node))
        return True

    # -- collections ------------------------------------------------------------------------

    def mapping(self, node: yaml.Node, what: str, keys: Keys | None = None,
                extra: Iterable[str] = ()) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """A mapping as ``{key: (key_node, value_node)}``, or None.

        Reports duplicate keys, keys that are not plain text, unknown keys (when ``keys`` is
        given; ``extra`` adds allowed keys) with a "did you mean", and missing required keys.
        """
        if self._guard is not None and not self._enter(node):
            return None
        if node.__class__ is not yaml.MappingNode:
            self.error(node, f"{what} should be a mapping (key: value lines), not {kind_of(node)}")
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        allowed = _allowed(keys, tuple(extra)) if keys is not None else None
        for pair in node.value:
            key_node = pair[0]
            if key_node.__class__ is not yaml.ScalarNode:
                self.error(key_node, f"a key in {what} should be a plain word, not {kind_of(key_node)}")
                continue
            key = key_node.value
            if key in out:
                first = out[key][0].start_mark.line + 1
                self.error(key_node, f"duplicate key '{key}' in {what} (first at line {first})")
                continue
            if allowed is not None and key not in allowed:
                self.error(key_node, f"unknown key '{key}' in {what}{did_you_mean(key, _ordered(keys, extra))}")
                continue
            out[key] = pair
        if keys is not None and keys.required:
            for key in keys.required:
                if key not in out:
                    self.error(node, f"{what} is missing the key '{key}'")
        return out

    def sequence(self, node: yaml.Node, what: str, *, allow_scalar: bool = False) -> list[yaml.Node] | None:
        """A list's items, or None. ``allow_scalar``: one item may be written without brackets."""
        if self._guard is not None and not self._enter(node):
            return None
        if node.__class__ is yaml.SequenceNode:
            return node.value
        if allow_scalar and isinstance(node, yaml.ScalarNode) and node.tag != NULL:
            return [node]
        self.error(node, f"{what} should be a list, not {kind_of(node)}")
        return None

    # -- scalars ----------------------------------------------------------------------------

    def text(self, node: yaml.Node, what: str, *, empty_ok: bool = False) -> str | None:
        """Text, read as written; ``NO``, ``yes``, ``1.10`` unquoted are refused (YAML 1.1 misreads them)."""
        if node.__class__ is not yaml.ScalarNode:
            self.error(node, f"{what} should be text, not {kind_of(node)}")
            return None
        value = node.value
        if node.style == '"' and _CONTROL.search(value):
            # A double-quoted YAML string can hold escapes ("\e[2J", "\0") that would drive the
            # trainee's terminal or vanish from the screen; a text is for people to read.
            self.error(node, f"{what} cannot hold control characters "
                             "(an escape such as \\e or \\x1b in double quotes makes one)")
            return None
        if node.tag == STR:  # the usual case, kept short: this runs for every text of a file
            if value and not value.isspace():
                return value
        elif not node.style:
            # A plain scalar that YAML 1.1 resolves to something other than text.
            if node.tag == NULL and value in ("", "~"):
                if empty_ok:
                    return ""
                self.error(node, f"{what} is empty")
                return None
            misread = _MISREAD_AS.get(node.tag)
            if misread is not None:
                # Text is text: the value is never turned into false or 1.1. But the file is
                # refused, because the trainer's editor and every other YAML tool disagree.
                self.error(node, f"'{value}' in {what} would be read as {misread} by YAML tools; "
                                 f"text must be in quotes: \"{value}\"")
                return None
        if not value.strip() and not empty_ok:
            self.error(node, f"{what} is empty")
            return None
        return value

    def ident(self, node: yaml.Node, what: str, pattern: re.Pattern[str] = ID_RE,
              rule: str = "letters, digits, '_' and '-', no spaces") -> str | None:
        """An id: text matching ``pattern``."""
        value = self.text(node, what)
        if value is None:
            return None
        if not pattern.match(value):
            self.error(node, f"{what} '{value}' is not a valid id ({rule})")
            return None
        return value

    def integer(self, node: yaml.Node, what: str, low: int | None = None, high: int | None = None) -> int | None:
        """A whole number within ``low..high`` (inclusive; None: unbounded)."""
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} should be a whole number, not {kind_of(node)}")
            return None
        if node.style or not _DECIMAL.match(node.value):
            quoted = " (remove the quotes)" if node.style and _DECIMAL.match(node.value) else ""
            self.error(node, f"{what} should be a whole number, not '{node.value}'{quoted}")
            return None
        value = int(node.value)
        return self._in_range(node, what, value, low, high)

    def number(self, node: yaml.Node, what: str, low: float | None = None, high: float | None = None) -> float | None:
        """A number (whole or decimal) within ``low..high``."""
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} should be a number, not {kind_of(node)}")
            return None
        if node.style or not _REAL.match(node.value):
            quoted = " (remove the quotes)" if node.style and _REAL.match(node.value) else ""
            self.error(node, f"{what} should be a number, not '{node.value}'{quoted}")
            return None
        value = float(node.value)
        return self._in_range(node, what, value, low, high)

    def _in_range(self, node, what, value, low, high):  # type: ignore[no-untyped-def]
        if (low is not None and value < low) or (high is not None and value > high):
            def show(bound: float) -> str:  # 2147483647, not 2.14748e+09
                return str(int(bound)) if float(bound).is_integer() else f"{bound:g}"

            if low is not None and high is not None:
                span = f"from {show(low)} to {show(high)}"
            elif low is not None:
                span = f"at least {show(low)}"
            else:
                span = f"at most {show(high)}"
            self.error(node, f"{what} should be {span}, not {node.value}")
            return None
        return value

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        """``true`` or ``false`` (YAML 1.1's yes/no/on/off are accepted with a warning)."""
        if isinstance(node, yaml.ScalarNode) and not node.style and node.tag == BOOL:
            value = node.value.lower() in ("true", "yes", "on", "y")
            if node.value.lower() not in ("true", "false"):
                self.warning(node, f"write {str(value).lower()} instead of '{node.value}' in {what}")
            return value
        self.error(node, f"{what} should be true or false, not '{getattr(node, 'value', '')}'"
                   if isinstance(node, yaml.ScalarNode) else f"{what} should be true or false, not {kind_of(node)}")
        return None

    def choice(self, node: yaml.Node, what: str, choices: Iterable[str]) -> str | None:
        """Text that must be one of ``choices``."""
        choices = tuple(choices)
        value = self.text(node, what)
        if value is None:
            return None
        if value not in choices:
            self.error(node, f"{what} should be one of {', '.join(choices)}, not '{value}'{did_you_mean(value, choices)}")
            return None
        return value

    def text_list(self, node: yaml.Node, what: str, *, allow_scalar: bool = True) -> list[tuple[str, yaml.Node]]:
        """A list of texts (one text may be written without brackets), with their nodes."""
        items = self.sequence(node, what, allow_scalar=allow_scalar)
        if items is None:
            return []
        out = []
        for item in items:
            value = self.text(item, what)
            if value is not None:
                out.append((value, item))
        return out

    # -- per-language values ----------------------------------------------------------------

    def _lang_items(self, node: yaml.Node, what: str, *, complete: bool) -> list[tuple[str, yaml.Node]]:
        fields = self.mapping(node, what)
        if fields is None:
            return []
        out = []
        for lang, (key_node, value_node) in fields.items():
            if lang not in LANGS:
                self.error(key_node, f"'{lang}' in {what} is not a language (use {', '.join(LANGS)})"
                                     f"{did_you_mean(lang, LANGS, cutoff=50)}")
                continue
            if lang not in self.langs:
                self.warning(key_node, f"{what} has '{lang}' text but the scenario's languages are "
                                       f"[{', '.join(self.langs)}]; it is never shown")
            out.append((lang, value_node))
        if complete:
            for lang in self.langs:
                if lang not in fields:
                    self.error(node, f"no '{lang}' text in {what} (the languages are [{', '.join(self.langs)}])")
        return out

    def per_lang_text(self, node: yaml.Node, what: str, *, complete: bool = True) -> dict[str, str]:
        """One text per language (``{zh: ..., en: ...}``)."""
        out = {}
        for lang, value_node in self._lang_items(node, what, complete=complete):
            value = self.text(value_node, f"{what} [{lang}]")
            if value is not None:
                out[lang] = value
        return out

    def per_lang_lines(self, node: yaml.Node, what: str, *, complete: bool = True,
                       located: dict[str, tuple[Location, ...]] | None = None) -> dict[str, tuple[str, ...]]:
        """Several texts per language (``{zh: [..], en: [..]}``; one text may skip the brackets).

        Args:
            node: The mapping node.
            what: What it is, for messages.
            complete: Whether every language of the scenario must be there.
            located: When given, filled with each text's location, in the same order as the texts
                (for later checks that point at one text, such as duplicate key phrases).
        """
        out = {}
        for lang, value_node in self._lang_items(node, what, complete=complete):
            values = self.text_list(value_node, f"{what} [{lang}]")
            if not values:
                if isinstance(value_node, yaml.SequenceNode) and not value_node.value:
                    self.error(value_node, f"{what} [{lang}] is an empty list")
                continue
            out[lang] = tuple(v for v, _ in values)
            if located is not None:
                located[lang] = tuple(self.loc(n) for _, n in values)
        return out
