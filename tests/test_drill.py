"""Team drills, headless: codes, drill files (located problems), creating and joining (names,
duplicates, late joins, races, changed scenarios), playing in order under the drill's rules, and
resuming after a crash.

The scenarios are two small ones written here (``write_scenarios``), so the tests do not move
when the built-in library is edited; the other drill test files import these helpers.
"""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from roleplay.drill import (DrillClosed, DrillError, HintsNotAllowed, NameTaken, create_drill, join, load_board,
                            load_drill, open_drill, play_lines, stored_drill)
from roleplay.drill.codes import ALPHABET, LENGTH, BadCode, new_code, normalise
from roleplay.drill.hub import clean_name, name_key, resolve_scenarios, suggest_name
from roleplay.drill.loader import DRILL_KEYS, STEP_KEYS
from roleplay.drill.model import DrillSpec, StoredDrill
from roleplay.scenario.library import Library
from roleplay.store import Store

SHOP = """\
version: 1
id: drill-shop
languages: [zh, en]
title: {zh: 小店, en: The shop}
summary: {zh: 测试用的小场景。, en: A small scenario for tests.}
persona: {name: {zh: 张老板, en: Mr Zhang}, role: {zh: 店主, en: shop owner}, patience: 3, interest: 2}
pass_mark: 50
start: greet
states:
  greet:
    customer:
      zh: ["你好，有事吗？", "谁啊？", "什么事？"]
      en: ["Hello, what is it?", "Who's that?", "Yes?"]
    rubrics: [etiquette.greeting, etiquette.self_intro, etiquette.polite]
    model_answer: {zh: 老板您好，我是鲜农乳业的小张, en: "Good morning, I'm Anna from FreshFarm Dairy"}
    expect:
      - intent: introduce
        say: {zh: ["老板您好，我是鲜农乳业的小张"], en: ["Good morning, I'm Anna from FreshFarm Dairy"]}
        keys: {zh: [鲜农], en: [FreshFarm]}
        then: pitch
    otherwise:
      customer: {zh: ["你到底是谁？", "说清楚点？"], en: ["Who are you, then?", "Come again?"]}
      effects: {patience: -1}
  pitch:
    customer: {zh: ["哦，卖牛奶的？说说看。", "牛奶？你说。"], en: ["Oh, milk? Go on.", "Milk? Tell me."]}
    rubrics: [etiquette.polite, etiquette.confident]
    expect:
      - intent: offer_trial
        say: {zh: ["您先进两箱试试，卖不完我们收回"], en: ["Try two cases, we take back what doesn't sell"]}
        keys: {zh: [试试], en: [try]}
        then: deal
    otherwise:
      customer: {zh: ["还有呢？"], en: ["And?"]}
      effects: {patience: -1}
  deal:
    end: success
    customer: {zh: ["行，那就试试。"], en: ["All right, let's try."]}
"""

CALL = """\
version: 1
id: drill-call
languages: [zh, en]
title: {zh: 来电, en: The call}
summary: {zh: 测试用的来电场景。, en: A phone call for tests.}
persona: {name: {zh: 李经理, en: Ms Li}, role: {zh: 采购经理, en: buyer}, patience: 2, interest: 2}
pass_mark: 50
start: ring
states:
  ring:
    customer:
      zh: ["喂？", "喂，哪位？"]
      en: ["Hello?", "Hello, who is it?"]
    rubrics: [etiquette.greeting, etiquette.polite]
    expect:
      - intent: greet
        say: {zh: ["您好，请问有什么可以帮您？"], en: ["Good morning, how can I help you?"]}
        keys: {zh: [帮您], en: [help you]}
        then: ask
    otherwise:
      customer: {zh: ["说话呀？"], en: ["Hello? Anyone there?"]}
      effects: {patience: -1}
  ask:
    customer: {zh: ["我想订货。", "我要下单。"], en: ["I'd like to order.", "I want to place an order."]}
    rubrics: [etiquette.polite]
    expect:
      - intent: take_order
        say: {zh: ["好的，请问您要多少？"], en: ["Of course, how many would you like?"]}
        keys: {zh: [多少], en: [how many]}
        then: done
    otherwise:
      customer: {zh: ["你听懂了吗？"], en: ["Did you get that?"]}
      effects: {patience: -1}
  done:
    end: success
    customer: {zh: ["二十箱，谢谢。"], en: ["Twenty cases, thanks."]}
"""

