"""``roleplay export --format csv|json [-o FILE]``: the practice record for spreadsheets and scripts."""

from __future__ import annotations

import argparse
import sys

from roleplay.cli.common import UserError, db_path, emit

HELP = "the practice record's sessions and turns as CSV or JSON"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("csv", "json"), required=True,
                        help="csv for spreadsheets, json for scripts")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    parser.add_argument("--trainee", help="only this trainee's sessions")


def run(args: argparse.Namespace) -> int:
    from roleplay.store import Store, StoreError
    from roleplay.store.export import to_csv, to_json

    try:
        with Store.open(db_path(args), readonly=True) as store:
            records = list(reversed(store.sessions(trainee=args.trainee, full=True)))
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    text = to_csv(records) if args.format == "csv" else to_json(records)
    # The BOM that spreadsheets want is noise on a terminal.
    if emit(text, args.output, for_terminal=(lambda t: t.lstrip("\ufeff")) if args.format == "csv" else None):
        print(f"{len(records)} session{'' if len(records) == 1 else 's'} written to {args.output}", file=sys.stderr)
    return 0
