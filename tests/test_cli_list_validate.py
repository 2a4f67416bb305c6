"""``roleplay list`` and ``roleplay validate`` as a user and a script see them (shared/contracts/cli.md)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from roleplay.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").rglob("*.yaml"))
LINE_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$")
SUMMARY_RE = re.compile(r"\d+ files? checked: \d+ errors?, \d+ warnings?")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No user scenario folder, no extra folders, no debug tracebacks; run from the repo root."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("ROLEPLAY_SCENARIOS", raising=False)
    monkeypatch.delenv("ROLEPLAY_DEBUG", raising=False)
    monkeypatch.chdir(REPO)


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def expected(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return sorted(line[len("# expect: "):] for line in text.splitlines() if line.startswith("# expect: "))


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_validate_prints_one_located_line_per_problem_and_no_traceback(path):
    shown = str(path.relative_to(REPO))
    code, out, err = run_cli("validate", str((FIXTURES / "valid").relative_to(REPO)), shown)
    assert code == 1
    assert out == ""
    assert "Traceback" not in err and "internal error" not in err
    *lines, summary = err.strip().splitlines()
    assert SUMMARY_RE.fullmatch(summary)
    for line in lines:
        assert LINE_RE.match(line), line
    mine = sorted(line[len(shown) + 1:] for line in lines if line.startswith(shown + ":"))
    assert mine == expected(path)


def test_validate_the_shipped_library_exits_0():
    code, out, err = run_cli("validate")
    assert code == 0, err
    assert SUMMARY_RE.fullmatch(err.strip().splitlines()[-1])


def test_validate_valid_folder_exits_0_with_summary():
    code, out, err = run_cli("validate", "tests/fixtures/valid")
    assert code == 0
    assert err.strip() == "3 files checked: 0 errors, 0 warnings"


def test_validate_missing_path_exits_2_with_one_line():
    code, out, err = run_cli("validate", "no/such/folder")
    assert code == 2
    assert err.strip() == "roleplay: error: no such file or folder: no/such/folder"


def test_validate_json_lists_problems_on_stdout_only():
    path = "tests/fixtures/invalid/unknown-key-typo.yaml"
    code, out, err = run_cli("validate", "--json", path)
    assert code == 1
    problems = json.loads(out)
    assert problems == [{"path": path, "line": 14, "col": 5, "severity": "error",
                         "message": "unknown key 'expcet' in state 'greet' (did you mean 'expect'?)"}]
    assert err.strip() == "1 file checked: 1 error, 0 warnings"


def test_validate_warnings_alone_exit_0_and_strict_makes_them_fail(tmp_path):
    text = (FIXTURES / "valid" / "minimal.yaml").read_text("utf-8").replace("id: fixture-minimal", "id: tagged")
    text = text.replace("languages: [en]", "languages: [en]\ntags: [retial]")
    (tmp_path / "tagged.yaml").write_text(text, "utf-8")
    code, _, err = run_cli("validate", str(tmp_path / "tagged.yaml"))
    assert code == 0
    assert "warning: the tag 'retial' is not in the library's tags (did you mean 'retail'?)" in err
    assert err.strip().endswith("1 file checked: 0 errors, 1 warning")
    code, _, _ = run_cli("validate", "--strict", str(tmp_path / "tagged.yaml"))
    assert code == 1


def test_validate_a_user_file_may_use_builtin_products(tmp_path):
    text = (FIXTURES / "valid" / "minimal.yaml").read_text("utf-8").replace(
        "start: greet", "product: office-printer\nstart: greet")
    (tmp_path / "mine.yaml").write_text(text, "utf-8")
    code, _, err = run_cli("validate", str(tmp_path / "mine.yaml"))
    assert code == 0, err


def test_list_json_has_the_contract_keys():
    code, out, err = run_cli("list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows, "the built-in library is not empty"
    for row in rows:
        assert set(row) == {"id", "title", "tags", "difficulty", "languages", "source"}
        assert isinstance(row["title"], dict) and set(row["title"]) <= {"zh", "en"}
        assert Path(row["source"]).is_file()
    printer = next(r for r in rows if r["id"] == "printer-out-of-scope")
    assert printer["difficulty"] == 2 and printer["languages"] == ["zh", "en"]
    assert printer["title"]["en"] == "A key account calls: the printer is down"


def test_list_shows_good_scenarios_and_reports_broken_ones_on_stderr(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    (folder / "products").mkdir(parents=True)
    shutil.copy(FIXTURES / "valid" / "minimal.yaml", folder / "good.yaml")
    shutil.copy(FIXTURES / "invalid" / "duplicate-key.yaml", folder / "broken.yaml")
    shutil.copy(FIXTURES / "invalid" / "alias-bomb.yaml", folder / "bomb.yaml")
    monkeypatch.setenv("ROLEPLAY_SCENARIOS", str(folder))
    code, out, err = run_cli("list")
    assert code == 0
    assert "fixture-minimal" in out and "printer-out-of-scope" in out
    assert out.splitlines()[0].split()[:2] == ["ID", "DIFFICULTY"]
    lines = err.strip().splitlines()
    assert lines and all(LINE_RE.match(line) for line in lines)
    assert any("broken.yaml:10:3: error: duplicate key 'name'" in line for line in lines)
    code, out, err = run_cli("list", "--json", "--scenarios", str(folder))
    ids = [row["id"] for row in json.loads(out)]
    assert ids.count("fixture-minimal") == 1  # the same folder twice is read once


def test_list_with_a_missing_extra_folder_says_so_and_lists_the_rest():
    code, out, err = run_cli("list", "--scenarios", "no/such/dir")
    assert code == 0
    assert "no/such/dir:1:1: error: this scenario folder does not exist" in err
    assert "printer-out-of-scope" in out


def test_validate_an_unreadable_path_exits_2(tmp_path, monkeypatch):
    import builtins
    import os

    locked = tmp_path / "locked.yaml"
    locked.write_text("version: 1\n", "utf-8")
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        # Root reads anything (CI runs as root): make the read fail as it does for anyone else.
        real_open = builtins.open

        def deny(file, *args, **kwargs):
            if os.fspath(file) == str(locked):
                raise PermissionError(13, "Permission denied", str(locked))
            return real_open(file, *args, **kwargs)

        real_access = os.access
        monkeypatch.setattr(builtins, "open", deny)
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if os.fspath(p) == str(locked)
                            else real_access(p, mode, **kw))
    try:
        code, _, err = run_cli("validate", str(locked))
        assert code == 2 and "cannot read" in err
    finally:
        locked.chmod(0o644)
