"""Creating a drill, finding it by code, and joining it: the rules a trainer can rely on.

Policies (docs/drills.md says the same to users):

- **Names**: a trainee name is one line of at most ``MAX_NAME_CHARS`` characters without control
  characters. Names are compared case-insensitively after Unicode normalisation (``Li`` and
  ``li`` are one person on the board).
- **Duplicate name**: refused with a one-line message suggesting a free name, unless the trainee
  asks to resume (``--resume``): then they continue where their last session stopped.
- **Two processes joining with one name at the same moment**: each claims the name by saving its
  first session, then checks; the earliest session keeps the name, the other backs out with the
  duplicate-name message. No lock is needed beyond the store's own transactions.
- **Late**: with ``join_window`` set, new names are refused once the window has passed; someone
  who already joined may still resume.
- **Closed**: ``roleplay drill close`` shuts the drill to new names at once, whatever its window;
  someone who already joined may still resume. It is read from the store on every join (not from
  the ``OpenDrill``, which a hot-seat terminal keeps for hours), and again once the name is
  claimed: a join racing with the close either finished before it or backs out.
- **Changed scenarios**: a drill stores each scenario file's content hash. If a scenario file has
  changed since the drill was created, joining is refused: results would not be comparable.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from roleplay.drill.codes import BadCode, new_code, normalise
from roleplay.drill.model import MAX_NAME_CHARS, DrillClosed, DrillError, DrillSpec, NameTaken, StoredDrill
from roleplay.scenario.model import Scenario

if TYPE_CHECKING:
    from roleplay.drill.attempt import Attempt
    from roleplay.engine import ScenarioRuntime
    from roleplay.scenario.library import Library
    from roleplay.store import Store

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""How the store writes times (UTC)."""


def utc_now() -> datetime:
    """The current time, UTC."""
    return datetime.now(timezone.utc)


def parse_time(text: str | None) -> datetime | None:
    """A store time as an aware datetime (None when empty or unreadable)."""
    try:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=timezone.utc)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def show_time(when: datetime | str | None) -> str:
    """A time for messages, e.g. ``10:30 UTC on 2026-11-27`` (a store time that cannot be read is
    shown as stored)."""
    moment = parse_time(when) if isinstance(when, str) else when
    if moment is None:
        return str(when or "an unknown time")
    return moment.strftime("%H:%M UTC on %Y-%m-%d")


# -- names ------------------------------------------------------------------------------------


def clean_name(text: str) -> str:
    """The trainee name as kept: spaces trimmed and runs of spaces made one.

    Raises:
        DrillError: Empty, too long, or holding control characters.
    """
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text if ch not in " \t"):
        raise DrillError("a trainee name cannot hold control characters; type the name as it should appear "
                         "on the board")
    name = " ".join(text.split())
    if not name:
        raise DrillError("a trainee name is needed (e.g. --trainee 'Li Lei')")
    if len(name) > MAX_NAME_CHARS:
        raise DrillError(f"the trainee name is too long ({len(name)} characters; at most {MAX_NAME_CHARS})")
    return name


