"""The scorer's front door: ``Grader.grade_answer`` and ``Grader.grade_session`` (docs/internals.md §2).

For each check asked for, the check's detector (``scoring.detectors``) reads the folded answer
with the cue patterns and the product facts; where the learned model (``scoring.model``) is
available for the check, it decides the answers the rules leave open (see ``scoring.model``).
The finding becomes a ``CheckResult``: passed or not, the trainee's own words that decided it,
a note and the feedback in the answer's language. Pure and deterministic.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from scoring import session as session_rules
from scoring.catalogue import Catalogue, load_catalogue
from scoring.cues import CueBook, load_cues
from scoring.detectors import Context, detect
from scoring.detectors.base import Finding
from scoring.factmatch import fact_index
from scoring.facts import ProductFacts
from scoring.model import Model, load_model
from scoring.notes import note_text
from scoring.results import CheckResult, SessionGrade
from scoring.text import analyse


class Grader:
    """Grades answers and sessions. Create once and reuse: loading takes a few hundred milliseconds."""

    def __init__(self, *, catalogue: Catalogue | None = None, cues: CueBook | None = None,
                 model: Model | None | bool = True) -> None:
        """
        Args:
            catalogue: The check catalogue (default: the shipped one).
            cues: The cue patterns (default: the shipped ``data/cues.yaml``).
            model: The learned model: True for the shipped one, False/None for rules only, or a
                ``Model`` instance.
        """
        self.catalogue = catalogue or load_catalogue()
        self.cues = cues or load_cues()
        if model is True:
            self.model: Model | None = load_model()
        else:
            self.model = model or None

    def analyse(self, answer: str, *, lang: str, facts: ProductFacts | None = None, customer: Any = None) -> Context:
        """The detectors' view of one answer (also used by the training script)."""
        return Context(analyse(answer or "", lang), lang, self.cues, fact_index(facts) if facts is not None else None,
                       str(customer or ""))

    def grade_answer(self, answer: str, *, lang: str, checks: Sequence[str], facts: ProductFacts | None = None,
                     customer: Any = None) -> tuple[CheckResult, ...]:
        """Grade one answer on the turn checks named (session checks are skipped).

        Args:
            answer: What the trainee said, any length; control characters are harmless.
            lang: ``zh``, ``zh-Hant`` or ``en``: the answer's language (feedback follows it).
            checks: Check ids, in the order the results should come.
            facts: The scenario's product facts in this language, if it has a product.
            customer: What the customer just said (context).

        Raises:
            KeyError: For a check id the catalogue does not know.
        """
        ctx = self.analyse(answer, lang=lang, facts=facts, customer=customer)
        # Every rule first: the learned models then find most of their cue groups already searched
        # (detectors are pure and memoised per answer, so the order changes no verdict).
        for check_id in checks:
            if self.catalogue.checks[check_id].scope == "turn":
                detect(ctx, check_id)
        out: list[CheckResult] = []
        for check_id in checks:
            spec = self.catalogue.checks[check_id]
            if spec.scope != "turn":
                continue
            finding, source = self._decide(ctx, check_id)
            passed = finding.found if spec.kind == "does" else not finding.found
            evidence = ctx.answer.evidence(finding.start, finding.end, widen=finding.widen) if finding.has_span else None
            note = note_text(finding.note, lang)
            if not ctx.answer.folded.strip():
                note = note_text("empty", lang)
            elif ctx.answer.truncated and not finding.has_span:
                note = f"{note}; {note_text('truncated', lang)}" if note else note_text("truncated", lang)
            out.append(CheckResult(check_id, passed, evidence, note, spec.feedback_for(passed, lang), source))
        return tuple(out)

    def _decide(self, ctx: Context, check_id: str) -> tuple[Finding, str]:
        finding = detect(ctx, check_id)
        if self.model is not None and self.model.covers(check_id):
            return self.model.decide(ctx, check_id, finding)
        return finding, "rule" if finding.has_span else "none"

    def grade_session(self, turns: Sequence[Iterable[CheckResult]], *, applicable: Sequence[str], pass_mark: int,
                      blockers: Sequence[str], hints_used: int = 0, lang: str) -> SessionGrade:
        """Grade a whole conversation from its per-turn results (rules: ``scoring.session``)."""
        return session_rules.grade_session(turns, applicable=applicable, pass_mark=pass_mark, blockers=blockers,
                                           hints_used=hints_used, lang=lang, catalogue=self.catalogue)
