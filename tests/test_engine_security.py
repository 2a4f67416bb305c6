"""A scenario file can never make Python import or call anything it names.

``transitions`` resolves a *string* condition or callback by looking it up on the model and, failing
that, by importing the dotted path (``os.system`` -> ``import os; os.system``). The engine gives the
machine only its own closures and generated names, and the loader refuses names outside the
vocabulary. These tests name ``os.system``, ``builtins.print``, ``subprocess.call`` and a sentinel
module everywhere a YAML file could, and check nothing is imported or called.
"""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
import textwrap

import pytest

from roleplay.engine import ScenarioError, ScenarioRuntime
from roleplay.scenario.loader import load_scenario
from roleplay.scenario.model import Condition, Effects, Fallback
from test_engine_fakes import FakeGrader, intent, scenario, state

SENTINEL = "roleplay_sentinel_never_import"


@pytest.fixture
def trap(monkeypatch, tmp_path):
    """Record every call of the dangerous callables, and any import of a sentinel module."""
    calls: list[tuple[str, tuple]] = []
    for owner, name in ((os, "system"), (subprocess, "call"), (subprocess, "run"), (subprocess, "Popen")):
        monkeypatch.setattr(owner, name, lambda *a, _n=name, **k: calls.append((_n, a)))
    real_print = builtins.print
    monkeypatch.setattr(builtins, "print", lambda *a, **k: calls.append(("print", a)) or real_print(*a, **k))
    (tmp_path / f"{SENTINEL}.py").write_text("import os\nos.environ['ROLEPLAY_SENTINEL'] = 'imported'\n"
                                             "def boom(*a, **k):\n    raise SystemExit('called')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("ROLEPLAY_SENTINEL", raising=False)
    yield calls
    assert SENTINEL not in sys.modules, "the sentinel module was imported"
    assert "ROLEPLAY_SENTINEL" not in os.environ


HOSTILE = ["os.system", "builtins.print", "subprocess.call", f"{SENTINEL}.boom"]


@pytest.mark.parametrize("name", HOSTILE)
def test_callable_name_as_condition_is_refused_in_code(trap, name):
    sc = scenario([state("a", "?", expect=[intent("x", ["你好"], when=[Condition(name, "echo pwned")], then="b")]),
                   state("b", "!", end="success")])
    with pytest.raises(ScenarioError, match="unknown condition"):
        ScenarioRuntime(sc, FakeGrader())
    assert trap == []


# Ids a trainer may legally write that collide with what transitions or the session define.
CLASHING = ["state", "trigger", "may_trigger", "to_b", "answer", "hint", "close", "__class__", "__init__",
            "fsm_state", "is_fsm_state_rp_s0", "rp_s0", "rp_0_0", "rp_walk_away", "machine", "runtime",
            "os.system", f"{SENTINEL}.boom", "outcome"]


def test_state_and_intent_ids_that_clash_with_attributes_are_inert(trap):
    states = [state(sid, f"line {sid}", expect=[intent(iid, [f"去 {nxt}"], then=nxt)
                                                   for iid, nxt in zip(HOSTILE + CLASHING, CLASHING[1:])])
              for sid in CLASHING]
    states.append(state("done", "!", end="success"))
    states[-2] = state(CLASHING[-1], "last", expect=[intent("os.system", ["去 done"], then="done")],
                       otherwise=Fallback(effects=Effects(patience=0)))
    sc = scenario(states, start="state")
    rt = ScenarioRuntime(sc, FakeGrader())
    s = rt.start("zh")
    assert s.state == "state"
    for nxt in CLASHING[1:]:
        turn = s.answer(f"去 {nxt}")
        assert turn.next_state == nxt, (turn, nxt)
        assert callable(s.answer) and callable(s.hint) and s.runtime is rt  # nothing overwritten
    s.answer("去 done")
    assert s.outcome == "success" and s.path == [*CLASHING, "done"]
    s.close()
    assert trap == []


VALID = """\
version: 1
id: hostile
languages: [zh]
title: {zh: 恶意}
summary: {zh: 恶意}
persona: {name: {zh: 王}, role: {zh: 经理}}
start: ask
states:
  ask:
    customer: {zh: ["?"]}
    expect:
      - intent: greet
        say: {zh: ["你好"]}
        when: {visited: ask}
        effects: {patience: 1}
        then: done
    otherwise:
      customer: {zh: ["嗯？"]}
      effects: {patience: -1}
  done:
    end: success
    customer: {zh: ["好"]}
"""

# Every place a name is written, with a Python callable put there instead.
PLACES = {
    "condition": ("when: {visited: ask}", "when: {%s: 'touch /tmp/pwned'}"),
    "condition argument": ("when: {visited: ask}", "when: {visited: %s}"),
    "intent effect": ("effects: {patience: 1}", "effects: {%s: 1}"),
    "fallback effect": ("effects: {patience: -1}", "effects: {%s: -1}"),
    "intent id": ("intent: greet", "intent: %s"),
    "state id": ("  done:\n", "  %s:\n"),
    "then": ("then: done", "then: %s"),
    "start": ("start: ask", "start: %s"),
    "extra key": ("    customer: {zh: [\"?\"]}", "    customer: {zh: [\"?\"]}\n    %s: 1"),
}


def test_the_valid_template_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(VALID, encoding="utf-8")
    loaded, problems = load_scenario(path, {})
    assert loaded is not None, [str(p) for p in problems]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("name", HOSTILE)
def test_yaml_naming_python_callables_is_rejected_by_the_loader(trap, tmp_path, place, name):
    old, new = PLACES[place]
    text = VALID.replace(old, new % name)
    assert text != VALID
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, problems = load_scenario(path, {})
    assert loaded is None, f"{place}={name} was accepted"
    assert any(p.is_error for p in problems)
    assert trap == []


def test_yaml_with_clashing_but_legal_ids_loads_and_runs(trap, tmp_path):
    path = tmp_path / "clash.yaml"
    path.write_text(textwrap.dedent("""\
        version: 1
        id: clash
        languages: [zh]
        title: {zh: 冲突}
        summary: {zh: 冲突}
        persona: {name: {zh: 王}, role: {zh: 经理}}
        start: state
        states:
          state:
            customer: {zh: ["?"]}
            expect:
              - intent: trigger
                say: {zh: ["你好"]}
                then: __class__
          __class__:
            customer: {zh: ["再说"]}
            expect:
              - intent: answer
                say: {zh: ["好的"]}
                when: {visited: state}
                then: to_done
          to_done:
            end: success
            customer: {zh: ["好"]}
        """), encoding="utf-8")
    loaded, problems = load_scenario(path, {})
    assert loaded is not None, [str(p) for p in problems]
    s = ScenarioRuntime(loaded, FakeGrader()).start("zh")
    s.answer("你好")
    assert s.state == "__class__" and type(s).__name__ == "Session"
    s.answer("好的")
    assert s.outcome == "success" and s.path == ["state", "__class__", "to_done"]
    assert trap == []
