"""``roleplay list [--json]``: every scenario found, with its titles, tags, difficulty, languages, file.

Broken files do not hide the good ones: their problems go to stderr, one located line each, and
every scenario that loaded is listed.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata

from roleplay.cli.common import load_library, one_line, print_problems

HELP = "list every scenario found: id, titles, tags, difficulty, languages, source file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options beyond the common ones (``--json``, ``--lang``, ``--scenarios``)."""


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    return text + " " * max(0, columns - width(text))


def rows(library) -> list[dict[str, object]]:  # library: Library
    """One JSON-ready object per scenario (the ``--json`` output)."""
    out = []
    for scenario in library.scenarios.values():
        out.append({
            "id": scenario.id,
            "title": dict(scenario.title),
            "tags": list(scenario.tags),
            "difficulty": scenario.difficulty,
            "languages": list(scenario.languages),
            "source": scenario.source,
        })
    return out


def run(args: argparse.Namespace) -> int:
    """Print the scenarios (table or JSON on stdout) and any file problems (stderr)."""
    from roleplay.scenario.reader import display_path

    library = load_library(args)
    print_problems(library.problems)
    data = rows(library)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not data:
        where = ", ".join(str(f) for f in library.folders) or "no folder"
        print(f"no scenarios found (searched: {one_line(where)})", file=sys.stderr)
        return 0
    header = ("ID", "DIFFICULTY", "LANGS", "TITLE", "TAGS", "FILE")
    table = []
    for row in data:
        titles = row["title"]
        assert isinstance(titles, dict)
        if args.lang and args.lang in titles:
            title = titles[args.lang]
        else:
            title = " / ".join(titles[k] for k in row["languages"] if k in titles)  # type: ignore[union-attr]
        cells = (str(row["id"]), str(row["difficulty"]), ",".join(row["languages"]),  # type: ignore[arg-type]
                 title, ", ".join(row["tags"]), display_path(str(row["source"])))  # type: ignore[arg-type]
        # A title is the author's text: an escape sequence in it must not repaint the terminal.
        table.append(tuple(one_line(cell) for cell in cells))
    widths = [max(width(r[i]) for r in (header, *table)) for i in range(len(header))]
    for r in (header, *table):
        print("  ".join(pad(cell, widths[i]) for i, cell in enumerate(r)).rstrip())
    return 0
