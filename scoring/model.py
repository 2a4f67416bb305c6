"""The learned part of the scorer: one small logistic regression per check, weights shipped as data.

Each check's model reads sparse binary features of an answer:

- ``g:<group>``: a cue group of ``data/cues.yaml`` fired (after negation and exceptions);
- ``f:<kind>``: a product-sheet fact of that kind was said (feature, advantage, benefit,
  competitor, support);
- ``r``: the check's own rule detector fired;
- ``n:<gram>``: character n-grams (Chinese) or word n-grams (English) of the folded answer.

The weights (``data/model.json``) are written by ``python -m scoring.train`` from the labelled
development data only, with k-fold cross-validation choosing, per check, whether the model is used
at all and how: ``fill`` (the rule decides where it fired; the model decides where it did not) or
``full`` (the model decides, the rule's verdict being one of its features). A check with no entry
is judged by its rule alone. Inference is a sum of weights: no numpy, no download, microseconds.
When the model finds what the rule missed, the feature that pushed hardest (a cue group's first
hit, a fact, an n-gram) gives the evidence; when it overrules a rule that fired, the result has no
span and says the model decided.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping

from scoring.detectors import detect
from scoring.detectors.base import Context, Finding

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_EN_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|[?!]")
FACT_KINDS = ("feature", "advantage", "benefit", "competitor", "support")


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


NOT_EVIDENCE: Mapping[str, frozenset[str]] = {
    "fab.benefit": frozenset({"g:feature", "g:advantage", "f:feature", "f:advantage"}),
}
"""Features a check's model may not read. A benefit is the customer's gain: an answer full of features
and advantages is exactly the pitch the FAB rule fails ("F and A may be left out, B never"), so their
presence must not be able to add up to a benefit (the labelled data, where good pitches usually carry
all three, would otherwise teach that)."""


def features(ctx: Context, check_id: str, groups: Iterable[str], *, with_ngrams: bool = True,
             fact_kinds: Iterable[str] = FACT_KINDS) -> dict[str, int]:
    """The features of an answer for one check, each with an offset (-1: no place in the text).

    Args:
        ctx: The analysed answer.
        check_id: The check (its rule's verdict is the feature ``r``).
        groups: The cue groups to read (a model reads only those it has weights for).
        with_ngrams: Add the n-gram features.
        fact_kinds: The fact kinds to look for.
    """
    feats: dict[str, int] = {}
    barred = NOT_EVIDENCE.get(check_id, frozenset())
    for group in groups:
        if f"g:{group}" in barred:
            continue
        hits = ctx.hits(group)
        if hits:
            feats[f"g:{group}"] = hits[0].start
    for kind in fact_kinds:
        if f"f:{kind}" in barred:
            continue
        matches = ctx.fact_matches(kind, 0.5)
        if matches:
            feats[f"f:{kind}"] = matches[0].start
    finding = detect(ctx, check_id)
    if finding.found:
        feats["r"] = finding.start
    # No length feature: in the labelled data short answers rarely carry a benefit, and a model
    # that learns that vetoes "但是香，客人回头多" for its length (a writer's habit, not a rule).
    if with_ngrams:
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
    groups: tuple[str, ...] = ()
    """The cue groups this model has weights for (only those are read at grading time)."""
    fact_kinds: tuple[str, ...] = ()
    """The fact kinds this model has weights for."""
    uses_ngrams: bool = False
    """True when any weight is an n-gram's."""

    def probability(self, feats: Mapping[str, int]) -> float:
        """The probability that the behaviour occurs, given the features present."""
        return self.probability_of(self.bias + sum(self.weights.get(f, 0.0) for f in feats))

    @staticmethod
    def probability_of(z: float) -> float:
        """The logistic of a logit (clamped, so extreme sums cannot overflow)."""
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def check_model(raw: Mapping[str, object], known_groups: Iterable[str] | None = None) -> CheckModel:
    """A ``CheckModel`` from its entry in ``data/model.json``.

    Weights of cue groups no longer in ``data/cues.yaml`` (``known_groups``) are dropped, so a
    trainer who removes a group does not break grading; retrain to use the new groups.
    """
    known = set(known_groups) if known_groups is not None else None
    weights = {str(k): float(v) for k, v in dict(raw["weights"]).items()  # type: ignore[call-overload]
               if known is None or not str(k).startswith("g:") or str(k)[2:] in known}
    return CheckModel(
        mode=str(raw["mode"]), bias=float(raw["bias"]), weights=weights,  # type: ignore[arg-type]
        threshold=float(raw.get("threshold", 0.5)),  # type: ignore[arg-type]
        groups=tuple(sorted(f[2:] for f in weights if f.startswith("g:"))),
        fact_kinds=tuple(sorted(f[2:] for f in weights if f.startswith("f:"))),
        uses_ngrams=any(f.startswith("n:") for f in weights),
    )


class Model:
    """The per-check models."""

    def __init__(self, raw: Mapping[str, object], known_groups: Iterable[str] | None = None) -> None:
        checks = raw.get("checks") or {}
        self.checks: dict[str, CheckModel] = {
            cid: check_model(m, known_groups) for cid, m in checks.items()}  # type: ignore[union-attr]
        self.plans = {cid: _Plan.of(m) for cid, m in self.checks.items()}

    def covers(self, check_id: str) -> bool:
        """True when the check has a learned model."""
        return check_id in self.checks

    def decide(self, ctx: Context, check_id: str, rule: Finding) -> tuple[Finding, str]:
        """Combine the rule's finding with the model's (see the module docstring).

        The verdict is exactly that of the sum over every feature, but features are read lazily
        (see ``_Lazy``): most answers are decided after a few cue groups, so the model does not
        scan its thirty groups on every answer.
        """
        model = self.checks[check_id]
        if model.mode == "fill" and rule.found:
            return rule, "rule"
        lazy = _Lazy(ctx, model, self.plans[check_id], rule)
        found = lazy.decision()
        if found == rule.found:
            return rule, "rule" if rule.has_span else "none"
        if not found:
            # The model overrules a rule that fired: no words of the answer show an absence.
            return Finding(False, note="model_no_span"), "model"
        # The model finds what the rule missed: point at the feature that pushed hardest.
        best = lazy.strongest()
        if best is None:
            return Finding(True, note="model_no_span"), "model"
        feat, pos = best
        length = len(feat.split(":", 1)[1]) if feat.startswith("n:") else 1
        return Finding(True, pos, pos + max(1, length), "model"), "model"


_SURE = 1e-9
"""Margin by which a bound must clear the threshold before the unread features are skipped; closer
calls read every feature and sum them in the order ``features`` gives, as the training did."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """The order in which one check's model reads its cue-group and fact features (built once)."""

    names: tuple[tuple[str, bool, str, float], ...]
    """(feature, is a cue group, group or fact kind, weight), in the order ``features`` lists them."""
    by_weight: tuple[int, ...]
    """Indexes into ``names`` by decreasing absolute weight (``features`` order on a tie)."""
    by_pull: tuple[int, ...]
    """Indexes of the positive weights, strongest first (``features`` order on a tie)."""

    @staticmethod
    def of(model: CheckModel) -> "_Plan":
        names = tuple((f"g:{g}", True, g, model.weights[f"g:{g}"]) for g in model.groups) + tuple(
            (f"f:{k}", False, k, model.weights[f"f:{k}"]) for k in model.fact_kinds)
        by_weight = tuple(sorted(range(len(names)), key=lambda i: (-abs(names[i][3]), i)))
        by_pull = tuple(sorted((i for i in range(len(names)) if names[i][3] > 0), key=lambda i: (-names[i][3], i)))
        return _Plan(names, by_weight, by_pull)


class _Lazy:
    """One check's model features for one answer, read only as far as the verdict needs.

    The logit is the bias plus the weights of the features present. Before every feature is read,
    it lies between the sum so far plus every unread negative weight and the sum so far plus every
    unread positive weight; once both bounds fall on the same side of the threshold the verdict is
    known. Features already computed for the answer (the rule, the length, cue groups and facts
    other checks read) come first, then the rest by decreasing weight.
    """

    __slots__ = ("ctx", "model", "plan", "rule", "offsets", "fixed")

    def __init__(self, ctx: Context, model: CheckModel, plan: _Plan, rule: Finding) -> None:
        self.ctx, self.model, self.plan, self.rule = ctx, model, plan, rule
        # Offsets of the cue-group and fact features read so far (None: absent; missing: unread).
        self.offsets: dict[int, int | None] = {}
        # The rule and the n-grams: read at once, they cost nothing more.
        self.fixed: dict[str, int] = {}
        if rule.found:
            self.fixed["r"] = rule.start
        if model.uses_ngrams:
            self.fixed.update(ngrams(ctx))

    def _read(self, i: int) -> int | None:
        if i not in self.offsets:
            _, is_group, key, _ = self.plan.names[i]
            if is_group:
                hits = self.ctx.hits(key)
                self.offsets[i] = hits[0].start if hits else None
            else:
                matches = self.ctx.fact_matches(key, 0.5)
                self.offsets[i] = matches[0].start if matches else None
        return self.offsets[i]

    def decision(self) -> bool:
        """True when the model finds the behaviour (probability at or above its threshold)."""
        model, names, ctx = self.model, self.plan.names, self.ctx
        weights = model.weights
        z = model.bias + sum(weights.get(f, 0.0) for f in self.fixed)
        low = high = z
        unread: list[int] = []
        for i in self.plan.by_weight:
            _, is_group, key, w = names[i]
            if ctx.has_hits_of(key) if is_group else ctx.has_facts_of(key, 0.5):
                if self._read(i) is not None:
                    low += w
                    high += w
            else:
                unread.append(i)
                if w > 0:
                    high += w
                else:
                    low += w
        threshold = model.threshold
        for i in unread:
            if model.probability_of(low - _SURE) >= threshold:
                return True
            if model.probability_of(high + _SURE) < threshold:
                return False
            w = names[i][3]
            if self._read(i) is not None:
                if w > 0:
                    low += w
                else:
                    high += w
            elif w > 0:
                high -= w
            else:
                low -= w
        # Every feature read: the exact sum, in the order ``features`` lists them.
        return model.probability(self.features()) >= threshold

    def features(self) -> dict[str, int]:
        """The present features, in the order ``features`` gives them, with their offsets."""
        out: dict[str, int] = {}
        for i, (name, _, _, _) in enumerate(self.plan.names):
            pos = self._read(i)
            if pos is not None:
                out[name] = pos
        out.update(self.fixed)
        return out

    def strongest(self) -> tuple[str, int] | None:
        """The present feature with the largest positive weight and a place in the text (the first
        in ``features`` order on a tie), or None."""
        if not self.model.uses_ngrams:
            for i in self.plan.by_pull:
                pos = self._read(i)
                if pos is not None and pos >= 0:
                    return self.plan.names[i][0], pos
            return None
        best, best_w = None, 0.0
        for feat, pos in self.features().items():
            w = self.model.weights.get(feat, 0.0)
            if pos >= 0 and w > best_w:
                best, best_w = (feat, pos), w
        return best


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The shipped model, or None when no model file ships (rules only)."""
    path = resources.files("scoring").joinpath("data/model.json")
    if not path.is_file():
        return None
    from scoring.cues import load_cues

    return Model(json.loads(path.read_text("utf-8")), load_cues().groups)
