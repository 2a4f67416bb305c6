"""``roleplay validate [PATH ...]``: check scenario and product files, every problem located.

No PATH: the built-in library, the user's folder and ``--scenarios`` / ``ROLEPLAY_SCENARIOS``.
PATHs may be files or folders (a folder is searched as the library is: scenarios, and product
sheets in its ``products/``). Files given on the command line may use the product sheets of the
library. Exit 0 when there is no error (warnings allowed), 1 when there is one, 2 when a PATH
does not exist or cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from roleplay.cli.common import UserError, load_library, print_problems

HELP = "check scenario and product files; every problem is one line PATH:LINE:COL"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``PATH ...`` and ``--strict``."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders (default: the library)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    """Validate, print the problems (stderr, or JSON on stdout) and a summary line on stderr."""
    from roleplay.scenario.library import Library
    from roleplay.scenario.problems import sort_key

    paths = list(args.paths)
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}")
    unreadable = [p for p in paths if not os.access(p, os.R_OK | (os.X_OK if Path(p).is_dir() else 0))]
    if unreadable:
        raise UserError(f"cannot read: {', '.join(unreadable)} (permission denied)")
    if paths:
        # Files named on the command line may use the library's product sheets; the library's
        # scenarios are not checked again (that is `roleplay validate` without PATH).
        library = Library.from_paths(paths, base=load_library(args, products_only=True))
    else:
        library = load_library(args)
    # Within a file, in editor order; files in the order they were read.
    order = {path: i for i, path in enumerate(library.files)}
    problems = sorted(library.problems, key=lambda p: (order.get(p.location.path, -1),) + sort_key(p)[1:])
    if args.json:
        json.dump([p.to_json() for p in problems], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_problems(problems)
    errors, warnings = library.errors, library.warnings
    print(f"{_plural(len(library.files), 'file')} checked: {_plural(errors, 'error')}, "
          f"{_plural(warnings, 'warning')}", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0
