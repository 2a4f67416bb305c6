"""The drill board: ranking, the team's pass rate per check, and every answer side by side.

Built from the store's records only (``Store.sessions(drill_code=..., full=True)``), so the board
screen, ``roleplay drill report`` and the tests read the same figures. Pure functions: no store,
no clock, no Textual.

Rules (docs/drills.md):

- A trainee's **drill score** is the mean of their scenario scores over all the drill's
  scenarios; a scenario not played yet counts 0. Ties share a rank (1, 1, 3).
- A scenario counts as **played** once it has a score: it reached an end state, or was stopped
  (time ran out, the trainee gave up, scripted input ended). Until then it is **playing**.
- **Pass rates** are over played scenarios, per check judged on the whole conversation.
- **Side by side**: for each scenario and turn, every trainee's answer with its checks; when the
  answers differ in how many checks they passed, the best and the worst are marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from roleplay.drill.hub import name_key
from roleplay.drill.model import DrillSpec, StoredDrill
from roleplay.store.records import CheckRecord, SessionRecord


@dataclass(frozen=True, slots=True)
class Entry:
    """One trainee's session of one scenario of the drill."""

    step: int
    """0-based position of the scenario in the drill."""
    session: SessionRecord
    """The session, with its turns and checks."""

    @property
    def status(self) -> str:
        """``done`` (an end state), ``stopped`` (scored before an end state) or ``playing``."""
        if self.session.ended_at is None or self.session.score is None:
            return "playing"
        return "done" if self.session.outcome != "unfinished" else "stopped"

    @property
    def played(self) -> bool:
        return self.status != "playing"

    @property
    def score(self) -> int:
        return (self.session.score or 0) if self.played else 0


@dataclass(frozen=True, slots=True)
class Standing:
    """One line of the ranking."""

    rank: int
    """1 for the best; ties share a rank."""
    trainee: str
    """The name."""
    score: int
    """Mean scenario score over the whole drill (unplayed scenarios count 0)."""
    passed: int
    """Scenarios passed."""
    played: int
    """Scenarios played (scored)."""
    steps: int
    """Scenarios in the drill."""
    hints_used: int
    """Hints asked for, over the drill."""
    entries: tuple[Entry | None, ...]
    """Per scenario: the session, or None when not started."""

    @property
    def status(self) -> str:
        """``done`` (every scenario played), ``playing`` (a scenario in progress) or ``stopped``
        (left before the end: some scenarios never started)."""
        if self.played == self.steps:
            return "done"
        return "playing" if any(e is not None and not e.played for e in self.entries) else "stopped"

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank, "trainee": self.trainee, "score": self.score, "passed": self.passed,
            "played": self.played, "steps": self.steps, "status": self.status, "hints_used": self.hints_used,
            "scenarios": [None if e is None else {
                "scenario": e.session.scenario_id, "scenario_hash": e.session.scenario_hash, "status": e.status,
                "outcome": e.session.outcome, "score": e.session.score, "passed": e.session.passed,
                "turns": len(e.session.turns), "session_id": e.session.id,
            } for e in self.entries],
        }


@dataclass(frozen=True, slots=True)
class Rate:
    """How often the team passed a check."""

    check_id: str
    passed: int
    total: int
    step: int | None = None
    """The scenario (0-based), or None for the whole drill."""

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.rate)

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check_id, "passed": self.passed, "total": self.total, "rate": round(self.rate, 4),
                "step": None if self.step is None else self.step + 1}


@dataclass(frozen=True, slots=True)
class Answer:
    """One trainee's answer at one turn."""

    trainee: str
    state: str
    """The state the answer was given in."""
    customer: str
    """The customer's line the trainee answered."""
    text: str
    """The answer."""
    intent: str | None
    """What the answer was understood as (None: nothing matched)."""
    checks: tuple[CheckRecord, ...]
    """The checks judged on this answer."""
    best: bool = False
    """Passed the most checks at this turn (marked only when answers differ)."""
    worst: bool = False
    """Passed the fewest checks at this turn (marked only when answers differ)."""

    @property
    def passed(self) -> int:
        return sum(1 for c in self.checks if c.passed)

    @property
    def share(self) -> float:
        """Share of this answer's checks passed (1.0 when no check applied)."""
        return self.passed / len(self.checks) if self.checks else 1.0

    def to_json(self) -> dict[str, Any]:
        return {"trainee": self.trainee, "state": self.state, "customer": self.customer, "answer": self.text,
                "intent": self.intent, "best": self.best, "worst": self.worst,
                "checks": [{"id": c.id, "passed": c.passed, "evidence": c.evidence} for c in self.checks]}


@dataclass(frozen=True, slots=True)
class TurnView:
    """Every trainee's answer at one turn of one scenario."""

    step: int
    index: int
    """0-based turn."""
    answers: tuple[Answer, ...]
    """In ranking order."""

    @property
    def same_line(self) -> bool:
        """True when every trainee answered the same customer line."""
        return len({a.customer for a in self.answers}) <= 1

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step + 1, "turn": self.index + 1, "same_customer_line": self.same_line,
                "answers": [a.to_json() for a in self.answers]}


