"""Every drill in the practice record, summed up for ``roleplay drill list``.

A drill is **open** while new trainees may join: the trainer has not closed it (``roleplay drill
close``) and its join window, if it has one, has not passed. Trainees are counted as the board
counts them (``Li`` and ``li`` are one person), and a trainee is **done** when every scenario of
the drill has a score, as on the board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from roleplay.drill.hub import TIME_FORMAT, name_key, utc_now, window_end
from roleplay.drill.model import DrillError, DrillSpec

if TYPE_CHECKING:
    from roleplay.store import Store
    from roleplay.store.records import DrillRecord


@dataclass(frozen=True, slots=True)
class DrillSummary:
    """One drill, as ``roleplay drill list`` shows it."""

    code: str
    """The drill code."""
    title: str
    """What the drill is called."""
    created_at: str
    """UTC ISO-8601 time it was created."""
    closed_at: str | None
    """When the trainer closed it to new trainees (None: not closed by the trainer)."""
    window_ends: str | None
    """When its join window ends or ended (None: no window)."""
    open: bool
    """True while new trainees may join."""
    lang: str | None
    """The language it is played in (None: the stored definition cannot be read)."""
    scenarios: int | None
    """How many scenarios it has (None: the stored definition cannot be read)."""
    trainees: int
    """Trainees who joined."""
    done: int
    """Trainees who played every scenario."""
    problem: str | None = None
    """Why the definition cannot be read, if it cannot (the drill cannot be joined then)."""

    @property
    def status(self) -> str:
        """``open``, ``closed`` (by the trainer), ``ended`` (the join window has passed) or ``damaged``
        (the stored definition cannot be read: nobody can join)."""
        if self.problem is not None:
            return "damaged"
        if self.open:
            return "open"
        return "closed" if self.closed_at is not None else "ended"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "created_at": self.created_at, "status": self.status,
                "open": self.open, "closed_at": self.closed_at, "window_ends": self.window_ends,
                "lang": self.lang, "scenarios": self.scenarios, "trainees": self.trainees, "done": self.done,
                "problem": self.problem}


def summarise(record: "DrillRecord", now: datetime | None = None) -> DrillSummary:
    """One stored drill (with its ``plays``) summed up at ``now`` (default: the current time)."""
    spec: DrillSpec | None = None
    problem = None
    try:
        if record.definition is None:
            raise DrillError("the stored definition is damaged (not JSON)")
        spec = DrillSpec.from_definition(record.definition)
    except DrillError as exc:
        problem = str(exc)
    players = {name_key(p.trainee) for p in record.plays}
    done = 0
    if spec is not None and spec.steps:
        steps = {step.key for step in spec.steps}
        scored: dict[str, set[tuple[str, str | None]]] = {}
        for p in record.plays:
            if p.scored:
                scored.setdefault(name_key(p.trainee), set()).add((p.scenario_id, p.from_state))
        done = sum(1 for keys in scored.values() if steps <= keys)
    ends = window_end(spec, record.created_at) if spec is not None else None
    is_open = (record.closed_at is None and spec is not None
               and (ends is None or (now or utc_now()) < ends))
    return DrillSummary(
        code=record.code, title=record.title, created_at=record.created_at, closed_at=record.closed_at,
        window_ends=ends.strftime(TIME_FORMAT) if ends is not None else None, open=is_open,
        lang=spec.lang if spec is not None else None, scenarios=len(spec.steps) if spec is not None else None,
        trainees=len(players), done=done, problem=problem)


def list_drills(store: "Store", now: datetime | None = None) -> list[DrillSummary]:
    """Every drill in ``store``, newest first.

    Raises:
        StoreError: The store cannot be read.
    """
    return [summarise(record, now) for record in store.drills()]
