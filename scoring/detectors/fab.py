"""FAB: feature, advantage, benefit - from the product sheet in the trainee's own words, or from
the general shapes of each (a number with a unit; a comparison or what something does; the
customer as the one who gains)."""

from __future__ import annotations

import re

from scoring.detectors.base import Context, Finding, nothing, span

FACT_THRESHOLD = 0.5
"""Share of a fact phrase's units that must occur in one clause for the fact to count as said."""


def _fact_or_cue(ctx: Context, kind: str, miss: str) -> Finding:
    # The terms of a deal ("I'll knock 300 off", "再送500张面单纸", "免费延保两年") and the words of an
    # argument ("您这个20%的数字不准确") are not facts about the product, whatever numbers they hold.
    def usable(start: int) -> bool:
        return not _in_deal_or_argument(ctx, start)

    matches = [m for m in ctx.fact_matches(kind, FACT_THRESHOLD) if usable(m.start)]
    if matches:
        return span(matches[0], f"fact_{kind}")
    # A benefit cue inside a courtesy ("take your time", "thank you for your time") is manners, not a gain.
    courtesy = ctx.hits("courtesy_clause") if kind == "benefit" else []
    for hit in ctx.hits(kind):
        if any(c.start <= hit.start < c.end or hit.start <= c.start < hit.end for c in courtesy):
            continue
        if not usable(hit.start):
            continue
        if kind == "feature" and not _about_the_product(ctx, hit.start, hit.end):
            continue
        return span(hit, f"cue_{kind}")
    return nothing(miss)


# A span of time or a percentage says something about the product only when the product is the topic:
# "the battery lasts 12 hours" is a feature, "twenty years with that fridge", "maybe 10%" and "at 30
# litres you're one of our biggest cafés" are not.
_TIME_OR_SHARE_RE = re.compile(r"(?:\d|%|percent|年|个月|月|周|天|小时|分钟|秒|years?|months?|weeks?|days?|hours?|"
                               r"minutes?|mins?|seconds?)$")


def _about_the_product(ctx: Context, start: int, end: int) -> bool:
    text = ctx.answer.folded[start:end]
    if not _TIME_OR_SHARE_RE.search(text):
        return True
    c_start, c_end = ctx.answer.clause(start)
    ours = [h.start for group in ("our_ref", "product_ref") for h in ctx.hits(group) if c_start <= h.start < c_end]
    yours = [h.start for h in ctx.hits("customer_ref") if c_start <= h.start < c_end]
    return bool(ours) and not (yours and min(yours) < min(ours))


def _in_deal_or_argument(ctx: Context, pos: int) -> bool:
    """Whether the clause at ``pos`` gives something away or argues.

    Negated concessions count too: "I can't do 10%" is a deal's terms, not a fact. When the answer's
    concession or argument cues were already found (a price or etiquette check asked), they are reused;
    otherwise only this clause is searched, which is much cheaper than the whole answer.
    """
    c_start, c_end = ctx.answer.clause(pos)
    for group, negation in (("concession", False), ("argue", True)):
        if ctx.has_hits_of(group, negation=negation):
            if any(c_start <= h.start < c_end for h in ctx.hits(group, negation=negation)):
                return True
            continue
        patterns = ctx.cues.groups[group].patterns
        if any(patterns.get(lang) is not None and patterns[lang].search(ctx.answer.folded, c_start, c_end)
               for lang in ctx.answer.scripts):
            return True
    return False


def feature(ctx: Context) -> Finding:
    """A concrete fact about the product: a sheet feature, a number with a unit, a material..."""
    return _fact_or_cue(ctx, "feature", "no_feature")


def advantage(ctx: Context) -> Finding:
    """What a feature does or how the product beats the alternatives."""
    return _fact_or_cue(ctx, "advantage", "no_advantage")


def benefit(ctx: Context) -> Finding:
    """What the customer gains, said about the customer (or their customers, staff, family).

    The FAB rule "F and A may be left out, B never" rests on this detector: a pitch with a
    feature and an advantage but no benefit fails ``fab.benefit`` (and the session score gives
    feature and advantage no credit without a benefit, see ``scoring.session``).
    """
    found = _fact_or_cue(ctx, "benefit", "no_benefit")
    if found.found:
        return found
    # A softer gain ("睡个整觉", "more relaxed") is a benefit when someone on the customer's side
    # gains it in the same clause; "您放心" said on its own is a reassurance, not a benefit.
    beneficiaries = ctx.hits("beneficiary")
    if not beneficiaries:
        return found
    reassurance = ctx.cues.groups["reassurance"].patterns

    def inside(group: str, start: int, end: int) -> bool:
        return any(start <= h.start < end for h in ctx.hits(group))

    # A soft gain ("happy", "safe") counts only as what will come of it ("so your family stays safe").
    soft = [g for g in ctx.hits("gain_soft") if inside("change_marker", *ctx.answer.clause(g.start))]
    for gain in sorted(ctx.hits("gain") + soft, key=lambda h: h.start):
        c_start, c_end = ctx.answer.clause(gain.start)
        if not inside("beneficiary", c_start, c_end) or inside("courtesy_clause", c_start, c_end):
            continue
        clause = ctx.answer.folded[c_start:c_end]
        if any(p is not None and p.search(clause) for p in reassurance.values()):
            continue
        return span((c_start, c_end), "cue_benefit")
    return found


DETECTORS = {"fab.feature": feature, "fab.advantage": advantage, "fab.benefit": benefit}
