"""Pieces shared by the sub-commands: common options, user errors, problem lines."""

from __future__ import annotations

import argparse
import os
import re
import sys


MAX_INT = 2**63 - 1
"""The largest whole number the practice record (SQLite) can keep."""


def whole_number(low: int = 0, high: int = MAX_INT):  # -> Callable[[str], int]
    """An argparse ``type`` for a whole number from ``low`` to ``high``.

    ``type=int`` alone lets ``--seed 99999999999999999999`` or ``--limit -1`` through, and they
    fail much later (SQLite cannot keep the number; ``LIMIT -1`` means no limit at all). A bad
    value is a usage error (exit 2) that names the range.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is out of range: give a whole number from {low} to {high}")
        return value

    parse.__name__ = "whole number"  # what argparse calls the type in its own messages
    return parse


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
    parser.add_argument("--seed", type=whole_number(), default=default(None), metavar="N",
                        help="same seed + same input = same conversation")
    parser.add_argument("--db", default=default(None), metavar="PATH",
                        help="the practice record (SQLite); also ROLEPLAY_DB")
    parser.add_argument("--no-save", action="store_true", default=default(False),
                        help="do not write to the practice record")
    parser.add_argument("--scenarios", action="append", default=default([]), metavar="DIR",
                        help="extra scenario folder (repeatable); also ROLEPLAY_SCENARIOS")
    parser.add_argument("--json", action="store_true", default=default(False),
                        help="machine-readable output on stdout")


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Characters that would break a one-line message or act on the terminal: C0 and C1 controls
(newlines, ESC and the one-byte CSI), line and paragraph separators, bidirectional overrides and
isolates (which reorder what is shown), and lone surrogates."""


def one_line(text: object) -> str:
    """``text`` as one line that is safe to print: unsafe characters are shown as escapes.

    A file name, a scenario id or a value quoted from a file can hold a newline or an escape
    sequence; printed raw it would split a ``PATH:LINE:COL: error: message`` line in two or
    repaint the user's terminal. The escape (``\\n``, ``\\x1b``) shows what is really there.
    """
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), str(text))


def emit(text: str, output: str | None, *, for_terminal=None) -> bool:
    """Print ``text``, or write it to the file ``output`` (``-`` or none: standard output).

    Args:
        text: What to print or write.
        output: The ``-o`` file, written atomically.
        for_terminal: Makes ``text`` fit for a person at a terminal (applied when standard output is one).

    Returns:
        True when a file was written (the caller says so on standard error).
    """
    if not output or output == "-":
        sys.stdout.write(for_terminal(text) if for_terminal is not None and sys.stdout.isatty() else text)
        return False
    from roleplay.store.export import write_atomically

    try:
        write_atomically(output, text)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
    return True


def scenario_dirs(args: argparse.Namespace) -> list[str]:
    """Extra scenario folders: ``--scenarios`` options, then ``ROLEPLAY_SCENARIOS`` (a path list)."""
    dirs = list(getattr(args, "scenarios", []) or [])
    env = os.environ.get("ROLEPLAY_SCENARIOS", "")
    dirs.extend(p for p in env.split(os.pathsep) if p)
    return dirs


def db_path(args: argparse.Namespace) -> str | None:
    """``--db``, else ``ROLEPLAY_DB``, else None (the store picks the user data folder)."""
    return getattr(args, "db", None) or os.environ.get("ROLEPLAY_DB") or None


def check_input_file(source: str) -> None:
    """Fail early, in one line, when an input file (``--input``, ``ANSWERS.jsonl``) cannot be read.

    ``-`` is standard input, which must be open. A pipe such as ``<(...)`` is a fine input even
    though it is not a regular file.

    Raises:
        UserError: Standard input is closed, or the path is missing or a folder (exit 2).
    """
    import sys

    if source == "-":
        if sys.stdin is None or sys.stdin.closed:
            raise UserError("standard input is closed: give the input with a file instead of '-'")
        return
    if os.path.isdir(source):
        raise UserError(f"cannot read {source}: it is a folder, not a file")
    if not os.path.exists(source):
        raise UserError(f"cannot read {source}: no such file")


def trainee_name(given: str | None) -> str:
    """The trainee's name (``--trainee``, else ``ROLEPLAY_TRAINEE``, else the login name), by the
    rules of the drill board, where it may appear too: no control characters (an escape sequence
    would repaint every screen that lists it), at most 40 characters.

    Raises:
        UserError: The name breaks a rule (exit 2).
    """
    from roleplay.drill import DrillError
    from roleplay.drill.hub import clean_name
    from roleplay.practice import default_trainee

    try:
        return clean_name(given or default_trainee())
    except DrillError as exc:
        where = ("--trainee" if given else
                 "ROLEPLAY_TRAINEE" if os.environ.get("ROLEPLAY_TRAINEE", "").strip() else "your login name")
        raise UserError(f"{where}: {exc}") from None


# -- scenario library helpers (roleplay list / validate / play / run / test / grade) ----------


def load_library(args: argparse.Namespace, *, builtin: bool = True, user: bool = True,
                 products_only: bool = False):  # -> Library
    """The scenario library: built-in, the user's folder, ``--scenarios`` and ``ROLEPLAY_SCENARIOS``.

    Problems of broken files are in ``library.problems`` (print them with ``print_problems``);
    the good files are loaded whatever the others hold. ``products_only``: the product sheets alone.
    """
    from roleplay.scenario.library import Library

    return Library.discover(scenario_dirs(args), builtin=builtin, user=user, products_only=products_only)


def print_problems(problems, stream=None) -> None:  # problems: Iterable[Problem]
    """Print problems one per line (``PATH:LINE:COL: error|warning: message``) on stderr."""
    import sys

    out = stream if stream is not None else sys.stderr
    for problem in problems:
        print(one_line(problem), file=out)


def resolve_scenario(args: argparse.Namespace, ref: str, library=None):  # -> Scenario
    """A scenario by id or path, or a ``UserError`` (exit 2) fit for the user.

    When ``ref`` is a broken file, its problems are printed on stderr first, one per line.
    """
    from roleplay.scenario.library import ScenarioNotFound

    lib = library if library is not None else load_library(args)
    try:
        return lib.resolve(ref)
    except ScenarioNotFound as exc:
        if exc.problems:
            print_problems(exc.problems)
            raise UserError(f"{ref}: the scenario cannot be used (problems above)") from None
        raise UserError(str(exc)) from None


def open_store(args: argparse.Namespace):  # -> tuple[Store | None, str]
    """The practice record for a command that saves, or (None, why) with ``--no-save`` or when
    it cannot be opened: practice goes on without saving, and the caller says why in one line."""
    if getattr(args, "no_save", False):
        return None, "not saving (--no-save)"
    from roleplay.store import Store, StoreError

    try:
        return Store.open(db_path(args)), ""
    except StoreError as exc:
        return None, f"{exc}; this session is not saved (--no-save skips the record)"


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` cut or padded to ``width`` terminal cells, so tables line up beside Chinese."""
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)
