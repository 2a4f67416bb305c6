"""Bad input of any kind gets a clear message and loses nothing; no Python traceback reaches a user.

Every command of ``roleplay --help`` is driven with bad input (shared/contracts/cli.md): missing
files, folders given as files, binary, non-UTF-8, empty, 5 MB and NUL-holding files; answers with
control characters, ANSI escapes or 10,000 characters; scenario texts with escape sequences; a
broken JSONL for ``grade``; unknown ids, bad options and out-of-range numbers; a locked, corrupt,
damaged, read-only database or a folder in its place; closed standard input, a closed pipe,
SIGINT and a non-UTF-8 locale. ``play`` (and ``roleplay`` alone) only up to resolving the
scenario: a guard fails the test if the app would start. ``drill`` and ``serve`` for argument
errors only.

Each case asserts: no "Traceback" and no "internal error" on stderr, the contract's exit code,
every stderr line of a known one-line shape (``PATH:LINE:COL: error|warning: message``,
``roleplay: error: ...``), and ``--json`` stdout that parses as strict JSON.

Most cases call ``roleplay.cli.main`` in this process; signals, pipes, closed stdin and the
locked database run ``python -m roleplay`` in a subprocess. HOME, the XDG folders and the
database always point into a temporary folder.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from roleplay.cli import main

SCENARIO = textwrap.dedent("""\
    version: 1
    id: robust-shop
    languages: [zh, en]
    title: {zh: 小店, en: The shop}
    summary: {zh: 测试用的小场景。, en: A small scenario for tests.}
    persona: {name: {zh: 张老板, en: Mr Zhang}, role: {zh: 店主, en: shop owner}, patience: 3, interest: 2}
    start: greet
    states:
      greet:
        customer:
          zh: ["你好，有事吗？"]
          en: ["Hello, what is it?"]
        rubrics: [etiquette.polite]
        expect:
          - intent: introduce
            say: {zh: ["老板您好，我是鲜农乳业的小张"], en: ["Good morning, I'm Anna from FreshFarm Dairy"]}
            keys: {zh: [鲜农], en: [FreshFarm]}
            then: pitch
        otherwise:
          customer: {zh: ["你到底是谁？"], en: ["Who are you, then?"]}
          effects: {patience: -1}
      pitch:
        customer: {zh: ["哦，卖牛奶的？说说看。"], en: ["Oh, milk? Go on."]}
        rubrics: [etiquette.polite]
        expect:
          - intent: offer_trial
            say: {zh: ["您先进两箱试试，卖不完我们收回"], en: ["Try two cases, we take back what doesn't sell"]}
            keys: {zh: [试试], en: [try]}
            then: deal
        otherwise:
          customer: {zh: ["还有呢？"], en: ["And?"]}
          effects: {patience: -1}
      deal:
        end: success
        customer: {zh: ["行，那就试试。"], en: ["All right, let's try."]}
    """)

# The same scenario with escape sequences, NULs, C1 controls and newlines in what a reader sees
# (YAML double-quoted escapes get them past the YAML reader, which refuses raw control bytes).
HOSTILE_SCENARIO = (
    SCENARIO.replace("id: robust-shop", "id: hostile-shop")
    .replace("title: {zh: 小店, en: The shop}",
             'title: {zh: "小店\\e[2J\\e[H", en: "The \\e]0;pwned\\a shop\\nsecond line"}')
    .replace('zh: ["你好，有事吗？"]', 'zh: ["你好\\e[31m，有事\\0吗？\\u009b2J\\r\\n"]')
    .replace('zh: ["还有呢？"]', 'zh: ["还有\\e]8;;http://x\\e\\\\呢\\e]8;;\\e\\\\？\\b\\x07"]')
    + textwrap.dedent("""\
    tests:
      - name: "escapes \\e[2J in a test name"
        lang: zh
        say: ["随便说说", "老板您好，我是鲜农乳业的小张", "您先进两箱试试"]
        expect: {outcome: success}
    """)
)

ESC_OR_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What must never reach a terminal from data (newline and tab aside)."""

