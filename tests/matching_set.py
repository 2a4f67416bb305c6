"""The engine's labelled matching set (tests/data/matching), read into a scenario with one
state per labelled state. Shared by tests/test_matching.py and benchmarks/bench_engine.py."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from roleplay.scenario.model import Intent, Persona, Scenario, State

DATA = Path(__file__).resolve().parent / "data" / "matching"


def load_labelled() -> tuple[Scenario, list[dict]]:
    """The labelled set as (scenario with one state per labelled state, answers)."""
    raw = yaml.safe_load((DATA / "intents.yaml").read_text("utf-8"))
    states = {}
    for sid, intents in raw["states"].items():
        expect = tuple(Intent(id=i["intent"], examples={k: tuple(v) for k, v in i["say"].items()},
                              keys={k: tuple(v) for k, v in (i.get("keys") or {}).items()}) for i in intents)
        states[sid] = State(id=sid, customer={"zh": ("?",), "en": ("?",)}, expect=expect)
    states["end"] = State(id="end", customer={"zh": ("好",), "en": ("ok",)}, end="success")
    scenario = Scenario(id="labelled", languages=("zh", "en"), title={"zh": "l", "en": "l"},
                        summary={"zh": "l", "en": "l"}, persona=Persona(name={"zh": "王", "en": "W"},
                                                                         role={"zh": "r", "en": "r"}),
                        start=next(iter(states)), states=states)
    answers = [json.loads(line) for line in (DATA / "answers.jsonl").read_text("utf-8").splitlines() if line.strip()]
    return scenario, answers
