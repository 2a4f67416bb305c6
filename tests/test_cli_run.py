"""``roleplay run``: the contract's JSON, the transcript, --from-state, input handling, exit codes,
and byte-identical output under a seed across processes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap

import pytest

import roleplay.engine.runtime as runtime_module
from roleplay.cli import main
from test_engine_fakes import FakeGrader

SCENARIO = textwrap.dedent("""\
    version: 1
    id: cli-shop
    languages: [zh, en]
    title: {zh: 小店, en: The shop}
    summary: {zh: 测试用的小场景。, en: A small scenario for tests.}
    persona: {name: {zh: 张老板, en: Mr Zhang}, role: {zh: 店主, en: shop owner}, patience: 3, interest: 2}
    start: greet
    states:
      greet:
        customer:
          zh: ["你好，有事吗？", "谁啊？", "什么事？"]
          en: ["Hello, what is it?", "Who's that?", "Yes?"]
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

LINES_ZH = "老板您好，我是鲜农乳业的小张\n\n   \n您先进两箱试试\n这句在结束之后\n"


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "cli-shop.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture
def fake(monkeypatch):
    """The engine's plumbing under test, not the scorer: a fake grader."""
    grader = FakeGrader({"etiquette.polite": ["您", "please"]})
    monkeypatch.setattr(runtime_module, "default_grader", lambda: grader)
    return grader


def _write(tmp_path, text, name="in.txt"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


def test_json_is_exactly_the_contracts_shape(shop, tmp_path, fake, capsys):
    assert main(["run", str(shop), "--input", _write(tmp_path, LINES_ZH), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert out.count("\n") == 1
    assert list(data) == ["scenario", "lang", "seed", "outcome", "score", "passed", "turns", "checks"]
    assert (data["scenario"], data["lang"], data["seed"], data["outcome"]) == ("cli-shop", "zh", 0, "success")
    assert isinstance(data["score"], int) and isinstance(data["passed"], bool)
    assert [list(t) for t in data["turns"]] == [["state", "customer", "trainee", "intent", "next_state", "checks"]] * 2
    first, second = data["turns"]
    assert (first["state"], first["intent"], first["next_state"]) == ("greet", "introduce", "pitch")
    assert first["customer"] in ("你好，有事吗？", "谁啊？", "什么事？")
    assert second["customer"] == "哦，卖牛奶的？说说看。" and second["trainee"] == "您先进两箱试试"
    assert first["checks"] == [{"id": "etiquette.polite", "passed": True, "evidence": "您"}]
    assert data["checks"] == [{"id": "etiquette.polite", "passed": True, "evidence": "您"}]


def test_lang_seed_and_stdin(shop, fake, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Good morning, I'm Anna from FreshFarm\n")))
    assert main(["run", str(shop), "--lang", "en", "--seed", "4", "--json", "--trainee", "Anna", "--no-save"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["lang"], data["seed"], data["outcome"]) == ("en", 4, "unfinished")
    assert data["turns"][0]["next_state"] == "pitch"


def test_from_state(shop, tmp_path, fake, capsys):
    assert main(["run", str(shop), "--from-state", "pitch", "--input", _write(tmp_path, "您先进两箱试试\n"),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["state"] for t in data["turns"]] == ["pitch"] and data["outcome"] == "success"


def test_transcript_without_json(shop, tmp_path, fake, capsys):
    assert main(["run", str(shop), "--input", _write(tmp_path, LINES_ZH)]) == 0
    out = capsys.readouterr().out
    assert "你: 老板您好，我是鲜农乳业的小张" in out
    assert "客户: 行，那就试试。" in out and "结果：成功" in out
    assert "这句在结束之后" not in out  # the run stopped at the end state


@pytest.mark.parametrize("argv, message", [
    (["run", "no-such-scenario"], "no scenario 'no-such-scenario'"),
    (["run", "{shop}", "--from-state", "nowhere"], "has no state 'nowhere'"),
    (["run", "{shop}", "--from-state", "deal"], "is an end state"),
    (["run", "{shop}", "--input", "{missing}"], "cannot read"),
    (["run", "{shop}", "--input", "{folder}"], "cannot read"),
    (["run", "{shop}", "--input", "{bad_bytes}"], "line 2 is not UTF-8 text"),
])
def test_errors_are_one_line_exit_2(shop, tmp_path, fake, capsys, argv, message):
    paths = {"shop": str(shop), "missing": str(tmp_path / "missing.txt"), "folder": str(tmp_path),
             "bad_bytes": _write(tmp_path, b"\xe4\xbd\xa0\xe5\xa5\xbd\n\xff\xfe bad\n", "bad.txt")}
    argv = [a.format(**paths) for a in argv]
    assert main(argv + ["--input", _write(tmp_path, "你好\n")] if "--input" not in argv else argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_language_the_scenario_lacks(tmp_path, fake, capsys):
    path = tmp_path / "zh-only.yaml"
    path.write_text(SCENARIO.replace("languages: [zh, en]", "languages: [zh]").replace("cli-shop", "zh-only"),
                    encoding="utf-8")
    # The file also has English texts; the loader may warn about them but the scenario is zh only.
    code = main(["run", str(path), "--lang", "en", "--input", _write(tmp_path, "hi\n")])
    err = capsys.readouterr().err
    assert code == 2 and "not en" in err.splitlines()[-1]


def test_huge_and_control_character_input(shop, tmp_path, fake, capsys):
    text = "老板您好\x00\x1b[2J，我是鲜农的\u202e" + "啊" * 10_000 + "\n\x0c\n"
    assert main(["run", str(shop), "--input", _write(tmp_path, text), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["turns"][0]["intent"] == "introduce"
    assert "\x00" not in data["turns"][0]["trainee"] and len(data["turns"]) == 1


# -- across processes, with the real scorer -----------------------------------------------------

RUN = "import sys; from roleplay.cli import main; sys.exit(main(sys.argv[1:]))"


def test_same_seed_same_json_bytes_across_processes(shop, tmp_path):
    lines = _write(tmp_path, "你好\n老板您好，我是鲜农乳业的小张\n那个\n您先进两箱试试\n")
    outs = []
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        proc = subprocess.run([sys.executable, "-c", RUN, "run", str(shop), "--seed", "9", "--input", lines, "--json"],
                              capture_output=True, env=env)
        assert proc.returncode == 0, proc.stderr.decode()
        outs.append(proc.stdout)
    assert outs[0] == outs[1]
    assert json.loads(outs[0])["seed"] == 9
