"""The built-in library keeps what issue 5 promises: every practisable situation, complete in
both languages, branching, with a walk-away path and at least three golden transcripts."""

from __future__ import annotations

from collections import Counter

import pytest

from roleplay.scenario.library import Library

TAGS = {"price-objection", "out-of-scope", "three-step-close", "first-visit", "buying-signals",
        "after-sales", "key-account", "cross-sell", "phone", "retail", "distributor", "pharma", "b2b"}

LIBRARY = Library.discover(user=False)
SCENARIOS = sorted(LIBRARY.scenarios.values(), key=lambda s: s.id)


def test_library_loads_without_problems():
    assert LIBRARY.errors == 0 and len(SCENARIOS) >= 14


def test_every_situation_of_the_articles_is_covered():
    tags = Counter(tag for s in SCENARIOS for tag in s.tags)
    wanted = {"price-objection": 3, "out-of-scope": 3, "three-step-close": 2, "first-visit": 2,
              "buying-signals": 1, "after-sales": 2, "key-account": 1}
    assert {t: min(tags[t], n) for t, n in wanted.items()} == wanted


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
class TestEachScenario:
    def test_complete_in_chinese_and_english(self, scenario):
        assert set(scenario.languages) == {"zh", "en"}
        for state in scenario.states.values():
            assert all(state.customer.get(lang) for lang in ("zh", "en")), state.id
            if not state.is_end:
                assert state.model_answer and all(state.model_answer.get(l) for l in ("zh", "en")), state.id

    def test_tags_persona_and_difficulty(self, scenario):
        assert scenario.tags and set(scenario.tags) <= TAGS
        assert 1 <= scenario.difficulty <= 3
        assert scenario.persona.name.get("zh") and scenario.persona.name.get("en")
        assert scenario.product is not None

    def test_branches_and_can_be_lost(self, scenario):
        assert scenario.end_states("success") and (scenario.end_states("failure") or scenario.walk_away)
        assert any(len(state.expect) >= 2 for state in scenario.states.values())

    def test_at_least_three_golden_transcripts_including_a_win_and_a_loss(self, scenario):
        tests = scenario.tests
        assert len(tests) >= 3
        assert any(t.expect.outcome == "success" for t in tests)
        assert any(t.expect.outcome in ("failure", "unfinished") or t.expect.failed
                   or (t.expect.score and t.expect.score.high < 100) for t in tests)
