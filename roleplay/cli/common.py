"""Pieces shared by the sub-commands: common options, user errors, problem lines."""

from __future__ import annotations

import argparse
import os


class UserError(Exception):
    """A problem the user can fix (bad path, bad option); printed as one line, no traceback."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def add_common_options(parser: argparse.ArgumentParser, *, suppress_defaults: bool = False) -> None:
    """The options every command accepts (contract: "Common options").

    They are accepted both before and after the sub-command name; on sub-parsers the defaults
    are suppressed so a value given before the sub-command is not overwritten.
    """
    default = (lambda value: argparse.SUPPRESS) if suppress_defaults else (lambda value: value)
    parser.add_argument("--lang", choices=("zh", "en"), default=default(None),
                        help="scenario language; the UI language follows it unless set")
    parser.add_argument("--seed", type=int, default=default(None),
                        help="same seed + same input = same conversation")
    parser.add_argument("--db", default=default(None), metavar="PATH",
                        help="the practice record (SQLite); also ROLEPLAY_DB")
    parser.add_argument("--no-save", action="store_true", default=default(False),
                        help="do not write to the practice record")
    parser.add_argument("--scenarios", action="append", default=default([]), metavar="DIR",
                        help="extra scenario folder (repeatable); also ROLEPLAY_SCENARIOS")
    parser.add_argument("--json", action="store_true", default=default(False),
                        help="machine-readable output on stdout")


def scenario_dirs(args: argparse.Namespace) -> list[str]:
    """Extra scenario folders: ``--scenarios`` options, then ``ROLEPLAY_SCENARIOS`` (a path list)."""
    dirs = list(getattr(args, "scenarios", []) or [])
    env = os.environ.get("ROLEPLAY_SCENARIOS", "")
    dirs.extend(p for p in env.split(os.pathsep) if p)
    return dirs


def db_path(args: argparse.Namespace) -> str | None:
    """``--db``, else ``ROLEPLAY_DB``, else None (the store picks the user data folder)."""
    return getattr(args, "db", None) or os.environ.get("ROLEPLAY_DB") or None
