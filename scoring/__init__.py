"""Scoring: judges a trainee's answers against FAB and the etiquette and situation checklists.

No UI imports here; the engine calls it, and so do ``roleplay grade`` and the tests.

- ``grader.Grader``: ``grade_answer`` (one answer, the checks of its state) and ``grade_session``.
- ``text``: folding (Traditional/Cantonese/full-width/case) that keeps offsets in the trainee's words.
- ``cues`` + ``data/cues.yaml``: the cue patterns, with negation scope and exceptions.
- ``factmatch`` + ``facts``: product-sheet facts found in the trainee's own words.
- ``detectors/``: one detector per turn check, by rubric (fab, etiquette, price, scope, close).
- ``model`` + ``data/model.json``: the learned combination of the rule shapes (``train`` makes it).
- ``session``: per-check verdicts over a conversation, ``close.sequence``, score, hints, blockers.
- ``catalogue`` + ``data/checks.yaml``: check ids, weights and feedback texts; ``data/notes.yaml``: notes.
"""
