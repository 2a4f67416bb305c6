"""``roleplay drill``: create, join (three trainees at once, as separate processes), duplicate and
late names, the report files, and one-line errors for bad input. The ranking and pass rates are
checked against an independent replay of the same answers through the engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.cli import main
from roleplay.drill import create_drill, load_board, load_drill
from roleplay.scenario.library import Library
from roleplay.store import Store
from test_drill import CALL, GOOD_CALL, GOOD_SHOP, SHOP, WEAK_CALL, WEAK_SHOP, write_scenarios

DRILL = "version: 1\ntitle: Shop and call\nlanguage: zh\nseed: 11\nscenarios: [drill-shop, drill-call]\n"
CLI = [sys.executable, "-c", "import sys; from roleplay.cli import main; sys.exit(main())"]


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A practice record, the test scenarios and an empty user folder, for this process and children."""
    folder = write_scenarios(tmp_path / "scenarios")
    values = {"ROLEPLAY_DB": str(tmp_path / "team.db"), "ROLEPLAY_SCENARIOS": str(folder),
              "XDG_DATA_HOME": str(tmp_path / "data")}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("ROLEPLAY_TRAINEE", raising=False)
    (tmp_path / "drill.yaml").write_text(DRILL, encoding="utf-8")
    return {**os.environ, **values}


def create(tmp_path, capsys, text: str = DRILL) -> str:
    path = tmp_path / "drill.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["drill", "create", str(path)]) == 0
    return capsys.readouterr().out.strip()


def answers(tmp_path, name: str, lines: list[str]) -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def oracle(lines: list[str], seed: int) -> list[tuple[int, dict[str, bool]]]:
    """Each scenario's (score, session checks) from the engine alone: the lines in order, the
    next scenario starting when one ends, the last one scored as it stands."""
    from roleplay.engine import ScenarioRuntime

    library = Library.discover([os.environ["ROLEPLAY_SCENARIOS"]], builtin=False, user=False)
    out, queue = [], list(lines)
    for sid in ("drill-shop", "drill-call"):
        session = ScenarioRuntime(library.scenarios[sid]).start("zh", seed=seed)
        while queue and not session.finished:
            session.answer(queue.pop(0))
        if session.turns:
            grade = session.result().grade
            out.append((grade.score, {c.id: c.passed for c in grade.checks}))
    return out


