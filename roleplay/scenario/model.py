"""The validated scenario model: what a scenario YAML file means once it has been read.

Every class here is a frozen dataclass whose field docstrings double as the trainers' reference
(`docs/authoring.md` is written from them). Nothing here imports Textual, Rich or the engine:
data flows one way, YAML -> this model -> engine -> scorer -> store -> UI.

Texts that a person reads come per language. ``Lines`` holds several variants per language
(the engine picks one with its seeded random generator); ``Text`` holds one string per language.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal, Mapping

LANGS: tuple[str, ...] = ("zh", "en")
"""The languages a scenario can be written in."""

Lang = str
"""A language code: one of ``LANGS``."""

Text = Mapping[str, str]
"""One string per language, e.g. ``{"zh": "王经理", "en": "Manager Wang"}``."""

Lines = Mapping[str, tuple[str, ...]]
"""Several variants per language, e.g. ``{"zh": ("喂？", "你好？"), "en": ("Hello?",)}``."""

Outcome = Literal["success", "failure"]
"""How an end state ends the role-play."""

TEMPERAMENTS: tuple[str, ...] = ("calm", "friendly", "impatient", "sceptical", "demanding", "hesitant")
"""The customer temperaments a persona may have (they colour the customer's reactions)."""

METER_MAX = 5
"""Patience and interest run from 0 to this value."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was written: 1-based line and column in a file."""

    path: str
    """The file, as given to the loader."""
    line: int = 1
    """1-based line."""
    col: int = 1
    """1-based column."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Fact:
    """One feature, advantage or benefit of a product, in several phrasings per language."""

    id: str
    """Short id, unique within the product sheet (e.g. ``duplex``)."""
    text: Lines
    """Ways to say it, per language. The scorer accepts the trainee's own words too."""
    source: str | None = None
    """For an advantage, the feature it comes from; for a benefit, the advantage (YAML ``from``)."""
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Support:
    """Who really handles what the sales rep must not (for out-of-scope requests)."""

    team: Text
    """The team's name per language (e.g. ``技术支持部`` / ``technical support``)."""
    hotline: str | None = None
    """A phone number or other contact the trainee can give the customer."""


@dataclass(frozen=True, slots=True)
class Product:
    """A product fact sheet, its own YAML file in ``products/``, shared by scenarios."""

    id: str
    """The id scenarios use in ``product:``; equal to the file name without ``.yaml``."""
    name: Text
    """The product's name per language."""
    features: tuple[Fact, ...]
    """F: facts about the product: what it is or has."""
    advantages: tuple[Fact, ...]
    """A: what a feature does, or how it beats the alternatives."""
    benefits: tuple[Fact, ...]
    """B: what the customer gains, in the customer's terms (money, sales, time, safety...)."""
    competitors: tuple[Text, ...] = ()
    """Similar products or brands the trainee may compare with, fairly."""
    price: Text | None = None
    """The price as a customer would hear it, per language (optional)."""
    support: Support | None = None
    """The team and hotline for out-of-scope requests (optional)."""
    source: str = ""
    """The file the sheet was read from."""
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Persona:
    """The simulated customer."""

    name: Text
    """What the trainee calls the customer (e.g. ``王经理``)."""
    role: Text
    """Who they are (e.g. ``行政采购经理``)."""
    temperament: str = "calm"
    """One of ``TEMPERAMENTS``."""
    patience: int = 3
    """Starting patience, 1-5. Bad moves cost patience; at 0 the customer walks away."""
    interest: int = 2
    """Starting interest, 0-5. Good moves (a real benefit) raise it."""


@dataclass(frozen=True, slots=True)
class Condition:
    """One test of the engine's fixed vocabulary, written ``name: argument`` under ``when:``.

    The names are listed in ``roleplay.scenario.vocabulary.CONDITIONS``; a YAML file can
    never name Python code.
    """

    name: str
    """The vocabulary entry, e.g. ``interest_at_least``."""
    arg: int | str | tuple[str, ...]
    """Its argument: a number for meters and turns, a state id for ``visited``; for the check
    conditions a check id, or a tuple of check ids when several were listed."""
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Effects:
    """How the customer's meters move (``effects: {patience: -1, interest: +1}``)."""

    patience: int = 0
    """Added to patience (negative to lose it)."""
    interest: int = 0
    """Added to interest."""

    def __bool__(self) -> bool:
        return bool(self.patience or self.interest)


@dataclass(frozen=True, slots=True)
class Intent:
    """Something the trainee may mean in a state, and what follows when they do."""

    id: str
    """Short name of what the trainee means, e.g. ``route_to_support``."""
    examples: Lines
    """Example phrasings per language (YAML ``say``); the matcher compares answers with them."""
    keys: Lines = field(default_factory=dict)
    """Key phrases per language; an answer containing one counts as a strong match (optional)."""
    when: tuple[Condition, ...] = ()
    """Conditions that must all hold for this intent to be chosen (optional)."""
    effects: Effects = Effects()
    """How the customer's meters move when this intent is chosen."""
    reply: Lines = field(default_factory=dict)
    """What the customer says at once in reaction (optional; otherwise the next state's line)."""
    then: str | None = None
    """The state to go to; empty means stay in this state."""
    threshold: float | None = None
    """Match threshold (0-100) for this intent only, overriding the scenario's (optional)."""
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Fallback:
    """What happens when no intent of a state matches (YAML ``otherwise``)."""

    customer: Lines = field(default_factory=dict)
    """What the customer says, in character (e.g. ``你到底想说什么？``)."""
    effects: Effects = Effects()
    """How the meters move."""
    then: str | None = None
    """The state to go to; empty means stay."""
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Reaction:
    """A scenario-wide rule: when a check passes or fails in an answer, the meters move."""

    check: str
    """A check id from the catalogue (``roleplay rubrics``), e.g. ``fab.benefit``."""
    passed: bool
    """React when the check passed (true) or failed (false)."""
    effects: Effects
    """How the meters move."""
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ArriveWith:
    """The customer's meters for a session that starts in a state (YAML ``arrive_with``).

    Practising one moment (``roleplay run --from-state``, a golden transcript's ``from:``, a drill
    step) starts a conversation in the middle; without this the customer there would have the
    persona's starting meters, and a customer who has already agreed would answer like a
    stranger. A conversation that reaches the state by answering keeps the meters it has.
    """

    patience: int | None = None
    """Patience 1-5 at the start; None keeps the persona's."""
    interest: int | None = None
    """Interest 0-5 at the start; None keeps the persona's."""
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class State:
    """One moment of the conversation."""

    id: str
    """The state's name, unique in the scenario."""
    customer: Lines
    """What the customer says on arriving here; several variants per language."""
    rubrics: tuple[str, ...] = ()
    """Rubric ids (``fab``, ``etiquette``...) or single check ids that judge answers here."""
    expect: tuple[Intent, ...] = ()
    """The intents expected here, tried in order; the best match wins."""
    otherwise: Fallback | None = None
    """What happens when nothing matches."""
    end: Outcome | None = None
    """``success`` or ``failure`` makes this an end state."""
    model_answer: Text | None = None
    """What a strong answer here sounds like; shown as the hint and on the scorecard."""
    arrive_with: ArriveWith | None = None
    """The meters a session has when it *starts* here (``--from-state``, a test's ``from:``);
    ignored when the conversation merely arrives here. Optional: the persona's meters otherwise."""
    location: Location | None = field(default=None, compare=False)

    @property
    def is_end(self) -> bool:
        return self.end is not None


@dataclass(frozen=True, slots=True)
class ScoreRange:
    """``score: ">= 80"`` or ``"40..70"`` in a golden transcript."""

    low: int = 0
    high: int = 100

    def __contains__(self, score: object) -> bool:
        return isinstance(score, (int, float)) and self.low <= score <= self.high


@dataclass(frozen=True, slots=True)
class GoldenExpect:
    """What must come out of a golden transcript."""

    end: str | None = None
    """The state the run must end in."""
    outcome: Literal["success", "failure", "unfinished"] | None = None
    """The outcome the run must have."""
    path: tuple[str, ...] | None = None
    """The exact states visited, in order, starting with the first (optional)."""
    score: ScoreRange | None = None
    """The range the score must fall in."""
    passed: tuple[str, ...] = ()
    """Check ids that must pass (over the whole run)."""
    failed: tuple[str, ...] = ()
    """Check ids that must fail (over the whole run)."""


@dataclass(frozen=True, slots=True)
class GoldenTest:
    """A golden transcript: trainee lines and what must come of them. ``roleplay test`` runs it."""

    name: str
    """What the transcript shows, in a few words."""
    lang: Lang
    """The language the run is played in."""
    say: tuple[str, ...]
    """The trainee's lines, one per turn."""
    expect: GoldenExpect
    """What must come out."""
    seed: int = 0
    """The random seed (customer line variants)."""
    start: str | None = None
    """Start from this state instead of the scenario's start (YAML ``from``)."""
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Matching:
    """How closely an answer must resemble an expected intent."""

    threshold: float = 62.0
    """0-100: below this, nothing matched and ``otherwise`` applies."""
    hint_threshold: float = 35.0
    """0-100: the closest intent above this is offered as a hint when nothing matched."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole role-play: who the customer is, the states of the talk, and how it is judged."""

    id: str
    """Unique id across the library, lowercase with dashes, e.g. ``printer-out-of-scope``."""
    languages: tuple[Lang, ...]
    """The languages every text of the scenario is written in."""
    title: Text
    """Short title per language."""
    summary: Text
    """What happens and what it teaches, a sentence or two per language."""
    persona: Persona
    """The simulated customer."""
    start: str
    """The first state."""
    states: Mapping[str, State]
    """All states by id, in file order."""
    tags: tuple[str, ...] = ()
    """Tags from the library's vocabulary (``price-objection``, ``phone``...)."""
    difficulty: int = 1
    """1 (easy) to 3 (hard)."""
    product: Product | None = None
    """The product fact sheet (YAML ``product: <id>``), resolved by the loader."""
    pass_mark: int = 60
    """The score (0-100) needed to pass."""
    blockers: tuple[str, ...] = ()
    """Check ids that fail the session whatever the score."""
    walk_away: str | None = None
    """The failure end state used when patience runs out; the engine has its own if empty."""
    reactions: tuple[Reaction, ...] = ()
    """Extra meter rules on check results, added to the engine's defaults."""
    matching: Matching = Matching()
    """Match thresholds for this scenario."""
    tests: tuple[GoldenTest, ...] = ()
    """Golden transcripts."""
    version: int = 1
    """The scenario language version (always 1 for now)."""
    source: str = ""
    """The file it was read from."""
    content_hash: str = ""
    """SHA-256 of the file's bytes: which version of the scenario produced a result."""
    location: Location | None = field(default=None, compare=False)

    def end_states(self, outcome: Outcome | None = None) -> tuple[State, ...]:
        return tuple(s for s in self.states.values() if s.is_end and (outcome is None or s.end == outcome))


def _fast_setstate(cls: type) -> None:
    """Give a frozen, slotted dataclass a quicker ``__setstate__`` (same pickled form).

    The app reads its library from a pickle (``roleplay.scenario.cache``): about 2,000 of these
    objects. The ``__setstate__`` that ``dataclass(slots=True)`` writes calls ``fields()`` for
    every object it restores; looking the names up once per class makes unpickling the library
    about 2.5x faster (13 -> 5 ms), on the way to the app's first paint.
    """
    names = tuple(f.name for f in fields(cls))
    setter = object.__setattr__

    def __setstate__(self, state):  # noqa: N807 (the pickle protocol's name)
        for name, value in zip(names, state):
            setter(self, name, value)

    __setstate__.__qualname__ = f"{cls.__qualname__}.__setstate__"
    cls.__setstate__ = __setstate__


for _cls in (Location, Fact, Support, Product, Persona, Condition, Effects, Intent, Fallback, Reaction,
             ArriveWith, State, ScoreRange, GoldenExpect, GoldenTest, Matching, Scenario):
    if "__setstate__" in _cls.__dict__:
        _fast_setstate(_cls)
del _cls
