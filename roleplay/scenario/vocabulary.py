"""The fixed vocabulary of conditions and effects that scenario files may use.

A YAML file names entries of this vocabulary, never Python code. The engine implements each
entry (``roleplay.engine``) and a test checks the two agree. Keeping the names here, in the
scenario package, lets the loader check them without importing the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ArgKind = Literal["meter", "count", "check", "state"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One vocabulary entry, as a trainer writes it under ``when:`` or ``effects:``."""

    name: str
    """The key written in YAML."""
    arg: ArgKind
    """What its argument is: a meter value 0-5, a count, a check id or a state id."""
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
        Entry("passed", "check", "this answer passed the check (e.g. fab.benefit)", "这句回答通过了该检查项"),
        Entry("failed", "check", "this answer failed the check (e.g. etiquette.no_argument)", "这句回答未通过该检查项"),
        Entry("visited", "state", "the conversation has already been in that state", "对话已经到过该状态"),
        Entry("turns_at_least", "count", "the trainee has answered at least N times", "学员已回答至少 N 次"),
    )
}
"""Conditions, written ``when: {interest_at_least: 3, passed: fab.benefit}`` (all must hold)."""

EFFECTS: dict[str, Entry] = {
    e.name: e
    for e in (
        Entry("patience", "count", "add N (may be negative) to the customer's patience", "客户耐心加 N（可为负）"),
        Entry("interest", "count", "add N (may be negative) to the customer's interest", "客户兴趣加 N（可为负）"),
    )
}
"""Effects, written ``effects: {patience: -1, interest: +1}``."""
