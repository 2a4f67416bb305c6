"""Product facts in one language: what the FAB detectors compare a trainee's answer with.

The scorer never imports ``roleplay``; the engine turns its validated ``Product`` into a
``ProductFacts`` (``from_product`` duck-types it), and the benchmark reads raw product YAML
mappings (``from_mapping``) in the same format as ``scenarios/products/*.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """One product sheet in one language; every field is a tuple of phrases as a trainer wrote them."""

    name: str = ""
    """The product's name."""
    features: tuple[str, ...] = ()
    """F: facts about the product (what it is or has)."""
    advantages: tuple[str, ...] = ()
    """A: what a feature does or how it beats alternatives."""
    benefits: tuple[str, ...] = ()
    """B: what the customer gains."""
    competitors: tuple[str, ...] = ()
    """Similar products or brands the trainee may compare with."""
    support_team: str = ""
    """The team that really handles out-of-scope requests (e.g. ``技术支持部``)."""
    hotline: str = ""
    """Its phone number or contact, if any."""
    price: str = ""
    """The price as a customer would hear it."""


def base_lang(lang: str) -> str:
    """``zh-Hant`` and other Chinese variants read the ``zh`` texts; anything else reads ``en``."""
    return "zh" if lang.lower().startswith("zh") else "en"


def _phrases(lines: Mapping[str, Any] | None, lang: str) -> tuple[str, ...]:
    if not lines:
        return ()
    value = lines.get(lang) or ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value if v)


def _text(text: Mapping[str, Any] | None, lang: str) -> str:
    if not text:
        return ""
    value = text.get(lang, "")
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return str(value or "")


def _fact_phrases(facts: Iterable[Any], lang: str) -> tuple[str, ...]:
    out: list[str] = []
    for fact in facts or ():
        # A scenario ``Fact`` keeps its phrasings in ``.text``; a raw YAML fact has them per language.
        lines = getattr(fact, "text", None)
        if lines is None and isinstance(fact, Mapping):
            lines = fact
        out.extend(_phrases(lines, lang))
    return tuple(out)


def from_product(product: Any, lang: str) -> ProductFacts:
    """Build the facts of a scenario ``Product`` (duck-typed: no import of ``roleplay``).

    Args:
        product: An object with ``name``, ``features``, ``advantages``, ``benefits``,
            ``competitors``, ``price`` and ``support`` as in ``roleplay.scenario.model.Product``.
        lang: ``zh``, ``zh-Hant`` or ``en``.
    """
    lang = base_lang(lang)
    support = getattr(product, "support", None)
    return ProductFacts(
        name=_text(getattr(product, "name", None), lang),
        features=_fact_phrases(getattr(product, "features", ()), lang),
        advantages=_fact_phrases(getattr(product, "advantages", ()), lang),
        benefits=_fact_phrases(getattr(product, "benefits", ()), lang),
        competitors=tuple(p for c in getattr(product, "competitors", ()) or () if (p := _text(c, lang))),
        support_team=_text(getattr(support, "team", None), lang) if support else "",
        hotline=str(getattr(support, "hotline", "") or "") if support else "",
        price=_text(getattr(product, "price", None), lang),
    )


def from_mapping(raw: Mapping[str, Any], lang: str) -> ProductFacts:
    """Build the facts from a product sheet as read from YAML (``scenarios/products/*.yaml`` format)."""
    lang = base_lang(lang)
    support = raw.get("support") or {}
    return ProductFacts(
        name=_text(raw.get("name"), lang),
        features=_fact_phrases(raw.get("features") or (), lang),
        advantages=_fact_phrases(raw.get("advantages") or (), lang),
        benefits=_fact_phrases(raw.get("benefits") or (), lang),
        competitors=tuple(p for c in raw.get("competitors") or () if (p := _text(c, lang))),
        support_team=_text(support.get("team"), lang),
        hotline=str(support.get("hotline") or ""),
        price=_text(raw.get("price"), lang),
    )
