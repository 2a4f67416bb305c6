"""``roleplay run SCENARIO``: a whole role-play without the TUI, one trainee line per input line.

Reads UTF-8 lines from ``--input FILE`` or standard input (``-``, the default), skips blank
lines, and stops at an end state or at the end of the input. Prints the conversation as a person
reads it, or with ``--json`` the contract's object (shared/contracts/cli.md). A role-play that
fails is still exit 0; a bad option, scenario, state or input file is a one-line error, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterator

from roleplay.cli.common import (
    UserError,
    check_input_file,
    load_library,
    one_line,
    open_store,
    resolve_scenario,
    trainee_name,
    whole_number,
)

HELP = "a whole role-play without the TUI: one trainee line per input line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``SCENARIO``, ``--from-state``, ``--input`` and ``--trainee``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario id or a path to a scenario YAML file")
    parser.add_argument("--from-state", metavar="STATE", default=None,
                        help="start in this state instead of the scenario's start (practise one moment)")
    parser.add_argument("--input", metavar="FILE", default="-",
                        help="the trainee's lines, one per line (UTF-8); '-' for standard input (default)")
    parser.add_argument("--trainee", metavar="NAME", default=None, help="who is practising (for the practice record)")
    parser.add_argument("--resume", metavar="SESSION", type=whole_number(1), default=None,
                        help="continue an unfinished session of the practice record (see `roleplay history`)")


def iter_lines(source: str) -> Iterator[str]:
    """The non-blank lines of a file or of standard input, decoded as UTF-8, one at a time.

    Lines are read as they come, so a person typing at a terminal (or a script feeding a pipe)
    gets each reply at once, and every answered turn is saved before the next line is read.

    Raises:
        UserError: The file cannot be read, or a line is not UTF-8 text (exit 2).
    """
    name = "standard input" if source == "-" else source
    check_input_file(source)
    try:
        handle = sys.stdin.buffer if source == "-" else open(source, "rb")
    except OSError as exc:
        raise UserError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise UserError(f"{name}: line {number} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at column "
                                f"{exc.start + 1}); save the file as UTF-8") from None
            line = line.rstrip("\n").rstrip("\r")
            if line.strip():
                yield line
    except OSError as exc:
        raise UserError(f"cannot read {name}: {exc.strerror or exc}") from None
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def read_lines(source: str) -> list[str]:
    """All non-blank lines of ``source`` (see ``iter_lines``)."""
    return list(iter_lines(source))


def run(args: argparse.Namespace) -> int:
    """Play the lines, save each answered turn, and print the conversation."""
    from roleplay.engine import ScenarioError, UnknownState
    from roleplay.engine.render import footer, header, transcript, turn_lines
    from roleplay.practice import Practice

    library = load_library(args)
    check_input_file(args.input)
    trainee = trainee_name(args.trainee)
    store, why_not = open_store(args)
    practice = Practice(library, store, trainee, why_not)
    try:
        ps = _start(args, practice)
        # At a terminal, the conversation is printed as it happens; otherwise all at the end.
        live = not args.json and args.input == "-" and sys.stdin.isatty()
        if live:
            _print(header(ps.scenario, ps.lang, ps.session.seed, ps.session.prompt))
        for line in iter_lines(args.input):
            if ps.session.finished:
                break
            try:
                turn = ps.answer(line)
            except ValueError:  # nothing left once control characters are removed
                continue
            if live:
                _print(turn_lines(ps.lang, turn, echo=False))
        if args.json:
            sys.stdout.write(json.dumps(ps.session.to_json(), ensure_ascii=False) + "\n")
        elif live:
            _print(footer(ps.scenario, ps.session.result()))
        else:
            sys.stdout.write(transcript(ps.scenario, ps.session.result(), ps.session.opening))
        if store is None and why_not and not args.no_save:
            print(f"roleplay: warning: {one_line(why_not)}", file=sys.stderr)
        elif not ps.save_status.ok:
            _last_save(ps)
        ps.session.close()
    except (ScenarioError, UnknownState) as exc:
        raise UserError(str(exc)) from None
    finally:
        practice.close()
    return 0


def _last_save(ps) -> None:  # ps: PracticeSession
    """One more attempt to write what a locked or read-only record refused, then a warning.

    The conversation is over: once this process ends, whatever is still unsaved is gone, and a
    lock held by another program for a moment should not cost the trainee their answers.
    """
    status = ps.retry_save()
    if status.ok:
        return
    what = (f"{status.answers} answer{'' if status.answers == 1 else 's'}" if status.answers
            else "the session's result")
    print(f"roleplay: warning: {what} could not be saved, only printed: {one_line(status.message)}", file=sys.stderr)


def _print(lines: list[str]) -> None:
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


def _start(args: argparse.Namespace, practice):  # -> PracticeSession
    """A new session, or the unfinished one named by ``--resume``."""
    if args.resume is not None:
        try:
            ps, faithful = practice.resume(args.resume)
        except LookupError as exc:
            raise UserError(str(exc.args[0] if exc.args else exc)) from None
        if not faithful:
            print(f"roleplay: warning: the scenario '{ps.scenario.id}' has changed since session {args.resume}; "
                  "the conversation so far may have gone differently", file=sys.stderr)
        return ps
    scenario = resolve_scenario(args, args.scenario, practice.library)
    lang = args.lang or scenario.languages[0]
    if lang not in scenario.languages:
        raise UserError(f"the scenario '{scenario.id}' is written in {', '.join(scenario.languages)}, not {lang}")
    if args.from_state is not None and args.from_state not in scenario.states:
        raise UserError(f"the scenario '{scenario.id}' has no state '{args.from_state}' "
                        f"(states: {', '.join(scenario.states)})")
    seed = args.seed if args.seed is not None else 0
    try:
        return practice.start(scenario, lang=lang, seed=seed, from_state=args.from_state)
    except ValueError as exc:  # e.g. --from-state names an end state: nothing to answer
        raise UserError(str(exc)) from None
