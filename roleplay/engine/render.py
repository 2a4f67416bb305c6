"""A conversation as plain text, as a person reads it (``roleplay run`` without ``--json``).

Words come from ``locales/engine.<lang>.yaml`` in the scenario's language; no Rich, no colours,
so the output can be piped, diffed or pasted into a chat.
"""

from __future__ import annotations

import re

from roleplay.engine import words
from roleplay.engine.session import SessionResult
from roleplay.scenario.model import METER_MAX, Scenario

_ESCAPE_RE = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"                    # CSI: colours, cursor moves, clear screen
    "|(?:\x1b\\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"  # OSC: window title, hyperlinks
    "|\x1b[ -/]*[0-~]?"                                      # any other escape sequence, or a lone ESC
)
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def show(text: str) -> str:
    """``text`` fit to print on one line of the transcript.

    Scenario texts are written by trainers and answers are typed by trainees: either may hold
    an escape sequence (YAML ``"\\e[2J"``), a NUL or a newline. Printed raw, they would recolour
    or clear the reader's terminal, or break a ``Customer: ...`` line in two. Escape sequences are
    dropped whole; other control characters (newlines and tabs too) become spaces.
    """
    return _CONTROL_RE.sub(" ", _ESCAPE_RE.sub("", text))


def _check_line(lang: str, check) -> str:
    mark = words.text(lang, "transcript.check_passed" if check.passed else "transcript.check_failed")
    evidence = f" «{show(check.evidence.text)}»" if getattr(check, "evidence", None) is not None else ""
    return f"{mark} {check.id}{evidence}"


def header(scenario: Scenario, lang: str, seed: int, opening: str) -> list[str]:
    """The title line and the customer's first line."""
    title = show(scenario.title.get(lang) or scenario.id)
    return [words.text(lang, "transcript.title", title=title, scenario=scenario.id, seed=seed), "",
            f"{words.text(lang, 'transcript.customer')}: {show(opening)}"]


def turn_lines(lang: str, turn, *, echo: bool = True) -> list[str]:
    """One answered turn: the trainee's line (unless ``echo`` is off), how it was understood and
    judged, the meters, and the customer's reply."""
    t = lambda key, **kw: words.text(lang, key, **kw)  # noqa: E731 - a local shorthand
    out = [f"{t('transcript.trainee')}: {show(turn.trainee)}"] if echo else []
    if turn.intent is not None:
        out.append("    " + t("transcript.intent", intent=turn.intent, score=f"{turn.match_score:.0f}"))
    else:
        out.append("    " + t("transcript.no_match"))
    if turn.checks:
        out.append("    " + "  ".join(_check_line(lang, c) for c in turn.checks))
    out.append("    " + t("transcript.meters", patience=turn.patience, interest=turn.interest, max=METER_MAX))
    out.append(f"{t('transcript.customer')}: {show(turn.reply)}")
    return out


def footer(scenario: Scenario, result: SessionResult) -> list[str]:
    """The outcome, the score and every session check."""
    lang = result.lang
    t = lambda key, **kw: words.text(lang, key, **kw)  # noqa: E731 - a local shorthand
    out = ["", t(f"transcript.outcome.{result.outcome}")]
    verdict = t("transcript.passed" if result.passed else "transcript.failed")
    out.append(t("transcript.score", score=result.score, pass_mark=scenario.pass_mark, verdict=verdict))
    blocked = tuple(getattr(result.grade, "blocked_by", ()) or ())
    if blocked:
        out.append(t("transcript.blocked", checks=", ".join(blocked)))
    if result.hints_used:
        out.append(t("transcript.hints", count=result.hints_used))
    for check in result.grade.checks:
        out.append("  " + _check_line(lang, check))
    return out


def transcript(scenario: Scenario, result: SessionResult, opening: str) -> str:
    """The whole conversation and its grade.

    Args:
        scenario: The scenario played.
        result: The session's result.
        opening: The customer's first line.

    Returns:
        Lines of text, ending with a newline.
    """
    out = header(scenario, result.lang, result.seed, opening)
    for turn in result.turns:
        out.extend(turn_lines(result.lang, turn))
    out.extend(footer(scenario, result))
    return "\n".join(out) + "\n"
