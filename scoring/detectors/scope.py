"""Out-of-scope requests (the Lexmark story): route to the right team, take the contact and the
fault, promise the follow-up; never take the job on yourself, never brush the customer off."""

from __future__ import annotations

import re

from scoring.detectors.base import Context, Finding, nothing, span

CURT_LIMIT = {"zh": 14, "en": 9}
"""An answer this short that only points elsewhere, without a courtesy, is a brush-off."""

_SENTENCE_RE = re.compile(r"[^.!?;\n]*[.!?;\n]?")
_YOU_RE = re.compile(r"您|你|(?<![a-z])(?:you|your|yours)(?![a-z])")
_ASKING_RE = re.compile(r"\?|吗|吧|呢|(?<![a-z])(?:could|can|may|would|please|give|leave|send|confirm)(?![a-z])|留|给我|发我|告诉|记|方便|麻烦|请")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text) if m.end() > m.start()]


def routes(ctx: Context) -> Finding:
    """Points to the team, hotline or person who really handles it (not bypassing them)."""
    bypass = ctx.negated("support")
    # "不用走售后了，我直接给您换": going round the team is the opposite of routing. But "I'm not an
    # engineer, our service engineers will..." negates only the salesperson: a team named elsewhere routes.
    if bypass and not ctx.hits("support"):
        return Finding(False, bypass[0].start, bypass[0].end, "not_routed")
    matches = ctx.fact_matches("support", 0.6)
    if matches:
        return span(matches[0], "support_team")
    if ctx.facts is not None:
        at = ctx.facts.hotline_in(ctx.answer)
        if at:
            return span(at, "hotline")
    hit = ctx.first("support")
    return span(hit, "support") if hit else nothing("not_routed")


def _in(ctx: Context, group: str, start: int, end: int) -> bool:
    return any(start <= h.start < end for h in ctx.hits(group))


def takes_contact(ctx: Context) -> Finding:
    """Asks for the customer's phone, address or other contact (giving ours does not count)."""
    hit = ctx.first("contact_ask")
    if hit:
        return span(hit, "contact")
    text = ctx.answer.folded
    for word in ctx.hits("contact_word"):
        c_start, c_end = ctx.answer.clause(word.start)
        if _in(ctx, "our_contact", c_start, c_end):
            continue
        clause = text[c_start:c_end]
        # Asked of the customer: a question, a request verb, or "your ..." in the same clause.
        s_end = next((e for s, e in _sentences(text) if s <= word.start < e), c_end)
        if _YOU_RE.search(clause) or _ASKING_RE.search(clause) or "?" in text[c_end:s_end]:
            return span((c_start, c_end), "contact")
    return nothing("no_contact")


def takes_fault(ctx: Context) -> Finding:
    """Asks what the problem is, or for details of the request (which, when, how many...)."""
    hit = ctx.first("fault_ask")
    if hit:
        return span(hit, "fault")
    text = ctx.answer.folded
    for hit in ctx.hits("detail_request"):
        # "Leave me your number and tell me his age": only what the request itself asks for counts.
        _, c_end = ctx.answer.clause(hit.start)
        if not _in(ctx, "contact_word", hit.start, min(c_end, hit.end + 12)):
            return span(hit, "fault")
    questions = [(s, e) for s, e in _sentences(text) if "?" in text[s:e]]
    for wh in ctx.hits("wh_question"):
        if not any(s <= wh.start < e for s, e in questions):
            continue
        c_start, c_end = ctx.answer.clause(wh.start)
        if _in(ctx, "contact_word", c_start, c_end) or _in(ctx, "help_offer", c_start, c_end):
            continue
        if text[wh.start:wh.end] == "?" and (c_end - c_start) < 2:
            continue
        return span((c_start, c_end), "fault")
    return nothing("no_fault_question")


def promises_followup(ctx: Context) -> Finding:
    """Promises that the right person will get back to them."""
    hit = ctx.first("promise")
    return span(hit, "promise") if hit else nothing("no_promise")


def self_handles(ctx: Context) -> Finding:
    """Repair steps, a diagnosis or verdict, advice or a dose, a visit, or a promise beyond a
    salesperson's authority."""
    hit = ctx.first("self_handling")
    return span(hit, "self_handling") if hit else nothing("no_self_handling")


def _engages(ctx: Context) -> bool:
    """Whether the answer does something about the request: asks about it, promises or tries a fix.

    A bare pointer elsewhere after arguing ("Anyway, ask customer service") is still a brush-off.
    """
    return bool(ctx.hits("self_handling") or ctx.hits("promise") or ctx.hits("help_offer") or ctx.hits("fault_ask")
                or ctx.hits("detail_request") or ctx.hits("contact_ask"))


def dismisses(ctx: Context) -> Finding:
    """Brushing the customer off (blaming them, denying the problem), or a curt pointer elsewhere."""
    hit = ctx.first("brush_off")
    if hit:
        return span(hit, "brush_off")
    # Arguing pushes the customer away only when nothing else is done for them: blame followed by a
    # fix, a question about the fault or a promise is arguing (and perhaps self-handling), not a brush-off.
    # The fault put on the customer with nothing done ("someone at your shop must have…") is one too,
    # and so is help put off to some day or a sales pitch instead of an answer (cue group "deflect").
    hit = ctx.first("argue") or ctx.first("blame") or ctx.first("deflect")
    if hit and not _engages(ctx):
        return span(hit, "brush_off")
    a = ctx.answer
    if a.units <= CURT_LIMIT["zh" if a.chinese else "en"] and not ctx.first("polite") and not ctx.first("promise"):
        routed = ctx.memo("scope.routes_to_support", lambda: routes(ctx))
        if routed.found:  # type: ignore[union-attr]
            return Finding(True, routed.start, routed.end, "curt")  # type: ignore[union-attr]
    return nothing("not_dismissive")


DETECTORS = {
    "scope.routes_to_support": routes,
    "scope.takes_contact": takes_contact,
    "scope.takes_fault": takes_fault,
    "scope.promises_followup": promises_followup,
    "scope.no_self_handling": self_handles,
    "scope.not_dismissive": dismisses,
}
