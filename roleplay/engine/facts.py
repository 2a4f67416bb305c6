"""A scenario's product sheet as the scorer reads it: ``ProductFacts`` in one language."""

from __future__ import annotations

from scoring.facts import ProductFacts, from_product

from roleplay.scenario.model import Product


def product_facts(product: Product | None, lang: str) -> ProductFacts | None:
    """The facts of ``product`` in ``lang`` (``zh``, ``zh-Hant`` or ``en``); None without a product.

    The conversion itself belongs to the scorer (``scoring.facts.from_product``), which reads the
    same fields; the engine calls it once per language and runtime.
    """
    if product is None:
        return None
    return from_product(product, lang)
