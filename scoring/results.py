"""What the scorer returns: evidence spans, per-check results and the session grade.

Every result is a frozen dataclass so a grade can be compared, hashed and cached; grading the
same answer twice gives equal objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the trainee's own words that decided a check."""

    start: int
    """Offset of the first character in the trainee's original answer (0-based)."""
    end: int
    """Offset just past the last character (``answer[start:end] == text``)."""
    text: str
    """The trainee's words, exactly as typed."""
    turn: int | None = None
    """For a session-level result: the 0-based turn the span comes from (None for one answer)."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check judged on one answer (or on a whole session)."""

    id: str
    """The check id from the catalogue, e.g. ``fab.benefit``."""
    passed: bool
    """True when the trainee did the right thing (for a guard: did not do the wrong thing)."""
    evidence: Evidence | None = None
    """The words that decided it; None when nothing in the answer did (see ``note``)."""
    note: str = ""
    """Why the check came out as it did, when no span says it (e.g. "no benefit for the customer")."""
    feedback: str = ""
    """What to tell the trainee, in the answer's language: why it passed, or what a better answer does."""
    source: str = ""
    """What decided it: ``rule`` (a pattern or a product fact), ``model`` (the learned model),
    ``none`` (nothing found), ``session`` (combined over turns)."""

    def to_json(self) -> dict[str, Any]:
        """The contract's form: ``{"id", "passed", "evidence"}`` with the span's text or null."""
        return {"id": self.id, "passed": self.passed, "evidence": self.evidence.text if self.evidence else None}


@dataclass(frozen=True, slots=True)
class SessionGrade:
    """A whole conversation (or one graded answer) summed up."""

    score: int
    """0-100: weighted share of the applicable checks passed, minus the hint penalty."""
    passed: bool
    """True when ``score >= pass_mark`` and no blocker check failed."""
    checks: tuple[CheckResult, ...]
    """One result per applicable check, in catalogue order, judged over the whole conversation."""
    blocked_by: tuple[str, ...] = ()
    """The blocker checks that failed (the session fails whatever the score)."""
    hint_penalty: int = 0
    """Points taken off for hints used (already subtracted from ``score``)."""

    def check(self, check_id: str) -> CheckResult | None:
        """The session result of one check, or None when it did not apply."""
        for result in self.checks:
            if result.id == check_id:
                return result
        return None
