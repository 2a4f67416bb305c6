"""``roleplay history`` and ``roleplay export`` per the CLI contract."""

from __future__ import annotations

import json

from roleplay.cli import main
from roleplay.store import CheckRecord, Store, TurnRecord


def _fill(path):
    with Store.open(path) as s:
        sid = s.start_session(trainee="小李", scenario_id="fresh-milk-price", scenario_hash="h", lang="zh", seed=3)
        s.add_turn(sid, TurnRecord(0, "open", "太贵了", "=1+1 我们的奶是当天的", "done",
                                   checks=(CheckRecord("fab.feature", True, "当天的", 11, 14),)))
        s.finish_session(sid, outcome="success", score=77, passed=True)


class TestHistory:
    def test_json_lists_sessions(self, tmp_path, capsys):
        _fill(tmp_path / "r.db")
        assert main(["history", "--json", "--db", str(tmp_path / "r.db")]) == 0
        [row] = json.loads(capsys.readouterr().out)
        assert (row["trainee"], row["score"], row["outcome"]) == ("小李", 77, "success")

    def test_table_for_people(self, tmp_path, capsys):
        _fill(tmp_path / "r.db")
        assert main(["history", "--db", str(tmp_path / "r.db")]) == 0
        assert "fresh-milk-price" in capsys.readouterr().out

    def test_missing_database_is_one_line_exit_2(self, tmp_path, capsys):
        assert main(["history", "--db", str(tmp_path / "none.db")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "does not exist yet" in err


class TestExport:
    def test_csv_file_written_with_bom(self, tmp_path):
        _fill(tmp_path / "r.db")
        out = tmp_path / "out.csv"
        assert main(["export", "--format", "csv", "-o", str(out), "--db", str(tmp_path / "r.db")]) == 0
        data = out.read_bytes()
        assert data.startswith("\ufeff".encode()) and "'=1+1 我们的奶是当天的".encode() in data

    def test_json_to_stdout(self, tmp_path, capsys):
        _fill(tmp_path / "r.db")
        assert main(["export", "--format", "json", "--db", str(tmp_path / "r.db")]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["sessions"][0]["turns"][0]["checks"][0]["evidence"] == "当天的"

    def test_unwritable_output_is_one_line(self, tmp_path, capsys):
        _fill(tmp_path / "r.db")
        assert main(["export", "--format", "json", "-o", str(tmp_path / "no" / "x.json"),
                     "--db", str(tmp_path / "r.db")]) == 2
        assert "cannot write" in capsys.readouterr().err