class TestCreate:
    def test_the_code_alone_on_stdout(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        assert len(code) == 6 and code.isalnum() and code.isupper()
        with Store.open() as store:
            assert store.drill(code)["title"] == "Shop and call"

    def test_json(self, env, tmp_path, capsys):
        assert main(["drill", "create", str(tmp_path / "drill.yaml"), "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["lang"] == "zh" and doc["seed"] == 11 and [s["scenario"] for s in doc["scenarios"]] == [
            "drill-shop", "drill-call"]

    def test_problems_are_located_and_nothing_is_stored(self, env, tmp_path, capsys):
        bad = tmp_path / "bad.yaml"
        bad.write_text("version: 1\ntitle: T\nlanguage: de\nscenarios: [drill-shop, nope]\n", encoding="utf-8")
        assert main(["drill", "create", str(bad)]) == 1
        err = capsys.readouterr().err.splitlines()
        assert any(line.endswith("bad.yaml:3:11: error: language should be one of zh, en, not 'de'") for line in err)
        assert any(":4:25: error: no scenario 'nope'" in line for line in err)
        assert err[-1].endswith("2 errors; the drill was not created")

    def test_a_missing_file_and_no_save(self, env, tmp_path, capsys):
        assert main(["drill", "create", str(tmp_path / "none.yaml")]) == 2
        assert main(["drill", "create", str(tmp_path / "drill.yaml"), "--no-save"]) == 2
        assert "drop --no-save" in capsys.readouterr().err


class TestThreeTrainees:
    def test_three_processes_join_at_once_and_the_board_is_right(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        team = {"Ann": GOOD_SHOP + GOOD_CALL, "Bo": WEAK_SHOP + WEAK_CALL, "Cy": GOOD_SHOP + GOOD_CALL}
        procs = {name: subprocess.Popen([*CLI, "drill", "join", code.lower(), "--trainee", name, "--input",
                                         str(answers(tmp_path, name, lines)), "--json"],
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for name, lines in team.items()}
        outputs = {}
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            outputs[name] = json.loads(out)

        expected = {name: oracle(lines, seed=11) for name, lines in team.items()}
        for name, doc in outputs.items():
            assert [s["score"] for s in doc["scenarios"]] == [score for score, _ in expected[name]]
            assert doc["finished"] is True and doc["unused_lines"] == 0

        with Store.open(readonly=True) as store:
            board = load_board(store, code)
            sessions = store.sessions(drill_code=code, full=True)
        assert len(sessions) == 6 and all(s.ended_at for s in sessions)
        means = {name: round(sum(score for score, _ in steps) / 2) for name, steps in expected.items()}
        assert means["Ann"] == means["Cy"] > means["Bo"]
        assert [(s.rank, s.trainee, s.score) for s in board.standings] == [
            (1, "Ann", means["Ann"]), (1, "Cy", means["Cy"]), (3, "Bo", means["Bo"])]
        counts: dict[str, list[int]] = {}
        for steps in expected.values():
            for _, checks in steps:
                for check, passed in checks.items():
                    counts.setdefault(check, [0, 0])
                    counts[check][0] += passed
                    counts[check][1] += 1
        assert {r.check_id: [r.passed, r.total] for r in board.rates} == counts

        # The same seed gave everyone the same customer lines: the first line of each scenario for
        # all, and the whole conversation for the two who answered alike.
        by = {(s.trainee, s.scenario_id): [t.customer for t in s.turns] for s in sessions}
        for sid in ("drill-shop", "drill-call"):
            assert len({by[(name, sid)][0] for name in team}) == 1
            assert by[("Ann", sid)] == by[("Cy", sid)]
        assert all(view.answers and view.same_line for view in (board.turns[0][0], board.turns[1][0]))

        # Joining again with a taken name is refused in one line, with a way out.
        assert main(["drill", "join", code, "--trainee", "ann", "--input", str(tmp_path / "Ann.txt")]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "already taken" in err and "'ann 2'" in err and "--resume" in err

    def test_two_processes_racing_for_one_name(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        path = answers(tmp_path, "li", GOOD_SHOP)
        procs = [subprocess.Popen([*CLI, "drill", "join", code, "--trainee", "Li", "--input", str(path)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        assert sorted(rc for rc, _ in results) == [0, 2], results
        loser = next(err for rc, err in results if rc == 2)
        assert "already taken" in loser and "Traceback" not in loser
        with Store.open(readonly=True) as store:
            assert {s.trainee for s in store.sessions(drill_code=code)} == {"Li"}
            assert len(store.sessions(drill_code=code, scenario_id="drill-shop")) == 1


class TestJoinRules:
    def test_a_late_trainee_is_refused(self, env, tmp_path, capsys):
        library = Library.discover([os.environ["ROLEPLAY_SCENARIOS"]], builtin=False, user=False)
        spec, _ = load_drill(tmp_path / "drill.yaml", library)
        from dataclasses import replace

        with Store.open(clock=lambda: "2020-01-01T09:00:00Z") as old:
            code = create_drill(old, replace(spec, join_window=30)).code
        assert main(["drill", "join", code, "--trainee", "Late", "--input",
                     str(answers(tmp_path, "late", GOOD_SHOP))]) == 2
        assert ("stopped taking new trainees at 09:30 UTC on 2020-01-01 (it was open for 30 minutes)"
                in capsys.readouterr().err)

    def test_resume_after_a_partial_run(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        assert main(["drill", "join", code, "--trainee", "Li", "--input", str(answers(tmp_path, "a", GOOD_SHOP))]) == 0
        capsys.readouterr()
        assert main(["drill", "join", code, "--trainee", "li", "--resume", "--json", "--input",
                     str(answers(tmp_path, "b", GOOD_CALL))]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["trainee"] == "Li" and doc["finished"] and [s["outcome"] for s in doc["scenarios"]] == [
            "success", "success"]

    def test_text_output(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        assert main(["drill", "join", code, "--trainee", "Li", "--input", str(answers(tmp_path, "a", GOOD_SHOP))]) == 0
        out = capsys.readouterr().out
        assert f"drill {code}: Shop and call (Li)" in out
        assert "[1/2] drill-shop: success, score" in out and "[2/2] drill-call: not played" in out
        assert "rank 1 of 1 so far" in out

    @pytest.mark.parametrize("extra, message", [
        (["--trainee", "Li", "--lang", "en"], "played in zh with seed 11 by everyone"),
        (["--trainee", "Li", "--seed", "3"], "played in zh with seed 11 by everyone"),
        ([], "headless play needs a name"),
        (["--trainee", "Li", "--hot-seat"], "--hot-seat is for the app"),
        (["--trainee", "Li\x07"], "control characters"),
        (["--trainee", "Li", "--no-save"], "drop --no-save"),
    ])
    def test_one_line_refusals(self, env, tmp_path, capsys, extra, message):
        code = create(tmp_path, capsys)
        assert main(["drill", "join", code, "--input", str(answers(tmp_path, "a", GOOD_SHOP)), *extra]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1

    def test_bad_input_files(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        latin = tmp_path / "latin.txt"
        latin.write_bytes("caf\xe9\n".encode("latin-1"))
        assert main(["drill", "join", code, "--trainee", "Li", "--input", str(latin)]) == 2
        assert "line 1 is not UTF-8" in capsys.readouterr().err
        empty = answers(tmp_path, "empty", ["", "  "])
        assert main(["drill", "join", code, "--trainee", "Li", "--input", str(empty)]) == 2
        assert "no answers in the input" in capsys.readouterr().err
        with Store.open(readonly=True) as store:  # the refused join left nothing behind
            assert store.sessions(drill_code=code) == []
        assert main(["drill", "join", "NOCODE", "--trainee", "Li", "--input", str(latin)]) == 2
        assert main(["drill", "join", "ABC234", "--trainee", "Li", "--input", str(latin)]) == 2
        err = capsys.readouterr().err
        assert "'NOCODE' is not a drill code" in err and "no drill ABC234" in err

    def test_a_changed_scenario_is_refused(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        shop = Path(os.environ["ROLEPLAY_SCENARIOS"]) / "drill-shop.yaml"
        shop.write_text(SHOP.replace("小店", "新小店"), encoding="utf-8")
        assert main(["drill", "join", code, "--trainee", "Li", "--input", str(answers(tmp_path, "a", GOOD_SHOP))]) == 2
        assert "has changed since drill" in capsys.readouterr().err


class TestReportAndBoard:
    def test_report_files_are_written_whole(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        assert main(["drill", "join", code, "--trainee", "=Li", "--input",
                     str(answers(tmp_path, "a", GOOD_SHOP + GOOD_CALL))]) == 0
        for fmt in ("md", "csv", "json"):
            out = tmp_path / "reports" / f"report.{fmt}"
            out.parent.mkdir(exist_ok=True)
            assert main(["drill", "report", code, "--format", fmt, "-o", str(out), "--ui-lang", "en"]) == 0
            assert out.stat().st_size > 0
        assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["report.csv", "report.json", "report.md"]
        assert (tmp_path / "reports" / "report.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        assert "'=Li" in (tmp_path / "reports" / "report.csv").read_text("utf-8-sig")
        assert json.loads((tmp_path / "reports" / "report.json").read_text("utf-8"))["ranking"][0]["trainee"] == "=Li"
        assert "# Drill report: Shop and call" in (tmp_path / "reports" / "report.md").read_text("utf-8")
        assert main(["drill", "report", code, "--format", "md", "-o", str(tmp_path / "no" / "dir" / "r.md")]) == 2
        assert "cannot write" in capsys.readouterr().err

    def test_board_json(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        assert main(["drill", "board", code, "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["drill"]["code"] == code and doc["ranking"] == []

    def test_report_of_a_missing_record_is_one_line(self, env, tmp_path, capsys, monkeypatch):
        monkeypatch.setenv("ROLEPLAY_DB", str(tmp_path / "none.db"))
        assert main(["drill", "report", "ABCDEF", "--format", "md"]) == 2
        assert "does not exist yet" in capsys.readouterr().err


def test_call_and_shop_are_the_shared_scenarios():
    """The helpers this file borrows are the ones test_drill.py tests (a guard against drift)."""
    assert "drill-call" in CALL and "drill-shop" in SHOP
