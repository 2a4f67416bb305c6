"""``roleplay drill``: team drills, from creating one to the report.

- ``roleplay drill create FILE``: check a drill file (every problem located) and keep the drill in
  the practice record; prints its short code (alone on stdout, for scripts).
- ``roleplay drill join CODE --trainee NAME``: play the drill in the app; with ``--input FILE|-``
  headless, one answer per line, through the scenarios in order (``--input -`` at a terminal
  prints the conversation as it goes). ``--hot-seat``: one terminal, trainees take turns, names
  asked in the app. ``--resume``: continue after a crash.
- ``roleplay drill board CODE``: the live board (``--json``: the board's figures once).
- ``roleplay drill report CODE --format md|csv|json [-o FILE]``: the board as a file.
- ``roleplay drill list``: every drill in the practice record (``--json`` for scripts).
- ``roleplay drill close CODE`` / ``reopen CODE``: stop (or again allow) new trainees joining;
  those who joined may still finish.

Everyone must use the same practice record (``--db`` or ``ROLEPLAY_DB``): the drill lives there.
Refusals (unknown code, duplicate name, late join, a scenario changed since the drill was made)
are one line on stderr, exit 2; validation problems of a drill file exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from typing import Any

from roleplay.cli.common import (UserError, add_common_options, db_path, emit, load_library, one_line, print_problems,
                                 scenario_dirs)

HELP = "team drills: create one, join it, watch the board, write the report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The sub-commands ``create``, ``join``, ``board``, ``report``, ``list``, ``close`` and ``reopen``."""
    sub = parser.add_subparsers(dest="drill_command", metavar="ACTION", required=True)

    p = sub.add_parser("create", help="check a drill file and store the drill; prints its code",
                       description="Check a drill file and keep the drill in the practice record; prints its code.")
    p.add_argument("file", metavar="FILE", help="the drill file (YAML, see docs/drills.md)")
    add_common_options(p, suppress_defaults=True)

    p = sub.add_parser("join", help="play a drill (the app; headless with --input)",
                       description="Play a drill: in the app, or headless with --input (one answer per line).")
    p.add_argument("code", metavar="CODE", help="the drill code the trainer gave you")
    p.add_argument("--trainee", metavar="NAME", default=None,
                   help="your name on the board (required with --input; the app asks otherwise)")
    p.add_argument("--input", metavar="FILE", default=None,
                   help="play headless: answers one per line (UTF-8) from FILE, or '-' for standard input")
    p.add_argument("--resume", action="store_true", help="continue where you stopped (same name, after a crash)")
    p.add_argument("--hot-seat", action="store_true",
                   help="one terminal for the team: trainees take turns, names asked in the app")
    p.add_argument("--ui-lang", choices=("zh", "en"), default=None,
                   help="interface language (default: the drill's language)")
    add_common_options(p, suppress_defaults=True)

    p = sub.add_parser("board", help="the live board: ranking, pass rates, answers side by side",
                       description="The live board (refreshes every 2 seconds); --json prints its figures once.")
    p.add_argument("code", metavar="CODE", help="the drill code")
    p.add_argument("--ui-lang", choices=("zh", "en"), default=None,
                   help="interface language (default: the drill's language)")
    add_common_options(p, suppress_defaults=True)

    p = sub.add_parser("report", help="the board as a file: md, csv or json",
                       description="The board as a file a trainer can send (written atomically).")
    p.add_argument("code", metavar="CODE", help="the drill code")
    p.add_argument("--format", choices=("md", "csv", "json"), required=True,
                   help="md to read, csv for spreadsheets, json for scripts")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    p.add_argument("--ui-lang", choices=("zh", "en"), default=None,
                   help="language of the Markdown report (default: the drill's language)")
    add_common_options(p, suppress_defaults=True)

    p = sub.add_parser("list", help="every drill in the practice record: open or closed, who joined",
                       description="Every drill in the practice record, newest first: code, title, created, open "
                                   "or closed, trainees who joined and who are done.")
    add_common_options(p, suppress_defaults=True)

    p = sub.add_parser("close", help="stop new trainees joining (those in may still finish)",
                       description="Close a drill to new trainees. Trainees who already joined may still finish "
                                   "(--resume); the board and the reports say it is closed.")
    p.add_argument("code", metavar="CODE", help="the drill code")
    add_common_options(p, suppress_defaults=True)

    p = sub.add_parser("reopen", help="let new trainees join a closed drill again",
                       description="Let new trainees join a drill closed with `roleplay drill close` again "
                                   "(a join window that has passed still applies).")
    p.add_argument("code", metavar="CODE", help="the drill code")
    add_common_options(p, suppress_defaults=True)


