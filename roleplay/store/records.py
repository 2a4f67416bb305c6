"""What the practice record keeps: plain frozen dataclasses, independent of the engine.

The engine's turns and the scorer's results are converted into these records by the caller
(the CLI or the TUI), so the store never imports the engine and old records stay readable when
the engine changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SessionOutcome = Literal["unfinished", "success", "failure"]
"""``unfinished`` until the session reaches an end state (or is killed before it does)."""


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One check result, for a turn or for the whole session."""

    id: str
    """The check id, e.g. ``fab.benefit``."""
    passed: bool
    """True when the trainee did the right thing."""
    evidence: str | None = None
    """The trainee's words that decided it, if any."""
    start: int | None = None
    """Offset of the evidence in the trainee's line (characters)."""
    end: int | None = None
    """End offset of the evidence (exclusive)."""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "passed": self.passed, "evidence": self.evidence, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CheckRecord":
        return cls(str(data["id"]), bool(data["passed"]), data.get("evidence"), data.get("start"), data.get("end"))


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """One answered turn."""

    index: int
    """0-based position in the session."""
    state: str
    """The state the customer was in when the trainee answered."""
    customer: str
    """What the customer had said."""
    trainee: str
    """What the trainee answered."""
    next_state: str
    """Where the conversation went."""
    intent: str | None = None
    """The intent the answer was understood as (None: nothing matched)."""
    reply: str = ""
    """The customer's immediate reaction, if any."""
    hinted: bool = False
    """The trainee asked for a hint before answering."""
    patience: int | None = None
    """The customer's patience after the answer."""
    interest: int | None = None
    """The customer's interest after the answer."""
    checks: tuple[CheckRecord, ...] = ()
    """The checks judged on this answer."""
    created_at: str = ""
    """UTC ISO-8601 time the answer was recorded (set by the store when empty)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index, "state": self.state, "customer": self.customer, "trainee": self.trainee,
            "intent": self.intent, "next_state": self.next_state, "reply": self.reply, "hinted": self.hinted,
            "patience": self.patience, "interest": self.interest, "created_at": self.created_at,
            "checks": [c.to_json() for c in self.checks],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TurnRecord":
        return cls(
            index=int(data["index"]), state=data["state"], customer=data["customer"], trainee=data["trainee"],
            next_state=data["next_state"], intent=data.get("intent"), reply=data.get("reply") or "",
            hinted=bool(data.get("hinted")), patience=data.get("patience"), interest=data.get("interest"),
            checks=tuple(CheckRecord.from_json(c) for c in data.get("checks", ())),
            created_at=data.get("created_at") or "",
        )


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One practice session, as kept."""

    id: int
    """The store's id for the session."""
    trainee: str
    """Who practised."""
    scenario_id: str
    """Which scenario."""
    scenario_hash: str
    """SHA-256 of the scenario file: which version of the scenario produced this result."""
    lang: str
    """The language played."""
    seed: int
    """The seed: with the same trainee lines it replays the same conversation."""
    started_at: str
    """UTC ISO-8601 start time."""
    outcome: SessionOutcome = "unfinished"
    """``success``, ``failure`` or ``unfinished``."""
    ended_at: str | None = None
    """UTC ISO-8601 end time (None while unfinished)."""
    score: int | None = None
    """0-100 once finished."""
    passed: bool | None = None
    """Whether the session passed (score over the pass mark and no blocker failed)."""
    hints_used: int = 0
    """How many hints the trainee asked for."""
    from_state: str | None = None
    """The state the session started from, when not the scenario's start."""
    plan: dict[str, Any] | None = None
    """The pre-visit plan (goal, expected questions and answers, materials)."""
    review: str | None = None
    """The post-visit review text."""
    diary: str | None = None
    """The sales-diary entry."""
    drill_code: str | None = None
    """The drill this session belongs to, if any."""
    turns: tuple[TurnRecord, ...] = ()
    """The answered turns, in order (filled by ``Store.session``)."""
    checks: tuple[CheckRecord, ...] = field(default=())
    """Session-level check results (filled by ``Store.session``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "trainee": self.trainee, "scenario_id": self.scenario_id,
            "scenario_hash": self.scenario_hash, "lang": self.lang, "seed": self.seed,
            "started_at": self.started_at, "ended_at": self.ended_at, "outcome": self.outcome,
            "score": self.score, "passed": self.passed, "hints_used": self.hints_used,
            "from_state": self.from_state, "plan": self.plan, "review": self.review, "diary": self.diary,
            "drill_code": self.drill_code,
            "turns": [t.to_json() for t in self.turns], "checks": [c.to_json() for c in self.checks],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SessionRecord":
        return cls(
            id=int(data["id"]), trainee=data["trainee"], scenario_id=data["scenario_id"],
            scenario_hash=data.get("scenario_hash") or "", lang=data["lang"], seed=int(data.get("seed") or 0),
            started_at=data["started_at"], outcome=data.get("outcome") or "unfinished",
            ended_at=data.get("ended_at"), score=data.get("score"), passed=data.get("passed"),
            hints_used=int(data.get("hints_used") or 0), from_state=data.get("from_state"),
            plan=data.get("plan"), review=data.get("review"), diary=data.get("diary"),
            drill_code=data.get("drill_code"),
            turns=tuple(TurnRecord.from_json(t) for t in data.get("turns", ())),
            checks=tuple(CheckRecord.from_json(c) for c in data.get("checks", ())),
        )


@dataclass(frozen=True, slots=True)
class CheckPoint:
    """A check's result in one finished session, for progress charts."""

    session_id: int
    check_id: str
    passed: bool
    at: str
    """When the session ended (UTC ISO-8601)."""


@dataclass(frozen=True, slots=True)
class CheckRate:
    """How often a check passed over a set of sessions."""

    check_id: str
    passed: int
    total: int

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Standing:
    """One line of a leaderboard."""

    trainee: str
    best_score: int
    sessions: int
    passed: int
    last_at: str


@dataclass(frozen=True, slots=True)
class DrillPlay:
    """One trainee's sessions of one scenario of a drill, summed up (``Store.drills``)."""

    trainee: str
    """The name, as the sessions spell it."""
    scenario_id: str
    """The scenario."""
    from_state: str | None
    """Where the scenario started (a drill may drill one moment of a scenario)."""
    sessions: int
    """Sessions kept (a resumed scenario may leave more than one)."""
    scored: bool
    """At least one of them has a score: the scenario was played to its end or stopped and scored."""


@dataclass(frozen=True, slots=True)
class DrillRecord:
    """A team drill as kept in the practice record."""

    code: str
    """The drill's short code."""
    title: str
    """What the drill is called."""
    created_at: str
    """UTC ISO-8601 time it was created."""
    closed_at: str | None = None
    """UTC ISO-8601 time the trainer closed it to new trainees (None: not closed)."""
    definition: dict[str, Any] | None = None
    """The drill's definition as JSON (``roleplay.drill.model.DrillSpec``); None when the stored text
    is damaged, so the drill can still be listed."""
    plays: tuple[DrillPlay, ...] = ()
    """Who played which scenario (filled by ``Store.drills``)."""
