"""The app built by the same factory as the CLI, over a temporary practice record."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.practice import Practice
from roleplay.tui.app import AppConfig, build_app

FROZEN_LIBRARY = Path(__file__).resolve().parent.parent / "fixtures" / "tui"
"""A copy of two scenarios, frozen so snapshots do not change when the shipped library does."""


@pytest.fixture
def make_app(tmp_path):
    """Build the app as ``roleplay`` does, with a fresh store.

    Args (of the returned function):
        frozen: Use the frozen fixture library instead of the built-in one.
        grader: A scorer to use instead of the real one.
    """

    def make(ui_lang: str = "en", *, plan: bool = False, trainee: str = "tester", save: bool = True,
             frozen: bool = False, grader=None, **config):
        dirs = (str(FROZEN_LIBRARY),) if frozen else ()
        cfg = AppConfig(db=str(tmp_path / "record.db"), ui_lang=ui_lang, plan=plan, trainee=trainee,
                        save=save, user=False, builtin=not frozen, scenario_dirs=dirs, **config)
        practice = Practice.open(scenario_dirs=dirs, db=cfg.db, save=save, trainee=trainee, user=False,
                                 builtin=not frozen)
        practice.grader = grader
        return build_app(cfg, practice)

    yield make
