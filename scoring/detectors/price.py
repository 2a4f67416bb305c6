"""Price objections (article 6, item 14): answer with value, compare fairly with similar brands,
and do not give in to a discount at once."""

from __future__ import annotations

import re

from scoring.detectors import fab
from scoring.detectors.base import Context, Finding, nothing, sentence, span


def value_over_price(ctx: Context) -> Finding:
    """Value shown: quality, freshness, what the customer gains, cost per use... not only a discount."""
    for kind in ("benefit", "advantage"):
        found = ctx.memo(f"fab.{kind}", lambda k=kind: getattr(fab, k)(ctx))
        if found.found:  # type: ignore[union-attr]
            return found  # type: ignore[return-value]
    hit = ctx.first("value")
    return span(hit, "value") if hit else nothing("no_value")


def compares_competitor(ctx: Context) -> Finding:
    """A fair comparison with similar brands or products; running them down is not one."""
    bad = ctx.first("disparage")
    if bad:
        return Finding(False, bad.start, bad.end, "disparaging")
    matches = ctx.fact_matches("competitor", 0.6)
    if matches:
        return span(matches[0], "competitor")
    argue = ctx.hits("argue")
    text = ctx.answer.folded
    for hit in ctx.hits("compare"):
        s_start, s_end = sentence(text, hit.start)
        if not any(s_start <= a.start < s_end for a in argue):  # "嫌贵您去买洽洽啊" is a jab
            return span(hit, "compare")
    # "Yili's cheaper, but ... ours is milked this morning": another product set against ours,
    # pointed at ("theirs", "千五蚊嗰啲") or named as the customer named it.
    other = ctx.first("other_ref")
    named = _named_by_customer(ctx)
    if other is not None and (ctx.hits("our_ref") or _has_fact(ctx)):
        return span(other, "compare")
    # A name alone is not a comparison: ours must be given a fact to set against it.
    if named is not None and ctx.hits("our_ref") and _has_fact(ctx):
        return span(named, "compare")
    return nothing("no_comparison")


def _has_fact(ctx: Context) -> bool:
    """Whether the answer gives our product an advantage or a feature (something to compare)."""
    return any(ctx.memo(f"fab.{kind}", lambda k=kind: getattr(fab, k)(ctx)).found  # type: ignore[union-attr]
               for kind in ("advantage", "feature"))


_NAME_RE = re.compile(r"(?<![A-Za-z])([A-Z][A-Za-z0-9]{1,15})(?![A-Za-z])")
_NOT_NAMES = {"I", "I'm", "OK", "Ok", "The", "This", "That", "These", "Those", "Your", "You", "We", "Our", "It",
              "Its", "Why", "What", "How", "And", "But", "So", "Yes", "No", "Well", "Hi", "Hello", "Sir", "Madam",
              "Mr", "Mrs", "Ms", "Dr", "Doctor", "Boss", "Is", "Are", "Can", "Could", "Do", "Does", "If", "For",
              "They", "Their", "He", "She", "My", "A", "An", "Not", "Too", "Really", "Sorry", "Look", "Listen"}


def _named_by_customer(ctx: Context) -> tuple[int, int] | None:
    """A brand the customer named (a capitalised word of their line) that the answer names too."""
    if not ctx.customer:
        return None
    names = {m.group(1) for m in _NAME_RE.finditer(ctx.customer)} - _NOT_NAMES
    head = ctx.answer.original[: len(ctx.answer.folded)]
    for m in _NAME_RE.finditer(head):
        if m.group(1) in names:
            return m.start(), m.end()
    return None


def gives_discount(ctx: Context) -> Finding:
    """A price cut, free gift or better terms offered at once; a refusal or a condition met later is not."""
    refused = ctx.hits("refusal")
    deferred = ctx.hits("deferral")
    first_clause_end = ctx.answer.clause_ends[0] if ctx.answer.clause_ends else 0
    for hit in ctx.hits("concession"):
        if any(r.start <= hit.start < r.end or hit.start <= r.start < hit.end for r in refused):
            continue
        # "降一千？你开玩笑吧": repeating the customer's demand as a question is not granting it.
        if hit.start < first_clause_end and ctx.answer.folded[first_clause_end: first_clause_end + 1] == "?":
            continue
        s_start, s_end = sentence(ctx.answer.folded, hit.start)
        if any(s_start <= d.start < s_end for d in deferred):
            continue
        return span(hit, "discount")
    if refused or ctx.negated("concession"):
        return nothing("refused_discount")
    return nothing("no_discount")


DETECTORS = {
    "price.value_over_price": value_over_price,
    "price.compares_competitor": compares_competitor,
    "price.no_instant_discount": gives_discount,
}
