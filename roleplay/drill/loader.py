"""Drill files -> ``DrillSpec``, with every problem located (``PATH:LINE:COL: error: ...``).

A drill file is read by the same layered reader and typed field readers as scenario files
(``roleplay.scenario.reader`` and ``fields``): the same size cap, UTF-8 check, refusal of
anchors and tags, "did you mean" for unknown keys, and text that YAML 1.1 would misread. All
problems of the file are collected; the spec is returned only when there is no error.

A drill file::

    version: 1
    title: Out-of-scope requests, week 3
    language: zh
    seed: 7
    scenarios:
      - printer-out-of-scope                 # a scenario id from the library
      - ../my-scenarios/clinic.yaml          # or a path, relative to this file
      - {scenario: fresh-milk-price, from: brand_pull}   # start at one moment
    time_limit: 90        # seconds per answer in the app (optional)
    pass_mark: 70         # overrides each scenario's own (optional)
    hints: false          # optional, default true
    join_window: 30       # minutes during which new trainees may join (optional)
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import yaml

from roleplay.drill.model import DrillSpec, DrillStep
from roleplay.scenario.fields import Fields, did_you_mean
from roleplay.scenario.language import Keys
from roleplay.scenario.library import YAML_SUFFIXES, Library
from roleplay.scenario.model import LANGS, Scenario
from roleplay.scenario.problems import Problem, Report
from roleplay.scenario.reader import Document, parse, read_document

VERSION = 1
"""The only version of the drill file so far."""

DRILL_KEYS = Keys(
    required=("version", "title", "language", "scenarios"),
    optional=("seed", "time_limit", "pass_mark", "hints", "join_window"),
)
"""The top-level keys of a drill file (the JSON Schema lists the same; a test keeps them in sync)."""

STEP_KEYS = Keys(required=("scenario",), optional=("from",))
"""The keys of a scenario written as a mapping in ``scenarios``."""

LIMITS: dict[str, tuple[int, int]] = {
    "seed": (0, 2**31 - 1),
    "time_limit": (10, 3600),
    "pass_mark": (0, 100),
    "join_window": (1, 7 * 24 * 60),
}
"""The range of each whole-number key (``time_limit`` in seconds, ``join_window`` in minutes)."""

_SCENARIO_ONLY_KEYS = frozenset({"id", "states", "persona", "start", "languages"})


def load_drill(path: str | os.PathLike[str], library: Library, *,
               display: str | None = None) -> tuple[DrillSpec | None, list[Problem]]:
    """Read and check a drill file; its scenarios are looked up in ``library`` or by path.

    Args:
        path: The drill file.
        library: The scenario library (ids); paths in the file are relative to the file.
        display: How the path is printed in problems (default: as given).

    Returns:
        The spec (None when there is an error) and every problem found.
    """
    report = Report(display or str(path))
    doc = read_document(path, report)
    spec = _read(doc, report, library, Path(path).absolute().parent, str(Path(path).absolute()))
    return (spec if report.errors == 0 else None), report.problems


def parse_drill(data: bytes, path: str, library: Library, *,
                base_dir: str | os.PathLike[str] = ".") -> tuple[DrillSpec | None, list[Problem]]:
    """Like ``load_drill`` on bytes already read; ``path`` is only used in messages."""
    report = Report(path)
    spec = _read(parse(data, path, report), report, library, Path(base_dir).absolute(), path)
    return (spec if report.errors == 0 else None), report.problems


def _read(doc: Document, report: Report, library: Library, base_dir: Path, source: str) -> DrillSpec | None:
    if doc.root is None:
        return None
    f = Fields(report, langs=LANGS, shared=doc.shared_nodes)
    if isinstance(doc.root, yaml.MappingNode):
        keys = {k.value for k, _ in doc.root.value if isinstance(k, yaml.ScalarNode)}
        if len(keys & _SCENARIO_ONLY_KEYS) >= 2:
            f.error(doc.root, "this looks like a scenario file, not a drill file (a drill lists scenarios "
                              "under 'scenarios:'; see docs/drills.md)")
            return None
    top = f.mapping(doc.root, "the drill file", DRILL_KEYS)
    if top is None:
        return None
    if "version" in top:
        node = top["version"][1]
        version = f.integer(node, "version")
        if version is not None and version != VERSION:
            f.error(node, f"version {version} is not supported; this roleplay reads drill files of version {VERSION}")
    title = f.text(top["title"][1], "the title") if "title" in top else None
    if title is not None and "\n" in title.strip():
        f.error(top["title"][1], "the title should be one line")
        title = None
    elif title is not None and any(unicodedata.category(ch) in ("Cc", "Cf") for ch in title):
        f.error(top["title"][1], "the title cannot hold control characters (an escape such as \\e or \\x1b in "
                                 "double quotes makes one)")
        title = None
    lang = f.choice(top["language"][1], "language", LANGS) if "language" in top else None
    numbers: dict[str, int | None] = {}
    for key, (low, high) in LIMITS.items():
        numbers[key] = f.integer(top[key][1], key, low, high) if key in top else None
    hints = f.boolean(top["hints"][1], "hints") if "hints" in top else True
    steps = _read_steps(f, top["scenarios"][1], library, base_dir, lang) if "scenarios" in top else ()
    if report.errors or title is None or lang is None or hints is None:
        return None
    return DrillSpec(
        title=title.strip(), lang=lang, steps=steps, seed=numbers["seed"] or 0, time_limit=numbers["time_limit"],
        pass_mark=numbers["pass_mark"], hints=hints, join_window=numbers["join_window"], source=source,
        content_hash=doc.content_hash,
    )


def _read_steps(f: Fields, node: yaml.Node, library: Library, base_dir: Path,
                lang: str | None) -> tuple[DrillStep, ...]:
    items = f.sequence(node, "scenarios", allow_scalar=True)
    if items is None:
        return ()
    if not items:
        f.error(node, "scenarios is an empty list: list at least one scenario id or file")
        return ()
    steps: list[DrillStep] = []
    seen: dict[tuple[str, str | None], int] = {}
    for item in items:
        ref_node, from_node = item, None
        if isinstance(item, yaml.MappingNode):
            fields = f.mapping(item, "a scenario of the drill", STEP_KEYS)
            if fields is None or "scenario" not in fields:
                continue
            ref_node = fields["scenario"][1]
            from_node = fields["from"][1] if "from" in fields else None
        ref = f.text(ref_node, "a scenario of the drill")
        from_state = f.ident(from_node, "from") if from_node is not None else None
        if ref is None or (from_node is not None and from_state is None):
            continue
        scenario = _resolve(f, ref_node, ref.strip(), library, base_dir)
        if scenario is None:
            continue
        if lang is not None and lang not in scenario.languages:
            f.error(ref_node, f"the scenario '{scenario.id}' is not written in {lang} "
                              f"(its languages: {', '.join(scenario.languages)})")
            continue
        if from_state is not None and from_node is not None:
            if from_state not in scenario.states:
                f.error(from_node, f"the scenario '{scenario.id}' has no state '{from_state}'"
                                   f"{did_you_mean(from_state, scenario.states)}")
                continue
            if scenario.states[from_state].is_end:
                f.error(from_node, f"'{from_state}' is an end state of '{scenario.id}': there is nothing to answer")
                continue
        key = (scenario.id, from_state)
        if key in seen:
            f.error(ref_node, f"the scenario '{scenario.id}'{' from ' + from_state if from_state else ''} is "
                              f"listed twice (first at line {seen[key]}); each trainee plays a step once")
            continue
        seen[key] = ref_node.start_mark.line + 1
        steps.append(DrillStep(scenario.id, scenario.content_hash, scenario.source or "", dict(scenario.title),
                               from_state))
    return tuple(steps)


def _resolve(f: Fields, node: yaml.Node, ref: str, library: Library, base_dir: Path) -> Scenario | None:
    """The scenario ``ref`` names: a library id, or a file path relative to the drill file."""
    if ref in library.scenarios:
        return library.scenarios[ref]
    path = Path(ref).expanduser()
    looks_like_path = path.suffix in YAML_SUFFIXES or "/" in ref or os.sep in ref
    target = ref
    if looks_like_path:
        target = os.path.normpath(path if path.is_absolute() else base_dir / path)
        if not Path(target).is_file():
            f.error(node, f"no such scenario file: {ref} (paths are relative to the drill file)")
            return None
    try:
        return library.resolve(target)
    except LookupError as exc:
        f.error(node, str(exc.args[0] if exc.args else exc))
        return None
