"""``roleplay test [PATH ...]``: replay the golden transcripts written in scenario files.

No PATH: the built-in library, the user's folder and ``--scenarios`` / ``ROLEPLAY_SCENARIOS``.
One line per transcript (``PASS scenario-id: name`` or ``FAIL scenario-id: name: reason``), then
the failures turn by turn, then ``N passed, M failed``. A scenario file that cannot be loaded
counts as one failure (its problems go to stderr). Exit 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from roleplay.cli.common import UserError, load_library, one_line, print_problems

HELP = "replay the golden transcripts written in scenario files; ends with 'N passed, M failed'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``PATH ...``."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders (default: the library)")


def run(args: argparse.Namespace) -> int:
    """Replay every transcript and report."""
    from roleplay.engine import ScenarioError, ScenarioRuntime
    from roleplay.engine.golden import GoldenOutcome, details, replay
    from roleplay.scenario.library import Library

    paths = list(args.paths)
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}")
    library = Library.from_paths(paths, base=load_library(args)) if paths else load_library(args)

    lines: list[str] = []
    records: list[dict] = []
    failed_runs: list[GoldenOutcome] = []
    passed = failed = 0
    broken = sorted({p.location.path for p in library.problems if p.is_error})
    if broken:
        print_problems([p for p in library.problems if p.is_error])
    for path in broken:
        failed += 1
        lines.append(f"FAIL {path}: the file has errors; `roleplay validate {path}` lists them")
        records.append({"scenario": None, "file": path, "name": None, "passed": False,
                        "reasons": ["the file has errors"]})
    for scenario in library.scenarios.values():
        if not scenario.tests:
            continue
        try:
            runtime = ScenarioRuntime(scenario)
        except ScenarioError as exc:
            for test in scenario.tests:
                failed += 1
                lines.append(f"FAIL {scenario.id}: {test.name}: {exc}")
                records.append({"scenario": scenario.id, "file": scenario.source, "name": test.name, "passed": False,
                                "reasons": [str(exc)]})
            continue
        for test in scenario.tests:
            outcome = replay(runtime, test)
            if outcome.ok:
                passed += 1
                lines.append(f"PASS {scenario.id}: {test.name}")
            else:
                failed += 1
                failed_runs.append(outcome)
                lines.append(f"FAIL {scenario.id}: {test.name}: {'; '.join(outcome.failures)}")
            records.append({"scenario": scenario.id, "file": scenario.source, "name": test.name, "passed": outcome.ok,
                            "reasons": list(outcome.failures),
                            "score": outcome.result.score if outcome.result else None,
                            "outcome": outcome.result.outcome if outcome.result else None})
    summary = f"{passed} passed, {failed} failed"
    if args.json:
        sys.stdout.write(json.dumps({"passed": passed, "failed": failed, "results": records}, ensure_ascii=False)
                         + "\n")
        print(summary, file=sys.stderr)
    else:
        out = list(lines)
        if failed_runs:
            out.append("")
            for outcome in failed_runs:
                out.extend(details(outcome))
                out.append("")
        out.append(summary)
        # Test names and trainee lines come from the files: one line each, no terminal escapes.
        sys.stdout.write("\n".join(one_line(line) for line in out) + "\n")
    return 1 if failed else 0
