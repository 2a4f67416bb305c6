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
            assert store.drill(code).title == "Shop and call"

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


class TestListCloseReopen:
    def test_list_shows_every_drill_open_or_closed_with_its_trainees(self, env, tmp_path, capsys):
        assert main(["drill", "list"]) == 2  # no record yet: one line, nothing created
        assert "does not exist yet" in capsys.readouterr().err and not (tmp_path / "team.db").exists()
        first = create(tmp_path, capsys)
        second = create(tmp_path, capsys, DRILL.replace("Shop and call", "第二次演练"))
        assert main(["drill", "join", first, "--trainee", "Li", "--input",
                     str(answers(tmp_path, "li", GOOD_SHOP + GOOD_CALL))]) == 0
        assert main(["drill", "join", first, "--trainee", "Bo", "--input", str(answers(tmp_path, "bo", GOOD_SHOP))]) == 0
        assert main(["drill", "close", first]) == 0
        capsys.readouterr()
        assert main(["drill", "list", "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert {d["code"] for d in doc} == {first, second}
        row = {d["code"]: d for d in doc}
        assert (row[first]["status"], row[first]["trainees"], row[first]["done"], row[first]["scenarios"]) == (
            "closed", 2, 1, 2)
        assert row[first]["closed_at"] and not row[first]["open"]
        assert (row[second]["status"], row[second]["trainees"], row[second]["title"]) == ("open", 0, "第二次演练")
        assert main(["drill", "list"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].split() == ["CODE", "CREATED", "(UTC)", "STATUS", "SCENARIOS", "TRAINEES", "DONE", "TITLE"]
        mine = next(line for line in lines if line.startswith(first))
        assert "closed 20" in mine and mine.endswith("Shop and call") and " 2 " in mine and " 1 " in mine
        # Columns line up beside Chinese titles: every row's title starts in the same terminal cell.
        from roleplay.cli.common import display_width

        starts = {display_width(line[:line.index(title)]) for line in lines[1:]
                  for title in ("Shop and call", "第二次演练") if title in line}
        assert len(starts) == 1

    def test_an_empty_record(self, env, tmp_path, capsys):
        from roleplay.store import Store

        Store.open().close()
        assert main(["drill", "list"]) == 0
        assert "No drills yet" in capsys.readouterr().out
        assert main(["drill", "list", "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == []

    def test_a_closed_drill_refuses_new_names_in_one_line_and_the_joined_finish(self, env, tmp_path, capsys):
        code = create(tmp_path, capsys)
        assert main(["drill", "join", code, "--trainee", "Li", "--input", str(answers(tmp_path, "a", GOOD_SHOP))]) == 0
        capsys.readouterr()
        assert main(["drill", "close", code.lower()]) == 0
        out = capsys.readouterr().out
        assert f"drill {code} is closed to new trainees since" in out and "1 trainee joined" in out
        assert main(["drill", "close", code]) == 0
        assert "was already closed" in capsys.readouterr().out

        assert main(["drill", "join", code, "--trainee", "Bo", "--input", str(answers(tmp_path, "b", GOOD_SHOP))]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"drill {code} was closed to new trainees at" in err and "reopen" in err
        assert main(["drill", "join", code, "--trainee", "li", "--resume", "--json", "--input",
                     str(answers(tmp_path, "c", GOOD_CALL))]) == 0
        assert json.loads(capsys.readouterr().out)["finished"] is True

        assert main(["drill", "board", code, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["drill"]["closed_at"]
        assert main(["drill", "report", code, "--format", "md", "--ui-lang", "en"]) == 0
        assert "Closed to new trainees at" in capsys.readouterr().out

        assert main(["drill", "reopen", code, "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["open"] and doc["changed"] and doc["closed_at"] is None
        assert main(["drill", "reopen", code]) == 0
        assert "was not closed" in capsys.readouterr().out
        assert main(["drill", "join", code, "--trainee", "Bo", "--input", str(answers(tmp_path, "b", GOOD_SHOP))]) == 0

    def test_reopening_after_the_join_window_says_it_still_refuses(self, env, tmp_path, capsys):
        library = Library.discover([os.environ["ROLEPLAY_SCENARIOS"]], builtin=False, user=False)
        spec, _ = load_drill(tmp_path / "drill.yaml", library)
        from dataclasses import replace

        with Store.open(clock=lambda: "2020-01-01T09:00:00Z") as old:
            code = create_drill(old, replace(spec, join_window=30)).code
        assert main(["drill", "close", code]) == 0
        assert main(["drill", "reopen", code]) == 0
        captured = capsys.readouterr()
        assert "takes new trainees again" in captured.out
        assert "join window of drill" in captured.err and "ended at 09:30 UTC on 2020-01-01" in captured.err
        assert main(["drill", "list", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)[0]["status"] == "ended"

    @pytest.mark.parametrize("argv, message", [
        (["drill", "close", "ABC234"], "no drill ABC234"),
        (["drill", "reopen", "AB"], "is not a drill code"),
        (["drill", "close", "ABC234", "--no-save"], "drop --no-save"),
    ])
    def test_bad_codes_are_one_line(self, env, tmp_path, capsys, argv, message):
        create(tmp_path, capsys)
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1

    def test_a_record_of_the_previous_version_is_upgraded_for_the_trainer(self, env, tmp_path, capsys):
        """The drill commands read the team's record read-only; one from before ``closed_at`` existed
        is upgraded once instead of being refused."""
        import sqlite3

        from roleplay.store.schema import SCHEMA_VERSION

        code = create(tmp_path, capsys)
        conn = sqlite3.connect(os.environ["ROLEPLAY_DB"])
        conn.execute("ALTER TABLE drills DROP COLUMN closed_at")
        conn.execute("PRAGMA user_version = 3")
        conn.commit()
        conn.close()
        assert main(["drill", "list", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)[0]["code"] == code
        conn = sqlite3.connect(os.environ["ROLEPLAY_DB"])
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        conn.close()


class TerminalInput:
    """Standard input as a terminal: ``isatty`` is true, and each line is handed over only when read,
    after ``before_read`` has looked at what was printed so far."""

    closed = False

    def __init__(self, lines: list[str], before_read) -> None:
        self.buffer = self._lines(lines, before_read)

    @staticmethod
    def _lines(lines, before_read):
        for line in lines:
            before_read(line)
            yield (line + "\n").encode("utf-8")
        before_read(None)

    def isatty(self) -> bool:
        return True


class TestLiveJoin:
    def test_at_a_terminal_each_customer_line_is_shown_before_the_answer_is_read(self, env, tmp_path, capsys,
                                                                                  monkeypatch):
        code = create(tmp_path, capsys)
        seen: list[tuple[str | None, str]] = []

        def before_read(line):
            seen.append((line, capsys.readouterr().out))

        lines = GOOD_SHOP + GOOD_CALL
        monkeypatch.setattr(sys, "stdin", TerminalInput(lines + ["never read"], before_read))
        assert main(["drill", "join", code, "--trainee", "Li", "--input", "-"]) == 0
        rest = capsys.readouterr().out
        assert [line for line, _ in seen] == lines  # the drill was over: no further line was asked for
        shown = [out for _, out in seen]
        assert shown[0].startswith(f"drill {code}: Shop and call (Li)\n\n[1/2] 小店（drill-shop")
        assert shown[0].splitlines()[-1] in ("客户: 你好，有事吗？", "客户: 谁啊？", "客户: 什么事？")
        # Each answer's reply was printed before the next line was read; the terminal echoed the
        # answer itself, so it is not printed again.
        for out in shown[1:]:
            assert out.splitlines()[-1].startswith("客户") and GOOD_SHOP[0] not in out
        assert "[2/2] " in shown[2] and "得分" in shown[2]  # the shop's result, then the call's first line
        assert rest.rstrip().splitlines()[-1].startswith("drill score 100/100, 2 of 2 scenarios passed")
        assert "[1/2] drill-shop: success" in rest

    def test_a_resumed_trainee_sees_the_conversation_so_far(self, env, tmp_path, capsys, monkeypatch):
        from roleplay.drill import join, open_drill

        code = create(tmp_path, capsys)
        library = Library.discover([os.environ["ROLEPLAY_SCENARIOS"]], builtin=False, user=False)
        with Store.open() as store:
            crashed = join(open_drill(store, library, code), library, store, "Li")
            crashed.answer(GOOD_SHOP[0])  # then the terminal was closed: the scenario stays unfinished
        seen: list[str] = []
        monkeypatch.setattr(sys, "stdin",
                            TerminalInput(GOOD_SHOP[1:], lambda line: seen.append(capsys.readouterr().out)))
        assert main(["drill", "join", code, "--trainee", "li", "--resume", "--input", "-"]) == 0
        before = seen[0].splitlines()
        assert before[2].startswith("[1/2] ") and f"你: {GOOD_SHOP[0]}" in before  # the replayed answer, echoed
        assert before[-1].startswith("客户: ") and before.index(f"你: {GOOD_SHOP[0]}") < len(before) - 1
        assert "[2/2] " in seen[1]  # the shop ended with the next answer; the call begins

    def test_ctrl_c_keeps_the_answers_and_says_how_to_go_on(self, env, tmp_path, capsys, monkeypatch):
        code = create(tmp_path, capsys)
        reads: list[str | None] = []

        def before_read(line):
            reads.append(line)
            if len(reads) == 2:
                raise KeyboardInterrupt

        monkeypatch.setattr(sys, "stdin", TerminalInput(GOOD_SHOP, before_read))
        assert main(["drill", "join", code, "--trainee", "Li Lei", "--input", "-"]) == 130
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"roleplay drill join {code} --trainee 'Li Lei' --resume" in err
        with Store.open(readonly=True) as store:
            [session] = store.sessions(drill_code=code, full=True)
        assert [t.trainee for t in session.turns] == GOOD_SHOP[:1]

    def test_a_pipe_keeps_the_summary_only(self, env, tmp_path, capsys, monkeypatch):
        code = create(tmp_path, capsys)

        class Pipe(TerminalInput):
            def isatty(self) -> bool:
                return False

        monkeypatch.setattr(sys, "stdin", Pipe(GOOD_SHOP, lambda line: None))
        assert main(["drill", "join", code, "--trainee", "Li", "--input", "-"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"drill {code}: Shop and call (Li)\n[1/2] drill-shop: success") and "客户" not in out

    @pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
    def test_kill_9_at_a_real_terminal_keeps_every_answer_given(self, env, tmp_path, capsys):
        import select
        import signal

        code = create(tmp_path, capsys)
        master, slave = os.openpty()
        proc = subprocess.Popen([*CLI, "drill", "join", code, "--trainee", "Li", "--input", "-"], env=env,
                                stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(slave)
        printed = b""

        def wait_for_customer_lines(count: int) -> None:
            """Read what the process prints until ``count`` customer lines have been shown."""
            nonlocal printed
            while printed.decode("utf-8", "replace").count("客户:") < count:
                ready, _, _ = select.select([proc.stdout], [], [], 120)  # a guard against a hang, not a timing
                assert ready, printed.decode("utf-8", "replace")
                chunk = os.read(proc.stdout.fileno(), 65536)
                assert chunk, proc.stderr.read().decode("utf-8", "replace")
                printed += chunk

        try:
            wait_for_customer_lines(1)  # the opening line, before anything was typed
            os.write(master, (WEAK_SHOP[0] + "\n").encode("utf-8"))
            wait_for_customer_lines(2)
            os.write(master, (WEAK_SHOP[1] + "\n").encode("utf-8"))
            wait_for_customer_lines(3)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            proc.stderr.close()
            os.close(master)
        with Store.open(readonly=True) as store:
            [session] = store.sessions(drill_code=code, full=True)
        assert [t.trainee for t in session.turns] == WEAK_SHOP[:2] and session.ended_at is None
        assert main(["drill", "join", code, "--trainee", "Li", "--resume", "--json", "--input",
                     str(answers(tmp_path, "rest", WEAK_SHOP[2:] + GOOD_CALL))]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["finished"] and doc["scenarios"][0]["turns"] == 3


def test_call_and_shop_are_the_shared_scenarios():
    """The helpers this file borrows are the ones test_drill.py tests (a guard against drift)."""
    assert "drill-call" in CALL and "drill-shop" in SHOP
