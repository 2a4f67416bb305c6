"""The three-step close (article 5): an advantage, the customer's agreement with it, the order.

``close.sequence`` is judged over the whole conversation in ``scoring.session``.
"""

from __future__ import annotations

import re

from scoring.detectors import fab
from scoring.detectors.base import Context, Finding, nothing, sentence, span, through_next_sentence
from scoring.factmatch import units_at


def states_advantage(ctx: Context) -> Finding:
    """Presents one advantage (or benefit) of the product, not merely the customer's own point again."""
    for kind in ("advantage", "benefit"):
        found = ctx.memo(f"fab.{kind}", lambda k=kind: getattr(fab, k)(ctx))
        if found.found:  # type: ignore[union-attr]
            if _echoes_customer(ctx, found) and not _more_after(ctx, found):  # type: ignore[arg-type]
                return Finding(False, found.start, found.end, "repeats_customer")  # type: ignore[union-attr]
            return found  # type: ignore[return-value]
    return nothing("no_advantage")


def _echoes_customer(ctx: Context, found: Finding) -> bool:
    """Whether the clause of ``found`` is mostly the customer's own words ("They do last longer, yes")."""
    if not ctx.customer or found.start is None:
        return False
    c_start, c_end = ctx.answer.clause(found.start)
    said = set(units_at(ctx.answer.folded[c_start:c_end]))
    if len(said) < 2:
        return False
    heard = set(ctx.customer_units())
    return len(said & heard) / len(said) >= 0.6


def _more_after(ctx: Context, found: Finding) -> bool:
    """Whether another advantage or gain is said outside the echoed clause."""
    _, c_end = ctx.answer.clause(found.start)  # type: ignore[arg-type]
    return any(h.start >= c_end for group in ("advantage", "benefit", "gain") for h in ctx.hits(group))


# A question asking leave ("可以吗", "行不行", "OK?") rather than agreement with a point.
_PERMISSION_RE = re.compile(r"可以吗|行吗|行不行|好吗|好不好|成吗|得唔得|怎么样|如何|您看呢|你看呢|"
                            r"(?<![a-z])(?:ok|okay|alright|deal|sound good|shall we|shall i)(?![a-z])")


def seeks_agreement(ctx: Context) -> Finding:
    """Asks the customer to agree with the point ("对您很有用，对吧？", "wouldn't you agree?")."""
    # "您看可以吗？" after "那我先给您下五台" asks about the order, not about the advantage; a tag
    # such as "您说是不是？" after "进货" still asks agreement with the point.
    orders = ctx.hits("order_ask")
    text = ctx.answer.folded
    for hit in ctx.hits("agreement_ask"):
        s_start, s_end = sentence(text, hit.start)
        if any(s_start <= o.start < s_end for o in orders) and _PERMISSION_RE.search(text, hit.start, s_end):
            continue
        return span(hit, "agreement")
    return nothing("no_agreement_question")


def asks_for_order(ctx: Context) -> Finding:
    """A concrete request to buy, sign or stock, not taken straight back ("…不过也不一定", ruling 12)."""
    hit = ctx.first("order_ask")
    if hit is None:
        return nothing("no_order_request")
    # Taken back: a retraction after the last order ask, in its sentence or the next one.
    last = ctx.hits("order_ask")[-1]
    n_end = through_next_sentence(ctx.answer.folded, last.start)
    if any(last.start < r.start < n_end for r in ctx.hits("retract")):
        return Finding(False, hit.start, hit.end, "order_taken_back")
    return span(hit, "order")


DETECTORS = {
    "close.states_advantage": states_advantage,
    "close.seeks_agreement": seeks_agreement,
    "close.asks_for_order": asks_for_order,
}
