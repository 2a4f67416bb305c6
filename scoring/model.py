"""The learned part of the scorer: one small logistic regression per check, weights shipped as data.

Each check's model reads sparse binary features of an answer:

- ``g:<group>``: a cue group of ``data/cues.yaml`` fired (after negation and exceptions);
- ``f:<kind>``: a product-sheet fact of that kind was said (feature, advantage, benefit,
  competitor, support);
- ``r``: the check's own rule detector fired;
- ``len:<bucket>``: how long the answer is;
- ``n:<gram>``: character n-grams (Chinese) or word n-grams (English) of the folded answer.

The weights (``data/model.json``) are written by ``python -m scoring.train`` from the labelled
development data only, with k-fold cross-validation choosing, per check, whether the model is used
at all and how: ``fill`` (the rule decides where it fired; the model decides where it did not) or
``full`` (the model decides, the rule's verdict being one of its features). A check with no entry
is judged by its rule alone. Inference is a sum of weights: no numpy, no download, microseconds.
The strongest n-gram that pushed the decision gives the evidence when the rule has none.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping

from scoring.detectors import detect
from scoring.detectors.base import Context, Finding

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_EN_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|[?!]")
_LEN_BUCKETS = (8, 16, 32, 64, 100, 140, 200)
FACT_KINDS = ("feature", "advantage", "benefit", "competitor", "support")


def length_bucket(units: int) -> str:
    """A coarse length feature."""
    for i, edge in enumerate(_LEN_BUCKETS):
        if units <= edge:
            return f"len:{i}"
    return f"len:{len(_LEN_BUCKETS)}"


def ngrams(ctx: Context) -> dict[str, int]:
    """N-gram features with the offset of their first occurrence (for evidence)."""
    text = ctx.answer.folded
    out: dict[str, int] = {}
    if ctx.answer.chinese:
        # Character bigrams and trigrams over the text without spaces; offsets kept.
        chars = [(i, c) for i, c in enumerate(text) if not c.isspace()]
        for n in (2, 3):
            for j in range(len(chars) - n + 1):
                gram = "".join(c for _, c in chars[j: j + n])
                if _CJK_RE.search(gram):
                    out.setdefault(f"n:{gram}", chars[j][0])
    else:
        tokens = [(m.start(), m.group(0)) for m in _EN_TOKEN_RE.finditer(text)]
        for j, (pos, tok) in enumerate(tokens):
            out.setdefault(f"n:{tok}", pos)
            if j + 1 < len(tokens):
                out.setdefault(f"n:{tok} {tokens[j + 1][1]}", pos)
    return out


def features(ctx: Context, check_id: str, groups: tuple[str, ...]) -> dict[str, int]:
    """All features of an answer for one check, each with an offset (-1: no place in the text)."""
    feats: dict[str, int] = {}
    for group in groups:
        hits = ctx.hits(group)
        if hits:
            feats[f"g:{group}"] = hits[0].start
    for kind in FACT_KINDS:
        matches = ctx.fact_matches(kind, 0.5)
        if matches:
            feats[f"f:{kind}"] = matches[0].start
    finding = detect(ctx, check_id)
    if finding.found:
        feats["r"] = finding.start
    feats[length_bucket(ctx.answer.units)] = -1
    feats.update(ngrams(ctx))
    return feats


@dataclass(frozen=True, slots=True)
class CheckModel:
    """One check's logistic regression."""

    mode: str
    """``fill``: decide only where the rule did not fire; ``full``: always decide."""
    bias: float
    """The intercept."""
    weights: Mapping[str, float]
    """Feature -> weight."""
    threshold: float = 0.5
    """Probability above which the behaviour counts as found."""

    def probability(self, feats: Mapping[str, int]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class Model:
    """The per-check models and the cue groups they read."""

    def __init__(self, raw: Mapping[str, object]) -> None:
        self.groups: tuple[str, ...] = tuple(raw.get("groups") or ())  # type: ignore[arg-type]
        checks = raw.get("checks") or {}
        self.checks: dict[str, CheckModel] = {
            cid: CheckModel(str(m["mode"]), float(m["bias"]), dict(m["weights"]), float(m.get("threshold", 0.5)))
            for cid, m in checks.items()  # type: ignore[union-attr]
        }

    def covers(self, check_id: str) -> bool:
        """True when the check has a learned model."""
        return check_id in self.checks

    def decide(self, ctx: Context, check_id: str, rule: Finding) -> tuple[Finding, str]:
        """Combine the rule's finding with the model's (see the module docstring)."""
        model = self.checks[check_id]
        if model.mode == "fill" and rule.found:
            return rule, "rule"
        feats = ctx.memo(f"model-features:{check_id}", lambda: features(ctx, check_id, self.groups))
        p = model.probability(feats)  # type: ignore[arg-type]
        found = p >= model.threshold
        if found == rule.found:
            return rule, "rule" if rule.has_span else "none"
        # The model overrules the rule: point at the n-gram that pushed hardest its way.
        sign = 1.0 if found else -1.0
        best, best_w = None, 0.0
        for feat, pos in feats.items():  # type: ignore[union-attr]
            w = sign * model.weights.get(feat, 0.0)
            if pos >= 0 and w > best_w:
                best, best_w = (feat, pos), w
        if best is None:
            return Finding(found, note="model_no_span"), "model"
        feat, pos = best
        length = len(feat.split(":", 1)[1]) if feat.startswith("n:") else 1
        return Finding(found, pos, pos + max(1, length), "model"), "model"


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The shipped model, or None when no model file ships (rules only)."""
    path = resources.files("scoring").joinpath("data/model.json")
    if not path.is_file():
        return None
    return Model(json.loads(path.read_text("utf-8")))
