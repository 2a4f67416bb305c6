"""Exports of the practice record: CSV for spreadsheets, JSON for scripts.

CSV is UTF-8 with a byte-order mark so spreadsheet programs open Chinese correctly, and any
text cell a spreadsheet would run as a formula is neutralised. Files are written atomically:
a temporary file beside the target, then a rename, so a crash never leaves half a file.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any, Iterable, Sequence

from roleplay.store.records import SessionRecord

FORMULA_STARTS = frozenset("=+-@\t\r\n" "＝＋－＠")
"""First characters that make a spreadsheet treat a cell as a formula (and their full-width forms,
which some spreadsheet programs fold to ASCII)."""

JSON_FORMAT_VERSION = 1
"""Bumped when the export's shape changes."""

CSV_COLUMNS: tuple[str, ...] = (
    "session_id", "trainee", "scenario_id", "scenario_hash", "lang", "seed", "started_at", "ended_at",
    "outcome", "score", "passed", "hints_used", "turn", "state", "customer", "trainee_said", "intent",
    "next_state", "reply", "hinted", "checks_passed", "checks_failed", "evidence",
)
"""One row per answered turn (a session without turns has one row with the turn cells empty)."""


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet: a leading quote before a formula start."""
    if isinstance(value, str) and value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def _csv_rows(records: Iterable[SessionRecord]) -> Iterable[list[Any]]:
    for s in records:
        head = [s.id, s.trainee, s.scenario_id, s.scenario_hash, s.lang, s.seed, s.started_at, s.ended_at or "",
                s.outcome, "" if s.score is None else s.score, "" if s.passed is None else int(s.passed),
                s.hints_used]
        if not s.turns:
            yield head + [""] * (len(CSV_COLUMNS) - len(head))
        for t in s.turns:
            yield head + [
                t.index, t.state, t.customer, t.trainee, t.intent or "", t.next_state, t.reply, int(t.hinted),
                " ".join(c.id for c in t.checks if c.passed),
                " ".join(c.id for c in t.checks if not c.passed),
                " | ".join(f"{c.id}: {c.evidence}" for c in t.checks if c.evidence),
            ]


def to_csv(records: Sequence[SessionRecord]) -> str:
    """The records as CSV text (with the BOM), formula-looking cells neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in _csv_rows(records):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def to_json(records: Sequence[SessionRecord]) -> str:
    """The records as a JSON document that ``from_json`` reads back unchanged."""
    doc = {"format": "roleplay-export", "version": JSON_FORMAT_VERSION,
           "sessions": [r.to_json() for r in records]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def from_json(text: str) -> list[SessionRecord]:
    """Read an export made by ``to_json``.

    Raises:
        ValueError: Not a roleplay export, or from a newer version.
    """
    doc = json.loads(text)
    if not isinstance(doc, dict) or doc.get("format") != "roleplay-export":
        raise ValueError("not a roleplay export")
    if doc.get("version", 0) > JSON_FORMAT_VERSION:
        raise ValueError("made by a newer roleplay")
    return [SessionRecord.from_json(s) for s in doc["sessions"]]


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file and a rename.

    Only a regular file (or a new one) is replaced by a rename. A symbolic link keeps being a link:
    the file it points to is replaced. A device or a pipe (``-o /dev/stdout``, a FIFO) is written
    straight into, since renaming over it would swap the device for a plain file (as root, even
    in ``/dev``). The new file gets the old file's permissions, or the usual ones for a new file
    (the temporary file would otherwise leave it readable by its owner only).

    Raises:
        OSError: The file cannot be written (the message is the system's, e.g. "Is a directory").
    """
    target = Path(path)
    try:
        mode: int | None = os.stat(target).st_mode  # follows links: what would really be written
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return
    if target.is_symlink():
        target = target.resolve()
    # Not tempfile.mkstemp: its 0600 would become the export's permissions. 0666 here is
    # narrowed by the umask, as for any file the user creates.
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
