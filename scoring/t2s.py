"""Builds ``data/t2s.json``: the one-character Traditional -> Simplified table taken from ``zhconv``.

The scorer folds Traditional Chinese character by character so that every offset in the folded
text is an offset in the trainee's original answer (evidence spans must point at their own
words). ``zhconv``'s ``zh-cn`` dictionary is the source; only its one-to-one character entries are
kept. Shipping the table as data makes the scorer load in milliseconds instead of the ~0.2 s
``zhconv`` takes to read its dictionary. A test checks the shipped table still equals this build.

Regenerate with ``python -m scoring.t2s``.
"""

from __future__ import annotations

import json
from pathlib import Path

TABLE_PATH = Path(__file__).parent / "data" / "t2s.json"


def build_table() -> dict[str, str]:
    """The one-character entries of ``zhconv``'s ``zh-cn`` dictionary, sorted by key."""
    from zhconv import zhconv  # only the build needs it; the scorer reads the shipped table

    entries = zhconv.getdict("zh-cn")
    return {k: v for k, v in sorted(entries.items()) if len(k) == 1 and len(v) == 1 and k != v}


def main() -> None:
    """Write the table as two aligned strings (compact, and quick to turn into a translate table)."""
    table = build_table()
    TABLE_PATH.write_text(
        json.dumps({"source": "zhconv zh-cn, one-character entries", "trad": "".join(table),
                    "simp": "".join(table.values())}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {len(table)} entries to {TABLE_PATH}")


if __name__ == "__main__":
    main()