DRILL = """\
version: 1
title: Shop and call
language: zh
seed: 5
scenarios:
  - drill-shop
  - drill-call
"""

GOOD_SHOP = ["老板您好，我是鲜农乳业的小张", "您先进两箱试试，卖不完我们收回"]
GOOD_CALL = ["您好，请问有什么可以帮您？", "好的，请问您要多少？"]
WEAK_SHOP = ["喂，买牛奶吗", "老板您好，我是鲜农乳业的小张", "可能吧，我也不太确定，进两箱试试？"]
WEAK_CALL = ["喂", "在吗，帮您看看", "要多少"]


def write_scenarios(folder: Path) -> Path:
    """The two test scenarios in ``folder`` (created); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "drill-shop.yaml").write_text(SHOP, encoding="utf-8")
    (folder / "drill-call.yaml").write_text(CALL, encoding="utf-8")
    return folder


def write_drill(folder: Path, text: str = DRILL, name: str = "drill.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path) -> Library:
    return Library.discover([write_scenarios(tmp_path / "scenarios")], builtin=False, user=False)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "record.db") as s:
        yield s


@pytest.fixture
def made(tmp_path, library, store):
    """A drill created from ``DRILL`` in the store: (StoredDrill, OpenDrill)."""
    spec, problems = load_drill(write_drill(tmp_path), library)
    assert spec is not None, problems
    drill = create_drill(store, spec)
    return drill, open_drill(store, library, drill.code)


# -- codes ------------------------------------------------------------------------------------


class TestCodes:
    def test_new_codes_are_six_unambiguous_characters(self):
        codes = {new_code() for _ in range(200)}
        assert len(codes) == 200
        for code in codes:
            assert len(code) == LENGTH and set(code) <= set(ALPHABET)
        assert not set("0O1I") & set(ALPHABET)

    def test_codes_are_typed_in_any_case_with_dashes_or_spaces(self):
        assert normalise(" abc-def ") == "ABCDEF"
        assert normalise("ab cd ef") == "ABCDEF"

    def test_confusable_characters_are_explained(self):
        with pytest.raises(BadCode, match="never use 0, O, 1 or I"):
            normalise("AB0DEF")

    def test_wrong_length(self):
        with pytest.raises(BadCode, match="6 characters, this has 3"):
            normalise("ABC")


# -- drill files ------------------------------------------------------------------------------


class TestDrillFile:
    def test_a_good_file(self, tmp_path, library):
        path = write_drill(tmp_path, DRILL + "time_limit: 90\npass_mark: 70\nhints: false\njoin_window: 30\n")
        spec, problems = load_drill(path, library)
        assert problems == []
        assert spec.title == "Shop and call" and spec.lang == "zh" and spec.seed == 5
        assert (spec.time_limit, spec.pass_mark, spec.hints, spec.join_window) == (90, 70, False, 30)
        assert [s.scenario_id for s in spec.steps] == ["drill-shop", "drill-call"]
        assert [s.scenario_hash for s in spec.steps] == [library.scenarios[i].content_hash
                                                         for i in ("drill-shop", "drill-call")]

    def test_defaults(self, tmp_path, library):
        spec, _ = load_drill(write_drill(tmp_path, "version: 1\ntitle: T\nlanguage: en\nscenarios: drill-shop\n"),
                             library)
        assert (spec.seed, spec.time_limit, spec.pass_mark, spec.hints, spec.join_window) == (0, None, None, True, None)
        assert len(spec.steps) == 1

    def test_paths_are_relative_to_the_drill_file_and_from_states_are_kept(self, tmp_path):
        folder = write_scenarios(tmp_path / "elsewhere")
        drills = tmp_path / "drills"
        drills.mkdir()
        path = write_drill(drills, "version: 1\ntitle: T\nlanguage: en\nscenarios:\n"
                                   "  - ../elsewhere/drill-shop.yaml\n"
                                   "  - {scenario: ../elsewhere/drill-call.yaml, from: ask}\n")
        spec, problems = load_drill(path, Library())
        assert problems == [], problems
        assert [(s.scenario_id, s.from_state) for s in spec.steps] == [("drill-shop", None), ("drill-call", "ask")]
        assert spec.steps[0].source == str((folder / "drill-shop.yaml").absolute())

    def test_every_problem_is_reported_at_its_place(self, tmp_path, library):
        text = (
            "version: 2\n"                                   # 1
            "title: T\n"                                     # 2
            "language: fr\n"                                 # 3
            "seed: -1\n"                                     # 4
            "scenarios:\n"                                   # 5
            "  - drill-shop\n"                               # 6
            "  - no-such-thing\n"                            # 7
            "  - {scenario: drill-call, from: nowhere}\n"    # 8
            "  - {scenario: drill-call, from: done}\n"       # 9
            "  - drill-shop\n"                               # 10
            "  - missing/file.yaml\n"                        # 11
            "time_limit: 5\n"                                # 12
            "hints: maybe\n"                                 # 13
            "pass_mrk: 70\n"                                 # 14
        )
        spec, problems = load_drill(write_drill(tmp_path, text), library, display="d.yaml")
        assert spec is None
        lines = {str(p) for p in problems}
        expected = [
            "d.yaml:1:10: error: version 2 is not supported",
            "d.yaml:3:11: error: language should be one of zh, en, not 'fr'",
            "d.yaml:4:7: error: seed should be from 0 to",
            "d.yaml:7:5: error: no scenario 'no-such-thing'",
            "d.yaml:8:34: error: the scenario 'drill-call' has no state 'nowhere'",
            "d.yaml:9:34: error: 'done' is an end state of 'drill-call'",
            "d.yaml:10:5: error: the scenario 'drill-shop' is listed twice (first at line 6)",
            "d.yaml:11:5: error: no such scenario file: missing/file.yaml",
            "d.yaml:12:13: error: time_limit should be from 10 to 3600, not 5",
            "d.yaml:13:8: error: hints should be true or false, not 'maybe'",
            "d.yaml:14:1: error: unknown key 'pass_mrk' in the drill file (did you mean 'pass_mark'?)",
        ]
        for want in expected:
            assert any(line.startswith(want) for line in lines), (want, sorted(lines))
        assert len([p for p in problems if p.is_error]) == len(expected)

    def test_missing_keys_and_an_empty_list(self, tmp_path, library):
        spec, problems = load_drill(write_drill(tmp_path, "version: 1\nscenarios: []\n"), library, display="d.yaml")
        assert spec is None
        text = "\n".join(map(str, problems))
        assert "d.yaml:1:1: error: the drill file is missing the key 'title'" in text
        assert "missing the key 'language'" in text
        assert "d.yaml:2:12: error: scenarios is an empty list" in text

    def test_a_scenario_not_written_in_the_drill_language(self, tmp_path, library):
        folder = tmp_path / "zh"
        folder.mkdir()
        (folder / "zh-shop.yaml").write_text(
            SHOP.replace("languages: [zh, en]", "languages: [zh]").replace("drill-shop", "zh-shop"), encoding="utf-8")
        lib = Library.discover([folder], builtin=False, user=False)
        assert "zh-shop" in lib.scenarios, [str(p) for p in lib.problems if p.is_error]
        spec, problems = load_drill(write_drill(tmp_path, "version: 1\ntitle: T\nlanguage: en\nscenarios: [zh-shop]\n"),
                                    lib, display="d.yaml")
        assert spec is None
        assert [str(p) for p in problems] == [
            "d.yaml:4:13: error: the scenario 'zh-shop' is not written in en (its languages: zh)"]

    def test_a_scenario_file_given_as_a_drill_is_recognised(self, tmp_path, library):
        spec, problems = load_drill(tmp_path / "scenarios" / "drill-shop.yaml", library, display="s.yaml")
        assert spec is None and len(problems) == 1
        assert "looks like a scenario file, not a drill file" in str(problems[0])

    def test_yaml_syntax_and_encoding_problems_are_located(self, tmp_path, library):
        bad = tmp_path / "bad.yaml"
        bad.write_text("version: 1\ntitle: [unclosed\n", encoding="utf-8")
        spec, problems = load_drill(bad, library, display="bad.yaml")
        assert spec is None and str(problems[0]).startswith("bad.yaml:") and "YAML syntax" in str(problems[0])
        latin = tmp_path / "latin.yaml"
        latin.write_bytes("version: 1\ntitle: caf\xe9\n".encode("latin-1"))
        spec, problems = load_drill(latin, library, display="latin.yaml")
        assert [str(p) for p in problems] == [
            "latin.yaml:2:11: error: the file is not UTF-8 (byte 0xe9); save it as UTF-8 in your editor"]

    def test_a_title_with_control_characters_is_refused(self, tmp_path, library):
        spec, problems = load_drill(write_drill(tmp_path, DRILL.replace("Shop and call", '"Shop\\e[2J"')), library,
                                    display="d.yaml")
        assert spec is None
        assert [str(p) for p in problems] == [
            "d.yaml:2:8: error: the title cannot hold control characters (an escape such as \\e or \\x1b in double "
            "quotes makes one)"]

    def test_text_yaml_would_misread_is_refused(self, tmp_path, library):
        spec, problems = load_drill(write_drill(tmp_path, DRILL.replace("Shop and call", "NO")), library,
                                    display="d.yaml")
        assert spec is None
        assert "'NO' in the title would be read as true/false" in str(problems[0])


class TestSchema:
    @pytest.fixture(scope="class")
    def schema(self):
        return json.loads(resources.files("roleplay").joinpath("schemas/drill.schema.json").read_text("utf-8"))

    def test_schema_is_draft_07_and_lists_the_loaders_keys(self, schema):
        Draft7Validator.check_schema(schema)
        assert set(schema["properties"]) == set(DRILL_KEYS.all)
        assert set(schema["required"]) == set(DRILL_KEYS.required)
        step = schema["definitions"]["step"]["oneOf"][1]
        assert set(step["properties"]) == set(STEP_KEYS.all) and set(step["required"]) == set(STEP_KEYS.required)

    def test_the_example_drill_validates_and_loads(self, schema):
        import yaml

        example = Path(__file__).resolve().parent.parent / "examples" / "drills" / "out-of-scope.yaml"
        Draft7Validator(schema).validate(yaml.safe_load(example.read_text("utf-8")))
        assert example.read_text("utf-8").startswith("# yaml-language-server: $schema=")
        spec, problems = load_drill(example, Library.discover(user=False))
        assert spec is not None and not [p for p in problems if p.is_error], problems


# -- creating and finding ---------------------------------------------------------------------


class TestCreate:
    def test_the_definition_round_trips_through_the_store(self, made, store):
        drill, _ = made
        again = stored_drill(store, drill.code.lower())
        assert again.spec == drill.spec and again.code == drill.code and again.created_at

    def test_a_taken_code_is_skipped(self, store, made):
        drill, _ = made
        codes = iter([drill.code, "ZZZZZZ"])
        other = create_drill(store, drill.spec, make_code=lambda: next(codes))
        assert other.code == "ZZZZZZ"

    def test_unknown_and_malformed_codes(self, store):
        with pytest.raises(DrillError, match=r"no drill ABCDEF in the practice record .*same --db"):
            stored_drill(store, "abc-def")
        with pytest.raises(DrillError, match="not a drill code"):
            stored_drill(store, "AB")

    def test_a_changed_scenario_is_refused(self, made, library):
        drill, _ = made
        step = drill.spec.steps[0]
        from dataclasses import replace

        changed = StoredDrill(drill.code, replace(drill.spec, steps=(replace(step, scenario_hash="0" * 64),)), "")
        with pytest.raises(DrillError, match="has changed since drill .* was created"):
            resolve_scenarios(changed, library)

    def test_a_missing_scenario_is_explained(self, made, tmp_path):
        drill, _ = made
        (tmp_path / "scenarios" / "drill-shop.yaml").unlink()
        with pytest.raises(DrillError, match="not found here .*--scenarios"):
            resolve_scenarios(StoredDrill(drill.code, drill.spec, ""), Library())

    def test_a_file_scenario_is_found_by_its_path_when_not_in_the_library(self, made, library):
        drill, _ = made
        assert [s.id for s in resolve_scenarios(drill, Library())] != []  # sources exist: found by path

    def test_a_foreign_definition_is_refused(self):
        with pytest.raises(DrillError, match="not a roleplay drill"):
            DrillSpec.from_definition({"format": "other"})
        with pytest.raises(DrillError, match="newer roleplay"):
            DrillSpec.from_definition({"format": "roleplay-drill", "version": 99})


# -- names and joining ------------------------------------------------------------------------


class TestNames:
    def test_names_are_trimmed_and_spaces_collapsed(self):
        assert clean_name("  Li   Lei ") == "Li Lei"

    @pytest.mark.parametrize("bad, why", [("", "is needed"), ("   ", "is needed"), ("Li\x1b[31m", "control"),
                                          ("Li\u202eieL", "control"), ("x" * 41, "too long")])
    def test_bad_names(self, bad, why):
        with pytest.raises(DrillError, match=why):
            clean_name(bad)

    def test_one_person_whatever_the_case_or_width(self):
        assert name_key("LI Lei") == name_key("li  lei") == name_key("ＬＩ ＬＥＩ")

    def test_suggestions_skip_taken_names(self):
        assert suggest_name("Li", {name_key("Li"), name_key("Li 2")}) == "Li 3"


class TestJoin:
    def test_joining_claims_the_name_with_a_first_session(self, made, library, store):
        _, drill = made
        attempt = join(drill, library, store, "Li")
        [session] = store.sessions(drill_code=drill.code)
        assert session.trainee == "Li" and session.scenario_id == "drill-shop" and session.seed == 5
        assert session.lang == "zh" and session.scenario_hash == drill.spec.steps[0].scenario_hash
        assert attempt.current is not None and attempt.current.store_id == session.id

    def test_a_duplicate_name_is_refused_with_a_suggestion(self, made, library, store):
        _, drill = made
        join(drill, library, store, "Li Lei")
        with pytest.raises(NameTaken) as info:
            join(drill, library, store, "li  LEI")
        message = str(info.value)
        assert "already taken" in message and "'li LEI 2'" in message and "--resume" in message
        assert len(store.sessions(drill_code=drill.code)) == 1

    def test_late_names_are_refused_but_the_joined_may_resume(self, made, library, store):
        _, drill = made
        join(drill, library, store, "Early")
        later = drill.created_at + timedelta(minutes=61)
        from dataclasses import replace

        drill.spec = replace(drill.spec, join_window=60)
        with pytest.raises(DrillClosed, match="stopped taking new trainees at .* open for 60 minutes"):
            join(drill, library, store, "Late", now=later)
        assert join(drill, library, store, "early", resume=True, now=later).trainee == "Early"
        assert join(drill, library, store, "Punctual", now=drill.created_at + timedelta(minutes=59))

    def test_two_joins_racing_for_one_name_leave_one(self, made, library, store):
        """Both pass the check before either has saved; the earliest session keeps the name."""
        _, drill = made
        rival = store.start_session(trainee="Li", scenario_id="drill-shop",
                                    scenario_hash=drill.spec.steps[0].scenario_hash, lang="zh", seed=5,
                                    drill_code=drill.code)

        class StaleFirstRead:
            """The store as a process saw it just before the rival's session was saved."""

            def __init__(self, inner):
                self.inner, self.reads = inner, 0

            def sessions(self, **kw):
                self.reads += 1
                return [] if self.reads == 1 else self.inner.sessions(**kw)

            def __getattr__(self, name):
                return getattr(self.inner, name)

        with pytest.raises(NameTaken):
            join(drill, library, StaleFirstRead(store), "LI")
        assert [s.id for s in store.sessions(drill_code=drill.code)] == [rival]