ALLOWED_STDERR = [re.compile(p) for p in (
    r"^.+:\d+:\d+: (error|warning): \S.*$",          # a problem in a file (the contract's shape)
    r"^roleplay: (error|warning|note): \S.*$",       # a user error, a warning, a note
    r"^roleplay: interrupted$",
    r"^roleplay: \d+ line\(s\) could not be graded \(see their \"error\"\)$",
    r"^\d+ files? checked: \d+ errors?, \d+ warnings?$",
    r"^\d+ passed, \d+ failed$",
    r"^.+: \d+ errors?; the drill was not created$",
    r"^\d+ sessions? written to .+$",
)]


@dataclass
class Run:
    code: int
    out: str
    err: str


# -- environment and helpers ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def sandbox(tmp_path, monkeypatch):
    """HOME, XDG folders and the database in a temporary folder; a short lock timeout."""
    env = sandbox_env(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("ROLEPLAY_SCENARIOS", "ROLEPLAY_DEBUG"):
        monkeypatch.delenv(key, raising=False)
    return env


def sandbox_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"), "XDG_STATE_HOME": str(home / "state"),
            "ROLEPLAY_DB": str(tmp_path / "db" / "roleplay.db"), "ROLEPLAY_DB_TIMEOUT": "0.3",
            "ROLEPLAY_TRAINEE": "tester"}


@pytest.fixture
def shop(tmp_path) -> str:
    path = tmp_path / "robust-shop.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, str]:
    """One file of each bad kind (made once: the 5 MB one is not free)."""
    root = tmp_path_factory.mktemp("bad")
    (root / "folder").mkdir()
    files = {
        "binary": bytes(range(256)) * 16,
        "non_utf8": "version: 1\nid: café\n".encode("latin-1"),
        "empty": b"",
        "huge": b"a" * (5 * 1024 * 1024) + b"\n",
        "nul": b"version: 1\nid: x\x00y\n",
        "broken_yaml": b"version: 1\nstates: [\n  greet: {\n",
    }
    for name, data in files.items():
        (root / f"{name}.yaml").write_bytes(data)
    paths = {name: str(root / f"{name}.yaml") for name in files}
    paths["missing"] = str(root / "missing.yaml")
    paths["folder"] = str(root / "folder")
    return paths


KINDS = ("missing", "folder", "binary", "non_utf8", "empty", "huge", "nul", "broken_yaml")


def cli(capsys, *argv: str) -> Run:
    """``roleplay ARGV`` in this process."""
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ROLEPLAY_SCENARIOS", "ROLEPLAY_DEBUG")}
    env.update(sandbox_env(tmp_path))
    env.update(extra)
    return env


def strict_json(text: str):
    """JSON as a strict parser reads it (Python's own accepts NaN and Infinity)."""
    def reject(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=reject)


def check(run: Run, code: int, *, json_out: bool = False, jsonl_out: bool = False) -> None:
    """The contract: no traceback, the exit code, one-line messages, JSON that parses."""
    assert "Traceback" not in run.err, run.err
    assert "internal error" not in run.err, run.err
    assert run.code == code, (run.code, run.err[-2000:])
    for line in run.err.splitlines():
        assert any(p.match(line) for p in ALLOWED_STDERR), f"not a one-line message: {line!r}"
    assert run.err.count("roleplay: error:") <= 1, run.err
    if json_out:
        strict_json(run.out)
    if jsonl_out:
        for line in run.out.splitlines():
            strict_json(line)


def check_usage(run: Run) -> None:
    """An argparse usage error: exit 2, the usage, and one line saying what is wrong."""
    assert "Traceback" not in run.err and run.code == 2, run.err
    assert run.err.startswith("usage: roleplay"), run.err
    assert re.match(r"^roleplay( [a-z]+)*: error: \S", run.err.splitlines()[-1]), run.err
    assert run.out == ""


@pytest.fixture
def no_app(monkeypatch):
    """``play`` must fail before the app starts; if it would start, the test fails instead."""
    import roleplay.tui.app as app_module

    def refuse(*args, **kwargs):
        pytest.fail("the app would have started")

    monkeypatch.setattr(app_module, "build_app", refuse)


