"""Scenario files: the trainers' language, read into a validated model (no UI imports here)."""

from roleplay.scenario.model import (
    LANGS,
    ArriveWith,
    Condition,
    Effects,
    Fact,
    Fallback,
    GoldenExpect,
    GoldenTest,
    Intent,
    Location,
    Matching,
    Persona,
    Product,
    Reaction,
    Scenario,
    ScoreRange,
    State,
    Support,
)

_LAZY = {
    "Library": "roleplay.scenario.library",
    "ScenarioNotFound": "roleplay.scenario.library",
    "Problem": "roleplay.scenario.problems",
    "load_scenario": "roleplay.scenario.loader",
    "load_product": "roleplay.scenario.loader",
}
"""Re-exported on first use, so importing the model alone stays cheap."""


def __getattr__(name: str):  # PEP 562: lazy re-exports
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'roleplay.scenario' has no attribute {name!r}")


__all__ = [
    "Library", "ScenarioNotFound", "Problem", "load_scenario", "load_product",
    "LANGS", "ArriveWith", "Condition", "Effects", "Fact", "Fallback", "GoldenExpect", "GoldenTest", "Intent",
    "Location", "Matching", "Persona", "Product", "Reaction", "Scenario", "ScoreRange", "State",
    "Support",
]
