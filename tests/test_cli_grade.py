"""``roleplay grade SCENARIO ANSWERS.jsonl``: one JSON object per line in and out, keys echoed,
bad lines reported in place, exit codes."""

from __future__ import annotations

import json

import pytest

from roleplay.cli import main


def grade(tmp_path, capsys, lines, *extra):
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["grade", "printer-out-of-scope", str(path), *extra])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_grade_echoes_keys_and_scores_each_line(tmp_path, capsys):
    good = {"id": "a1", "state": "complaint", "trainee": "li",
            "answer": "王经理，真不好意思。维修由我们技术支持部负责，请您拨打技术支持热线400-820-0000。"}
    bad = {"id": "a2", "state": "insists", "answer": "那我过去帮您修一下吧。"}
    code, out, _ = grade(tmp_path, capsys, [json.dumps(good, ensure_ascii=False), json.dumps(bad, ensure_ascii=False)])
    assert code == 0
    first, second = out
    assert {k: first[k] for k in good} == good
    checks = {c["id"]: c for c in first["checks"]}
    assert set(checks) >= {"scope.routes_to_support", "etiquette.polite", "scope.no_self_handling"}
    assert all(set(c) == {"id", "passed", "evidence"} for c in first["checks"])
    assert checks["scope.routes_to_support"]["passed"] is True
    assert "技术支持部" in checks["scope.routes_to_support"]["evidence"]
    assert 0 <= first["score"] <= 100
    failed = {c["id"]: c for c in second["checks"]}["scope.no_self_handling"]
    assert failed["passed"] is False and "帮您修" in failed["evidence"]
    assert second["score"] < first["score"]


def test_bad_lines_get_an_error_and_the_rest_are_graded(tmp_path, capsys):
    lines = ["not json", "[1, 2]", json.dumps({"id": 3, "state": "nowhere", "answer": "x"}),
             json.dumps({"id": 4, "state": "complaint"}),
             json.dumps({"id": 5, "state": "call_opens", "answer": "您好，联印销售部，我是小李。"}, ensure_ascii=False)]
    code, out, err = grade(tmp_path, capsys, lines)
    assert code == 1
    assert len(out) == 5
    assert all("error" in row for row in out[:4])
    assert out[2]["id"] == 3 and "nowhere" in out[2]["error"]
    assert "checks" in out[4] and "error" not in out[4]
    assert "4 line(s)" in err


def test_details_and_line_language(tmp_path, capsys):
    line = json.dumps({"state": "call_opens", "answer": "Good morning, UniPrint sales, this is Li speaking.", "lang": "en"})
    code, out, _ = grade(tmp_path, capsys, [line], "--details")
    assert code == 0
    greeting = {c["id"]: c for c in out[0]["checks"]}["etiquette.greeting"]
    assert greeting["passed"] and greeting["evidence"] == "Good morning"
    assert greeting["start"] == 0 and greeting["end"] == len("Good morning")
    assert greeting["feedback"] and greeting["note"]


def test_control_characters_and_a_huge_answer(tmp_path, capsys):
    lines = [json.dumps({"state": "complaint", "answer": "请\u0000您\u001b[31m拨打热线" * 2000})]
    code, out, _ = grade(tmp_path, capsys, lines)
    assert code == 0 and "checks" in out[0]


@pytest.mark.parametrize("content", [b"\xff\xfe\x00bad", None])
def test_unreadable_input_is_a_one_line_error(tmp_path, capsys, content):
    path = tmp_path / "answers.jsonl"
    if content is not None:
        path.write_bytes(content)
    code = main(["grade", "printer-out-of-scope", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_scenario_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "answers.jsonl"
    path.write_text("", encoding="utf-8")
    assert main(["grade", "no-such-scenario", str(path)]) == 2
