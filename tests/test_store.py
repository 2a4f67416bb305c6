"""The practice record: nothing answered is ever lost, and every failure is a clear message."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from roleplay.store import CheckRecord, Store, StoreError, TurnRecord
from roleplay.store.export import from_json, neutralise, to_csv, to_json, write_atomically
from roleplay.store.schema import MIGRATIONS, SCHEMA_VERSION


def _clock():
    ticks = iter(range(10_000))
    return lambda: f"2026-11-27T03:{next(ticks) // 60 % 60:02d}:{next(ticks) % 60:02d}Z"


def _turn(i: int, text: str = "您好，我是联印的小李", passed: bool = True) -> TurnRecord:
    return TurnRecord(
        index=i, state=f"s{i}", customer="喂？", trainee=text, next_state=f"s{i + 1}", intent="greet",
        patience=3, interest=2,
        checks=(CheckRecord("etiquette.greeting", passed, "您好" if passed else None, 0 if passed else None,
                            2 if passed else None),),
    )


def _session(store: Store, trainee: str = "小李", scenario: str = "printer-out-of-scope", turns: int = 2,
             score: int = 80, finish: bool = True) -> int:
    sid = store.start_session(trainee=trainee, scenario_id=scenario, scenario_hash="abc", lang="zh", seed=7)
    for i in range(turns):
        store.add_turn(sid, _turn(i))
    if finish:
        store.finish_session(sid, outcome="success", score=score, passed=score >= 70,
                             checks=[CheckRecord("close.sequence", False), CheckRecord("etiquette.greeting", True, "您好", 0, 2)])
    return sid


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "r.db", clock=_clock()) as s:
        yield s


class TestOpening:
    def test_new_database_is_wal_with_foreign_keys_and_current_schema(self, tmp_path):
        with Store.open(tmp_path / "new" / "r.db"):
            pass
        conn = sqlite3.connect(tmp_path / "new" / "r.db")
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION

    def test_env_variable_chooses_the_file(self, tmp_path, monkeypatch):
        monkeypatch.setenv("ROLEPLAY_DB", str(tmp_path / "env.db"))
        with Store.open() as s:
            assert s.path == tmp_path / "env.db"

    def test_corrupt_file_is_a_clear_error(self, tmp_path):
        bad = tmp_path / "bad.db"
        bad.write_bytes(b"this is not sqlite at all\x00" * 100)
        with pytest.raises(StoreError, match="not a roleplay database or is damaged"):
            Store.open(bad)

    def test_other_programs_sqlite_file_is_refused(self, tmp_path):
        other = tmp_path / "other.db"
        sqlite3.connect(other).execute("CREATE TABLE contacts (name TEXT)")
        with pytest.raises(StoreError, match="another program"):
            Store.open(other)

    def test_newer_schema_is_refused(self, tmp_path):
        with Store.open(tmp_path / "r.db"):
            pass
        conn = sqlite3.connect(tmp_path / "r.db")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.close()
        with pytest.raises(StoreError, match="newer roleplay"):
            Store.open(tmp_path / "r.db")

    def test_locked_database_is_a_clear_error(self, tmp_path):
        with Store.open(tmp_path / "r.db"):
            pass
        holder = sqlite3.connect(tmp_path / "r.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with Store.open(tmp_path / "r.db", timeout=0.2) as s:
                with pytest.raises(StoreError, match="locked"):
                    s.start_session(trainee="a", scenario_id="x", scenario_hash="", lang="zh")
        finally:
            holder.execute("ROLLBACK")

    def test_readonly_open_of_a_missing_file_says_nothing_saved(self, tmp_path):
        with pytest.raises(StoreError, match="does not exist yet"):
            Store.open(tmp_path / "none.db", readonly=True)


class TestRecording:
    def test_session_round_trip(self, store):
        sid = _session(store)
        s = store.session(sid)
        assert (s.trainee, s.outcome, s.score, s.passed, s.seed) == ("小李", "success", 80, True, 7)
        assert [t.index for t in s.turns] == [0, 1]
        assert s.turns[0].checks[0] == CheckRecord("etiquette.greeting", True, "您好", 0, 2)
        assert {c.id for c in s.checks} == {"close.sequence", "etiquette.greeting"}

    def test_hinted_turns_count_hints(self, store):
        sid = store.start_session(trainee="a", scenario_id="x", scenario_hash="", lang="en")
        store.add_turn(sid, TurnRecord(0, "s", "Hi", "hello", "t", hinted=True))
        assert store.session(sid).hints_used == 1

    def test_plan_review_diary_are_kept(self, store):
        sid = _session(store)
        store.save_plan(sid, {"goal": "拿到试用订单", "questions": ["价格？"]})
        store.save_review(sid, "价格异议处理得不够耐心")
        store.save_diary(sid, "今天拜访了王经理")
        s = store.session(sid)
        assert s.plan == {"goal": "拿到试用订单", "questions": ["价格？"]}
        assert (s.review, s.diary) == ("价格异议处理得不够耐心", "今天拜访了王经理")

    def test_discard_removes_everything(self, store):
        sid = _session(store, finish=False)
        store.discard(sid)
        assert store.sessions() == []
        assert store._read("SELECT count(*) AS n FROM checks")[0]["n"] == 0

    def test_unknown_session_is_a_clear_error(self, store):
        with pytest.raises(StoreError, match="no session 42"):
            store.session(42)


class TestQueries:
    def test_filters_and_unfinished(self, store):
        _session(store, trainee="a", scenario="one")
        _session(store, trainee="b", scenario="two")
        _session(store, trainee="a", scenario="two", finish=False)
        assert [s.scenario_id for s in store.sessions(trainee="a")] == ["two", "one"]
        assert [s.trainee for s in store.unfinished()] == ["a"]
        assert store.trainees() == ["a", "b"]

    def test_weakest_checks_and_history(self, store):
        for passed in (True, False, False):
            sid = store.start_session(trainee="a", scenario_id="x", scenario_hash="", lang="zh")
            store.finish_session(sid, outcome="failure", score=50, passed=False,
                                 checks=[CheckRecord("fab.benefit", passed), CheckRecord("etiquette.greeting", True)])
        weakest = store.weakest_checks("a")
        assert [(w.check_id, w.passed, w.total) for w in weakest] == [("fab.benefit", 1, 3)]
        assert [p.passed for p in store.check_history(trainee="a", check_id="fab.benefit")] == [True, False, False]

    def test_leaderboard_ranks_by_best_score(self, store):
        _session(store, trainee="a", score=60)
        _session(store, trainee="b", score=90)
        _session(store, trainee="a", score=75)
        board = store.leaderboard()
        assert [(s.trainee, s.best_score, s.sessions) for s in board] == [("b", 90, 1), ("a", 75, 2)]


class TestMigration:
    def test_previous_schema_version_migrates_and_keeps_data(self, tmp_path):
        path = tmp_path / "old.db"
        conn = sqlite3.connect(path, isolation_level=None)
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO sessions (trainee, scenario_id, lang, started_at, outcome, score, passed)"
                     " VALUES ('老王', 'fresh-milk-price', 'zh', '2026-01-01T00:00:00Z', 'success', 88, 1)")
        conn.execute("INSERT INTO turns (session_id, idx, state, customer, trainee, next_state, created_at)"
                     " VALUES (1, 0, 'open', '贵了', '我们的奶是当天的', 'done', '2026-01-01T00:00:01Z')")
        conn.close()
        with Store.open(path) as s:
            old = s.session(1)
            assert (old.trainee, old.score, old.hints_used, old.plan) == ("老王", 88, 0, None)
            assert old.turns[0].trainee == "我们的奶是当天的"
            s.save_review(1, "ok")
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION

    def test_the_version_before_drill_closing_migrates_and_keeps_its_drills(self, tmp_path):
        """A record at version 3 (drills, no closed_at) gains the column; drills and sessions stay."""
        path = tmp_path / "v3.db"
        conn = sqlite3.connect(path, isolation_level=None)
        for migration in MIGRATIONS[:3]:
            for statement in migration.split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute("PRAGMA user_version = 3")
        conn.execute("INSERT INTO drills (code, title, definition, created_at) VALUES"
                     " ('ABCDEF', '演练', '{\"format\": \"roleplay-drill\"}', '2026-01-01T00:00:00Z')")
        conn.execute("INSERT INTO sessions (trainee, scenario_id, lang, started_at, drill_code, outcome, score, passed,"
                     " ended_at) VALUES ('Li', 'x', 'zh', '2026-01-01T00:00:01Z', 'ABCDEF', 'success', 90, 1,"
                     " '2026-01-01T00:00:09Z')")
        conn.close()
        with Store.open(path, readonly=True) as s:  # reading upgrades a writable older record once
            assert [d.code for d in s.drills()] == ["ABCDEF"]
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        with Store.open(path, clock=lambda: "2026-01-02T00:00:00Z") as s:
            [drill] = s.drills()
            assert (drill.code, drill.title, drill.closed_at, drill.definition) == (
                "ABCDEF", "演练", None, {"format": "roleplay-drill"})
            assert [(p.trainee, p.scenario_id, p.sessions, p.scored) for p in drill.plays] == [("Li", "x", 1, True)]
            assert s.close_drill("ABCDEF") == "2026-01-02T00:00:00Z"
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        with Store.open(path, readonly=True) as s:
            assert s.drill("ABCDEF").closed_at == "2026-01-02T00:00:00Z"


    def test_an_older_record_that_cannot_be_written_keeps_the_advice(self, tmp_path):
        path = tmp_path / "v1.db"
        conn = sqlite3.connect(path, isolation_level=None)
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.close()
        _make_readonly(path)
        try:
            with pytest.raises(StoreError, match="older roleplay"):
                Store.open(path, readonly=True)
        finally:
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(path)], capture_output=True)
            path.chmod(0o644)


class TestDrills:
    def test_drills_newest_first_with_who_played_what(self, tmp_path):
        times = iter(f"2026-01-01T00:00:{n:02d}Z" for n in range(60))
        with Store.open(tmp_path / "d.db", clock=lambda: next(times)) as s:
            s.create_drill("AAAAAA", "first", {"n": 1})
            s.create_drill("BBBBBB", "second", {"n": 2})
            for trainee, from_state, finish in (("Li", None, True), ("Li", None, False), ("Bo", "pitch", False)):
                sid = s.start_session(trainee=trainee, scenario_id="shop", scenario_hash="", lang="zh",
                                      from_state=from_state, drill_code="AAAAAA")
                if finish:
                    s.finish_session(sid, outcome="failure", score=40, passed=False)
            s.start_session(trainee="Li", scenario_id="shop", scenario_hash="", lang="zh")  # not a drill's
            drills = s.drills()
        assert [(d.code, d.title, d.definition) for d in drills] == [("BBBBBB", "second", {"n": 2}),
                                                                      ("AAAAAA", "first", {"n": 1})]
        assert drills[0].plays == ()
        assert sorted((p.trainee, p.from_state, p.sessions, p.scored) for p in drills[1].plays) == [
            ("Bo", "pitch", 1, False), ("Li", None, 2, True)]

    def test_close_keeps_the_first_time_and_reopen_clears_it(self, tmp_path):
        times = iter(["2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z",
                      "2026-01-01T03:00:00Z"])
        with Store.open(tmp_path / "d.db", clock=lambda: next(times)) as s:
            s.create_drill("AAAAAA", "t", {})
            assert s.close_drill("AAAAAA") == "2026-01-01T01:00:00Z"
            assert s.close_drill("AAAAAA") == "2026-01-01T01:00:00Z"
            assert s.reopen_drill("AAAAAA") is True and s.drill("AAAAAA").closed_at is None
            assert s.close_drill("ZZZZZZ") is None and s.reopen_drill("ZZZZZZ") is False
            assert s.drill("ZZZZZZ") is None

    def test_a_damaged_definition_is_read_as_none(self, tmp_path):
        with Store.open(tmp_path / "d.db") as s:
            s.create_drill("AAAAAA", "t", {})
        with sqlite3.connect(tmp_path / "d.db") as conn:  # edited by hand
            conn.execute("UPDATE drills SET definition = '[1, 2' WHERE code = 'AAAAAA'")
        conn.close()
        with Store.open(tmp_path / "d.db", readonly=True) as s:
            assert s.drill("AAAAAA").definition is None and s.drills()[0].definition is None


def _writer(path: str, worker: int, count: int) -> None:
    with Store.open(path, timeout=30) as s:
        for n in range(count):
            sid = s.start_session(trainee=f"w{worker}", scenario_id="x", scenario_hash="", lang="zh", seed=n)
            for i in range(3):
                s.add_turn(sid, _turn(i, f"worker {worker} session {n} turn {i}"))
            s.finish_session(sid, outcome="success", score=70 + n % 30, passed=True,
                             checks=[CheckRecord("close.sequence", True)])


class TestConcurrency:
    def test_six_processes_writing_at_once_lose_nothing(self, tmp_path):
        path = str(tmp_path / "shared.db")
        Store.open(path).close()
        ctx = multiprocessing.get_context("spawn")
        procs = [ctx.Process(target=_writer, args=(path, w, 15)) for w in range(6)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [p.exitcode for p in procs] == [0] * 6
        with Store.open(path, readonly=True) as s:
            sessions = s.sessions(full=True)
        assert len(sessions) == 6 * 15
        assert all(len(x.turns) == 3 and x.outcome == "success" for x in sessions)
        assert {x.trainee for x in sessions} == {f"w{w}" for w in range(6)}


class TestKill:
    def test_kill_9_mid_session_keeps_every_answered_turn(self, tmp_path):
        path = tmp_path / "k.db"
        script = textwrap.dedent(f"""
            import os, sys, time
            from roleplay.store import Store, TurnRecord
            s = Store.open({str(path)!r})
            sid = s.start_session(trainee="k", scenario_id="x", scenario_hash="h", lang="en")
            for i in range(3):
                s.add_turn(sid, TurnRecord(i, "s", "Hi", f"answer {{i}}", "s"))
            print("answered", flush=True)
            time.sleep(60)
        """)
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "answered"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        with Store.open(path) as s:
            [session] = s.unfinished()
        assert [t.trainee for t in session.turns] == ["answer 0", "answer 1", "answer 2"]


def _make_readonly(path: Path) -> None:
    """Make ``path`` unwritable even for root (CI runs as root, which ignores file modes)."""
    path.chmod(0o444)
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("running as root without chattr: cannot make a file read-only here")


class TestReadOnly:
    def test_readonly_file_gives_a_clear_message(self, tmp_path):
        path = tmp_path / "ro.db"
        with Store.open(path) as s:
            _session(s)
        sqlite3.connect(path).execute("PRAGMA journal_mode = DELETE")  # no -wal/-shm files to write
        _make_readonly(path)
        try:
            with pytest.raises(StoreError, match="read-only"):
                with Store.open(path) as s:
                    s.start_session(trainee="a", scenario_id="x", scenario_hash="", lang="zh")
            with Store.open(path, readonly=True) as s:  # history still reads it
                assert len(s.sessions()) == 1
        finally:
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(path)], capture_output=True)
            path.chmod(0o644)


class TestExport:
    NASTY = ["=SUM(A1:A9)", "+86 138", "-1", "@cmd", "\tx", "\rx", "＝1+1", "您好，价格太贵了"]

    def _with_nasty(self, store):
        sid = store.start_session(trainee="=HYPERLINK(\"x\")", scenario_id="x", scenario_hash="", lang="zh")
        for i, text in enumerate(self.NASTY):
            store.add_turn(sid, TurnRecord(i, "s", "贵", text, "s",
                                           checks=(CheckRecord("fab.benefit", True, text, 0, len(text)),)))
        store.finish_session(sid, outcome="failure", score=10, passed=False)

    def test_csv_is_utf8_with_bom_and_formulas_open_as_text(self, store):
        self._with_nasty(store)
        text = to_csv(store.export_records())
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        said = [r[rows[0].index("trainee_said")] for r in rows[1:]]
        assert said[-1] == "您好，价格太贵了"
        for cell in said[:-1] + [rows[1][1]]:
            assert cell.startswith("'"), cell

    def test_neutralise_leaves_numbers_and_plain_text(self):
        assert neutralise(-5) == -5 and neutralise("价格") == "价格" and neutralise("") == ""

    def test_json_round_trips_losslessly(self, store, tmp_path):
        self._with_nasty(store)
        _session(store)
        store.save_plan(1, {"goal": "试用"})
        first = to_json(store.export_records())
        with Store.open(tmp_path / "copy.db") as copy:
            copy.import_records(from_json(first))
            second = to_json(copy.export_records())
        assert json.loads(first) == json.loads(second)

    def test_atomic_write_replaces_whole_file(self, tmp_path):
        target = tmp_path / "out.csv"
        target.write_text("old")
        write_atomically(target, "new,内容\n")
        assert target.read_text("utf-8") == "new,内容\n"
        assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
