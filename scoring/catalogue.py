"""The catalogue of rubrics and checks, read from ``data/checks.yaml`` (package data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Literal, Mapping

import yaml


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One check of the catalogue."""

    id: str
    """Stable id, e.g. ``fab.benefit`` (a public contract)."""
    rubric: str
    """The rubric it belongs to, e.g. ``fab``."""
    kind: Literal["does", "avoids"]
    """``does``: passes when the trainee did it; ``avoids``: passes unless they did the wrong thing."""
    scope: Literal["turn", "session"]
    """Judged per answer, or over the whole conversation."""
    describes: Mapping[str, str]
    """What it looks for, per language."""
    weight: float = 1.0
    """Its share of the session score (``scoring.session``)."""
    feedback: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """``pass`` and ``miss`` texts per language: what the trainee reads after the check."""

    def feedback_for(self, passed: bool, lang: str) -> str:
        """The feedback text for a result in ``lang`` (``zh-Hant`` reads ``zh``; falls back to ``en``)."""
        texts = self.feedback.get("pass" if passed else "miss") or {}
        key = "zh" if lang.lower().startswith("zh") else "en"
        return texts.get(key) or texts.get("en") or ""


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All rubrics and their checks."""

    rubrics: Mapping[str, tuple[str, ...]]
    """Rubric id -> its check ids, in catalogue order."""
    titles: Mapping[str, Mapping[str, str]]
    """Rubric id -> title per language."""
    checks: Mapping[str, CheckSpec]
    """Check id -> spec."""
    hint_penalty: int = 5
    """Points taken off a session score per hint used."""
    default_pass_mark: int = 60
    """The pass mark when a scenario sets none."""

    def expand(self, names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Turn a state's ``rubrics:`` list (rubric ids or check ids) into check ids, in order."""
        out: list[str] = []
        for name in names:
            for check_id in self.rubrics.get(name, (name,) if name in self.checks else ()):
                if check_id not in out:
                    out.append(check_id)
        return tuple(out)

    def is_known(self, name: str) -> bool:
        """True for a rubric id or a check id."""
        return name in self.rubrics or name in self.checks


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """Read the shipped catalogue once."""
    # libyaml's loader when present: the catalogue is read on the way to the app's first screen.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(resources.files("scoring").joinpath("data/checks.yaml").read_text("utf-8"), Loader=loader)
    rubrics: dict[str, tuple[str, ...]] = {}
    titles: dict[str, Mapping[str, str]] = {}
    checks: dict[str, CheckSpec] = {}
    for rubric_id, rubric in raw["rubrics"].items():
        titles[rubric_id] = rubric["title"]
        rubrics[rubric_id] = tuple(rubric["checks"])
        for check_id, spec in rubric["checks"].items():
            checks[check_id] = CheckSpec(check_id, rubric_id, spec["kind"], spec["scope"], spec["describes"],
                                         float(spec.get("weight", 1.0)), spec.get("feedback") or {})
    settings = raw.get("scoring") or {}
    return Catalogue(rubrics, titles, checks, int(settings.get("hint_penalty", 5)),
                     int(settings.get("pass_mark", 60)))
