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


def parse_time(text: str) -> datetime | None:
    """A store time as an aware datetime (None when empty or unreadable)."""
    try:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


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
        return StoredDrill(code, spec, record["created_at"] if record else "")
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
    return StoredDrill(code, DrillSpec.from_definition(record["definition"]), str(record.get("created_at") or ""))


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
        """When new trainees stop being let in (None: never)."""
        created = self.created_at
        if self.spec.join_window is None or created is None:
            return None
        return created + timedelta(minutes=self.spec.join_window)

    def is_open(self, now: datetime | None = None) -> bool:
        """True while new trainees may join."""
        closes = self.closes_at
        return closes is None or (now or utc_now()) < closes

    def runtime(self, step: int) -> "ScenarioRuntime":
        """The state machine of step ``step`` (0-based), built on first use."""
        runtime = self._runtimes.get(step)
        if runtime is None:
            from roleplay.engine import ScenarioRuntime

            runtime = self._runtimes[step] = ScenarioRuntime(self.scenarios[step], grader=self._grader)
        return runtime


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
    if not mine and not drill.is_open(now):
        closes = drill.closes_at
        when = closes.strftime("%H:%M UTC on %Y-%m-%d") if closes else "earlier"
        raise DrillClosed(f"drill {drill.code} stopped taking new trainees at {when} (it was open for "
                         f"{drill.spec.join_window} minutes); ask the trainer for a new drill")
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
    return attempt


def _duplicate(name: str, code: str, taken: set[str]) -> str:
    return (f"the name '{name}' is already taken in drill {code}; choose another (e.g. '{suggest_name(name, taken)}'), "
            f"or add --resume if you are {name} and want to continue")