# -- playing ----------------------------------------------------------------------------------


class TestPlay:
    def test_scenarios_are_played_in_order_and_saved_under_the_drill(self, made, library, store):
        _, drill = made
        attempt = join(drill, library, store, "Li")
        assert play_lines(attempt, GOOD_SHOP + GOOD_CALL + ["left over"]) == 1
        assert attempt.finished and [r.scenario_id for r in attempt.played()] == ["drill-shop", "drill-call"]
        assert [r.outcome for r in attempt.played()] == ["success", "success"]
        sessions = sorted(store.sessions(drill_code=drill.code, full=True), key=lambda s: s.id)
        assert [len(s.turns) for s in sessions] == [2, 2]
        assert all(s.seed == 5 and s.lang == "zh" and s.ended_at for s in sessions)
        assert attempt.score() == round(sum(r.score for r in attempt.played()) / 2)

    def test_each_answer_is_saved_before_the_next_line_is_read(self, made, library, store):
        _, drill = made
        attempt = join(drill, library, store, "Li")
        saved: list[int] = []

        def lines():
            for line in GOOD_SHOP + GOOD_CALL[:1]:
                saved.append(sum(len(s.turns) for s in store.sessions(drill_code=drill.code, full=True)))
                yield line
            raise KeyboardInterrupt  # the script feeding the pipe stops

        with pytest.raises(KeyboardInterrupt):
            play_lines(attempt, lines())
        assert saved == [0, 1, 2]
        assert sum(len(s.turns) for s in store.sessions(drill_code=drill.code, full=True)) == 3

    def test_the_end_of_input_scores_the_scenario_in_play_and_leaves_the_rest(self, made, library, store):
        _, drill = made
        attempt = join(drill, library, store, "Li")
        play_lines(attempt, GOOD_SHOP + GOOD_CALL[:1])
        [shop, call] = attempt.results
        assert shop.outcome == "success" and call.outcome == "unfinished" and call.turns == 1
        assert not attempt.finished or attempt.results[1] is not None

    def test_the_drill_pass_mark_replaces_the_scenarios(self, tmp_path, library, store):
        for mark, expected in ((100, False), (0, True)):
            text = DRILL.replace("seed: 5", f"seed: 5\npass_mark: {mark}")
            spec, _ = load_drill(write_drill(tmp_path, text, f"d{mark}.yaml"), library)
            drill = open_drill(store, library, create_drill(store, spec).code)
            attempt = join(drill, library, store, f"T{mark}")
            play_lines(attempt, WEAK_SHOP)
            result = attempt.results[0]
            assert 0 < result.score < 100 and result.passed is expected

    def test_hints_follow_the_drill(self, tmp_path, library, store, made):
        _, drill = made
        attempt = join(drill, library, store, "Li")
        hint = attempt.hint()
        assert hint is not None and "鲜农" in hint.text
        play_lines(attempt, GOOD_SHOP)
        assert attempt.results[0].hints_used == 1
        spec, _ = load_drill(write_drill(tmp_path, DRILL + "hints: false\n", "nohints.yaml"), library)
        strict = open_drill(store, library, create_drill(store, spec).code)
        with pytest.raises(HintsNotAllowed):
            join(strict, library, store, "Li").hint()

    def test_everyone_meets_the_same_customer_lines(self, made, library, store):
        _, drill = made
        for name in ("A", "B"):
            play_lines(join(drill, library, store, name), GOOD_SHOP + GOOD_CALL)
        a, b = ([t.customer for s in sorted(store.sessions(drill_code=drill.code, trainee=n, full=True),
                                            key=lambda s: s.id) for t in s.turns] for n in ("A", "B"))
        assert a == b and len(a) == 4


