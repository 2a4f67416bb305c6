"""The board as a file a trainer can send: Markdown, CSV or JSON.

- **JSON** is the board's full data (``Board.to_json``) with a format tag and version, for scripts.
- **CSV** is for spreadsheets: three tables one under the other (ranking, pass rates, answers),
  each with its own header row and a blank row between them. It uses the store's export safety:
  UTF-8 with a byte-order mark, CRLF line ends, and every text cell a spreadsheet would run as a
  formula neutralised (``roleplay.store.export.neutralise``).
- **Markdown** is for reading and e-mail, in the interface language (the drill's by default).

Write any of them with ``roleplay.store.export.write_atomically``: a crash never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Iterable

from roleplay.drill.board import Board
from roleplay.i18n import Translator
from roleplay.store.export import neutralise

FORMAT = "roleplay-drill-report"
"""The ``format`` key of the JSON report."""

VERSION = 1
"""Bumped when the JSON report's shape changes."""

FORMATS = ("md", "csv", "json")
"""The report formats."""


def render(board: Board, fmt: str, *, ui_lang: str | None = None) -> str:
    """The report in ``fmt`` (``md``, ``csv`` or ``json``).

    Args:
        ui_lang: The language of the Markdown report's words (default: the drill's language).
    """
    if fmt == "json":
        return to_json(board)
    if fmt == "csv":
        return to_csv(board)
    if fmt == "md":
        return to_markdown(board, ui_lang or board.spec.lang)
    raise ValueError(f"unknown report format {fmt!r} (use {', '.join(FORMATS)})")


def to_json(board: Board) -> str:
    doc = {"format": FORMAT, "version": VERSION, **board.to_json()}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# -- CSV --------------------------------------------------------------------------------------

RANKING_COLUMNS = ("rank", "trainee", "score", "passed", "played", "steps", "status", "hints_used")
RATE_COLUMNS = ("check", "scope", "passed", "total", "rate")
ANSWER_COLUMNS = ("scenario", "scenario_hash", "turn", "trainee", "state", "customer", "answer", "intent",
                  "checks_passed", "checks_failed", "evidence", "mark")


def _rows(board: Board) -> Iterable[list[Any]]:
    steps = board.spec.steps
    yield ["ranking"]
    yield [*RANKING_COLUMNS, *(f"score_{i + 1}_{s.scenario_id}" for i, s in enumerate(steps))]
    for s in board.standings:
        yield [s.rank, s.trainee, s.score, s.passed, s.played, s.steps, s.status, s.hints_used,
               *("" if e is None or not e.played else e.score for e in s.entries)]
    yield []
    yield ["check_rates"]
    yield list(RATE_COLUMNS)
    for rates in (board.rates, *board.step_rates):
        for r in rates:
            scope = "drill" if r.step is None else f"{r.step + 1} {steps[r.step].scenario_id}"
            yield [r.check_id, scope, r.passed, r.total, f"{r.rate:.2f}"]
    yield []
    yield ["answers"]
    yield list(ANSWER_COLUMNS)
    for i, turns in enumerate(board.turns):
        for view in turns:
            for a in view.answers:
                yield [f"{i + 1} {steps[i].scenario_id}", steps[i].scenario_hash, view.index + 1, a.trainee, a.state,
                       a.customer, a.text, a.intent or "",
                       " ".join(c.id for c in a.checks if c.passed), " ".join(c.id for c in a.checks if not c.passed),
                       " | ".join(f"{c.id}: {c.evidence}" for c in a.checks if c.evidence),
                       "best" if a.best else "worst" if a.worst else ""]


def to_csv(board: Board) -> str:
    """Ranking, pass rates and answers as CSV (BOM, CRLF, formula-looking cells neutralised)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _rows(board):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


# -- Markdown ---------------------------------------------------------------------------------


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters that would act on a terminal or reorder text (a scenario's customer line may hold an
escape written as ``\\e`` in YAML); shown as escapes in the Markdown report."""


class Code(str):
    """Text shown as code (ids the report itself writes): kept as is, in backticks."""


