"""The practice record: sessions, turns and check results in one SQLite file.

Durability choices, and why:

- **WAL journal**: readers (the history screen, a drill board) never block the writer, and a
  killed process leaves the database consistent.
- **``BEGIN IMMEDIATE`` for every writing transaction**, with a busy timeout: the write lock is
  taken up front, so two trainees finishing at the same moment queue instead of failing with
  ``database is locked`` on a read-then-write upgrade.
- **One transaction per answered turn**: ``kill -9`` loses nothing already answered; the
  session simply shows as unfinished.
- **``synchronous=FULL``**: every commit is on disk before the trainee sees the customer's next
  line. At human typing speed the extra fsync is invisible (see ``benchmarks/bench_store.py``),
  and it extends the guarantee from a killed process to a power cut. NORMAL would only protect
  against the former.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from roleplay.store.records import (
    CheckPoint,
    CheckRate,
    CheckRecord,
    DrillPlay,
    DrillRecord,
    SessionOutcome,
    SessionRecord,
    Standing,
    TurnRecord,
)
from roleplay.store.schema import MIGRATIONS, SCHEMA_VERSION

DEFAULT_TIMEOUT = 10.0
"""Seconds a writer waits for another writer before giving up with a clear message
(``ROLEPLAY_DB_TIMEOUT`` overrides it)."""


def _default_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("ROLEPLAY_DB_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


class StoreError(Exception):
    """A problem with the practice record that the user can act on (one line, no traceback)."""


class StoreOutdated(StoreError):
    """Opened read-only, the record was written by an older roleplay: opening it for writing once
    upgrades it (``Store.open`` without ``readonly``)."""


def default_path() -> Path:
    """Where the practice record lives when neither ``--db`` nor ``ROLEPLAY_DB`` is given."""
    import platformdirs  # local: only needed when no path is given

    return Path(platformdirs.user_data_dir("roleplay", appauthor=False)) / "roleplay.db"


def utc_now() -> str:
    """The current time as UTC ISO-8601 with seconds, e.g. ``2026-11-27T02:30:00Z``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _explain(exc: sqlite3.Error, path: Path) -> StoreError:
    """Turn an sqlite3 error into a message a trainee can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        why = "is locked by another program; try again in a moment"
    elif "readonly" in text or "read-only" in text:
        why = "is read-only; use --db to choose another file"
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        why = "is not a roleplay database or is damaged; move it aside or use --db to choose another file"
    elif "unable to open" in text:
        why = "cannot be opened (does its folder exist and is it writable?)"
    elif "disk" in text and "full" in text:
        why = "cannot be written: the disk is full"
    else:
        why = f"cannot be used ({exc})"
    # No "--no-save" advice here: it fits `roleplay run` but not history, a drill or the app,
    # so the command that can act on it adds it.
    return StoreError(f"the practice record {path} {why}")


def _row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> dict[str, Any]:
    """A row as a dict. The schema has no BLOB column, so bytes can only come from a file edited
    by hand or damaged: they are shown as text rather than failing the whole history or export."""
    return {d[0]: v.decode("utf-8", "replace") if isinstance(v, bytes) else v
            for d, v in zip(cursor.description, values)}


def _text(data: bytes) -> str:
    """SQLite TEXT as str; bytes that are not UTF-8 (a damaged file) become U+FFFD, not an error."""
    return data.decode("utf-8", "replace")


def _plan(text: str | None) -> dict[str, Any] | None:
    """The stored pre-visit plan; a damaged one is left out so the session can still be read."""
    if not text:
        return None
    try:
        plan = json.loads(text)
    except ValueError:
        return None
    return plan if isinstance(plan, dict) else None


def _too_large(path: Path) -> StoreError:
    """A number (seed, session id) beyond what SQLite keeps: Python raises OverflowError for it."""
    return StoreError(f"the practice record {path} cannot keep a number larger than {2**63 - 1}")


class Store:
    """The practice record. Open it with ``Store.open``; close it when done.

    A ``Store`` holds one connection. The TUI calls it from worker threads, so every use of the
    connection is serialised by a lock (SQLite connections must not be used by two threads at
    once); separate processes coordinate through SQLite's own locking.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Callable[[], str] = utc_now) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        """The database file."""
        self._clock = clock

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        readonly: bool = False,
        timeout: float | None = None,
        clock: Callable[[], str] = utc_now,
    ) -> "Store":
        """Open (and create or upgrade) the practice record.

        A record from an older roleplay opened for reading is upgraded once first when it can
        be written (``history`` right after installing a new version just works); one that
        cannot be written keeps the ``StoreOutdated`` advice.

        Args:
            path: The database file; None for ``ROLEPLAY_DB`` or the user data folder.
            readonly: Open for reading only (history, export); never creates the file.
            timeout: Seconds to wait for another writer (default: ``ROLEPLAY_DB_TIMEOUT`` or 10).
            clock: Returns the current time as ISO-8601 (tests pass a fixed one).

        Raises:
            StoreError: The file is locked, read-only, corrupt, from a newer version, or
                cannot be created.
        """
        if not readonly:
            return cls._open(path, readonly=False, timeout=timeout, clock=clock)
        try:
            return cls._open(path, readonly=True, timeout=timeout, clock=clock)
        except StoreOutdated as outdated:
            try:
                cls._open(path, readonly=False, timeout=timeout, clock=clock).close()
            except StoreError:
                raise outdated from None
            return cls._open(path, readonly=True, timeout=timeout, clock=clock)

    @classmethod
    def _open(cls, path: str | os.PathLike[str] | None, *, readonly: bool, timeout: float | None,
              clock: Callable[[], str]) -> "Store":
        db_path = Path(path or os.environ.get("ROLEPLAY_DB") or default_path()).expanduser()
        timeout = _default_timeout() if timeout is None else timeout
        if db_path.is_dir():  # SQLite would only say "unable to open" or "disk I/O error"
            raise StoreError(f"the practice record {db_path} is a folder, not a database file; "
                             "use --db to choose a file")
        try:
            if readonly:
                if not db_path.exists():
                    raise StoreError(f"the practice record {db_path} does not exist yet: nothing has been saved")
                conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout,
                                       isolation_level=None, check_same_thread=False)
            else:
                db_path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(db_path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except OSError as exc:
            raise StoreError(f"the practice record {db_path} cannot be created: {exc.strerror or exc}") from exc
        except sqlite3.Error as exc:
            raise _explain(exc, db_path) from exc
        conn.text_factory = _text
        store = cls(conn, db_path, clock)
        try:
            store._configure(readonly, timeout)
        except sqlite3.Error as exc:
            conn.close()
            raise _explain(exc, db_path) from exc
        except StoreError:
            conn.close()
            raise
        return store

    def _configure(self, readonly: bool, timeout: float) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Reading the schema first makes a corrupt or foreign file fail here, clearly.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the practice record {self.path} was written by a newer roleplay (schema {version}, "
                f"this one knows {SCHEMA_VERSION}); upgrade roleplay or use --db"
            )
        if readonly:
            if version == 0:
                # An empty file (or one of another program): nothing of ours to read, and
                # "needs an upgrade" would send the user looking for a command that does not fix it.
                if conn.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]:
                    raise StoreError(f"the practice record {self.path} is a SQLite file of another program; use --db")
                raise StoreError(f"the practice record {self.path} is empty: nothing has been saved")
            if version < SCHEMA_VERSION:
                raise StoreOutdated(f"the practice record {self.path} was written by an older roleplay; practise once "
                                    "(e.g. `roleplay run`) to upgrade it, then try again")
            return
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        self._migrate()

    def _migrate(self) -> None:
        """Apply the migrations this database lacks, one transaction each."""
        # An up-to-date database needs no write lock at all: opening never waits on a writer.
        if self._conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        while True:
            with self._write() as conn:
                # Read the version inside the write lock: another process may have upgraded.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    return
                if version == 0 and conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                ).fetchone()[0]:
                    raise StoreError(f"the practice record {self.path} is a SQLite file of another program; use --db")
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One writing transaction, with the write lock taken up front (``BEGIN IMMEDIATE``)."""
        conn = self._conn
        with self._lock:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _explain(exc, self.path) from exc
            try:
                yield conn
            except BaseException:
                self._rollback()
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise _explain(exc, self.path) from exc

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already done so.

        After some errors (disk full, I/O error) SQLite rolls back by itself; a second ROLLBACK
        would then raise "no transaction is active" and hide the error the user needs to see.
        """
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                # The connection is unusable; the original error is the one worth reporting.
                return

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        try:
            with self._lock:
                cursor = self._conn.execute(sql, params)
                cursor.row_factory = _row
                return cursor.fetchall()
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from exc
        except OverflowError as exc:
            raise _too_large(self.path) from exc

    def _run_write(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        try:
            with self._write() as conn:
                return fn(conn)
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from exc
        except OverflowError as exc:
            raise _too_large(self.path) from exc

    # -- writing ---------------------------------------------------------------------------

    def start_session(
        self,
        *,
        trainee: str,
        scenario_id: str,
        scenario_hash: str,
        lang: str,
        seed: int = 0,
        from_state: str | None = None,
        plan: dict[str, Any] | None = None,
        drill_code: str | None = None,
    ) -> int:
        """Record that a session has started; returns its id."""
        started = self._clock()

        def insert(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO sessions (trainee, scenario_id, scenario_hash, lang, seed, started_at, from_state,"
                " plan, drill_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (trainee, scenario_id, scenario_hash, lang, seed, started, from_state,
                 json.dumps(plan, ensure_ascii=False) if plan is not None else None, drill_code),
            )
            return int(cur.lastrowid)

        return self._run_write(insert)

    def add_turn(self, session_id: int, turn: TurnRecord) -> int:
        """Record one answered turn and its checks, committed at once; returns the turn's id."""
        created = turn.created_at or self._clock()

        def insert(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO turns (session_id, idx, state, customer, trainee, intent, next_state, reply,"
                " hinted, patience, interest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, turn.index, turn.state, turn.customer, turn.trainee, turn.intent, turn.next_state,
                 turn.reply, int(turn.hinted), turn.patience, turn.interest, created),
            )
            turn_id = int(cur.lastrowid)
            self._insert_checks(conn, session_id, turn_id, turn.checks)
            if turn.hinted:
                conn.execute("UPDATE sessions SET hints_used = hints_used + 1 WHERE id = ?", (session_id,))
            return turn_id

        return self._run_write(insert)

    @staticmethod
    def _insert_checks(conn: sqlite3.Connection, session_id: int, turn_id: int | None,
                       checks: Sequence[CheckRecord]) -> None:
        conn.executemany(
            "INSERT INTO checks (session_id, turn_id, check_id, passed, evidence, span_start, span_end)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(session_id, turn_id, c.id, int(c.passed), c.evidence, c.start, c.end) for c in checks],
        )

    def finish_session(
        self,
        session_id: int,
        *,
        outcome: SessionOutcome,
        score: int,
        passed: bool,
        checks: Sequence[CheckRecord] = (),
        hints_used: int | None = None,
    ) -> None:
        """Record the end of a session with its score and session-level check results.

        Finishing twice replaces the earlier session-level results (e.g. after a resume).
        """
        ended = self._clock()

        def update(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM checks WHERE session_id = ? AND turn_id IS NULL", (session_id,))
            conn.execute(
                "UPDATE sessions SET outcome = ?, score = ?, passed = ?, ended_at = ?,"
                " hints_used = coalesce(?, hints_used) WHERE id = ?",
                (outcome, int(score), int(passed), ended, hints_used, session_id),
            )
            self._insert_checks(conn, session_id, None, checks)

        self._run_write(update)

    def discard(self, session_id: int) -> None:
        """Delete a session and everything kept with it."""
        self._run_write(lambda conn: conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)))

    def _set_text(self, session_id: int, column: str, value: str | None) -> None:
        assert column in ("plan", "review", "diary")  # never a caller-given column name
        self._run_write(lambda conn: conn.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (value, session_id)))

    def save_plan(self, session_id: int, plan: dict[str, Any]) -> None:
        """Keep the pre-visit plan with the session."""
        self._set_text(session_id, "plan", json.dumps(plan, ensure_ascii=False))

    def save_review(self, session_id: int, review: str) -> None:
        """Keep the post-visit review with the session."""
        self._set_text(session_id, "review", review)

    def save_diary(self, session_id: int, diary: str) -> None:
        """Keep the sales-diary entry with the session."""
        self._set_text(session_id, "diary", diary)

    # -- reading ---------------------------------------------------------------------------

    @staticmethod
    def _session_from_row(row: dict[str, Any]) -> SessionRecord:
        return SessionRecord(
            id=row["id"], trainee=row["trainee"], scenario_id=row["scenario_id"],
            scenario_hash=row["scenario_hash"], lang=row["lang"], seed=row["seed"],
            started_at=row["started_at"], outcome=row["outcome"], ended_at=row["ended_at"],
            score=row["score"], passed=None if row["passed"] is None else bool(row["passed"]),
            hints_used=row["hints_used"], from_state=row["from_state"],
            plan=_plan(row["plan"]), review=row["review"], diary=row["diary"],
            drill_code=row["drill_code"],
        )

    @staticmethod
    def _check_from_row(row: dict[str, Any]) -> CheckRecord:
        return CheckRecord(row["check_id"], bool(row["passed"]), row["evidence"], row["span_start"], row["span_end"])

    def session(self, session_id: int) -> SessionRecord:
        """One session with its turns and checks.

        Raises:
            StoreError: No session has that id.
        """
        rows = self._read("SELECT * FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise StoreError(f"no session {session_id} in the practice record {self.path}")
        return self._full(self._session_from_row(rows[0]))

    def _full(self, record: SessionRecord) -> SessionRecord:
        checks_by_turn: dict[int | None, list[CheckRecord]] = {}
        for row in self._read("SELECT * FROM checks WHERE session_id = ? ORDER BY id", (record.id,)):
            checks_by_turn.setdefault(row["turn_id"], []).append(self._check_from_row(row))
        turns = tuple(
            TurnRecord(
                index=row["idx"], state=row["state"], customer=row["customer"], trainee=row["trainee"],
                next_state=row["next_state"], intent=row["intent"], reply=row["reply"], hinted=bool(row["hinted"]),
                patience=row["patience"], interest=row["interest"], created_at=row["created_at"],
                checks=tuple(checks_by_turn.get(row["id"], ())),
            )
            for row in self._read("SELECT * FROM turns WHERE session_id = ? ORDER BY idx", (record.id,))
        )
        return replace(record, turns=turns, checks=tuple(checks_by_turn.get(None, ())))

    def sessions(
        self,
        *,
        trainee: str | None = None,
        scenario_id: str | None = None,
        outcome: SessionOutcome | None = None,
        drill_code: str | None = None,
        limit: int | None = None,
        full: bool = False,
    ) -> list[SessionRecord]:
        """Sessions, newest first, filtered by any of the arguments.

        Args:
            full: Also read each session's turns and checks.
        """
        where, params = self._where(trainee=trainee, scenario_id=scenario_id, outcome=outcome,
                                    drill_code=drill_code)
        sql = f"SELECT * FROM sessions {where} ORDER BY started_at DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        records = [self._session_from_row(r) for r in self._read(sql, params)]
        return [self._full(r) for r in records] if full else records

    @staticmethod
    def _where(**filters: Any) -> tuple[str, list[Any]]:
        clauses = [f"{column} = ?" for column, value in filters.items() if value is not None]
        params = [value for value in filters.values() if value is not None]
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def unfinished(self, trainee: str | None = None) -> list[SessionRecord]:
        """Sessions that never reached an end state (closed terminal, killed process...)."""
        return self.sessions(trainee=trainee, outcome="unfinished", full=True)

    def trainees(self) -> list[str]:
        """Everyone who has practised, alphabetically."""
        return [r["trainee"] for r in self._read("SELECT DISTINCT trainee FROM sessions ORDER BY trainee")]

    def check_history(self, *, trainee: str | None = None, check_id: str | None = None) -> list[CheckPoint]:
        """Each finished session's session-level result per check, oldest first (progress charts)."""
        where, params = self._where(**{"s.trainee": trainee, "c.check_id": check_id})
        where = (where + " AND " if where else "WHERE ") + "c.turn_id IS NULL AND s.outcome != 'unfinished'"
        rows = self._read(
            "SELECT s.id AS session_id, c.check_id, c.passed, s.ended_at FROM checks c"
            f" JOIN sessions s ON s.id = c.session_id {where} ORDER BY s.ended_at, s.id, c.id",
            params,
        )
        return [CheckPoint(r["session_id"], r["check_id"], bool(r["passed"]), r["ended_at"]) for r in rows]

    def check_rates(self, *, trainee: str | None = None, scenario_id: str | None = None,
                    drill_code: str | None = None, last: int | None = None) -> list[CheckRate]:
        """Pass rates per check over finished sessions (optionally only the ``last`` N)."""
        where, params = self._where(trainee=trainee, scenario_id=scenario_id, drill_code=drill_code)
        where = (where + " AND " if where else "WHERE ") + "outcome != 'unfinished'"
        limit = f" LIMIT {int(last)}" if last else ""
        rows = self._read(
            "SELECT c.check_id, sum(c.passed) AS passed, count(*) AS total FROM checks c"
            f" WHERE c.turn_id IS NULL AND c.session_id IN (SELECT id FROM sessions {where}"
            f" ORDER BY ended_at DESC{limit}) GROUP BY c.check_id ORDER BY c.check_id",
            params,
        )
        return [CheckRate(r["check_id"], r["passed"], r["total"]) for r in rows]

    def weakest_checks(self, trainee: str, *, limit: int = 3, last: int = 20) -> list[CheckRate]:
        """The trainee's checks with the lowest pass rate over their last ``last`` sessions."""
        rates = [r for r in self.check_rates(trainee=trainee, last=last) if r.passed < r.total]
        return sorted(rates, key=lambda r: (r.rate, -r.total, r.check_id))[:limit]

    def leaderboard(self, *, scenario_id: str | None = None, drill_code: str | None = None) -> list[Standing]:
        """Trainees ranked by best score, then by sessions passed."""
        where, params = self._where(scenario_id=scenario_id, drill_code=drill_code)
        where = (where + " AND " if where else "WHERE ") + "outcome != 'unfinished'"
        rows = self._read(
            "SELECT trainee, max(score) AS best, count(*) AS n, sum(passed) AS ok, max(ended_at) AS last"
            f" FROM sessions {where} GROUP BY trainee ORDER BY best DESC, ok DESC, trainee",
            params,
        )
        return [Standing(r["trainee"], r["best"] or 0, r["n"], r["ok"] or 0, r["last"] or "") for r in rows]

    # -- drills ----------------------------------------------------------------------------

    def create_drill(self, code: str, title: str, definition: dict[str, Any]) -> None:
        """Keep a drill definition under its code."""
        created = self._clock()
        self._run_write(lambda conn: conn.execute(
            "INSERT INTO drills (code, title, definition, created_at) VALUES (?, ?, ?, ?)",
            (code, title, json.dumps(definition, ensure_ascii=False), created),
        ))

    @staticmethod
    def _drill_from_row(row: dict[str, Any], plays: Sequence[DrillPlay] = ()) -> DrillRecord:
        try:
            definition = json.loads(row["definition"])
        except (TypeError, ValueError):
            definition = None  # edited by hand or damaged: the drill is still listed, and says so on joining
        return DrillRecord(row["code"], row["title"], row["created_at"], row["closed_at"],
                           definition if isinstance(definition, dict) else None, tuple(plays))

    def drill(self, code: str) -> DrillRecord | None:
        """The drill kept under ``code`` (its ``plays`` are left empty), or None."""
        rows = self._read("SELECT * FROM drills WHERE code = ?", (code,))
        return self._drill_from_row(rows[0]) if rows else None

    def drills(self) -> list[DrillRecord]:
        """Every drill, newest first, each with who played which of its scenarios."""
        plays: dict[str, list[DrillPlay]] = {}
        for r in self._read(
            "SELECT drill_code, trainee, scenario_id, from_state, count(*) AS n,"
            " max(ended_at IS NOT NULL AND score IS NOT NULL) AS scored FROM sessions"
            " WHERE drill_code IS NOT NULL GROUP BY drill_code, trainee, scenario_id, from_state"
        ):
            plays.setdefault(r["drill_code"], []).append(
                DrillPlay(r["trainee"], r["scenario_id"], r["from_state"], r["n"], bool(r["scored"])))
        rows = self._read("SELECT * FROM drills ORDER BY created_at DESC, rowid DESC")  # rowid: created in one second
        return [self._drill_from_row(r, plays.get(r["code"], ())) for r in rows]

    def close_drill(self, code: str) -> str | None:
        """Close the drill to new trainees; returns since when it is closed, or None for no such drill.

        Closing a closed drill keeps the first time (the board says when the doors shut).
        """
        now = self._clock()

        def close(conn: sqlite3.Connection) -> str | None:
            conn.execute("UPDATE drills SET closed_at = ? WHERE code = ? AND closed_at IS NULL", (now, code))
            row = conn.execute("SELECT closed_at FROM drills WHERE code = ?", (code,)).fetchone()
            return row[0] if row else None

        return self._run_write(close)

    def reopen_drill(self, code: str) -> bool:
        """Let new trainees into a closed drill again; False when there is no such drill."""
        return self._run_write(lambda conn: conn.execute(
            "UPDATE drills SET closed_at = NULL WHERE code = ?", (code,)).rowcount > 0)

    # -- export and import -----------------------------------------------------------------

    def export_records(self) -> list[SessionRecord]:
        """Every session in full, oldest first."""
        return list(reversed(self.sessions(full=True)))

    def import_records(self, records: Sequence[SessionRecord]) -> int:
        """Add sessions exported from another record (new ids); returns how many were added."""

        def insert(conn: sqlite3.Connection) -> int:
            for s in records:
                cur = conn.execute(
                    "INSERT INTO sessions (trainee, scenario_id, scenario_hash, lang, seed, started_at, ended_at,"
                    " outcome, score, passed, hints_used, from_state, plan, review, diary, drill_code)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (s.trainee, s.scenario_id, s.scenario_hash, s.lang, s.seed, s.started_at, s.ended_at,
                     s.outcome, s.score, None if s.passed is None else int(s.passed), s.hints_used, s.from_state,
                     json.dumps(s.plan, ensure_ascii=False) if s.plan is not None else None,
                     s.review, s.diary, s.drill_code),
                )
                session_id = int(cur.lastrowid)
                for t in s.turns:
                    tcur = conn.execute(
                        "INSERT INTO turns (session_id, idx, state, customer, trainee, intent, next_state, reply,"
                        " hinted, patience, interest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (session_id, t.index, t.state, t.customer, t.trainee, t.intent, t.next_state, t.reply,
                         int(t.hinted), t.patience, t.interest, t.created_at),
                    )
                    self._insert_checks(conn, session_id, int(tcur.lastrowid), t.checks)
                self._insert_checks(conn, session_id, None, s.checks)
            return len(records)

        return self._run_write(insert)
