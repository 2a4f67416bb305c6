"""The engine's implementation of the condition vocabulary (``roleplay.scenario.vocabulary``).

A scenario's ``when:`` names entries of a fixed vocabulary; this module maps each name to a
Python function written here. ``compile_conditions`` turns an intent's parsed ``Condition``s into
one closure, which is what the state machine receives: a YAML string never reaches
``transitions`` (which would resolve a string such as ``os.system`` by importing it). An unknown
name is refused when the runtime is built, even if a scenario was made without the loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from roleplay.scenario.model import Condition
from roleplay.scenario.vocabulary import CONDITIONS


@dataclass(frozen=True, slots=True)
class TurnContext:
    """What conditions may look at while one answer is being handled."""

    patience: int
    """The customer's patience after the reactions to this answer's checks."""
    interest: int
    """The customer's interest after the reactions to this answer's checks."""
    answers: int
    """How many times the trainee has answered, this answer included."""
    visited: frozenset[str]
    """The states the conversation has been in, the current one included."""
    results: Mapping[str, bool]
    """This answer's check results: check id -> passed (only the checks graded in this state)."""


ConditionFn = Callable[[TurnContext, object], bool]


def _int(arg: object) -> int:
    return int(arg)  # type: ignore[call-overload]


IMPLEMENTATIONS: dict[str, ConditionFn] = {
    "patience_at_least": lambda ctx, arg: ctx.patience >= _int(arg),
    "patience_below": lambda ctx, arg: ctx.patience < _int(arg),
    "interest_at_least": lambda ctx, arg: ctx.interest >= _int(arg),
    "interest_below": lambda ctx, arg: ctx.interest < _int(arg),
    # A check not graded in this state neither passed nor failed.
    "passed": lambda ctx, arg: ctx.results.get(str(arg)) is True,
    "failed": lambda ctx, arg: ctx.results.get(str(arg)) is False,
    "visited": lambda ctx, arg: str(arg) in ctx.visited,
    "turns_at_least": lambda ctx, arg: ctx.answers >= _int(arg),
}
"""Vocabulary name -> implementation; a test checks it covers exactly ``vocabulary.CONDITIONS``."""


class ConditionError(ValueError):
    """A condition the engine cannot run (unknown name or wrong kind of argument)."""


def compile_conditions(conditions: tuple[Condition, ...], where: str) -> Callable[[TurnContext], bool]:
    """One predicate that holds when every condition holds.

    Args:
        conditions: The parsed ``when:`` of an intent.
        where: Which intent, for the error message.

    Raises:
        ConditionError: For a name outside the vocabulary or an argument of the wrong kind.
    """
    compiled: list[tuple[ConditionFn, object]] = []
    for cond in conditions:
        impl = IMPLEMENTATIONS.get(cond.name) if isinstance(cond.name, str) else None
        entry = CONDITIONS.get(cond.name) if isinstance(cond.name, str) else None
        if impl is None or entry is None:
            raise ConditionError(f"{where}: unknown condition {cond.name!r}")
        numeric = entry.arg in ("meter", "count")
        if numeric != (isinstance(cond.arg, int) and not isinstance(cond.arg, bool)):
            raise ConditionError(f"{where}: condition {cond.name!r} has an argument of the wrong kind: {cond.arg!r}")
        compiled.append((impl, cond.arg))
    frozen = tuple(compiled)

    def holds(ctx: TurnContext) -> bool:
        return all(impl(ctx, arg) for impl, arg in frozen)

    return holds