def name_key(name: str) -> str:
    """What makes two names the same person: NFKC-normalised, case-folded, single-spaced."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def suggest_name(name: str, taken: set[str]) -> str:
    """``name`` with the first number that makes it free (``Li 2``, ``Li 3``...)."""
    base = name[: MAX_NAME_CHARS - 4]
    n = 2
    while name_key(f"{base} {n}") in taken:
        n += 1
    return f"{base} {n}"


# -- drills -----------------------------------------------------------------------------------


def create_drill(store: "Store", spec: DrillSpec, *, make_code: Callable[[], str] = new_code,
                 tries: int = 8) -> StoredDrill:
    """Keep ``spec`` in the store under a fresh code.

    Raises:
        DrillError: No free code was found in ``tries`` attempts (practically impossible).
        StoreError: The store cannot be written.
    """
    from roleplay.store import StoreError

    for _ in range(tries):
        code = make_code()
        if store.drill(code) is not None:
            continue
        try:
            store.create_drill(code, spec.title, spec.to_definition())
        except StoreError:
            # Another trainer took the same code in the same instant: try another. Any other
            # problem (locked, read-only) happens again on the next try and is raised then.
            if store.drill(code) is not None:
                continue
            raise
        record = store.drill(code)
        return StoredDrill(code, spec, record.created_at if record else "")
    raise DrillError("could not find a free drill code; try again")


def stored_drill(store: "Store", code: str) -> StoredDrill:
    """The drill kept under ``code`` (typed in any case, with or without a dash).

    Raises:
        DrillError: A malformed code, no such drill, or a damaged definition.
        StoreError: The store cannot be read.
    """
    try:
        code = normalise(code)
    except BadCode as exc:
        raise DrillError(str(exc)) from None
    record = store.drill(code)
    if record is None:
        raise DrillError(f"no drill {code} in the practice record {store.path}; check the code, and use the "
                         "same --db (or ROLEPLAY_DB) as the trainer who created it")
    if record.definition is None:
        raise DrillError(f"the stored definition of drill {code} is damaged (not JSON); create the drill again")
    return StoredDrill(code, DrillSpec.from_definition(record.definition), record.created_at or "",
                       record.closed_at)


def resolve_scenarios(drill: StoredDrill, library: "Library") -> tuple[Scenario, ...]:
    """The drill's scenarios, exactly the versions the drill was created with.

    Raises:
        DrillError: A scenario is missing here, or its file has changed since the drill was created.
    """
    out = []
    for step in drill.spec.steps:
        scenario = library.scenarios.get(step.scenario_id)
        if (scenario is None or scenario.content_hash != step.scenario_hash) and step.source \
                and Path(step.source).is_file():
            try:
                candidate = library.resolve(step.source)
            except LookupError:
                candidate = None
            if candidate is not None and (scenario is None or candidate.content_hash == step.scenario_hash):
                scenario = candidate
        if scenario is None:
            raise DrillError(f"the scenario '{step.scenario_id}' of drill {drill.code} is not found here (it was "
                             f"read from {step.source or 'the library'}); add its folder with --scenarios DIR")
        if scenario.content_hash != step.scenario_hash:
            raise DrillError(f"the scenario '{step.scenario_id}' has changed since drill {drill.code} was created "
                             f"(version {step.scenario_hash[:8]}, now {scenario.content_hash[:8]}); results would "
                             "not be comparable: ask the trainer to create the drill again")
        out.append(scenario)
    return tuple(out)


class OpenDrill:
    """A drill ready to be played: its scenarios resolved and their state machines built once.

    One ``OpenDrill`` serves every trainee of a process (hot-seat: several in turn).
    """

    def __init__(self, drill: StoredDrill, scenarios: tuple[Scenario, ...], *, grader: Any = None) -> None:
        """Use ``open_drill``; tests may pass a ``grader`` (otherwise the real scorer)."""
        from dataclasses import replace

        self.stored = drill
        self.code = drill.code
        """The drill code."""
        self.spec = drill.spec
        """What the drill is."""
        # The drill's pass mark replaces each scenario's own, so everyone is judged alike.
        self.scenarios: tuple[Scenario, ...] = tuple(
            replace(s, pass_mark=drill.spec.pass_mark) if drill.spec.pass_mark is not None else s for s in scenarios)
        """The scenarios in order, with the drill's pass mark."""
        self._grader = grader
        self._runtimes: dict[int, "ScenarioRuntime"] = {}

    @property
    def created_at(self) -> datetime | None:
        return parse_time(self.stored.created_at)

    @property
    def closes_at(self) -> datetime | None:
        """When the join window ends (None: the drill has no window)."""
        return window_end(self.spec, self.stored.created_at)

    def is_open(self, now: datetime | None = None) -> bool:
        """True while new trainees may join (as far as the drill was last read: ``join`` reads the
        trainer's close afresh)."""
        closes = self.closes_at
        return self.stored.closed_at is None and (closes is None or (now or utc_now()) < closes)

    def runtime(self, step: int) -> "ScenarioRuntime":
        """The state machine of step ``step`` (0-based), built on first use."""
        runtime = self._runtimes.get(step)
        if runtime is None:
            from roleplay.engine import ScenarioRuntime

            runtime = self._runtimes[step] = ScenarioRuntime(self.scenarios[step], grader=self._grader)
        return runtime


