"""``roleplay history``: past sessions from the practice record."""

from __future__ import annotations

import argparse
import json

from roleplay.cli.common import UserError, db_path, one_line, pad, whole_number

HELP = "past sessions from the practice record"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trainee", help="only this trainee's sessions")
    parser.add_argument("--scenario", dest="scenario_id", metavar="ID", help="only this scenario's sessions")
    parser.add_argument("--limit", type=whole_number(), metavar="N", default=None,
                        help="at most this many sessions (newest first)")
    parser.add_argument("--full", action="store_true", help="with --json: include turns and checks")


def run(args: argparse.Namespace) -> int:
    from roleplay.store import Store, StoreError

    try:
        with Store.open(db_path(args), readonly=True) as store:
            records = store.sessions(trainee=args.trainee, scenario_id=args.scenario_id, limit=args.limit,
                                     full=args.full)
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print(json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2))
        return 0
    if not records:
        print("No sessions yet.")
        return 0
    print(f"{'id':>5}  {'started (UTC)':<20}  {'trainee':<12}  {'scenario':<28}  lang  {'outcome':<10}  score")
    for r in records:
        score = "" if r.score is None else f"{r.score:>3}{' pass' if r.passed else ' fail'}"
        # Names are typed by trainees: no newline or escape sequence may break the table.
        trainee, scenario = pad(one_line(r.trainee), 12), pad(one_line(r.scenario_id), 28)
        print(f"{r.id:>5}  {r.started_at:<20}  {trainee}  {scenario}  {one_line(r.lang):<4}  "
              f"{r.outcome:<10}  {score}".rstrip())
    return 0
