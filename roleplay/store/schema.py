"""The database schema as a list of forward migrations.

``PRAGMA user_version`` holds the number of migrations applied. A new database runs them all;
an older one runs the ones it lacks, each in its own ``BEGIN IMMEDIATE`` transaction, so a
crash mid-upgrade leaves the database at the last complete version. Never edit a released
migration: add a new one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions, turns and check results.
    """
    CREATE TABLE sessions (
        id            INTEGER PRIMARY KEY,
        trainee       TEXT    NOT NULL,
        scenario_id   TEXT    NOT NULL,
        scenario_hash TEXT    NOT NULL DEFAULT '',
        lang          TEXT    NOT NULL,
        seed          INTEGER NOT NULL DEFAULT 0,
        started_at    TEXT    NOT NULL,
        ended_at      TEXT,
        outcome       TEXT    NOT NULL DEFAULT 'unfinished'
                      CHECK (outcome IN ('unfinished', 'success', 'failure')),
        score         INTEGER,
        passed        INTEGER
    );
    CREATE INDEX sessions_by_trainee ON sessions (trainee, started_at);
    CREATE INDEX sessions_by_scenario ON sessions (scenario_id, started_at);
    CREATE TABLE turns (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        idx         INTEGER NOT NULL,
        state       TEXT    NOT NULL,
        customer    TEXT    NOT NULL,
        trainee     TEXT    NOT NULL,
        intent      TEXT,
        next_state  TEXT    NOT NULL,
        reply       TEXT    NOT NULL DEFAULT '',
        patience    INTEGER,
        interest    INTEGER,
        created_at  TEXT    NOT NULL,
        UNIQUE (session_id, idx)
    );
    CREATE TABLE checks (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        turn_id     INTEGER REFERENCES turns (id) ON DELETE CASCADE,
        check_id    TEXT    NOT NULL,
        passed      INTEGER NOT NULL,
        evidence    TEXT,
        span_start  INTEGER,
        span_end    INTEGER
    );
    CREATE INDEX checks_by_session ON checks (session_id, turn_id);
    CREATE INDEX checks_by_check ON checks (check_id);
    """,
    # 2: hints, practising one moment, the pre-visit plan, the review and the diary.
    """
    ALTER TABLE sessions ADD COLUMN hints_used INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN from_state TEXT;
    ALTER TABLE sessions ADD COLUMN plan TEXT;
    ALTER TABLE sessions ADD COLUMN review TEXT;
    ALTER TABLE sessions ADD COLUMN diary TEXT;
    ALTER TABLE turns ADD COLUMN hinted INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: team drills.
    """
    ALTER TABLE sessions ADD COLUMN drill_code TEXT;
    CREATE INDEX sessions_by_drill ON sessions (drill_code);
    CREATE TABLE drills (
        code        TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        definition  TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    """,
    # 4: a trainer can close a drill to new trainees (NULL: open).
    """
    ALTER TABLE drills ADD COLUMN closed_at TEXT;
    """,
)
"""Migration ``i`` brings the database from version ``i`` to ``i + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The version this code writes."""
