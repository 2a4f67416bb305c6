"""The keys of the scenario language, version 1: which object may hold which key.

The loader refuses any other key (with a "did you mean"), the JSON Schemas in
``roleplay/schemas/`` list the same keys (a test keeps the two in sync), and the authoring guide
documents each of them. Per-language keys (``zh``, ``en``) are not listed here: they are
whatever ``roleplay.scenario.model.LANGS`` holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.scenario.vocabulary import EFFECTS

VERSION = 1
"""The only version of the language so far (``version: 1`` is required in every file)."""


@dataclass(frozen=True, slots=True)
class Keys:
    """The keys one kind of YAML mapping accepts."""

    required: tuple[str, ...]
    """Keys that must be present."""
    optional: tuple[str, ...] = ()
    """Keys that may be present."""
    per_language: bool = False
    """True when the mapping may also hold one key per language (``zh``, ``en``)."""

    @property
    def all(self) -> tuple[str, ...]:
        """Every key, required first."""
        return self.required + self.optional


OBJECTS: dict[str, Keys] = {
    "scenario": Keys(
        required=("version", "id", "languages", "title", "summary", "persona", "start", "states"),
        optional=("tags", "difficulty", "product", "pass_mark", "blockers", "walk_away", "reactions",
                  "matching", "tests"),
    ),
    "persona": Keys(required=("name", "role"), optional=("temperament", "patience", "interest")),
    "reaction": Keys(required=("check", "passed", "effects")),
    "matching": Keys(required=(), optional=("threshold", "hint_threshold")),
    "state": Keys(required=("customer",),
                  optional=("rubrics", "model_answer", "expect", "otherwise", "end", "arrive_with")),
    "arrive_with": Keys(required=(), optional=("patience", "interest")),
    "intent": Keys(required=("intent", "say"), optional=("keys", "when", "effects", "reply", "then", "threshold")),
    "otherwise": Keys(required=(), optional=("customer", "effects", "then")),
    "effects": Keys(required=(), optional=tuple(EFFECTS)),
    "test": Keys(required=("name", "lang", "say", "expect"), optional=("seed", "from")),
    "test_expect": Keys(required=(), optional=("end", "outcome", "path", "score", "passed", "failed")),
    "product": Keys(
        required=("version", "id", "name", "features", "advantages", "benefits"),
        optional=("price", "competitors", "support"),
    ),
    "fact": Keys(required=("id",), optional=("from",), per_language=True),
    "support": Keys(required=("team",), optional=("hotline",)),
}
"""Every kind of mapping in a scenario or product file and its keys.

``when`` (conditions) is not listed: its keys are the vocabulary's condition names
(``roleplay.scenario.vocabulary.CONDITIONS``); ``effects`` holds the vocabulary's effect names.
"""