@dataclass(frozen=True, slots=True)
class Board:
    """Everything the board shows."""

    drill: StoredDrill
    standings: tuple[Standing, ...]
    """The ranking, best first."""
    rates: tuple[Rate, ...]
    """Pass rate per check over the whole drill, weakest first."""
    step_rates: tuple[tuple[Rate, ...], ...]
    """Per scenario: pass rate per check, weakest first."""
    turns: tuple[tuple[TurnView, ...], ...]
    """Per scenario: its turns side by side."""

    @property
    def spec(self) -> DrillSpec:
        return self.drill.spec

    @property
    def closed_at(self) -> str | None:
        """When the trainer closed the drill to new trainees (None: not closed)."""
        return self.drill.closed_at

    @property
    def done(self) -> int:
        """Trainees who played every scenario."""
        return sum(1 for s in self.standings if s.status == "done")

    def standing(self, trainee: str) -> Standing | None:
        key = name_key(trainee)
        return next((s for s in self.standings if name_key(s.trainee) == key), None)

    def to_json(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "drill": {"code": self.drill.code, "title": spec.title, "lang": spec.lang, "seed": spec.seed,
                      "created_at": self.drill.created_at, "closed_at": self.drill.closed_at,
                      "time_limit": spec.time_limit,
                      "pass_mark": spec.pass_mark, "hints": spec.hints, "join_window": spec.join_window,
                      "scenarios": [{"step": i + 1, "scenario": s.scenario_id, "scenario_hash": s.scenario_hash,
                                     "from": s.from_state, "title": s.title.get(spec.lang) or s.scenario_id}
                                    for i, s in enumerate(spec.steps)]},
            "trainees": len(self.standings), "done": self.done,
            "ranking": [s.to_json() for s in self.standings],
            "check_rates": [r.to_json() for r in self.rates],
            "check_rates_by_scenario": [[r.to_json() for r in rates] for rates in self.step_rates],
            "turns": [[t.to_json() for t in turns] for turns in self.turns],
        }


def _pick(sessions: Sequence[SessionRecord]) -> SessionRecord:
    """The session that stands for a trainee's scenario: the latest scored one, else the latest."""
    scored = [s for s in sessions if s.ended_at is not None and s.score is not None]
    pool = scored or list(sessions)
    return max(pool, key=lambda s: s.id)


def _order(ids: Iterable[str]) -> dict[str, int]:
    """Catalogue order of check ids (unknown ids last, alphabetically)."""
    from scoring.catalogue import load_catalogue

    known = list(load_catalogue().checks)
    position = {c: i for i, c in enumerate(known)}
    return {c: position.get(c, len(known)) for c in ids}


def _rates(entries: Iterable[Entry], step: int | None) -> tuple[Rate, ...]:
    counts: dict[str, list[int]] = {}
    for entry in entries:
        if not entry.played:
            continue
        for check in entry.session.checks:
            c = counts.setdefault(check.id, [0, 0])
            c[0] += int(check.passed)
            c[1] += 1
    order = _order(counts)
    rates = [Rate(cid, p, t, step) for cid, (p, t) in counts.items()]
    return tuple(sorted(rates, key=lambda r: (r.rate, order[r.check_id], r.check_id)))


def build_board(drill: StoredDrill, sessions: Iterable[SessionRecord]) -> Board:
    """The board of ``drill`` from its sessions (full records: with turns and checks)."""
    spec = drill.spec
    step_of = {step.key: i for i, step in enumerate(spec.steps)}
    grouped: dict[str, dict[int, list[SessionRecord]]] = {}
    names: dict[str, str] = {}
    for s in sorted(sessions, key=lambda r: r.id):
        i = step_of.get((s.scenario_id, s.from_state))
        if s.drill_code != drill.code or i is None:
            continue
        key = name_key(s.trainee)
        names.setdefault(key, s.trainee)  # the first spelling used
        grouped.setdefault(key, {}).setdefault(i, []).append(s)

    n = len(spec.steps)
    rows = []
    for key, by_step in grouped.items():
        entries = tuple(Entry(i, _pick(by_step[i])) if i in by_step else None for i in range(n))
        played = [e for e in entries if e is not None and e.played]
        score = round(sum(e.score for e in played) / n) if n else 0
        rows.append((names[key], score, sum(1 for e in played if e.session.passed), len(played),
                     sum(e.session.hints_used for e in entries if e is not None), entries))
    rows.sort(key=lambda r: (-r[1], -r[2], -r[3], name_key(r[0]), r[0]))
    standings: list[Standing] = []
    for pos, (name, score, passed, played, hints, entries) in enumerate(rows):
        prev = standings[-1] if standings else None
        rank = prev.rank if prev is not None and (prev.score, prev.passed, prev.played) == (score, passed, played) \
            else pos + 1
        standings.append(Standing(rank, name, score, passed, played, n, hints, entries))

    all_entries = [e for s in standings for e in s.entries if e is not None]
    step_rates = tuple(_rates((e for e in all_entries if e.step == i), i) for i in range(n))
    turns = tuple(_turn_views(i, standings) for i in range(n))
    return Board(drill, tuple(standings), _rates(all_entries, None), step_rates, turns)


def _turn_views(step: int, standings: Sequence[Standing]) -> tuple[TurnView, ...]:
    sessions = [(s.trainee, s.entries[step].session) for s in standings if s.entries[step] is not None]
    longest = max((len(sess.turns) for _, sess in sessions), default=0)
    views = []
    for index in range(longest):
        answers = [Answer(name, t.state, t.customer, t.trainee, t.intent, t.checks)
                   for name, sess in sessions if index < len(sess.turns) for t in (sess.turns[index],)]
        shares = [a.share for a in answers]
        if len(answers) > 1 and max(shares) > min(shares):
            hi, lo = max(shares), min(shares)
            answers = [Answer(a.trainee, a.state, a.customer, a.text, a.intent, a.checks, a.share == hi, a.share == lo)
                       for a in answers]
        views.append(TurnView(step, index, tuple(answers)))
    return tuple(views)


def load_board(store: Any, code: str) -> Board:
    """The board of the drill ``code`` read from ``store``.

    Raises:
        DrillError: No such drill.
        StoreError: The store cannot be read.
    """
    from roleplay.drill.hub import stored_drill

    drill = stored_drill(store, code)
    return build_board(drill, store.sessions(drill_code=drill.code, full=True))
