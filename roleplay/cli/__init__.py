"""The ``roleplay`` command line (contract: shared/contracts/cli.md).

Each sub-command lives in its own module ``roleplay.cli.cmd_<name>`` exposing:

- ``HELP``: one line for ``roleplay --help``;
- ``add_arguments(parser)``: its own options (the common ones are added here);
- ``run(args) -> int``: the exit code (0 ok, 1 found wanting, 2 usage or unreadable input).

Modules import their heavy dependencies inside ``run`` so that ``roleplay list`` never pays
for Textual. Problems the user can fix are raised as ``UserError`` and printed as one line;
anything else is an internal error, printed without a traceback unless ``ROLEPLAY_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Sequence

from roleplay import __version__
from roleplay.cli.common import UserError, add_common_options, one_line

COMMANDS: tuple[str, ...] = (
    "play", "list", "validate", "test", "run", "grade", "rubrics", "history", "export", "drill", "serve",
)
"""Sub-commands, in the order ``--help`` lists them."""


def _command_modules() -> dict[str, object]:
    modules = {}
    for name in COMMANDS:
        try:
            modules[name] = importlib.import_module(f"roleplay.cli.cmd_{name}")
        except ModuleNotFoundError as exc:  # a command not built yet is simply not offered
            if exc.name != f"roleplay.cli.cmd_{name}":
                raise
    return modules


def build_parser() -> argparse.ArgumentParser:
    """The whole argument parser (also used by the docs test)."""
    parser = argparse.ArgumentParser(
        prog="roleplay",
        description="Sales role-play trainer: practise with a simulated customer, see what to improve.",
    )
    parser.add_argument("--version", action="version", version=f"roleplay {__version__}")
    add_common_options(parser)
    modules = _command_modules()
    if "play" in modules:  # `roleplay` alone opens the app: it takes the app's options too
        modules["play"].add_app_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in modules.items():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        add_common_options(p, suppress_defaults=True)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def _safe_stdout(json_output: bool) -> None:
    """Make sure printing can never fail: on a closed stream, or on a character the locale lacks.

    Under a non-UTF-8 locale (``zh_CN.GBK``, ``PYTHONIOENCODING=ascii``, a Windows console
    redirected to a file) a check mark or a Chinese title would raise ``UnicodeEncodeError``.
    JSON is UTF-8 by definition (RFC 8259), so ``--json`` output is switched to it; other text
    keeps the user's encoding and shows what it cannot encode as ``\\uXXXX``. (Python's stderr
    already does that.)
    """
    # `roleplay ... >&-` (or 2>&-): Python sets the stream to None, and the first write fails.
    # Output nobody can read is discarded, as a shell does for a closed descriptor.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding == "utf8" or reconfigure is None:
        return
    try:
        if json_output:
            reconfigure(encoding="utf-8", errors="strict")
        else:
            reconfigure(errors="backslashreplace")
    except (ValueError, OSError):  # a stream that cannot switch: output will still be tried
        return


def _discard_stdout() -> None:
    """Point standard output at the null device (after a broken pipe or a full disk)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests capture it)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``roleplay`` console script."""
    try:
        # Building the parser imports every command module: Ctrl+C here is as likely as later.
        parser = build_parser()
        args = parser.parse_args(argv)
    except KeyboardInterrupt:
        print("roleplay: interrupted", file=sys.stderr)
        return 130
    _safe_stdout(bool(getattr(args, "json", False)) or args.command == "grade"
                 or getattr(args, "format", None) == "json")
    try:
        if args.command is None:
            from roleplay.cli.cmd_play import open_home

            return open_home(args)
        code = int(args._run(args) or 0)
        # Written now, not at exit, so a full disk or a closed pipe is handled below.
        sys.stdout.flush()
        return code
    except UserError as exc:
        print(f"roleplay: error: {one_line(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("roleplay: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `roleplay list | head`): nothing left to say. What is
        # still buffered goes nowhere, so the flush at exit cannot fail again.
        _discard_stdout()
        return 0
    except OSError as exc:
        # Not a bug but the system refusing: a full disk under `> file`, an I/O error. The
        # commands turn the errors of their own files into messages; this is what is left.
        if os.environ.get("ROLEPLAY_DEBUG") == "1":
            raise
        where = f": {exc.filename}" if exc.filename else ""
        print(f"roleplay: error: {one_line(exc.strerror or exc)}{one_line(where)}", file=sys.stderr)
        _discard_stdout()
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback for users
        if os.environ.get("ROLEPLAY_DEBUG") == "1":
            raise
        print(
            f"roleplay: internal error: {type(exc).__name__}: {one_line(exc)}\n"
            "roleplay: this is a bug; run again with ROLEPLAY_DEBUG=1 for details",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
