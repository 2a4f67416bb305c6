"""``roleplay test``: one line per golden transcript, the failures' details, ``N passed, M failed``,
exit 1 on a failure; and the built-in library's own transcripts, replayed with the real scorer."""

from __future__ import annotations

import json
import textwrap

import pytest

import roleplay.engine.runtime as runtime_module
from roleplay.cli import main
from test_cli_run import SCENARIO
from test_engine_fakes import FakeGrader

TESTS = textwrap.dedent("""\
    tests:
      - name: introduce, then offer a trial
        lang: zh
        say: [老板您好，我是鲜农乳业的小张, 您先进两箱试试]
        expect: {end: deal, outcome: success, path: [greet, pitch, deal], score: ">= 90", passed: [etiquette.polite]}
      - name: the wrong expectation
        lang: en
        say: [hello there]
        expect: {outcome: success}
    """)


@pytest.fixture(autouse=True)
def no_user_folder(monkeypatch, tmp_path):
    """Keep the tester's own scenario folder out of these runs."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ROLEPLAY_SCENARIOS", raising=False)


@pytest.fixture
def fake(monkeypatch):
    grader = FakeGrader({"etiquette.polite": ["您", "please"]})
    monkeypatch.setattr(runtime_module, "default_grader", lambda: grader)
    return grader


def _scenario(tmp_path, tests=TESTS, name="cli-shop.yaml"):
    folder = tmp_path / "lib"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(SCENARIO + tests, encoding="utf-8")
    return path


def test_pass_and_fail_lines_details_and_summary(tmp_path, fake, capsys):
    path = _scenario(tmp_path)
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "PASS cli-shop: introduce, then offer a trial"
    assert out[1] == "FAIL cli-shop: the wrong expectation: outcome unfinished, expected success"
    assert any(line.startswith("cli-shop: the wrong expectation (") for line in out)
    assert any("'hello there' -> (otherwise)" in line for line in out)
    assert out[-1] == "1 passed, 1 failed"


def test_all_passing_exits_0(tmp_path, fake, capsys):
    path = _scenario(tmp_path, TESTS.split("  - name: the wrong")[0])
    assert main(["test", str(path.parent)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed"


def test_json_output(tmp_path, fake, capsys):
    assert main(["test", str(_scenario(tmp_path)), "--json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert (data["passed"], data["failed"]) == (1, 1)
    assert [r["passed"] for r in data["results"]] == [True, False]
    assert captured.err.strip() == "1 passed, 1 failed"


def test_a_broken_file_is_a_failure(tmp_path, fake, capsys):
    _scenario(tmp_path)
    broken = tmp_path / "lib" / "broken.yaml"
    broken.write_text("version: 1\nid: broken\nstates: [\n", encoding="utf-8")
    assert main(["test", str(tmp_path / "lib")]) == 1
    captured = capsys.readouterr()
    assert any(line.startswith("FAIL ") and "broken.yaml" in line for line in captured.out.splitlines())
    assert captured.out.splitlines()[-1] == "1 passed, 2 failed"
    assert "broken.yaml:" in captured.err and "Traceback" not in captured.err


def test_missing_path_is_exit_2(tmp_path, capsys):
    assert main(["test", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_the_built_in_library_passes_its_golden_transcripts(capsys):
    """With the real scorer: every transcript in scenarios/*.yaml must pass."""
    code = main(["test"])
    out = capsys.readouterr().out
    last = out.splitlines()[-1]
    passed = int(last.split()[0])
    assert passed > 0, out
    assert code == 0 and last.endswith(" 0 failed"), out
