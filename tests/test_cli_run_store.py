"""``roleplay run`` keeps the practice record: every answered turn at once, resumable, and a
store that cannot be written never stops the practice."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from roleplay.cli import main
from roleplay.store import Store

GREETING = "您好，这里是联印销售部，我是小李，请问有什么可以帮您？"
ROUTE = "王经理，真不好意思。维修由我们技术支持部负责，请您拨打技术支持热线400-820-0000。"


def _input(tmp_path, *lines: str) -> str:
    path = tmp_path / "answers.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


class TestSaving:
    def test_turns_are_saved_with_the_scenario_version(self, tmp_path, capsys):
        db = str(tmp_path / "r.db")
        assert main(["run", "printer-out-of-scope", "--db", db, "--trainee", "小李",
                     "--input", _input(tmp_path, GREETING, ROUTE)]) == 0
        with Store.open(db, readonly=True) as store:
            [record] = store.sessions(full=True)
        assert record.trainee == "小李" and len(record.turns) == 2
        assert len(record.scenario_hash) == 64 and record.outcome == "unfinished"
        assert record.turns[0].checks  # every check result is kept with its evidence

    def test_no_save_writes_nothing(self, tmp_path):
        db = tmp_path / "r.db"
        assert main(["run", "printer-out-of-scope", "--db", str(db), "--no-save",
                     "--input", _input(tmp_path, GREETING)]) == 0
        assert not db.exists()

    def test_env_variable_names_the_store(self, tmp_path, monkeypatch):
        monkeypatch.setenv("ROLEPLAY_DB", str(tmp_path / "env.db"))
        assert main(["run", "printer-out-of-scope", "--input", _input(tmp_path, GREETING)]) == 0
        assert (tmp_path / "env.db").exists()

    def test_resume_continues_the_same_record(self, tmp_path, capsys):
        db = str(tmp_path / "r.db")
        main(["run", "printer-out-of-scope", "--db", db, "--input", _input(tmp_path, GREETING)])
        capsys.readouterr()
        assert main(["run", "printer-out-of-scope", "--db", db, "--resume", "1", "--json",
                     "--input", _input(tmp_path, ROUTE)]) == 0
        out = json.loads(capsys.readouterr().out)
        assert [t["trainee"] for t in out["turns"]] == [GREETING, ROUTE]
        with Store.open(db, readonly=True) as store:
            assert [t.trainee for t in store.session(1).turns] == [GREETING, ROUTE]

    def test_resume_of_an_unknown_session_is_one_line(self, tmp_path, capsys):
        db = str(tmp_path / "r.db")
        Store.open(db).close()
        assert main(["run", "printer-out-of-scope", "--db", db, "--resume", "9",
                     "--input", _input(tmp_path, GREETING)]) == 2
        assert capsys.readouterr().err.count("\n") == 1


class TestStoreProblems:
    @pytest.mark.parametrize("damage", ["corrupt", "locked"])
    def test_practice_goes_on_and_says_why_nothing_was_saved(self, tmp_path, capsys, monkeypatch, damage):
        db = tmp_path / "r.db"
        holder = None
        if damage == "corrupt":
            db.write_bytes(b"garbage" * 1000)
        else:
            Store.open(db).close()
            holder = sqlite3.connect(db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            monkeypatch.setenv("ROLEPLAY_DB_TIMEOUT", "0.3")
        try:
            code = main(["run", "printer-out-of-scope", "--db", str(db), "--json",
                         "--input", _input(tmp_path, GREETING)])
        finally:
            if holder is not None:
                holder.execute("ROLLBACK")
        out, err = capsys.readouterr()
        assert code == 0 and json.loads(out)["turns"]
        assert "Traceback" not in err and "warning" in err


class TestKill:
    def test_kill_9_mid_run_keeps_every_answered_turn(self, tmp_path):
        db = tmp_path / "k.db"
        proc = subprocess.Popen(
            [sys.executable, "-m", "roleplay", "run", "printer-out-of-scope", "--db", str(db), "--json"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            proc.stdin.write((GREETING + "\n" + ROUTE + "\n").encode())
            proc.stdin.flush()
            deadline = time.monotonic() + 60
            turns = 0
            while time.monotonic() < deadline and turns < 2:
                time.sleep(0.1)
                if db.exists():
                    try:
                        with Store.open(db, readonly=True) as store:
                            sessions = store.sessions(full=True)
                        turns = len(sessions[0].turns) if sessions else 0
                    except Exception:  # noqa: BLE001 - the file may be mid-creation; poll again
                        turns = 0
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(10)
        with Store.open(db) as store:
            [record] = store.unfinished()
        assert [t.trainee for t in record.turns] == [GREETING, ROUTE]