def run(args: argparse.Namespace) -> int:
    action = {"create": _create, "join": _join, "board": _board, "report": _report, "list": _list,
              "close": _close, "reopen": _reopen}[args.drill_command]
    return action(args)


# -- helpers ------------------------------------------------------------------------------------


def _open_store(args: argparse.Namespace, *, readonly: bool = False) -> Any:
    from roleplay.store import Store, StoreError

    if getattr(args, "no_save", False) and not readonly:
        raise UserError("a drill lives in the practice record: drop --no-save")
    try:
        # Store.open upgrades a record from an older roleplay once, even for reading.
        return Store.open(db_path(args), readonly=readonly)
    except StoreError as exc:
        raise UserError(one_line(exc)) from None


def _drill_errors(fn: Any, *fn_args: Any, **kwargs: Any) -> Any:
    """Call ``fn``, turning drill and store refusals into one-line user errors."""
    from roleplay.drill import DrillError
    from roleplay.store import StoreError

    try:
        return fn(*fn_args, **kwargs)
    except (DrillError, StoreError) as exc:
        raise UserError(one_line(exc)) from None


def _fixed(args: argparse.Namespace, spec: Any) -> None:
    """``--lang``/``--seed`` may not contradict the drill (everyone plays alike)."""
    lang, seed = getattr(args, "lang", None), getattr(args, "seed", None)
    if (lang is not None and lang != spec.lang) or (seed is not None and seed != spec.seed):
        raise UserError(f"this drill is played in {spec.lang} with seed {spec.seed} by everyone; "
                        "leave out --lang and --seed")


# -- create -------------------------------------------------------------------------------------