def cell(text: Any) -> str:
    """Text safe inside a Markdown table cell: one line, pipes and markup characters escaped, control
    characters shown as escapes."""
    if isinstance(text, Code):
        return f"`{text}`" if text else ""
    out = " ".join(str(text).split())
    for ch in "\\|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), out)


def _table(header: list[str], rows: Iterable[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def to_markdown(board: Board, lang: str) -> str:
    """The report for people, in ``lang``."""
    from scoring.catalogue import load_catalogue

    t = Translator(lang, "drill")
    spec, catalogue = board.spec, load_catalogue()
    steps = spec.steps
    out = [f"# {cell(t('report.title', title=spec.title))}", ""]
    out.append(t("report.about", code=board.drill.code, lang=t(f"common.langs.{spec.lang}"), seed=spec.seed,
                 created=board.drill.created_at or "-"))
    if board.closed_at is not None:
        out.append(t("report.closed", time=cell(board.closed_at)))
    rules = [t("common.rules.time_limit", seconds=spec.time_limit) if spec.time_limit else t("common.rules.no_time_limit"),
             t("common.rules.hints_on") if spec.hints else t("common.rules.hints_off"),
             t("common.rules.pass_mark", mark=spec.pass_mark) if spec.pass_mark is not None
             else t("common.rules.own_pass_mark")]
    out += [("" if lang == "zh" else " ").join(rules), "", f"## {t('report.scenarios')}", ""]
    for i, s in enumerate(steps):
        start = f", {t('report.from', state=s.from_state)}" if s.from_state else ""
        out.append(f"{i + 1}. {cell(s.title.get(lang) or s.title.get(spec.lang) or s.scenario_id)} "
                   f"(`{s.scenario_id}`, {t('report.version')} `{s.scenario_hash[:12]}`{start})")
    out += ["", f"## {t('report.ranking')}", ""]
    if not board.standings:
        out += [t("report.nobody"), ""]
        return "\n".join(out)
    c = "board.columns."
    header = [t(c + "rank"), t(c + "trainee"), t(c + "score"), t(c + "passed"), t(c + "played"), t(c + "hints"),
              t(c + "status"), *(str(i + 1) for i in range(len(steps)))]
    out += _table(header, ([s.rank, s.trainee, s.score, f"{s.passed}/{s.steps}", f"{s.played}/{s.steps}", s.hints_used,
                            t(f"common.status.{s.status}"),
                            *("-" if e is None else e.score if e.played else t("common.status.playing")
                              for e in s.entries)] for s in board.standings))
    out += ["", f"## {t('report.checks')}", ""]

    def describe(check_id: str) -> str:
        spec_ = catalogue.checks.get(check_id)
        return (spec_.describes.get(lang) or spec_.describes.get("en") or "") if spec_ else ""

    out += _table([t(c + "check"), t(c + "describes"), t(c + "passed"), t(c + "rate")],
                  ([Code(r.check_id), describe(r.check_id), f"{r.passed}/{r.total}", f"{r.percent}%"]
                   for r in board.rates))
    out += ["", f"## {t('report.answers')}", ""]
    for i, turns in enumerate(board.turns):
        s = steps[i]
        out += [f"### {i + 1}. {cell(s.title.get(lang) or s.title.get(spec.lang) or s.scenario_id)}", ""]
        if not turns:
            out += [t("board.no_turns"), ""]
        for view in turns:
            out += [f"#### {t('report.turn', n=view.index + 1)}", ""]
            if view.same_line and view.answers:
                out += [t("report.customer", line=cell(view.answers[0].customer)), ""]
            rows = []
            for a in view.answers:
                said = a.text if view.same_line else f"{t('board.customer')}: {a.customer} / {a.text}"
                mark = t("board.best") if a.best else t("board.worst") if a.worst else ""
                rows.append([a.trainee, said, Code(" ".join(x.id for x in a.checks if x.passed)),
                             Code(" ".join(x.id for x in a.checks if not x.passed)), mark])
            out += _table([t(c + "trainee"), t("report.answer"), t("report.checks_passed"),
                           t("report.checks_failed"), t("report.mark")], rows)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
