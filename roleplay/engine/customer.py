"""The simulated customer's state: patience and interest, and how check results move them.

Both meters run from 0 to ``METER_MAX``. They start at the persona's values and move by

1. **reactions** to the checks of each answer (``DEFAULT_REACTIONS`` below, plus the scenario's
   ``reactions:``; a scenario rule for the same check and result *replaces* the default one, so a
   trainer can make a benefit worth more, or nothing, in their scenario);
2. the **effects** of the intent matched (or of the state's ``otherwise``).

Reactions apply first, so an intent's ``when: {interest_at_least: 3}`` already sees the interest a
benefit in this very answer earned. When patience reaches 0 the customer walks away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from roleplay.scenario.model import METER_MAX, Effects, Reaction

DEFAULT_REACTIONS: tuple[Reaction, ...] = (
    # A real benefit, in the customer's terms, is what raises interest (FAB: "B never missing").
    Reaction("fab.benefit", True, Effects(interest=+1)),
    # Arguing with the customer costs goodwill at once (etiquette rule 6: never argue).
    Reaction("etiquette.no_argument", False, Effects(patience=-1)),
    # Being brushed off is what makes a key account hang up (the Lexmark story).
    Reaction("scope.not_dismissive", False, Effects(patience=-1)),
    # A discount given at once cheapens the product in the customer's eyes: less interest in it.
    Reaction("price.no_instant_discount", False, Effects(interest=-1)),
    # A salesperson who hedges ("maybe... I'm not sure") makes the pitch less convincing.
    Reaction("etiquette.confident", False, Effects(interest=-1)),
)
"""The engine's reactions to check results, applied in every scenario whose states grade them."""


@dataclass(frozen=True, slots=True)
class Meters:
    """The customer's patience and interest at one moment."""

    patience: int
    """0..METER_MAX; at 0 the customer walks away."""
    interest: int
    """0..METER_MAX."""

    def moved(self, effects: Effects) -> "Meters":
        """The meters after ``effects``, kept within 0..METER_MAX."""
        return Meters(_clamp(self.patience + effects.patience), _clamp(self.interest + effects.interest))


def _clamp(value: int) -> int:
    return max(0, min(METER_MAX, value))


def reaction_table(scenario_reactions: Iterable[Reaction]) -> dict[tuple[str, bool], Effects]:
    """The reactions in force for a scenario: (check id, passed) -> effects."""
    table = {(r.check, r.passed): r.effects for r in DEFAULT_REACTIONS}
    for reaction in scenario_reactions:
        table[(reaction.check, reaction.passed)] = reaction.effects
    return table


def react(results: Mapping[str, bool], table: Mapping[tuple[str, bool], Effects]) -> Effects:
    """The summed effects of one answer's check results (check id -> passed), in result order."""
    patience = interest = 0
    for check_id, passed in results.items():
        effects = table.get((check_id, passed))
        if effects is not None:
            patience += effects.patience
            interest += effects.interest
    return Effects(patience=patience, interest=interest)