def window_end(spec: DrillSpec, created_at: str) -> datetime | None:
    """When the join window of a drill created at ``created_at`` ends (None: it has no window, or the
    creation time cannot be read)."""
    created = parse_time(created_at)
    if spec.join_window is None or created is None:
        return None
    return created + timedelta(minutes=spec.join_window)


def open_drill(store: "Store", library: "Library", code: str, *, grader: Any = None) -> OpenDrill:
    """The drill under ``code`` with its scenarios, ready to join.

    Raises:
        DrillError: See ``stored_drill`` and ``resolve_scenarios``.
        StoreError: The store cannot be read.
    """
    drill = stored_drill(store, code)
    return OpenDrill(drill, resolve_scenarios(drill, library), grader=grader)


def join(drill: OpenDrill, library: "Library", store: "Store", trainee: str, *, resume: bool = False,
         now: datetime | None = None) -> "Attempt":
    """Let ``trainee`` into the drill (see the module docstring for the rules).

    The returned attempt has claimed the name: its first session is saved (or, on resume, the
    trainee's earlier sessions were read back).

    Raises:
        DrillError: A bad or duplicate name, a late join, or a store that cannot be written.
        StoreError: The store cannot be read.
    """
    from roleplay.drill.attempt import Attempt
    from roleplay.practice import Practice

    name = clean_name(trainee)
    key = name_key(name)
    sessions = store.sessions(drill_code=drill.code)
    taken = {name_key(s.trainee) for s in sessions}
    mine = [s for s in sessions if name_key(s.trainee) == key]
    if mine and not resume:
        raise NameTaken(_duplicate(name, drill.code, taken))
    if not mine:
        _refuse_if_closed(drill, store)
        closes = drill.closes_at
        if closes is not None and (now or utc_now()) >= closes:
            raise DrillClosed(f"drill {drill.code} stopped taking new trainees at {show_time(closes)} (it was open "
                              f"for {drill.spec.join_window} minutes); ask the trainer for a new drill")
    if mine:
        name = mine[-1].trainee  # the spelling first used, so the board shows one name
        previous = [store.session(s.id) for s in reversed(mine)]
        return Attempt(drill, Practice(library, store, name), previous)
    attempt = Attempt(drill, Practice(library, store, name), [])
    ps = attempt.start_step()
    if ps is None or ps.store_id is None:
        raise DrillError(f"could not join: {ps.save_status.message if ps else 'the drill has no scenario'}")
    # Another process may have claimed the same name at the same moment: the earliest session wins.
    rivals = [s.id for s in store.sessions(drill_code=drill.code) if name_key(s.trainee) == key]
    if rivals and min(rivals) != ps.store_id:
        attempt.abandon()
        taken = {name_key(s.trainee) for s in store.sessions(drill_code=drill.code)}
        raise NameTaken(_duplicate(name, drill.code, taken))
    # The trainer may have closed the drill while the name was being claimed: then it was not in time.
    try:
        _refuse_if_closed(drill, store)
    except DrillError:
        attempt.abandon()
        raise
    return attempt


def _refuse_if_closed(drill: OpenDrill, store: "Store") -> None:
    """Raise ``DrillClosed`` when the trainer has closed the drill (read from the store now)."""
    record = store.drill(drill.code)
    if record is None:
        raise DrillError(f"drill {drill.code} is no longer in the practice record {store.path}")
    if record.closed_at is not None:
        raise DrillClosed(f"drill {drill.code} was closed to new trainees at {show_time(record.closed_at)}; "
                          "ask the trainer to reopen it (trainees who already joined may still finish with --resume)")


def _duplicate(name: str, code: str, taken: set[str]) -> str:
    return (f"the name '{name}' is already taken in drill {code}; choose another (e.g. '{suggest_name(name, taken)}'), "
            f"or add --resume if you are {name} and want to continue")
