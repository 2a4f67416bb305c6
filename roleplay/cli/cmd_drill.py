"""``roleplay drill``: team drills, from creating one to the report.

- ``roleplay drill create FILE``: check a drill file (every problem located) and keep the drill in
  the practice record; prints its short code (alone on stdout, for scripts).
- ``roleplay drill join CODE --trainee NAME``: play the drill in the app; with ``--input FILE|-``
  headless, one answer per line, through the scenarios in order. ``--hot-seat``: one terminal,
  trainees take turns, names asked in the app. ``--resume``: continue after a crash.
- ``roleplay drill board CODE``: the live board (``--json``: the board's figures once).
- ``roleplay drill report CODE --format md|csv|json [-o FILE]``: the board as a file.

Everyone must use the same practice record (``--db`` or ``ROLEPLAY_DB``): the drill lives there.
Refusals (unknown code, duplicate name, late join, a scenario changed since the drill was made)
are one line on stderr, exit 2; validation problems of a drill file exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from roleplay.cli.common import (UserError, add_common_options, db_path, load_library, one_line, print_problems,
                                 scenario_dirs)

HELP = "team drills: create one, join it, watch the board, write the report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The sub-commands ``create``, ``join``, ``board`` and ``report``."""
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


def run(args: argparse.Namespace) -> int:
    action = {"create": _create, "join": _join, "board": _board, "report": _report}[args.drill_command]
    return action(args)


# -- helpers ------------------------------------------------------------------------------------


def _open_store(args: argparse.Namespace, *, readonly: bool = False) -> Any:
    from roleplay.store import Store, StoreError

    if getattr(args, "no_save", False) and not readonly:
        raise UserError("a drill lives in the practice record: drop --no-save")
    try:
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
    from roleplay.drill import join, load_board, open_drill, play_lines

    library = load_library(args)
    with _open_store(args) as store:
        drill = _drill_errors(open_drill, store, library, args.code)
        _fixed(args, drill.spec)
        # The first answer is read before joining: an unreadable or empty input leaves no trace.
        lines = iter_lines(args.input)
        first = next(lines, None)
        if first is None:
            raise UserError("no answers in the input (one answer per line)")
        attempt = _drill_errors(join, drill, library, store, args.trainee, resume=args.resume)
        unused = _drill_errors(play_lines, attempt, chain([first], lines))
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
    from roleplay.store.export import write_atomically

    with _open_store(args, readonly=True) as store:
        board = _drill_errors(load_board, store, args.code)
    text = render(board, args.format, ui_lang=args.ui_lang)
    if not args.output or args.output == "-":
        if sys.stdout.isatty():
            # A person reads it: no BOM, and no control character from a scenario reaches the terminal.
            text = "".join(one_line(line) + "\n" for line in text.lstrip("\ufeff").splitlines())
        sys.stdout.write(text)
        return 0
    try:
        write_atomically(args.output, text)
    except OSError as exc:
        raise UserError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"drill {board.drill.code}: {len(board.standings)} trainees written to {args.output}", file=sys.stderr)
    return 0
