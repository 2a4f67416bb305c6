"""Out-of-scope requests (the Lexmark story): route to the right team, take the contact and the
fault, promise the follow-up; never take the job on yourself, never brush the customer off."""

from __future__ import annotations

from scoring.detectors.base import Context, Finding, nothing, span

CURT_LIMIT = {"zh": 14, "en": 9}
"""An answer this short that only points elsewhere, without a courtesy, is a brush-off."""


def routes(ctx: Context) -> Finding:
    """Points to the team, hotline or person who really handles it."""
    matches = ctx.fact_matches("support", 0.6)
    if matches:
        return span(matches[0], "support_team")
    if ctx.facts is not None:
        at = ctx.facts.hotline_in(ctx.answer)
        if at:
            return span(at, "hotline")
    hit = ctx.first("support")
    return span(hit, "support") if hit else nothing("not_routed")


def takes_contact(ctx: Context) -> Finding:
    """Asks for the customer's phone, address or other contact (giving ours does not count)."""
    hit = ctx.first("contact_ask")
    return span(hit, "contact") if hit else nothing("no_contact")


def takes_fault(ctx: Context) -> Finding:
    """Asks what the problem is."""
    hit = ctx.first("fault_ask")
    return span(hit, "fault") if hit else nothing("no_fault_question")


def promises_followup(ctx: Context) -> Finding:
    """Promises that the right person will get back to them."""
    hit = ctx.first("promise")
    return span(hit, "promise") if hit else nothing("no_promise")


def self_handles(ctx: Context) -> Finding:
    """Repair steps, a diagnosis, medical advice, a visit or a promise beyond a salesperson's authority."""
    hit = ctx.first("self_handling")
    return span(hit, "self_handling") if hit else nothing("no_self_handling")


def dismisses(ctx: Context) -> Finding:
    """Brushing the customer off, or a curt "call the hotline" with nothing else."""
    hit = ctx.first("brush_off")
    if hit:
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
