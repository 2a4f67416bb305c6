"""Located problems: what is wrong with a scenario or product file, and where.

Every check of the reader, the loader and the validator reports a ``Problem`` instead of raising,
so that all problems of a file are collected (never only the first) and one broken file never
stops the rest of the library from loading. ``str(problem)`` is the one-line form the command
line prints: ``PATH:LINE:COL: error|warning: message`` (1-based, as editors count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

from roleplay.scenario.model import Location

Severity = Literal["error", "warning"]
"""``error``: the file cannot be used; ``warning``: it can, but something is probably a mistake."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, at a place a trainer can jump to in their editor."""

    location: Location
    """The file, line and column (1-based)."""
    severity: Severity
    """``error`` or ``warning``."""
    message: str
    """What is wrong and, when we can tell, how to fix it. One line."""

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        """True for an error (the file cannot be used)."""
        return self.severity == "error"

    def to_json(self) -> dict[str, object]:
        """The ``--json`` form: path, line, col, severity, message."""
        loc = self.location
        return {"path": loc.path, "line": loc.line, "col": loc.col,
                "severity": self.severity, "message": self.message}


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when at least one of ``problems`` is an error."""
    return any(p.severity == "error" for p in problems)


def sort_key(problem: Problem) -> tuple[str, int, int, int, str]:
    """Order problems as an editor would list them: by file, line, column, errors first."""
    loc = problem.location
    return (loc.path, loc.line, loc.col, 0 if problem.severity == "error" else 1, problem.message)


@dataclass(slots=True)
class Report:
    """Collects the problems of one file while it is read (mutable on purpose: it is a sink)."""

    path: str
    """The file being read, as it will be printed."""
    problems: list[Problem] = field(default_factory=list)
    """Problems found so far, in the order found."""
    errors: int = 0
    """How many of them are errors."""

    def at(self, line: int, col: int) -> Location:
        """A location in this file (1-based)."""
        return Location(self.path, line, col)

    def add(self, location: Location, severity: Severity, message: str) -> None:
        """Record a problem."""
        self.problems.append(Problem(location, severity, message))
        if severity == "error":
            self.errors += 1

    def error(self, location: Location, message: str) -> None:
        """Record an error."""
        self.add(location, "error", message)

    def warning(self, location: Location, message: str) -> None:
        """Record a warning."""
        self.add(location, "warning", message)