def write(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


# -- files of every bad kind ----------------------------------------------------------------------


VALIDATE_CODES = {"missing": 2, "folder": 0}  # an empty folder is a folder with nothing wrong in it


@pytest.mark.parametrize("json_flag", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("kind", KINDS)
def test_validate(capsys, bad, kind, json_flag):
    run = cli(capsys, "validate", bad[kind], *(["--json"] if json_flag else []))
    code = VALIDATE_CODES.get(kind, 1)
    check(run, code, json_out=json_flag and code != 2)
    if code == 1:
        problems = strict_json(run.out) if json_flag else run.err.splitlines()[:-1]
        assert problems, run.err
        if not json_flag:
            assert all(line.startswith(bad[kind] + ":") for line in problems)


@pytest.mark.parametrize("kind", KINDS)
def test_test_command(capsys, bad, kind):
    run = cli(capsys, "test", bad[kind])
    code = VALIDATE_CODES.get(kind, 1)
    check(run, code)
    if code != 2:
        assert run.out.splitlines()[-1] == ("0 passed, 0 failed" if code == 0 else "0 passed, 1 failed")


@pytest.mark.parametrize("kind", KINDS)
def test_bad_scenario_file_for_run(capsys, bad, kind):
    run = cli(capsys, "run", bad[kind], "--no-save", "--input", bad["empty"])
    check(run, 2)
    assert run.err.splitlines()[-1].startswith("roleplay: error:") and run.out == ""


@pytest.mark.parametrize("kind", ["missing", "folder", "binary", "huge"])
def test_bad_scenario_file_for_grade_and_play(capsys, bad, no_app, kind):
    check(cli(capsys, "grade", bad[kind], bad["empty"]), 2)
    check(cli(capsys, "play", bad[kind]), 2)


ANSWERS_CODES = {"missing": 2, "folder": 2, "binary": 2, "non_utf8": 2, "empty": 0, "huge": 1, "nul": 1,
                 "broken_yaml": 1}


@pytest.mark.parametrize("kind", KINDS)
def test_bad_answers_file_for_grade(capsys, shop, bad, kind):
    run = cli(capsys, "grade", shop, bad[kind])
    check(run, ANSWERS_CODES[kind], jsonl_out=True)
    if ANSWERS_CODES[kind] == 1:  # every line answered in place, with its error
        assert all("error" in strict_json(line) for line in run.out.splitlines())


INPUT_CODES = {"missing": 2, "folder": 2, "binary": 2, "non_utf8": 2, "empty": 0, "huge": 0, "nul": 0,
               "broken_yaml": 0}


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_file_for_run(capsys, shop, bad, kind):
    run = cli(capsys, "run", shop, "--input", bad[kind], "--json", "--no-save")
    check(run, INPUT_CODES[kind], json_out=INPUT_CODES[kind] == 0)


# -- hostile answers ------------------------------------------------------------------------------

HOSTILE_ANSWERS = {
    "control": "老板\x07您好\x08，我是\x0b鲜农\x0c乳业的小张\x7f",
    "ansi": "\x1b[31m老板您好\x1b[0m，我是\x1b]0;pwned\x07鲜农乳业的\x1b[2J\x1b[H小张",
    "c1_and_bidi": "老板您好\u009b2J，我是\u202e鲜农乳业\u202c的小张\u2028",
    "nul": "老板\x00您好，我是鲜农\x00乳业的小张",
    "long_zh": "老板您好，我是鲜农乳业的小张。" * 700,
    "long_en": "Good morning, I'm Anna from FreshFarm Dairy. " * 230,
    "only_controls": "\x00\x01\x1b\x7f\u200b",
    "cr": "老板您好，我是鲜农乳业的小张\r您先进两箱试试",
}


@pytest.mark.parametrize("name", HOSTILE_ANSWERS)
def test_hostile_answers_in_run(capsys, shop, tmp_path, name):
    answer = HOSTILE_ANSWERS[name]
    assert len(HOSTILE_ANSWERS["long_zh"]) >= 10_000 and len(HOSTILE_ANSWERS["long_en"]) >= 10_000
    path = write(tmp_path, "in.txt", "\ufeff" + answer + "\n您先进两箱试试\n")
    run = cli(capsys, "run", shop, "--input", path, "--json")
    check(run, 0, json_out=True)
    turns = strict_json(run.out)["turns"]
    assert turns and all(not ESC_OR_CONTROL.search(t["trainee"]) for t in turns)
    # The transcript a person reads: nothing that acts on a terminal.
    run = cli(capsys, "run", shop, "--input", path, "--no-save")
    check(run, 0)
    assert not ESC_OR_CONTROL.search(run.out.replace("\n", "")), repr(run.out[:500])
    # Saved as answered (the first run; the second did not save), turn by turn.
    history = cli(capsys, "history", "--json", "--full")
    check(history, 0, json_out=True)
    assert len(strict_json(history.out)) == 1 and strict_json(history.out)[0]["turns"]


def test_hostile_answers_in_grade(capsys, shop, tmp_path):
    lines = [json.dumps({"id": name, "state": "greet", "answer": answer}, ensure_ascii=name != "nul")
             for name, answer in HOSTILE_ANSWERS.items()]
    run = cli(capsys, "grade", shop, write(tmp_path, "a.jsonl", "\n".join(lines) + "\n"))
    check(run, 1, jsonl_out=True)
    out = {o["id"]: o for o in map(strict_json, run.out.splitlines())}
    assert set(out) == set(HOSTILE_ANSWERS)
    assert "error" in out["only_controls"] and "empty" in out["only_controls"]["error"]
    assert all("checks" in o and "score" in o for name, o in out.items() if name != "only_controls")


def test_scenario_text_with_escape_sequences(capsys, tmp_path):
    """Escapes in double-quoted YAML text ("\\e[2J") are refused at their place: a text is for
    people to read, and nothing in a scenario may drive the trainee's terminal."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    path = write(folder, "hostile-shop.yaml", HOSTILE_SCENARIO)
    answers = write(tmp_path, "in.txt", "老板您好，我是鲜农乳业的小张\n随便说说\n")
    run = cli(capsys, "validate", path)
    check(run, 1)
    assert "control character" in run.err and not ESC_OR_CONTROL.search(run.err.replace("\n", ""))
    for argv in (["run", path, "--input", answers, "--no-save"], ["test", path]):
        run = cli(capsys, *argv)
        assert run.code in (1, 2) and "Traceback" not in run.err
        assert not ESC_OR_CONTROL.search((run.out + run.err).replace("\n", "")), (argv[0], repr(run.err[:800]))
    run = cli(capsys, "list", "--json", "--scenarios", str(folder))
    check(run, 0, json_out=True)
    assert "hostile-shop" not in {x["id"] for x in strict_json(run.out)}  # a refused file is not offered


# -- roleplay grade: a broken JSONL ---------------------------------------------------------------

GOOD = {"state": "greet", "answer": "老板您好，我是鲜农乳业的小张"}
BAD_LINES = [
    ("not json", "{bad json"),
    ("trailing garbage", json.dumps(GOOD) + " x"),
    ("a list", "[1, 2]"),
    ("a string", '"answer"'),
    ("null", "null"),
    ("a number", "42"),
    ("no state", json.dumps({"answer": "您好"})),
    ("no answer", json.dumps({"state": "greet"})),
    ("state not text", json.dumps({"state": 5, "answer": "您好"})),
    ("state a list", json.dumps({"state": ["greet"], "answer": "您好"})),
    ("answer not text", json.dumps({"state": "greet", "answer": {"text": "您好"}})),
    ("unknown state", json.dumps({"state": "nowhere", "answer": "您好"})),
    ("end state", json.dumps({"state": "deal", "answer": "您好"})),
    ("empty answer", json.dumps({"state": "greet", "answer": ""})),
    ("lone surrogate", '{"state": "greet", "answer": "\\ud800您好"}'),
    ("lang not text", json.dumps({**GOOD, "lang": 5})),
    ("unknown lang", json.dumps({**GOOD, "lang": "fr"})),
    ("NaN", '{"state": "greet", "answer": "您好", "id": NaN}'),
    ("Infinity", '{"state": "greet", "answer": "您好", "id": -Infinity}'),
    ("1e999", '{"state": "greet", "answer": "您好", "n": 1e999}'),
    ("5,000 digits", '{"state": "greet", "answer": "您好", "n": ' + "7" * 5000 + "}"),
    ("nested 100,000 deep", "[" * 100_000 + "]" * 100_000),
]
GOOD_LINES = [
    ("good", json.dumps({"id": "g1", **GOOD})),
    ("extra keys echoed", json.dumps({"id": {"deep": [1, None, True]}, "note": "x\u0000y", **GOOD})),
    ("surrogate in an echoed key", '{"id": "\\udc80", "state": "greet", "answer": "您好"}'),
    ("english", json.dumps({**GOOD, "answer": "Good morning, I'm Anna from FreshFarm", "lang": "en"})),
    ("huge answer", json.dumps({**GOOD, "answer": "您好，我是鲜农乳业的小张。" * 80_000})),
]


def test_grade_broken_jsonl(capsys, shop, tmp_path):
    lines = [line for _, line in BAD_LINES + GOOD_LINES]
    text = "\r\n\n".join(lines[:3]) + "\n   \n" + "\n".join(lines[3:]) + "\n"  # CRLF and blank lines too
    run = cli(capsys, "grade", shop, write(tmp_path, "answers.jsonl", text))
    check(run, 1, jsonl_out=True)
    out = [strict_json(line) for line in run.out.splitlines()]
    assert len(out) == len(lines), "one output line per input line, bad or good"
    for (name, _), obj in zip(BAD_LINES, out):
        assert isinstance(obj.get("error"), str) and "line " in obj["error"], (name, obj)
        assert "checks" not in obj, name
    for (name, _), obj in zip(GOOD_LINES, out[len(BAD_LINES):]):
        assert "error" not in obj and obj["checks"] and isinstance(obj["score"], int), (name, obj)
    assert out[len(BAD_LINES) + 1]["id"] == {"deep": [1, None, True]}
    assert f"roleplay: {len(BAD_LINES)} line(s) could not be graded" in run.err


# -- options, ids and numbers ---------------------------------------------------------------------

USAGE_ERRORS = [
    ["--lang", "fr"], ["--seed", "x"], ["no-such-command"], ["--lang", "fr", "list"],
    ["list", "--lang", "de"], ["run"], ["run", "{shop}", "--lang", "de"], ["run", "{shop}", "--seed", "abc"],
    ["run", "{shop}", "--seed", "1e3"], ["run", "{shop}", "--seed", "-1"], ["run", "{shop}", "--seed", "9" * 30],
    ["run", "{shop}", "--resume", "0"], ["run", "{shop}", "--resume", "9" * 30], ["grade", "{shop}"],
    ["history", "--limit", "-1"], ["history", "--limit", "9" * 30], ["history", "--limit", "ten"],
    ["export"], ["export", "--format", "xml"], ["rubrics", "--lang", "xx"], ["validate", "--strict=yes"],
    ["test", "--seed", ""], ["play", "{shop}", "--ui-lang", "fr"], ["drill"], ["drill", "join"],
    ["drill", "report", "ABCDEF"], ["drill", "board", "ABCDEF", "--ui-lang", "de"], ["serve", "--port", "abc"],
    ["serve", "--drill", "A", "--board", "B"],
]


@pytest.mark.parametrize("argv", USAGE_ERRORS, ids=lambda a: " ".join(a)[:40])
def test_usage_errors(capsys, shop, no_app, argv):
    check_usage(cli(capsys, *[a.replace("{shop}", shop) for a in argv]))


USER_ERRORS = [
    (["run", "no-such-scenario", "--no-save"], "no scenario 'no-such-scenario'"),
    (["run", "bad\nid\x1b[2J", "--no-save"], "\\n"),
    (["run", "{shop}", "--from-state", "nowhere"], "has no state 'nowhere'"),
    (["run", "{shop}", "--from-state", "deal"], "end state"),
    (["run", "{shop}", "--resume", "999", "--input", "{empty}"], "no session 999"),
    (["run", "{shop}", "--trainee", "Li\x1b[2J", "--input", "{empty}"], "control characters"),
    (["run", "{shop}", "--trainee", "L" * 10_000, "--input", "{empty}"], "too long"),
    (["grade", "no-such-scenario", "{empty}"], "no scenario"),
    (["play", "no-such-scenario"], "no scenario"),
    (["play", "{shop}", "--trainee", "a\nb"], "control characters"),
    (["--trainee", "a\u202eb"], "control characters"),
    (["drill", "create", "{missing}"], "no such file"),
    (["drill", "join", "NOTACODE", "--trainee", "x", "--input", "{empty}"], "code"),
    (["drill", "board", "NOTACODE", "--json"], "code"),
    (["drill", "report", "NOTACODE", "--format", "md"], "code"),
    (["serve", "--port", "0"], "port"),
    (["serve", "--port", "70000"], "port"),
    (["export", "--format", "csv", "-o", "{folder}"], "directory"),
    (["export", "--format", "csv", "-o", "{missing}/x.csv"], "cannot write"),
    (["history", "--db", "{missing}"], "does not exist yet"),
]


@pytest.mark.parametrize("argv, message", USER_ERRORS, ids=lambda a: " ".join(a)[:40] if isinstance(a, list) else "")
def test_user_errors_are_one_line(capsys, shop, bad, tmp_path, no_app, argv, message):
    if argv[0] in ("export", "drill") or "--resume" in argv:
        check(cli(capsys, "run", shop, "--input", write(tmp_path, "a.txt", "您好\n")), 0)  # a record exists
    run = cli(capsys, *[a.format(shop=shop, **bad) for a in argv])
    check(run, 2)
    assert len(run.err.splitlines()) == 1 and run.err.startswith("roleplay: error:"), run.err
    assert message in run.err and "\x1b" not in run.err


def test_export_writes_into_links_and_pipes_not_over_them(capsys, shop, tmp_path):
    check(cli(capsys, "run", shop, "--input", write(tmp_path, "a.txt", "您好\n")), 0)
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    check(cli(capsys, "export", "--format", "csv", "-o", str(link)), 0)
    assert link.is_symlink() and "session_id" in real.read_text(encoding="utf-8-sig")
    assert real.stat().st_mode & 0o777 == 0o640  # the export keeps the file's permissions
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        check(cli(capsys, "export", "--format", "json", "-o", str(fifo)), 0)
        assert fifo.is_fifo(), "the pipe was renamed over"
        reader.join(timeout=60)
        assert got and strict_json(got[0].decode("utf-8"))["sessions"]
    finally:
        if reader.is_alive() and fifo.is_fifo():  # release the reader: no thread left waiting
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(timeout=10)


# -- the database ---------------------------------------------------------------------------------


def _db(tmp_path: Path, kind: str) -> str:
    path = tmp_path / f"{kind}.db"
    if kind == "folder":
        path.mkdir()
    elif kind == "corrupt":
        path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    elif kind == "random":
        path.write_bytes(os.urandom(8192))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "other_program":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER)")
        conn.close()
    elif kind == "parent_is_a_file":
        (tmp_path / "afile").write_text("x", encoding="utf-8")
        path = tmp_path / "afile" / "r.db"
    return str(path)


DB_KINDS = {  # what the one line must say
    "folder": "is a folder", "corrupt": "damaged", "random": "damaged", "empty": "is empty",
    "other_program": "another program", "parent_is_a_file": "does not exist yet",
}


@pytest.mark.parametrize("kind", DB_KINDS)
def test_bad_database(capsys, shop, tmp_path, kind):
    db = _db(tmp_path, kind)
    for argv in (["history"], ["history", "--json"], ["export", "--format", "json"], ["drill", "board", "ABCDEF"]):
        run = cli(capsys, *argv, "--db", db)
        check(run, 2)
        assert run.err.startswith("roleplay: error: ") and run.out == ""
        assert DB_KINDS[kind] in run.err, run.err
    # Practice goes on without saving, and says why in one line (an empty file is a new record).
    run = cli(capsys, "run", shop, "--db", db, "--json", "--input", write(tmp_path, "a.txt", "您好\n"))
    check(run, 0, json_out=True)
    assert strict_json(run.out)["turns"]
    assert ("roleplay: warning: the practice record" in run.err) == (kind != "empty"), run.err


def test_damaged_rows_still_list_and_export(capsys, shop, tmp_path, sandbox):
    check(cli(capsys, "run", shop, "--input", write(tmp_path, "a.txt", "您好\n您先进两箱试试\n")), 0)
    with sqlite3.connect(sandbox["ROLEPLAY_DB"]) as conn:
        conn.execute("UPDATE sessions SET plan = '{not json', trainee = 'a\nb\x1b[2J'")
        conn.execute("UPDATE checks SET evidence = x'ff00fe'")
        conn.execute("UPDATE turns SET trainee = CAST(x'e4bda0ff' AS TEXT)")
    conn.close()
    run = cli(capsys, "history")
    check(run, 0)
    assert "\x1b" not in run.out and "a\\nb" in run.out
    for argv in (["history", "--json", "--full"], ["export", "--format", "json"]):
        check(cli(capsys, *argv), 0, json_out=True)
    check(cli(capsys, "export", "--format", "csv"), 0)


def test_readonly_database(capsys, shop, tmp_path):
    db = tmp_path / "ro.db"
    check(cli(capsys, "run", shop, "--db", str(db), "--input", write(tmp_path, "a.txt", "您好\n")), 0)
    with sqlite3.connect(db) as conn:  # no -wal/-shm files left to write
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    db.chmod(0o444)
    if os.geteuid() == 0:  # root ignores file modes (CI runs as root)
        done = subprocess.run(["chattr", "+i", str(db)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("running as root without chattr: cannot make a file read-only here")
    try:
        run = cli(capsys, "run", shop, "--db", str(db), "--json", "--input", write(tmp_path, "b.txt", "您好\n"))
        check(run, 0, json_out=True)
        assert "read-only" in run.err
        run = cli(capsys, "history", "--db", str(db), "--json")
        check(run, 0, json_out=True)
        assert len(strict_json(run.out)) == 1  # still readable, and nothing half-written
        check(cli(capsys, "export", "--format", "csv", "--db", str(db)), 0)
        run = cli(capsys, "drill", "create", _drill_file(tmp_path), "--db", str(db), "--scenarios", str(Path(shop).parent))
        check(run, 2)
        assert "read-only" in run.err
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(db)], capture_output=True)
        db.chmod(0o644)


def _drill_file(tmp_path: Path) -> str:
    folder = tmp_path / "drills"  # not beside the scenario: it would be read as a broken one
    folder.mkdir(exist_ok=True)
    return write(folder, "drill.yaml", "version: 1\ntitle: T\nlanguage: zh\nscenarios: [robust-shop]\n")


# -- processes: a locked database, closed stdin, a closed pipe, SIGINT, the locale ----------------


def roleplay(tmp_path: Path, *argv: str, shell_suffix: str = "", **env: str) -> Run:
    """``python -m roleplay ARGV`` in a subprocess (through ``sh`` when a redirection is needed)."""
    cmd = [sys.executable, "-m", "roleplay", *argv]
    if shell_suffix:
        cmd = ["sh", "-c", 'exec "$@" ' + shell_suffix, "sh", *cmd]
    done = subprocess.run(cmd, capture_output=True, env=subprocess_env(tmp_path, **env), timeout=120)
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


@pytest.mark.parametrize("fresh", [False, True], ids=["existing", "new"])
def test_locked_database(tmp_path, shop, fresh, capsys):
    db = tmp_path / "db" / "roleplay.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    if not fresh:
        check(cli(capsys, "run", shop, "--input", write(tmp_path, "a.txt", "您好\n")), 0)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        answers = write(tmp_path, "b.txt", "老板您好，我是鲜农乳业的小张\n您先进两箱试试\n")
        run = roleplay(tmp_path, "run", shop, "--input", answers, "--json")
        check(run, 0, json_out=True)
        assert "locked" in run.err and len(strict_json(run.out)["turns"]) == 2  # the conversation is all there
        run = roleplay(tmp_path, "drill", "create", _drill_file(tmp_path), "--scenarios", str(Path(shop).parent))
        check(run, 2)
        assert "locked" in run.err
        if not fresh:  # readers are not blocked by a writer (WAL)
            check(roleplay(tmp_path, "history", "--json"), 0, json_out=True)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_closed_stdin(tmp_path, shop):
    for argv in (["run", shop, "--no-save"], ["grade", shop, "-"]):
        run = roleplay(tmp_path, *argv, shell_suffix="<&-")
        check(run, 2)
        assert "standard input is closed" in run.err


@pytest.mark.parametrize("redirect, code", [(">&-", 0), ("2>&-", 1), (">/dev/full", 2)],
                         ids=["stdout closed", "stderr closed", "disk full"])
def test_closed_or_full_output(tmp_path, shop, bad, redirect, code):
    if "full" in redirect and not Path("/dev/full").is_char_device():
        pytest.skip("no /dev/full here")
    answers = write(tmp_path, "a.txt", "老板您好，我是鲜农乳业的小张\n")
    argv = ["validate", bad["binary"]] if redirect == "2>&-" else ["run", shop, "--input", answers]
    run = roleplay(tmp_path, *argv, shell_suffix=redirect)
    check(run, code)
    if "full" in redirect:
        assert run.err == "roleplay: error: No space left on device\n"
        assert _turns_saved(Path(subprocess_env(tmp_path)["ROLEPLAY_DB"])) == 1  # saved all the same


def test_output_to_a_closed_pipe(tmp_path, shop):
    answers = write(tmp_path, "many.jsonl", "\n".join(json.dumps({"id": i, **GOOD}) for i in range(500)) + "\n")
    for argv in (["list"], ["grade", shop, answers]):
        proc = subprocess.Popen([sys.executable, "-m", "roleplay", *argv], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=subprocess_env(tmp_path))
        first = proc.stdout.readline()  # `| head -1`
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        code = proc.wait(timeout=120)
        assert first and "Traceback" not in err and "Exception ignored" not in err, err
        assert code == 0, err


def test_sigint_while_reading_answers(tmp_path, shop):
    fifo = tmp_path / "answers"
    os.mkfifo(fifo)
    proc = subprocess.Popen([sys.executable, "-m", "roleplay", "run", shop, "--input", str(fifo)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(tmp_path))
    try:
        with _writer(fifo, proc) as pipe:
            pipe.write("老板您好，我是鲜农乳业的小张\n")
            pipe.flush()
            db = Path(subprocess_env(tmp_path)["ROLEPLAY_DB"])
            _wait_for(lambda: _turns_saved(db) == 1, proc)  # the answer is on disk before the interrupt
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err_text = err.decode("utf-8", "replace")
    assert proc.returncode == 130 and "Traceback" not in err_text, err_text
    assert err_text.strip().splitlines()[-1] == "roleplay: interrupted"
    assert _turns_saved(db) == 1  # nothing answered is lost


def _writer(fifo: Path, proc: subprocess.Popen):
    """The FIFO's writing end, once roleplay has opened it for reading (ENXIO until then)."""
    def opened() -> bool:
        try:
            fds.append(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                raise
            return False
        return True

    fds: list[int] = []
    _wait_for(opened, proc)
    os.set_blocking(fds[0], True)
    return os.fdopen(fds[0], "w", encoding="utf-8")


def _turns_saved(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM turns").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:  # not created yet
        return 0


def _wait_for(condition, proc: subprocess.Popen) -> None:
    """Wait until ``condition()`` holds (the process works at its own pace; this is no timing test)."""
    import time

    deadline = time.monotonic() + 60
    while not condition():
        assert proc.poll() is None, "roleplay ended early"
        assert time.monotonic() < deadline, "roleplay never got there"
        time.sleep(0.05)


def test_ctrl_c_while_the_commands_load(capsys, monkeypatch):
    import roleplay.cli as cli_module

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "build_parser", interrupted)
    try:
        run = cli(capsys, "list")
    except KeyboardInterrupt:
        pytest.fail("Ctrl+C escaped main(): the user would see a traceback")
    assert run.code == 130 and run.err == "roleplay: interrupted\n"


@pytest.mark.parametrize("encoding", ["ascii", "gbk"])
def test_a_locale_that_cannot_show_every_character(capsys, monkeypatch, shop, tmp_path, encoding):
    """Under ``zh_CN.GBK`` or ``PYTHONIOENCODING=ascii`` a check mark or a title must not crash
    the output; JSON is UTF-8 whatever the locale."""
    answers = write(tmp_path, "a.jsonl", json.dumps({"id": "😀", **GOOD}) + "\n")
    for argv, is_json in ((["list"], False), (["run", shop, "--input", write(tmp_path, "a.txt", "您好 ✓ 😀\n")], False),
                          (["rubrics"], False), (["list", "--json"], True), (["grade", shop, answers], True)):
        raw = io.BytesIO()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding=encoding, errors="strict"))
        run = cli(capsys, *argv)
        sys.stdout.flush()
        check(run, 0)
        if argv == ["list", "--json"]:
            strict_json(raw.getvalue().decode("utf-8"))
        elif is_json:
            assert [strict_json(line) for line in raw.getvalue().decode("utf-8").splitlines()]
        else:
            assert raw.getvalue()