def _create(args: argparse.Namespace) -> int:
    from pathlib import Path

    from roleplay.drill import create_drill, load_drill
    from roleplay.scenario.problems import sort_key
    from roleplay.scenario.reader import display_path

    path = Path(args.file)
    if not path.exists():
        raise UserError(f"no such file: {args.file}")
    if path.is_dir():
        raise UserError(f"{args.file} is a folder: give the drill file (YAML)")
    if not os.access(path, os.R_OK):
        raise UserError(f"cannot read {args.file} (permission denied)")
    library = load_library(args)
    spec, problems = load_drill(args.file, library, display=display_path(args.file))
    print_problems(sorted(problems, key=sort_key))
    if spec is None:
        errors = sum(1 for p in problems if p.is_error)
        print(f"{one_line(args.file)}: {errors} error{'' if errors == 1 else 's'}; the drill was not created",
              file=sys.stderr)
        return 1
    with _open_store(args) as store:
        drill = _drill_errors(create_drill, store, spec)
    if args.json:
        doc = {"code": drill.code, "title": spec.title, "lang": spec.lang, "seed": spec.seed,
               "created_at": drill.created_at, "db": str(store.path),
               "scenarios": [{"scenario": s.scenario_id, "hash": s.scenario_hash, "from": s.from_state}
                             for s in spec.steps]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        return 0
    print(drill.code)
    print(f"drill created: {one_line(spec.title)} ({len(spec.steps)} scenarios, {spec.lang}, seed {spec.seed}) "
          f"in {one_line(store.path)}", file=sys.stderr)
    print(f"trainees join with: roleplay drill join {drill.code} --trainee NAME", file=sys.stderr)
    return 0


# -- join ---------------------------------------------------------------------------------------


def _join(args: argparse.Namespace) -> int:
    if args.input is None:
        return _join_app(args)
    if args.hot_seat:
        raise UserError("--hot-seat is for the app (names are asked in turn); leave out --input")
    if not args.trainee:
        raise UserError("headless play needs a name: add --trainee NAME")
    from itertools import chain

    from roleplay.cli.cmd_run import iter_lines
    from roleplay.cli.common import check_input_file
    from roleplay.drill import join, load_board, open_drill, play_lines

    # A person typing at a terminal sees each customer line before answering it; scripts piping a
    # file get the summary only, as before.
    live = not args.json and args.input == "-" and sys.stdin is not None and sys.stdin.isatty()
    library = load_library(args)
    with _open_store(args) as store:
        drill = _drill_errors(open_drill, store, library, args.code)
        _fixed(args, drill.spec)
        check_input_file(args.input)
        try:
            if live:
                attempt = _drill_errors(join, drill, library, store, args.trainee, resume=args.resume)
                _print([f"drill {drill.code}: {one_line(drill.spec.title)} ({one_line(attempt.trainee)})"])
                unused = _drill_errors(play_lines, attempt, iter_lines(args.input), _Live(len(drill.spec.steps)))
            else:
                # The first answer is read before joining: an unreadable or empty input leaves no trace.
                lines = iter_lines(args.input)
                first = next(lines, None)
                if first is None:
                    raise UserError("no answers in the input (one answer per line)")
                attempt = _drill_errors(join, drill, library, store, args.trainee, resume=args.resume)
                unused = _drill_errors(play_lines, attempt, chain([first], lines))
        except KeyboardInterrupt:
            # Every answer given is already saved; say how to go on rather than only "interrupted".
            again = f"roleplay drill join {drill.code} --trainee {shlex.quote(args.trainee)} --resume"
            print(f"roleplay: interrupted; every answer given is kept: to go on, {one_line(again)}", file=sys.stderr)
            return 130
        status = attempt.current.save_status if attempt.current is not None else None
        board = _drill_errors(load_board, store, drill.code)
    standing = board.standing(attempt.trainee)
    if args.json:
        doc = {"drill": drill.code, "trainee": attempt.trainee, "score": attempt.score(), "passed": attempt.passed(),
               "finished": attempt.finished, "rank": standing.rank if standing else None,
               "trainees": len(board.standings), "unused_lines": unused,
               "scenarios": [r.to_json() for r in attempt.played()]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    else:
        out = sys.stdout
        if live:
            print(file=out)
        else:
            print(f"drill {drill.code}: {one_line(drill.spec.title)} ({one_line(attempt.trainee)})", file=out)
        n = len(drill.spec.steps)
        for r in attempt.played():
            print(f"[{r.step + 1}/{n}] {r.scenario_id}: {r.outcome}, score {r.score}, "
                  f"{'passed' if r.passed else 'not passed'}", file=out)
        for i in range(len(attempt.played()), n):
            print(f"[{i + 1}/{n}] {drill.spec.steps[i].scenario_id}: not played (the input ended)", file=out)
        rank = f"; rank {standing.rank} of {len(board.standings)} so far" if standing else ""
        print(f"drill score {attempt.score()}/100, {sum(r.passed for r in attempt.played())} of {n} scenarios "
              f"passed{rank}", file=out)
    if unused:
        print(f"roleplay: note: {unused} input line{'' if unused == 1 else 's'} left over after the drill ended",
              file=sys.stderr)
    if status is not None and not status.ok:
        print(f"roleplay: warning: {status.message}", file=sys.stderr)
    return 0


def _print(lines: list[str]) -> None:
    """Lines at once, flushed: the trainee reads them before typing the next answer."""
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


class _Live:
    """The conversation printed as it happens (``drill join --input -`` at a terminal), in the words
    and layout of ``roleplay run`` (``roleplay.engine.render``)."""

    def __init__(self, steps: int) -> None:
        self.steps = steps
        self._saving = True  # the last answer was saved: warn once when that changes

    def started(self, step: int, ps: Any) -> None:
        from roleplay.engine.render import header, turn_lines

        lines = header(ps.scenario, ps.lang, ps.session.seed, ps.session.opening)
        lines[0] = f"[{step + 1}/{self.steps}] {lines[0]}"
        out = ["", *lines]
        for turn in ps.session.turns:  # answers replayed on --resume: shown, since nobody typed them now
            out.extend(turn_lines(ps.lang, turn))
        _print(out)

    def answered(self, step: int, ps: Any, turn: Any) -> None:
        from roleplay.engine.render import turn_lines

        _print(turn_lines(ps.lang, turn, echo=False))  # the terminal has already shown what was typed
        if self._saving != ps.save_status.ok:
            self._saving = ps.save_status.ok
            if not ps.save_status.ok:
                print(f"roleplay: warning: answers are not being saved, they are kept and saving is tried again "
                      f"with each answer: {one_line(ps.save_status.message)}", file=sys.stderr)

    def ended(self, step: int, ps: Any, result: Any) -> None:
        from roleplay.engine.render import footer

        _print(footer(ps.scenario, ps.result()))


def _app_config(args: argparse.Namespace, ui_lang: str, start_screen: Any) -> Any:
    from roleplay.tui.app import AppConfig

    return AppConfig(scenario_dirs=tuple(scenario_dirs(args)), db=db_path(args), save=True,
                     trainee=args.trainee if hasattr(args, "trainee") else None, ui_lang=ui_lang, plan=False,
                     extra={"start_screen": start_screen})


def _join_app(args: argparse.Namespace) -> int:
    from roleplay.drill import open_drill
    from roleplay.practice import Practice
    from roleplay.tui.app import build_app
    from roleplay.tui.screens.drill_common import DrillContext
    from roleplay.tui.screens.drill_join import DrillJoinScreen

    library = load_library(args)
    # Every refusal that can be known now is a one-line error before the screen is taken over.
    with _open_store(args) as store:
        drill = _drill_errors(open_drill, store, library, args.code)
        _fixed(args, drill.spec)
        path = str(store.path)
    context = DrillContext(db=path, drill=drill, library=library, hot_seat=args.hot_seat, trainee=args.trainee,
                           resume=args.resume)
    config = _app_config(args, args.ui_lang or drill.spec.lang, lambda app: DrillJoinScreen(context))
    practice = Practice(library, None, args.trainee or "trainee", "")
    app = build_app(config, practice)
    app.run()
    return app.return_code or 0


# -- board and report ---------------------------------------------------------------------------


def _board(args: argparse.Namespace) -> int:
    from roleplay.drill import load_board, stored_drill

    with _open_store(args, readonly=True) as store:
        if args.json:
            board = _drill_errors(load_board, store, args.code)
            sys.stdout.write(json.dumps(board.to_json(), ensure_ascii=False) + "\n")
            return 0
        drill = _drill_errors(stored_drill, store, args.code)
        path = str(store.path)
    from roleplay.practice import Practice
    from roleplay.scenario.library import Library
    from roleplay.tui.app import build_app
    from roleplay.tui.screens.board import BoardScreen

    config = _app_config(args, args.ui_lang or drill.spec.lang,
                         lambda app: BoardScreen(path, drill.code, exit_on_leave=True))
    app = build_app(config, Practice(Library(), None, "trainer", ""))
    app.run()
    return app.return_code or 0


def _report(args: argparse.Namespace) -> int:
    from roleplay.drill import load_board
    from roleplay.drill.report import render

    with _open_store(args, readonly=True) as store:
        board = _drill_errors(load_board, store, args.code)
    text = render(board, args.format, ui_lang=args.ui_lang)
    # A person reads it: no BOM, and no control character from a scenario reaches the terminal.
    if emit(text, args.output,
            for_terminal=lambda t: "".join(one_line(line) + "\n" for line in t.lstrip("\ufeff").splitlines())):
        print(f"drill {board.drill.code}: {len(board.standings)} trainees written to {args.output}", file=sys.stderr)
    return 0


# -- list, close and reopen ---------------------------------------------------------------------


def _when(text: str | None) -> str:
    """A store time for a table: ``2026-11-27 10:30`` (UTC), or the text as stored if it is not one."""
    from roleplay.drill.hub import parse_time

    moment = parse_time(text)
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else one_line(text or "-")


def _list(args: argparse.Namespace) -> int:
    from roleplay.cli.common import display_width, pad
    from roleplay.drill import list_drills

    with _open_store(args, readonly=True) as store:
        drills = _drill_errors(list_drills, store)
        path = store.path
    if args.json:
        sys.stdout.write(json.dumps([d.to_json() for d in drills], ensure_ascii=False, indent=2) + "\n")
        return 0
    if not drills:
        print(f"No drills yet in {one_line(path)}; create one with: roleplay drill create FILE")
        return 0
    header = ("CODE", "CREATED (UTC)", "STATUS", "SCENARIOS", "TRAINEES", "DONE", "TITLE")
    rows = []
    for d in drills:
        status = {"open": f"open until {_when(d.window_ends)}" if d.window_ends else "open",
                  "closed": f"closed {_when(d.closed_at)}", "ended": f"ended {_when(d.window_ends)}",
                  "damaged": "damaged: cannot be joined"}[d.status]
        rows.append((d.code, _when(d.created_at), status, "-" if d.scenarios is None else str(d.scenarios),
                     str(d.trainees), str(d.done), one_line(d.title)))
    widths = [max(display_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for r in (header, *rows):
        print("  ".join(pad(cell, widths[i]) for i, cell in enumerate(r)).rstrip())
    return 0


def _close(args: argparse.Namespace) -> int:
    return _set_closed(args, close=True)


def _reopen(args: argparse.Namespace) -> int:
    return _set_closed(args, close=False)


def _set_closed(args: argparse.Namespace, *, close: bool) -> int:
    """Close the drill to new trainees, or open it again; says what changed (or that nothing did)."""
    from roleplay.drill.hub import TIME_FORMAT, name_key, show_time, stored_drill, utc_now, window_end

    with _open_store(args) as store:
        before = _drill_errors(stored_drill, store, args.code)
        code = before.code
        if close:
            closed_at = _drill_errors(store.close_drill, code)
        else:
            _drill_errors(store.reopen_drill, code)
            closed_at = None
        joined = len({name_key(s.trainee) for s in _drill_errors(store.sessions, drill_code=code)})
    ends = window_end(before.spec, before.created_at)
    ended = ends is not None and utc_now() >= ends
    if args.json:
        doc = {"code": code, "closed_at": closed_at, "changed": (before.closed_at is None) == close,
               "open": closed_at is None and not ended, "window_ends": ends.strftime(TIME_FORMAT)
               if ends is not None else None, "trainees": joined}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        return 0
    who = f"{joined} trainee{'' if joined == 1 else 's'} joined"
    if close and before.closed_at is not None:
        print(f"drill {code} was already closed to new trainees, at {show_time(closed_at)} ({who})")
    elif close:
        print(f"drill {code} is closed to new trainees since {show_time(closed_at)} ({who}; they may still finish "
              f"with --resume); reopen it with: roleplay drill reopen {code}")
    elif before.closed_at is None:
        print(f"drill {code} was not closed")
    else:
        print(f"drill {code} takes new trainees again ({who})")
    if not close and ended:
        print(f"roleplay: note: the join window of drill {code} ended at {show_time(ends)}: new trainees are still "
              "refused; create a new drill for them", file=sys.stderr)
    return 0
