"""Scoring: judges a trainee's answers against FAB and the etiquette and situation checklists.

No UI imports here; the engine calls it, and so do ``roleplay grade`` and the tests.
"""
