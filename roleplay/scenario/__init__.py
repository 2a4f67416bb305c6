"""Scenario files: the trainers' language, read into a validated model (no UI imports here)."""

from roleplay.scenario.model import (
    LANGS,
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

__all__ = [
    "LANGS", "Condition", "Effects", "Fact", "Fallback", "GoldenExpect", "GoldenTest", "Intent",
    "Location", "Matching", "Persona", "Product", "Reaction", "Scenario", "ScoreRange", "State",
    "Support",
]
