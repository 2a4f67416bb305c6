"""Price objections (article 6, item 14): answer with value, compare fairly with similar brands,
and do not give in to a discount at once."""

from __future__ import annotations

import re

from scoring.detectors import fab
from scoring.detectors.base import Context, Finding, nothing, sentence, span, through_next_sentence


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
    matches = [m for m in ctx.fact_matches("competitor", 0.6) if _fair_at(ctx, m.start)]
    if matches:
        return span(matches[0], "competitor")
    argue = ctx.hits("argue")
    text = ctx.answer.folded
    for hit in ctx.hits("compare"):
        s_start, s_end = sentence(text, hit.start)
        if not any(s_start <= a.start < s_end for a in argue) and _fair_at(ctx, hit.start):
            return span(hit, "compare")  # "嫌贵您去买洽洽啊" is a jab, not a comparison
    # "Yili's cheaper, but ... ours is milked this morning": another product set against ours,
    # pointed at ("theirs", "千五蚊嗰啲") or named as the customer named it.
    other = next((h for h in ctx.hits("other_ref") if _fair_at(ctx, h.start)), None)
    named = _named_by_customer(ctx)
    if other is not None and (ctx.hits("our_ref") or _has_fact(ctx)):
        return span(other, "compare")
    # A name alone is not a comparison: ours must be given a fact to set against it.
    if named is not None and ctx.hits("our_ref") and _has_fact(ctx) and _fair_at(ctx, named[0]):
        return span(named, "compare")
    # The alternative the customer set against us, taken up in their words and answered with ours
    # ("磁卡锁平一半喎" -> "磁卡锁系平啲，但系我哋已经包安装"; "basic GPS trackers are 300" -> "a 300-yuan
    # tracker tells you where the truck is; ours tells you...").
    echoed = _echoed_alternative(ctx)
    if echoed is not None and _has_fact(ctx):
        return span(echoed, "compare")
    return nothing("no_comparison")


# The customer sets something against us: a cheaper offer, another seller, a channel.
_CUSTOMER_COMPARES_RE = re.compile(
    r"比|贵过|平过|贵了|平(?:一半|好多|些|得多)|一半|便宜|只要|才|报价|别家|别的|人家|人们|网上|淘宝|京东|拼多多|隔壁|上一家|那家|进口|国产|批发|超市|外面|"
    r"市场|一样|(?<![a-z])(?:cheaper|less|quoted?|competitors?|other|others|gave me|offers?|same|only|online|"
    r"amazon|down the road|half)(?![a-z])")
# Words both sides use when talking about any price: sharing them is no comparison.
_GENERIC_UNITS = frozenset("""价格 价钱 太贵 贵了 便宜 我们 你们 这个 那个 一台 一个 多少 报价 东西 产品 质量 老板 谢谢 现在
    一年 每个 一样 为什么 点解 比较 其实 时候 price prices expens cheap cheaper more much your yours quot
    thing things product products quality year month week just really""".split())


def _echoed_alternative(ctx: Context) -> tuple[int, int] | None:
    """The customer's alternative, said again in the answer before "we"/"ours" is set against it."""
    if not ctx.customer:
        return None
    heard = ctx.customer_folded()
    cues = [m.start() for m in _CUSTOMER_COMPARES_RE.finditer(heard)]
    if not cues:
        return None
    # Only what the customer said next to the comparison is the alternative ("比京东上的贵",
    # "磁卡锁平一半"): echoing the objection itself ("经费紧张…我们都知道") is empathy, not a comparison.
    reach = 8 if any("\u4e00" <= c <= "\u9fff" for c in heard) else 30
    heard_units = {unit for unit, places in ctx.customer_units().items()
                   if unit not in _GENERIC_UNITS and any(abs(p - c) <= reach for p in places for c in cues)}
    said = ctx.units()
    ours = [h.start for h in ctx.hits("our_ref")]
    text = ctx.answer.folded
    for unit, places in sorted(said.items(), key=lambda kv: kv[1][0]):
        if unit not in heard_units or unit.startswith("#"):
            continue
        if "\u4e00" <= unit[0] <= "\u9fff":
            # Two shared bigrams in a row (three characters of the customer's phrase) or none.
            start = places[0]
            nxt = text[start + 1: start + 3]
            if nxt not in heard_units or nxt not in said:
                continue
            end = start + 3
        else:
            if len(unit) < 4:
                continue
            start, end = places[0], places[0] + len(unit)
        # Ours set against it in the same sentence or the next one.
        n_end = through_next_sentence(text, start)
        if any(start < o < n_end for o in ours):
            return start, end
    return None


def _fair_at(ctx: Context, pos: int) -> bool:
    """Whether the comparison at ``pos`` is not a price matched ("same price as Yili", "同隔籬一樣").

    (Hedged comparisons, "I think ours is maybe a bit fresher?", were tried too: the hedge cues sit in
    too many fair comparisons, and recall fell more than precision rose.)"""
    s_start, s_end = sentence(ctx.answer.folded, pos)
    return not any(s_start <= h.start < s_end for h in ctx.hits("concession"))


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
