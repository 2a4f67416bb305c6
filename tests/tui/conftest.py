"""The app built by the same factory as the CLI, over a temporary practice record."""

from __future__ import annotations

import pytest

from roleplay.practice import Practice
from roleplay.tui.app import AppConfig, build_app


@pytest.fixture
def make_app(tmp_path):
    """Build the app as ``roleplay`` does, with a fresh store and the built-in library only."""
    opened: list[Practice] = []

    def make(ui_lang: str = "en", *, plan: bool = False, trainee: str = "tester", save: bool = True, **config):
        cfg = AppConfig(db=str(tmp_path / "record.db"), ui_lang=ui_lang, plan=plan, trainee=trainee,
                        save=save, user=False, **config)
        practice = Practice.open(db=cfg.db, save=save, trainee=trainee, user=False)
        opened.append(practice)
        return build_app(cfg, practice)

    yield make