class TestResume:
    def test_a_crashed_trainee_continues_where_they_stopped(self, made, library, store, tmp_path):
        """Killed after two answers (the second scenario's first): resuming replays and goes on."""
        _, drill = made
        lines = GOOD_SHOP + WEAK_CALL
        crashed = join(drill, library, store, "Li")
        for line in lines[:3]:
            crashed.answer(line)
        del crashed  # no finish: as after kill -9, the second session stays unfinished

        resumed = join(drill, library, store, "LI", resume=True)
        assert resumed.trainee == "Li" and resumed.resumed and resumed.step == 1
        play_lines(resumed, lines[3:])

        with Store.open(tmp_path / "straight.db") as other:
            straight_drill = open_drill(other, library, create_drill(other, drill.spec).code)
            straight = join(straight_drill, library, other, "Li")
            play_lines(straight, lines)
            want = sorted(other.sessions(full=True), key=lambda s: s.id)
        got = sorted(store.sessions(drill_code=drill.code, full=True), key=lambda s: s.id)
        assert len(got) == 2  # the partial session was replaced, not duplicated
        for g, w in zip(got, want):
            assert [(t.customer, t.trainee, t.next_state) for t in g.turns] == \
                   [(t.customer, t.trainee, t.next_state) for t in w.turns]
            assert (g.outcome, g.score, g.passed) == (w.outcome, w.score, w.passed)

    def test_a_finished_trainee_has_nothing_left(self, made, library, store):
        _, drill = made
        play_lines(join(drill, library, store, "Li"), GOOD_SHOP + GOOD_CALL)
        again = join(drill, library, store, "Li", resume=True)
        assert again.finished and again.start_step() is None

    def test_resume_of_a_new_name_simply_joins(self, made, library, store):
        _, drill = made
        assert join(drill, library, store, "New", resume=True).current is not None


