"""``roleplay serve``: the app served by textual-serve answers on loopback, and each page starts a
real app (here: the drill's join screen). Every server started here is stopped, in bounded time.

textual-serve is the optional ``serve`` extra; these tests need it installed (it must be in the
test dependencies so they run in CI).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from roleplay.cli import main
from roleplay.cli.cmd_serve import guess_public_host
from roleplay.drill import create_drill, load_drill
from roleplay.scenario.library import Library
from roleplay.store import Store
from test_drill import write_drill, write_scenarios

ANSI = re.compile(r"\x1b(?:\[[0-9;?$<>=]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")
"""Terminal control sequences, removed to read the text an app drew."""

CLI = [sys.executable, "-c", "import sys; from roleplay.cli import main; sys.exit(main())"]
START_TIMEOUT = 60.0
"""Seconds a server or a served app may take to come up on a busy machine (a bound, not a goal)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def drill_env(tmp_path, monkeypatch):
    folder = write_scenarios(tmp_path / "scenarios")
    env = {"ROLEPLAY_DB": str(tmp_path / "team.db"), "ROLEPLAY_SCENARIOS": str(folder),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    library = Library.discover([folder], builtin=False, user=False)
    spec, problems = load_drill(write_drill(tmp_path), library)
    assert spec is not None, problems
    with Store.open() as store:
        code = create_drill(store, spec).code
    return code, {**os.environ, **env}


@contextmanager
def serving(args: list[str], env: dict[str, str], tmp_path):
    """Run ``roleplay serve ARGS``; always stopped (terminate, then kill) on the way out."""
    out, err = tmp_path / "serve.out", tmp_path / "serve.err"
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen([*CLI, "serve", *args], env=env, stdout=o, stderr=e, start_new_session=True)
        try:
            yield proc, err
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def fetch(url: str, proc: subprocess.Popen, err_path) -> str:
    """The page at ``url`` once the server answers (fails if the server exits or takes too long)."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if proc.poll() is not None:
            pytest.fail(f"roleplay serve exited with {proc.returncode}: {err_path.read_text('utf-8', 'replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                pytest.fail(f"no answer from {url} within {START_TIMEOUT:.0f} s")
            time.sleep(0.2)


async def first_screen(port: int, wanted: str) -> str:
    """Open the page's websocket as a browser does and read the app's output until ``wanted`` shows."""
    import aiohttp

    seen = b""
    async with aiohttp.ClientSession() as client:
        async with client.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30") as ws:
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline and wanted not in ANSI.sub("", seen.decode("utf-8", "replace")):
                try:
                    message = await ws.receive(timeout=2)
                except asyncio.TimeoutError:
                    continue
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
            await ws.close()
    return ANSI.sub("", seen.decode("utf-8", "replace"))


def test_the_served_app_answers_on_loopback_and_each_page_starts_the_drill(drill_env, tmp_path):
    code, env = drill_env
    port = free_port()
    with serving(["--port", str(port), "--drill", code, "--ui-lang", "en"], env, tmp_path) as (proc, err):
        page = fetch(f"http://127.0.0.1:{port}/", proc, err)
        assert "textual.js" in page and f"ws://127.0.0.1:{port}/ws" in page
        screen = asyncio.run(first_screen(port, "Your name"))
        log = (tmp_path / "serve.out").read_text("utf-8", "replace") + err.read_text("utf-8", "replace")
        assert "Your name" in screen and "Shop and call" in screen, (screen[-2000:], log[-3000:])
        stderr = err.read_text("utf-8")
        assert f"serving drill {code}" in stderr and "no login" not in stderr  # no --host: no warning
        lan = guess_public_host("0.0.0.0")
        if lan and not lan.startswith("127."):
            with pytest.raises(OSError):  # only loopback listens
                socket.create_connection((lan, port), timeout=2).close()


def test_host_given_warns_that_there_is_no_login(drill_env, tmp_path):
    _, env = drill_env
    port = free_port()
    with serving(["--host", "127.0.0.1", "--port", str(port)], env, tmp_path) as (proc, err):
        fetch(f"http://127.0.0.1:{port}/", proc, err)
        stderr = err.read_text("utf-8")
    assert "warning: textual-serve has no login of its own" in stderr and f"127.0.0.1:{port}" in stderr


def test_a_taken_port_is_one_line(drill_env, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"roleplay: error: cannot listen on 127.0.0.1:{port}") and err.count("\n") == 1


def test_bad_drill_code_and_port_before_serving(drill_env, capsys):
    assert main(["serve", "--drill", "ABC234"]) == 2
    assert main(["serve", "--port", "70000"]) == 2
    err = capsys.readouterr().err
    assert "no drill ABC234" in err and "--port should be from 1 to 65535" in err


def test_without_textual_serve_the_extra_is_named(drill_env, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve"]) == 2
    assert "pip install 'roleplay[serve]'" in capsys.readouterr().err


def test_the_command_each_page_runs_keeps_the_record_and_folders(drill_env, tmp_path):
    import argparse

    from roleplay.cli.cmd_serve import app_command

    args = argparse.Namespace(db="rel.db", scenarios=["more"], drill="ABCDEF", board=None, ui_lang="zh")
    argv = app_command(args)
    assert argv[0] == sys.executable
    assert argv[argv.index("--db") + 1] == os.path.abspath("rel.db")
    assert os.path.abspath("more") in argv and argv[-5:] == ["drill", "join", "ABCDEF", "--ui-lang", "zh"]
