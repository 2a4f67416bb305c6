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

from roleplay.cli.common import UserError, load_library, resolve_scenario

HELP = "a whole role-play without the TUI: one trainee line per input line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``SCENARIO``, ``--from-state``, ``--input`` and ``--trainee``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario id or a path to a scenario YAML file")
    parser.add_argument("--from-state", metavar="STATE", default=None,
                        help="start in this state instead of the scenario's start (practise one moment)")
    parser.add_argument("--input", metavar="FILE", default="-",
                        help="the trainee's lines, one per line (UTF-8); '-' for standard input (default)")
    parser.add_argument("--trainee", metavar="NAME", default=None, help="who is practising (for the practice record)")


def read_lines(source: str) -> list[str]:
    """The non-blank lines of a file or of standard input, decoded as UTF-8.

    Raises:
        UserError: The file cannot be read or is not UTF-8 text (exit 2).
    """
    name = "standard input" if source == "-" else source
    try:
        if source == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(source, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        raise UserError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UserError(f"{name}: line {line} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                        f"{exc.start}); save the file as UTF-8") from None
    # Split on newlines only: str.splitlines would also cut at form feeds and other controls.
    return [line.rstrip("\r") for line in text.split("\n") if line.strip()]


def run(args: argparse.Namespace) -> int:
    """Play the lines and print the conversation."""
    from roleplay.engine import ScenarioError, ScenarioRuntime, UnknownState
    from roleplay.engine.render import transcript

    scenario = resolve_scenario(args, args.scenario, load_library(args))
    lang = args.lang or scenario.languages[0]
    if lang not in scenario.languages:
        raise UserError(f"the scenario '{scenario.id}' is written in {', '.join(scenario.languages)}, not {lang}")
    seed = args.seed if args.seed is not None else 0
    if args.from_state is not None and args.from_state not in scenario.states:
        raise UserError(f"the scenario '{scenario.id}' has no state '{args.from_state}' "
                        f"(states: {', '.join(scenario.states)})")
    lines = read_lines(args.input)
    try:
        runtime = ScenarioRuntime(scenario)
        session = runtime.start(lang, seed=seed, from_state=args.from_state)
    except (ScenarioError, UnknownState, ValueError) as exc:
        raise UserError(str(exc)) from None
    try:
        for line in lines:
            if session.finished:
                break
            session.answer(line)
        if args.json:
            sys.stdout.write(json.dumps(session.to_json(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(transcript(scenario, session.result(), session.opening))
    finally:
        session.close()
    return 0
