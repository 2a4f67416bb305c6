"""The sales diary entry of the source articles (营销日记), written from a finished session.

Article 5 asks for a daily diary: work done, gains and losses, improvements, the customer's
opinion and how it was handled, reflections. The scorecard saves one with a single keystroke;
the words come from ``locales/diary.<lang>.yaml``.
"""

from __future__ import annotations

from typing import Any, Sequence

from roleplay.i18n import Translator
from roleplay.scenario.model import Scenario


def _describe(check_id: str, lang: str) -> str:
    from scoring.catalogue import load_catalogue

    spec = load_catalogue().checks.get(check_id)
    if spec is None:
        return check_id
    return spec.describes.get(lang) or next(iter(spec.describes.values()))


def compose_diary(scenario: Scenario, grade: Any, turns: Sequence[Any], lang: str,
                  plan: dict[str, Any] | None = None, review: str = "") -> str:
    """A diary entry for one session, in ``lang``.

    Args:
        scenario: The scenario played.
        grade: The session result (``score``, ``passed``, ``checks`` with ``passed``/``feedback``).
        turns: The turns (``customer``, ``trainee``, ``reply``), in order.
        lang: The language to write in.
        plan: The pre-visit plan, if one was made.
        review: The post-visit review, if written.
    """
    t = Translator(lang, area="diary")
    title = scenario.title.get(lang) or next(iter(scenario.title.values()))
    persona = scenario.persona.name.get(lang) or next(iter(scenario.persona.name.values()))
    verdict = t("passed") if grade.passed else t("not_passed")
    gains = [_describe(c.id, lang) for c in grade.checks if c.passed]
    losses = [c for c in grade.checks if not c.passed]
    lines = [
        t("work_done", scenario=title, customer=persona, turns=len(turns), score=grade.score, verdict=verdict),
        t("gains", items=t("sep").join(gains) if gains else t("nothing")),
        t("losses", items=t("sep").join(_describe(c.id, lang) for c in losses) if losses else t("nothing")),
    ]
    improvements = [c.feedback for c in losses if c.feedback]
    if improvements:
        lines.append(t("improvements"))
        lines.extend(f"- {text}" for text in improvements)
    last_customer = next((x.reply or x.customer for x in reversed(turns) if (x.reply or x.customer)), "")
    if last_customer:
        lines.append(t("customer_opinion", words=last_customer))
    if plan and plan.get("goal"):
        lines.append(t("plan_goal", goal=plan["goal"]))
    if review.strip():
        lines.append(t("reflection", text=review.strip()))
    return "\n".join(lines)
