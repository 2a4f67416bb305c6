"""The engine's implementation of the condition vocabulary (``roleplay.scenario.vocabulary``).

A scenario's ``when:`` names entries of a fixed vocabulary; this module maps each name to a
Python function written here. ``compile_conditions`` turns an intent's parsed ``Condition``s into
one closure, which is what the state machine receives: a YAML string never reaches
``transitions`` (which would resolve a string such as ``os.system`` by importing it). An unknown
name is refused when the runtime is built, even if a scenario was made without the loader.

The check conditions take one check id or several: ``passed``/``failed`` hold when every check
listed passed/failed, ``passed_any``/``failed_any`` when at least one did. The argument is turned
into a tuple of ids once, when the conditions are compiled.
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


def _ids(arg: object) -> tuple[str, ...]:
    return arg  # type: ignore[return-value]  # compile_conditions made it a tuple of check ids


IMPLEMENTATIONS: dict[str, ConditionFn] = {
    "patience_at_least": lambda ctx, arg: ctx.patience >= _int(arg),
    "patience_below": lambda ctx, arg: ctx.patience < _int(arg),
    "interest_at_least": lambda ctx, arg: ctx.interest >= _int(arg),
    "interest_below": lambda ctx, arg: ctx.interest < _int(arg),
    # A check not graded in this state neither passed nor failed.
    "passed": lambda ctx, arg: all(ctx.results.get(c) is True for c in _ids(arg)),
    "failed": lambda ctx, arg: all(ctx.results.get(c) is False for c in _ids(arg)),
    "passed_any": lambda ctx, arg: any(ctx.results.get(c) is True for c in _ids(arg)),
    "failed_any": lambda ctx, arg: any(ctx.results.get(c) is False for c in _ids(arg)),
    "visited": lambda ctx, arg: str(arg) in ctx.visited,
    "turns_at_least": lambda ctx, arg: ctx.answers >= _int(arg),
}
"""Vocabulary name -> implementation; a test checks it covers exactly ``vocabulary.CONDITIONS``."""


class ConditionError(ValueError):
    """A condition the engine cannot run (unknown name or wrong kind of argument)."""


def _argument(kind: str, cond: Condition, where: str) -> object:
    """The condition's argument checked against its kind (check ids as a tuple)."""
    arg = cond.arg
    if kind in ("meter", "count"):
        ok = isinstance(arg, int) and not isinstance(arg, bool)
    elif kind == "checks":
        arg = (arg,) if isinstance(arg, str) else arg
        ok = isinstance(arg, tuple) and bool(arg) and all(isinstance(c, str) and c for c in arg)
    else:
        ok = isinstance(arg, str)
    if not ok:
        raise ConditionError(f"{where}: condition {cond.name!r} has an argument of the wrong kind: {cond.arg!r}")
    return arg


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
        compiled.append((impl, _argument(entry.arg, cond, where)))
    frozen = tuple(compiled)

    def holds(ctx: TurnContext) -> bool:
        return all(impl(ctx, arg) for impl, arg in frozen)

    return holds
