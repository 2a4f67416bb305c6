"""Reading a YAML file in layers: bytes -> text -> YAML nodes that keep their positions.

Each layer refuses what the next one must never see, with a located message:

1. **bytes**: a size cap (checked before anything is read into memory);
2. **text**: UTF-8 only (a BOM is allowed); a bad byte is reported at its line and column;
3. **nodes**: the YAML is composed once, with libyaml's ``CSafeLoader`` when present (the pure
   Python ``SafeLoader`` otherwise), into nodes that keep ``start_mark`` line and column.
   Nothing is *constructed*: the loader reads the nodes' raw text itself, so ``NO`` in a text
   field stays the text ``NO`` and an alias bomb is never expanded.

Anchors, aliases and explicit tags (``!!python/object``, ``!!str``...) are refused. They can
only appear when the file contains ``&``, ``*`` or a ``!`` at the start of a token, so the
event scan that finds them runs only for such files; all other files are parsed exactly once.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from roleplay.scenario.model import Location
from roleplay.scenario.problems import Report

MAX_BYTES = 1024 * 1024
"""The size cap of a scenario or product file (1 MiB: the largest real scenario is ~30 KiB)."""

_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers


class _Resolver:
    """PyYAML's implicit tag resolution without path resolvers (never used here).

    libyaml's composer calls these three methods for every node; PyYAML's versions spend most of
    their time on path-resolver bookkeeping this loader does not need. The tags are the same.
    """

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        """No path resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path resolvers: nothing to track."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        """The tag of a node without an explicit tag (as ``yaml.resolver.Resolver.resolve``)."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if not value:
                    return _NULL
                for tag, regexp in _IMPLICIT.get(value[0], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


if getattr(yaml, "CSafeLoader", None) is not None:
    class FastLoader(_Resolver, yaml.CSafeLoader):  # type: ignore[misc]
        """libyaml's safe loader with the lean resolver."""

    LOADER: type = FastLoader
    """The loader used: libyaml's when PyYAML was built with it, else the pure Python one."""
else:  # pragma: no cover - PyYAML wheels ship libyaml on the usual platforms
    LOADER = yaml.SafeLoader


def _is_libyaml(loader: type) -> bool:
    c_loader = getattr(yaml, "CSafeLoader", None)
    return c_loader is not None and issubclass(loader, c_loader)

_TAG_CANDIDATE = re.compile(r"(?:^|[\s\[\{,:\-?])!", re.MULTILINE)
"""A ``!`` where a YAML tag could start; "Hello!" inside a sentence does not match."""


@dataclass(frozen=True, slots=True)
class Document:
    """A file read as far as YAML nodes."""

    path: str
    """The file, as it will be printed in problems."""
    data: bytes
    """The file's bytes (for the content hash)."""
    root: yaml.Node | None
    """The top node, or None when the file is empty or could not be parsed."""
    shared_nodes: bool = False
    """True when aliases were found: the node graph may share nodes, walk it with a guard."""

    @property
    def content_hash(self) -> str:
        """SHA-256 of the bytes, hex."""
        return hashlib.sha256(self.data).hexdigest()


def location(path: str, node: yaml.Node | yaml.Mark) -> Location:
    """The 1-based location of a node (its start) or a mark."""
    mark = node.start_mark if isinstance(node, yaml.Node) else node
    return Location(path, mark.line + 1, mark.column + 1)


def read_bytes(path: str | os.PathLike[str], report: Report, *, max_bytes: int = MAX_BYTES) -> bytes | None:
    """Layer 1: the file's bytes, or None (with a problem) when unreadable or over the cap."""
    where = report.at(1, 1)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                report.error(where, f"the file is too large ({size:,} bytes; the limit is {max_bytes:,})")
                return None
            # Read one byte past the cap: a file that grows while we read is still caught.
            data = fh.read(max_bytes + 1)
    except IsADirectoryError:
        report.error(where, "this is a folder, not a YAML file")
        return None
    except OSError as exc:
        report.error(where, f"cannot read the file: {exc.strerror or exc}")
        return None
    if len(data) > max_bytes:
        report.error(where, f"the file is too large (over {max_bytes:,} bytes)")
        return None
    return data


def byte_location(path: str, data: bytes, offset: int) -> Location:
    """The 1-based line and column (in characters) of byte ``offset`` of UTF-8-ish ``data``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Location(path, line, col)


def decode(data: bytes, report: Report) -> str | None:
    """Layer 2: the text, or None (with a located problem) when it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(
            byte_location(report.path, data, exc.start),
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8 in your editor",
        )
        return None


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    """The character at a mark (empty when out of range)."""
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _friendly(problem: str, char: str) -> str:
    """PyYAML's problem text, said the same way whichever loader found it, with the usual fix."""
    if problem.startswith("mapping values are not allowed"):
        return "': ' inside unquoted text (or a bad indent); put text that holds ': ' in quotes"
    if "cannot start any token" in problem:
        if char == "\t":
            return "a tab character; indent with spaces, not tabs"
        return f"the character {char!r} cannot start a value here; put the text in quotes"
    if "found unknown escape character" in problem:
        return "unknown escape in double-quoted text (write \\\\ for a backslash)"
    return problem


def _yaml_error(report: Report, text: str, exc: yaml.YAMLError) -> None:
    """Report a PyYAML error at its position, in one line."""
    if isinstance(exc, yaml.reader.ReaderError):
        data = text.encode("utf-8")
        # libyaml reports a byte offset, the pure Python reader a character offset.
        offset = exc.position if _is_libyaml(LOADER) else len(text[: exc.position].encode("utf-8"))
        where = byte_location(report.path, data, offset)
        if isinstance(exc.character, int):
            message = f"character U+{exc.character:04X} is not allowed in YAML (a control character?)"
        else:
            message = f"YAML cannot read this: {exc.reason}"
        report.error(where, message)
        return
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = location(report.path, mark) if mark is not None else report.at(1, 1)
        problem = (exc.problem or "").strip()
        context = (exc.context or "").strip()
        if "expected a single document" in context:
            report.error(where, "the file holds more than one YAML document (a '---' line): a scenario "
                                "or product file is one document")
            return
        message = f"YAML syntax: {_friendly(problem, _char_at(text, mark))}" if problem else "YAML syntax error"
        context_line = exc.context_mark.line + 1 if exc.context_mark is not None else None
        if context and context_line is not None and context_line != where.line:
            message += f" ({context} at line {context_line})"
        report.error(where, message)
        return
    report.error(report.at(1, 1), f"YAML syntax: {exc}")


def _scan_events(text: str, report: Report) -> bool:
    """Find anchors, aliases and explicit tags without building anything; True if aliases seen.

    Every explicit tag is reported; of anchors and aliases, the first of each with a count of
    the rest (an alias bomb holds hundreds, and one line says it all).
    """
    loader = None
    anchors: list[yaml.Event] = []
    aliases: list[yaml.Event] = []
    try:
        loader = LOADER(text)
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                aliases.append(event)
                continue
            if getattr(event, "anchor", None) is not None:
                anchors.append(event)
            tag = getattr(event, "tag", None)
            if tag is not None and isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                report.error(location(report.path, event.start_mark),
                             f"tag '{shown}' is not allowed: write plain values (put text in quotes "
                             "if YAML would misread it)")
    except yaml.YAMLError:
        pass  # the composer reports the syntax error at its place
    finally:
        if loader is not None:
            loader.dispose()
    for events, sign, word in ((anchors, "&", "anchor"), (aliases, "*", "alias")):
        if events:
            more = f" ({len(events) - 1} more {word}{'es' if word == 'alias' else 's'} in this file)" if len(events) > 1 else ""
            report.error(location(report.path, events[0].start_mark),
                         f"{word} '{sign}{events[0].anchor}' is not allowed: anchors and aliases are not part "
                         f"of the scenario language, write the text out in full{more}")
    return bool(aliases)


def parse(data: bytes, path: str, report: Report) -> Document:
    """Layers 2 and 3 on bytes already read: text, then nodes. Problems go to ``report``."""
    text = decode(data, report)
    if text is None:
        return Document(path, data, None)
    shared = False
    if "&" in text or "*" in text or ("!" in text and _TAG_CANDIDATE.search(text)):
        shared = _scan_events(text, report)
    loader = None
    try:
        # The pure Python loader checks for control characters as soon as it is created.
        loader = LOADER(text)
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        _yaml_error(report, text, exc)
        return Document(path, data, None, shared)
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        report.error(report.at(1, 1), "the file is empty")
    return Document(path, data, root, shared)


def read_document(path: str | os.PathLike[str], report: Report, *, max_bytes: int = MAX_BYTES) -> Document:
    """All three layers: the file at ``path`` as YAML nodes (``root`` None when unusable)."""
    data = read_bytes(path, report, max_bytes=max_bytes)
    if data is None:
        return Document(report.path, b"", None)
    return parse(data, report.path, report)


def display_path(path: str | os.PathLike[str]) -> str:
    """How a path is printed in problems: relative to the working folder when inside it."""
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return str(path)
    return str(rel)
