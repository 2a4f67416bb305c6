"""What a drill is: the scenarios a team plays in order, under the same rules for everyone.

A ``DrillSpec`` is read from a drill file (``roleplay.drill.loader``) and kept in the practice
record as JSON (``to_definition``) under a short code. Each step remembers the scenario file's
content hash, so every result says which version of the scenario was played, and a trainee can
never join with a scenario that changed after the drill was created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

DEFINITION_FORMAT = "roleplay-drill"
"""The ``format`` key of a stored definition."""

DEFINITION_VERSION = 1
"""Bumped when the stored definition's shape changes."""

MAX_NAME_CHARS = 40
"""The longest trainee name a drill accepts (it must fit a board column)."""


class DrillError(Exception):
    """A drill problem the user can act on; the message is one line, fit to print."""


class NameTaken(DrillError):
    """The trainee name is already on the drill's board (``--resume`` continues as that person)."""


class DrillClosed(DrillError):
    """The drill takes no new trainees: the trainer closed it, or its join window has passed."""


@dataclass(frozen=True, slots=True)
class DrillStep:
    """One scenario of a drill, as it was when the drill was created."""

    scenario_id: str
    """The scenario's id."""
    scenario_hash: str
    """SHA-256 of the scenario file: the version everyone plays."""
    source: str
    """The absolute path the scenario was read from (used when it is not in the library)."""
    title: Mapping[str, str]
    """The scenario's title per language (for the board, without loading the scenario)."""
    from_state: str | None = None
    """Start here instead of the scenario's start (drill one moment, e.g. the price objection)."""

    def to_json(self) -> dict[str, Any]:
        return {"scenario": self.scenario_id, "hash": self.scenario_hash, "source": self.source,
                "title": dict(self.title), "from": self.from_state}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "DrillStep":
        return cls(str(data["scenario"]), str(data["hash"]), str(data.get("source") or ""),
                   dict(data.get("title") or {}), data.get("from"))

    @property
    def key(self) -> tuple[str, str | None]:
        """What identifies the step among a trainee's sessions: the scenario and the start."""
        return (self.scenario_id, self.from_state)


@dataclass(frozen=True, slots=True)
class DrillSpec:
    """A drill: the same scenarios, language, seed and rules for every trainee."""

    title: str
    """What the drill is called on the board and in reports."""
    lang: str
    """The language every scenario is played in (``zh`` or ``en``)."""
    steps: tuple[DrillStep, ...]
    """The scenarios, in the order they are played."""
    seed: int = 0
    """The random seed: everyone meets the same customer lines."""
    time_limit: int | None = None
    """Seconds per answer in the app (None: no limit). Scripted input is not timed."""
    pass_mark: int | None = None
    """The score needed to pass each scenario (None: each scenario's own pass mark)."""
    hints: bool = True
    """Whether trainees may ask for hints (a hint costs points either way)."""
    join_window: int | None = None
    """Minutes after creation during which new trainees may join (None: always open)."""
    source: str = ""
    """The drill file it was read from."""
    content_hash: str = ""
    """SHA-256 of the drill file."""

    def to_definition(self) -> dict[str, Any]:
        """The JSON kept in the practice record."""
        return {
            "format": DEFINITION_FORMAT, "version": DEFINITION_VERSION, "title": self.title,
            "lang": self.lang, "seed": self.seed, "time_limit": self.time_limit, "pass_mark": self.pass_mark,
            "hints": self.hints, "join_window": self.join_window, "source": self.source,
            "hash": self.content_hash, "scenarios": [s.to_json() for s in self.steps],
        }

    @classmethod
    def from_definition(cls, data: Mapping[str, Any]) -> "DrillSpec":
        """Read a stored definition.

        Raises:
            DrillError: Not a drill definition, or one written by a newer roleplay.
        """
        if not isinstance(data, Mapping) or data.get("format") != DEFINITION_FORMAT:
            raise DrillError("the stored drill is not a roleplay drill definition")
        if int(data.get("version") or 0) > DEFINITION_VERSION:
            raise DrillError("the drill was created by a newer roleplay; upgrade roleplay to join it")
        try:
            return cls(
                title=str(data["title"]), lang=str(data["lang"]),
                steps=tuple(DrillStep.from_json(s) for s in data["scenarios"]),
                seed=int(data.get("seed") or 0), time_limit=data.get("time_limit"),
                pass_mark=data.get("pass_mark"), hints=bool(data.get("hints", True)),
                join_window=data.get("join_window"), source=str(data.get("source") or ""),
                content_hash=str(data.get("hash") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DrillError(f"the stored drill definition is damaged ({type(exc).__name__}: {exc})") from None


@dataclass(frozen=True, slots=True)
class StoredDrill:
    """A drill as kept in the practice record."""

    code: str
    """Its short code."""
    spec: DrillSpec
    """What it is."""
    created_at: str
    """UTC ISO-8601 time it was created."""
    closed_at: str | None = None
    """UTC ISO-8601 time the trainer closed it to new trainees (None: not closed), as last read."""
