"""Price objections (article 6, item 14): answer with value, compare fairly with similar brands,
and do not give in to a discount at once."""

from __future__ import annotations

import re

from scoring.detectors import fab
from scoring.detectors.base import Context, Finding, nothing, span

_SENTENCE_END_RE = re.compile(r"[.!?;\n]")


def _sentence(ctx: Context, pos: int) -> tuple[int, int]:
    text = ctx.answer.folded
    start = 0
    for m in _SENTENCE_END_RE.finditer(text, 0, pos):
        start = m.end()
    m = _SENTENCE_END_RE.search(text, pos)
    return start, (m.start() if m else len(text))


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
    hit = ctx.first("compare")
    return span(hit, "compare") if hit else nothing("no_comparison")


def gives_discount(ctx: Context) -> Finding:
    """A price cut, free gift or better terms offered at once; a refusal or a condition met later is not."""
    refused = ctx.hits("refusal")
    deferred = ctx.hits("deferral")
    for hit in ctx.hits("concession"):
        if any(r.start <= hit.start < r.end or hit.start <= r.start < hit.end for r in refused):
            continue
        s_start, s_end = _sentence(ctx, hit.start)
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
