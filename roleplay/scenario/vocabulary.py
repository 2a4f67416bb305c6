"""The fixed vocabulary of conditions and effects that scenario files may use.

A YAML file names entries of this vocabulary, never Python code. The engine implements each
entry (``roleplay.engine``) and a test checks the two agree. Keeping the names here, in the
scenario package, lets the loader check them without importing the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ArgKind = Literal["meter", "count", "checks", "state"]
"""A meter value 0-5, a count, one check id or a list of check ids, or a state id."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One vocabulary entry, as a trainer writes it under ``when:`` or ``effects:``."""

    name: str
    """The key written in YAML."""
    arg: ArgKind
    """What its argument is: a meter value 0-5, a count, check ids (one, or a list) or a state id."""
    doc_en: str
    """What it means, for the authoring guide."""
    doc_zh: str
    """同上，中文。"""


CONDITIONS: dict[str, Entry] = {
    e.name: e
    for e in (
        Entry("patience_at_least", "meter", "the customer's patience is at least N", "客户耐心不少于 N"),
        Entry("patience_below", "meter", "the customer's patience is below N", "客户耐心低于 N"),
        Entry("interest_at_least", "meter", "the customer's interest is at least N", "客户兴趣不少于 N"),
        Entry("interest_below", "meter", "the customer's interest is below N", "客户兴趣低于 N"),
        Entry("passed", "checks", "this answer passed the check (e.g. fab.benefit), or every check of a list",
              "这句回答通过了该检查项；列出多项时须全部通过"),
        Entry("failed", "checks", "this answer failed the check (e.g. etiquette.no_argument), or every check of a list",
              "这句回答未通过该检查项；列出多项时须全部未通过"),
        Entry("passed_any", "checks", "this answer passed at least one of the checks listed",
              "这句回答至少通过了所列检查项中的一项"),
        Entry("failed_any", "checks", "this answer failed at least one of the checks listed",
              "这句回答至少有一项所列检查项未通过"),
        Entry("visited", "state", "the conversation has already been in that state", "对话已经到过该状态"),
        Entry("turns_at_least", "count", "the trainee has answered at least N times", "学员已回答至少 N 次"),
    )
}
"""Conditions, written ``when: {interest_at_least: 3, passed: fab.benefit}`` (all must hold).

The check conditions take one check id or a list: ``passed: [fab.feature, fab.benefit]`` holds
when both passed, ``passed_any: [fab.benefit, close.states_advantage]`` when at least one did. A
check that is not graded in the state neither passed nor failed.
"""

EFFECTS: dict[str, Entry] = {
    e.name: e
    for e in (
        Entry("patience", "count", "add N (may be negative) to the customer's patience", "客户耐心加 N（可为负）"),
        Entry("interest", "count", "add N (may be negative) to the customer's interest", "客户兴趣加 N（可为负）"),
    )
}
"""Effects, written ``effects: {patience: -1, interest: +1}``."""