class TestClose:
    def test_a_closed_drill_refuses_new_names_but_the_joined_may_resume(self, made, library, store):
        _, drill = made
        join(drill, library, store, "Early")
        closed_at = store.close_drill(drill.code)
        assert closed_at and store.drill(drill.code).closed_at == closed_at
        with pytest.raises(DrillClosed) as info:
            join(drill, library, store, "Late")
        message = str(info.value)
        assert f"drill {drill.code} was closed to new trainees at " in message and "--resume" in message
        assert "\n" not in message
        assert join(drill, library, store, "early", resume=True).trainee == "Early"
        assert {s.trainee for s in store.sessions(drill_code=drill.code)} == {"Early"}
        assert store.reopen_drill(drill.code)
        assert join(drill, library, store, "Late").trainee == "Late"

    def test_the_close_is_read_afresh_on_each_join(self, made, library, store, tmp_path):
        """A hot-seat terminal keeps one OpenDrill for hours: a close from another process counts."""
        _, drill = made
        with Store.open(tmp_path / "record.db") as trainer:
            trainer.close_drill(drill.code)
        assert drill.is_open()  # as read when the terminal opened the drill
        with pytest.raises(DrillClosed):
            join(drill, library, store, "Late")

    def test_a_close_while_the_name_is_claimed_backs_the_join_out(self, made, library, store, monkeypatch):
        from roleplay.drill.attempt import Attempt

        _, drill = made
        start = Attempt.start_step

        def start_then_close(self):
            ps = start(self)
            store.close_drill(drill.code)  # the trainer, between the first check and the claim
            return ps

        monkeypatch.setattr(Attempt, "start_step", start_then_close)
        with pytest.raises(DrillClosed):
            join(drill, library, store, "Racer")
        assert store.sessions(drill_code=drill.code) == []

    def test_the_board_and_the_report_say_closed(self, made, library, store):
        from roleplay.drill.report import render

        _, drill = made
        play_lines(join(drill, library, store, "Li"), GOOD_SHOP)
        assert load_board(store, drill.code).to_json()["drill"]["closed_at"] is None
        assert "Closed to new trainees" not in render(load_board(store, drill.code), "md", ui_lang="en")
        closed_at = store.close_drill(drill.code)
        board = load_board(store, drill.code)
        assert board.closed_at == closed_at and board.to_json()["drill"]["closed_at"] == closed_at
        assert f"Closed to new trainees at {closed_at}" in render(board, "md", ui_lang="en")
        assert f"已于 {closed_at} 停止接受新学员" in render(board, "md", ui_lang="zh")
        assert json.loads(render(board, "json"))["drill"]["closed_at"] == closed_at


