"""``roleplay rubrics [--json]``: the catalogue of checks, from ``scoring/data/checks.yaml``.

For every check: its id, its rubric, what it looks for (zh and en), its kind (``does``: passes
when the trainee did it; ``avoids``: passes unless they did the wrong thing), its scope (``turn``
or ``session``) and its weight in the session score. ``--lang`` shows one language only.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata

HELP = "the catalogue of checks: id, rubric, what it looks for (zh and en), kind, scope, weight"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options beyond the common ones (``--json``, ``--lang``)."""


def rows() -> list[dict[str, object]]:
    """One JSON-ready object per check, in catalogue order."""
    from scoring.catalogue import load_catalogue

    cat = load_catalogue()
    out = []
    for rubric, check_ids in cat.rubrics.items():
        for check_id in check_ids:
            spec = cat.checks[check_id]
            weight = int(spec.weight) if float(spec.weight).is_integer() else spec.weight
            out.append({"id": check_id, "rubric": rubric, "rubric_title": dict(cat.titles[rubric]),
                        "describes": dict(spec.describes), "kind": spec.kind, "scope": spec.scope,
                        "weight": weight})
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def run(args: argparse.Namespace) -> int:
    """Print the catalogue as a table, or as JSON with ``--json``."""
    from scoring.catalogue import load_catalogue

    data = rows()
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    cat = load_catalogue()
    langs = (args.lang,) if args.lang else ("zh", "en")
    id_width = max(len(r["id"]) for r in data)  # type: ignore[arg-type]
    current = None
    for row in data:
        if row["rubric"] != current:
            current = row["rubric"]
            title = " / ".join(cat.titles[current][la] for la in langs)  # type: ignore[index]
            print(f"\n{current}: {title}" if current != data[0]["rubric"] else f"{current}: {title}")
        kind = f"{row['kind']}/{row['scope']} w{row['weight']}"
        text = " | ".join(row["describes"][la] for la in langs)  # type: ignore[index]
        print(f"  {str(row['id']):<{id_width}}  {kind:<16}  {text}")
    print("\nkind: does = passes when the trainee did it; avoids = passes unless they did the wrong thing."
          "\nscope: turn = judged on each answer; session = over the whole conversation. w = weight in the score.")
    return 0
