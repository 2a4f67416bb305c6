"""One detector per turn check, grouped by rubric (``fab``, ``etiquette``, ``price``, ``scope``,
``close``). ``DETECTORS`` maps every turn-scope check id of the catalogue to its detector."""

from __future__ import annotations

from scoring.detectors import close, etiquette, fab, price, scope
from scoring.detectors.base import Context, Detector, Finding

DETECTORS: dict[str, Detector] = {
    **fab.DETECTORS, **etiquette.DETECTORS, **price.DETECTORS, **scope.DETECTORS, **close.DETECTORS,
}


def detect(ctx: Context, check_id: str) -> Finding:
    """Run the detector of ``check_id`` once per answer (later detectors reuse earlier findings)."""
    return ctx.memo(check_id, lambda: DETECTORS[check_id](ctx))  # type: ignore[return-value]


__all__ = ["DETECTORS", "Context", "Detector", "Finding", "detect"]
