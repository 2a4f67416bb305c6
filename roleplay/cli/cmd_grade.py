"""``roleplay grade SCENARIO ANSWERS.jsonl``: score recorded answers, one JSON object per line.

Each input line is ``{"state": "STATE", "answer": "..."}`` plus any other keys (such as ``id``),
which are echoed back. Each output line (on stdout) is the input's keys plus ``"checks"`` (the
state's turn checks: ``{"id", "passed", "evidence"}``) and ``"score"`` (0-100 over those checks,
see ``scoring.session``). The answer is judged as if said in STATE, with that state's rubrics and
the scenario's product facts, in ``--lang`` (default: the scenario's first language); a line may
set its own ``"lang"`` (``zh``, ``zh-Hant`` or ``en``, among the scenario's languages).

A bad line (not JSON, not an object, unknown or end state, no answer or an empty one, a lone
surrogate escape) gives an output line with an ``"error"`` key and the other lines are still
graded; the exit code is then 1. An unreadable file is a one-line error, exit 2. ``--details``
adds each check's note, feedback and evidence offsets.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from typing import Any

from roleplay.cli.common import UserError, check_input_file, load_library, resolve_scenario

HELP = "score recorded answers: one JSON object per line in and out"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``SCENARIO``, ``ANSWERS`` and ``--details``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario id or a path to a scenario YAML file")
    parser.add_argument("answers", metavar="ANSWERS.jsonl",
                        help='the answers, one JSON object per line: {"state": ..., "answer": ...}; "-" for stdin')
    parser.add_argument("--details", action="store_true",
                        help="add each check's note, feedback and evidence offsets to the output")


def read_text(source: str) -> str:
    """The whole input as UTF-8 text.

    Raises:
        UserError: The file cannot be read or is not UTF-8 (exit 2).
    """
    name = "standard input" if source == "-" else source
    check_input_file(source)
    try:
        if source == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(source, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        raise UserError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UserError(f"{name}: line {line} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                        f"{exc.start}); save the file as UTF-8") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}
"""Characters JSON leaves raw but many line splitters (Python's ``str.splitlines``, old
JavaScript) treat as line ends: escaped, so one output line is one line for every reader."""


def dump_line(obj: dict[str, Any]) -> str:
    """One output line: readable UTF-8 JSON, or ASCII escapes when an echoed key holds a lone
    surrogate (UTF-8 cannot encode one; the ``\\udXXX`` escape reads back as it came in)."""
    text = json.dumps(obj, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(obj)
    return text.translate(_LINE_BREAKS) + "\n"


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: echoed back it would be Infinity, which is not JSON
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # more digits than Python converts (4300 by default)
        raise ValueError(f"a number has {len(text)} digits") from None


def parse_line(line: str) -> Any:
    """One input line as JSON, strictly: what is read can be echoed back as valid JSON.

    Python's ``json`` accepts ``NaN`` and ``Infinity`` (and turns ``1e999`` into infinity),
    which it would then write back out as non-JSON; a number of thousands of digits or arrays
    nested thousands deep raise errors that are not ``JSONDecodeError``.

    Raises:
        ValueError: The line is not JSON; the message says why, in a few words.
    """
    try:
        return json.loads(line, parse_constant=_no_constant, parse_float=_finite, parse_int=_whole)
    except json.JSONDecodeError as exc:
        raise ValueError(exc.msg) from None
    except RecursionError:
        raise ValueError("it is nested too deeply") from None


def check_json(result: Any, details: bool) -> dict[str, Any]:
    """One check result in the output (the contract's three keys, more with ``--details``)."""
    out = result.to_json()
    if details:
        ev = result.evidence
        out["start"] = ev.start if ev else None
        out["end"] = ev.end if ev else None
        out["note"] = result.note
        out["feedback"] = result.feedback
    return out


class Grading:
    """Grades lines against one scenario (the grader and the facts are made once)."""

    def __init__(self, scenario: Any, lang: str) -> None:
        from roleplay.engine.facts import product_facts
        from scoring.catalogue import load_catalogue
        from scoring.grader import Grader

        self.scenario = scenario
        self.lang = lang
        self.catalogue = load_catalogue()
        self.grader = Grader()
        self._facts = {la: product_facts(scenario.product, la) for la in ("zh", "en")}

    def line_lang(self, item: dict[str, Any]) -> str:
        lang = item.get("lang", self.lang)
        if not isinstance(lang, str) or lang not in ("zh", "zh-Hant", "en"):
            raise ValueError(f'"lang" must be "zh", "zh-Hant" or "en", not {lang!r}')
        base = "zh" if lang.startswith("zh") else "en"
        if base not in self.scenario.languages:
            raise ValueError(f"the scenario is written in {', '.join(self.scenario.languages)}, not {lang}")
        return lang

    def grade(self, item: dict[str, Any], details: bool) -> dict[str, Any]:
        """The output object for one parsed input object (raises ValueError for a bad line)."""
        from roleplay.engine.normalize import clean

        state_id = item.get("state")
        if not isinstance(state_id, str) or not state_id:
            raise ValueError('the line has no "state" (a state id of the scenario)')
        state = self.scenario.states.get(state_id)
        if state is None:
            raise ValueError(f"the scenario '{self.scenario.id}' has no state '{state_id}'")
        if state.is_end:
            raise ValueError(f"'{state_id}' is an end state of '{self.scenario.id}': nothing is answered there")
        answer = item.get("answer")
        if not isinstance(answer, str):
            raise ValueError('the line has no "answer" string')
        if _SURROGATE.search(answer):
            # json.loads turns "\ud800" into a lone surrogate: not text, and no UTF-8 can hold it.
            raise ValueError('the "answer" holds a lone surrogate escape (such as \\ud800), which is not text')
        if not clean(answer).strip():
            raise ValueError('the "answer" is empty (nothing but spaces or control characters)')
        lang = self.line_lang(item)
        checks = [c for c in self.catalogue.expand(state.rubrics) if self.catalogue.checks[c].scope == "turn"]
        facts = self._facts["zh" if lang.startswith("zh") else "en"]
        # Graded as the engine would hear it: escape sequences and control characters removed,
        # so evidence is always words a person can read.
        results = self.grader.grade_answer(clean(answer), lang=lang, checks=checks, facts=facts)
        grade = self.grader.grade_session([results], applicable=checks, pass_mark=self.scenario.pass_mark,
                                          blockers=self.scenario.blockers, lang=lang)
        out = dict(item)
        out["checks"] = [check_json(r, details) for r in results]
        out["score"] = grade.score
        return out


def run(args: argparse.Namespace) -> int:
    """Grade every line; bad lines get an ``error`` and make the exit code 1."""
    scenario = resolve_scenario(args, args.scenario, load_library(args))
    lang = args.lang or scenario.languages[0]
    if lang not in scenario.languages:
        raise UserError(f"the scenario '{scenario.id}' is written in {', '.join(scenario.languages)}, not {lang}")
    text = read_text(args.answers)
    grading = Grading(scenario, lang)
    bad = 0
    out = sys.stdout
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        try:
            item = parse_line(line)
        except ValueError as exc:
            result: dict[str, Any] = {"line": number, "error": f"line {number} is not JSON: {exc}"}
        else:
            if not isinstance(item, dict):
                result = {"line": number, "error": f"line {number} is not a JSON object"}
            else:
                try:
                    result = grading.grade(item, args.details)
                except ValueError as exc:
                    result = dict(item)
                    result["error"] = f"line {number}: {exc}"
        if "error" in result:
            bad += 1
        out.write(dump_line(result))
    if bad:
        print(f"roleplay: {bad} line(s) could not be graded (see their \"error\")", file=sys.stderr)
    return 1 if bad else 0