class TestListing:
    def test_trainees_joined_and_done_are_counted_as_on_the_board(self, made, library, store):
        from roleplay.drill import list_drills

        _, drill = made
        play_lines(join(drill, library, store, "Done"), GOOD_SHOP + GOOD_CALL)
        play_lines(join(drill, library, store, "Half"), GOOD_SHOP)  # the call is never started
        crashed = join(drill, library, store, "Li")
        crashed.answer(GOOD_SHOP[0])  # killed mid-scenario: joined, not done
        play_lines(join(drill, library, store, "LI", resume=True), GOOD_SHOP[1:] + GOOD_CALL)  # done after all
        [summary] = list_drills(store)
        board = load_board(store, drill.code)
        assert (summary.trainees, summary.done) == (len(board.standings), board.done) == (3, 2)
        assert (summary.code, summary.title, summary.scenarios, summary.lang) == (drill.code, "Shop and call", 2, "zh")
        assert summary.status == "open" and summary.open and summary.closed_at is None

    def test_newest_first_with_status(self, made, library, store, tmp_path):
        from dataclasses import replace

        from roleplay.drill import list_drills
        from roleplay.drill.listing import summarise

        _, drill = made
        with Store.open(tmp_path / "record.db", clock=lambda: "2020-01-01T09:00:00Z") as old:
            early = create_drill(old, replace(drill.spec, join_window=30)).code
        latest = create_drill(store, drill.spec).code
        store.close_drill(latest)
        codes = [d.code for d in list_drills(store)]
        assert codes.index(latest) < codes.index(drill.code) and codes[-1] == early
        by_code = {d.code: d for d in list_drills(store)}
        assert by_code[latest].status == "closed" and not by_code[latest].open
        assert by_code[early].status == "ended" and by_code[early].window_ends == "2020-01-01T09:30:00Z"
        record = next(r for r in store.drills() if r.code == early)
        from datetime import datetime, timezone

        assert summarise(record, now=datetime(2020, 1, 1, 9, 29, tzinfo=timezone.utc)).status == "open"
        assert by_code[drill.code].to_json()["status"] == "open"

    def test_a_damaged_definition_is_listed_not_fatal(self, made, store):
        import sqlite3

        from roleplay.drill import list_drills

        drill, _ = made
        conn = sqlite3.connect(store.path)
        conn.execute("UPDATE drills SET definition = '{not json' WHERE code = ?", (drill.code,))
        conn.commit()
        conn.close()
        [summary] = list_drills(store)
        assert summary.status == "damaged" and summary.scenarios is None and "damaged" in summary.problem
        with pytest.raises(DrillError, match="damaged"):
            stored_drill(store, drill.code)


class TestWatcher:
    """What a terminal prints from: each scenario before its first line is read, each answer, each end."""

    def test_events_come_in_order_and_no_line_is_read_after_the_drill(self, made, library, store):
        _, drill = made
        events: list[tuple] = []
        read: list[str] = []

        class Recorder:
            def started(self, step, ps):
                events.append(("started", step, len(ps.session.turns)))

            def answered(self, step, ps, turn):
                events.append(("answered", step, turn.trainee))

            def ended(self, step, ps, result):
                events.append(("ended", step, result.outcome))

        def lines():
            for line in GOOD_SHOP + GOOD_CALL:
                read.append(line)
                events.append(("read", line))
                yield line
            raise AssertionError("a line was read after the drill was over")

        assert play_lines(join(drill, library, store, "Li"), lines(), Recorder()) == 0
        assert events == [
            ("started", 0, 0), ("read", GOOD_SHOP[0]), ("answered", 0, GOOD_SHOP[0]),
            ("read", GOOD_SHOP[1]), ("answered", 0, GOOD_SHOP[1]), ("ended", 0, "success"),
            ("started", 1, 0), ("read", GOOD_CALL[0]), ("answered", 1, GOOD_CALL[0]),
            ("read", GOOD_CALL[1]), ("answered", 1, GOOD_CALL[1]), ("ended", 1, "success")]

    def test_the_end_of_input_ends_the_scenario_in_play_and_a_resume_shows_the_replay(self, made, library, store):
        _, drill = made
        events: list[tuple] = []

        class Recorder:
            def started(self, step, ps):
                events.append(("started", step, len(ps.session.turns)))

            def answered(self, step, ps, turn):
                events.append(("answered", step))

            def ended(self, step, ps, result):
                events.append(("ended", step, result.outcome))

        crashed = join(drill, library, store, "Li")
        crashed.answer(GOOD_SHOP[0])
        play_lines(join(drill, library, store, "Li", resume=True), iter(()), Recorder())
        assert events == [("started", 0, 1), ("ended", 0, "unfinished")]


def test_the_board_of_a_played_drill(made, library, store):
    """A smoke test through the store; the board's rules are in test_drill_board.py."""
    _, drill = made
    play_lines(join(drill, library, store, "Good"), GOOD_SHOP + GOOD_CALL)
    play_lines(join(drill, library, store, "Weak"), WEAK_SHOP + WEAK_CALL)
    board = load_board(store, drill.code)
    assert [s.trainee for s in board.standings][0] == "Good"
    assert board.done == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_drill_words_have_no_ambiguous_width_characters(lang):
    """Characters of East Asian width "A" (…, —, “ ”, ·, ●, ★) misalign beside Chinese text."""
    import unicodedata

    from roleplay.i18n import strings

    words = strings("drill", lang)
    assert words, "the drill locale file is missing"
    bad = {key: ch for key, text in words.items() for ch in text if unicodedata.east_asian_width(ch) == "A"}
    assert not bad
