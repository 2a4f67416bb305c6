"""Scenario and product files -> the validated model, with every problem located.

Pass 1 (structure, this module): bytes -> text -> YAML nodes (``reader``), then each node is read
into the model by field (``fields``): unknown keys, wrong types, missing keys, text that YAML 1.1
would misread. Pass 2 (meaning, ``validate``): references between states, checks and languages,
the conversation graph, golden transcripts. A scenario is returned only when neither pass found
an error; warnings are returned alongside.

Public API (docs/internals.md): ``load_product(path)`` and ``load_scenario(path, products)``,
each returning ``(model or None, problems)``; ``parse_product`` / ``parse_scenario`` do the same on
bytes already in memory (the authoring guide's examples, the benchmark).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import yaml

from roleplay.scenario import vocabulary
from roleplay.scenario.fields import ID_RE, STR, Fields, did_you_mean
from roleplay.scenario.language import OBJECTS, VERSION
from roleplay.scenario.model import (
    LANGS,
    METER_MAX,
    TEMPERAMENTS,
    ArriveWith,
    Condition,
    Effects,
    Fact,
    Fallback,
    GoldenExpect,
    GoldenTest,
    Intent,
    Location,
    Matching,
    Persona,
    Product,
    Reaction,
    Scenario,
    ScoreRange,
    State,
    Support,
)
from roleplay.scenario.problems import Problem, Report
from roleplay.scenario.reader import MAX_BYTES, Document, parse, read_document

SCENARIO_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""Scenario and product ids: lowercase letters and digits joined by dashes (typed on the command line)."""

_SCORE_RE = re.compile(r"\s*(?:(>=|<=)\s*(\d+)|(\d+)\s*\.\.\s*(\d+)|(\d+))\s*\Z")


@dataclass(frozen=True, slots=True)
class Ref:
    """A name written in the file that must exist elsewhere (checked by the meaning pass)."""

    kind: str
    """``state``, ``check`` (a check id), ``rubric`` (a rubric or check id) or ``lang``."""
    value: str
    """The name as written."""
    location: Location
    """Where it was written."""
    what: str
    """What the field is, for the message (e.g. ``then``)."""


@dataclass(slots=True)
class Draft:
    """What pass 1 produced for the meaning pass (mutable: filled while reading)."""

    scenario: Scenario | None = None
    """The model read so far (partial when pass 1 found errors)."""
    refs: list[Ref] = field(default_factory=list)
    """Names to check against states, the catalogue and the languages."""
    key_places: dict[tuple[str, str], dict[str, tuple[Location, ...]]] = field(default_factory=dict)
    """Where each key phrase was written: (state id, intent id) -> language -> one location per
    phrase, in the order of ``Intent.keys`` (for the duplicate key phrase warnings)."""


# -- products -------------------------------------------------------------------------------


def load_product(path: str | os.PathLike[str], *, display: str | None = None,
                 max_bytes: int = MAX_BYTES) -> tuple[Product | None, list[Problem]]:
    """Read a product fact sheet. The product is returned only when it has no errors.

    Args:
        path: the YAML file.
        display: how the path is printed in problems (default: as given).
        max_bytes: the size cap.
    """
    report = Report(display or str(path))
    doc = read_document(path, report, max_bytes=max_bytes)
    product = _read_product(doc, report, expected_id=Path(path).stem, source=_source(path))
    return (product if report.errors == 0 else None), report.problems


def parse_product(data: bytes, path: str, *, expected_id: str | None = None) -> tuple[Product | None, list[Problem]]:
    """Like ``load_product`` on bytes already read; ``path`` is only used in messages."""
    report = Report(path)
    product = _read_product(parse(data, path, report), report, expected_id=expected_id)
    return (product if report.errors == 0 else None), report.problems


def _version(f: Fields, fields: dict[str, tuple[yaml.Node, yaml.Node]]) -> int:
    if "version" not in fields:
        return VERSION
    node = fields["version"][1]
    value = f.integer(node, "version")
    if value is not None and value != VERSION:
        f.error(node, f"version {value} is not supported; this roleplay reads version {VERSION}")
    return VERSION


def _source(path: str | os.PathLike[str]) -> str:
    """``source`` of a model read from a file: its absolute path (stable whatever the cwd)."""
    return str(Path(path).absolute())


def _read_product(doc: Document, report: Report, *, expected_id: str | None, source: str | None = None
                  ) -> Product | None:
    if doc.root is None:
        return None
    f = Fields(report, langs=LANGS, shared=doc.shared_nodes)
    top = f.mapping(doc.root, "the product sheet", OBJECTS["product"])
    if top is None:
        return None
    _version(f, top)
    pid = ""
    if "id" in top:
        pid = f.ident(top["id"][1], "the product id", SCENARIO_ID_RE, "lowercase letters, digits and dashes") or ""
        if pid and expected_id and pid != expected_id:
            f.error(top["id"][1], f"the product id '{pid}' should match the file name '{expected_id}.yaml'")
    name = f.per_lang_text(top["name"][1], "the product name", complete=False) if "name" in top else {}
    if "name" in top and not name and report.errors == 0:
        f.error(top["name"][1], "the product name needs at least one language")
    price = f.per_lang_text(top["price"][1], "the price", complete=False) if "price" in top else None
    seen: dict[str, str] = {}
    groups: dict[str, tuple[Fact, ...]] = {}
    for group in ("features", "advantages", "benefits"):
        groups[group] = _read_facts(f, top, group, seen)
    # Advantages come from features, benefits from advantages (the FAB chain).
    for group, parent in (("advantages", "features"), ("benefits", "advantages")):
        parents = {fact.id for fact in groups[parent]}
        for fact in groups[group]:
            if fact.source is not None and fact.source not in parents:
                report.error(fact.location or report.at(1, 1),
                             f"'{fact.id}' comes from '{fact.source}', which is not one of the {parent}"
                             f"{did_you_mean(fact.source, parents)}")
    competitors: list[dict[str, str]] = []
    if "competitors" in top:
        for item in f.sequence(top["competitors"][1], "competitors") or []:
            text = f.per_lang_text(item, "a competitor", complete=False)
            if text:
                competitors.append(text)
    support = None
    if "support" in top:
        sfields = f.mapping(top["support"][1], "support", OBJECTS["support"])
        if sfields is not None:
            team = f.per_lang_text(sfields["team"][1], "the support team", complete=False) if "team" in sfields else {}
            hotline = f.text(sfields["hotline"][1], "the hotline") if "hotline" in sfields else None
            support = Support(team=team, hotline=hotline)
    return Product(
        id=pid, name=name, features=groups["features"], advantages=groups["advantages"],
        benefits=groups["benefits"], competitors=tuple(competitors), price=price or None,
        support=support, source=source or report.path, location=f.loc(doc.root),
    )


def _read_facts(f: Fields, top: dict, group: str, seen: dict[str, str]) -> tuple[Fact, ...]:
    if group not in top:
        return ()
    items = f.sequence(top[group][1], group)
    if items is None:
        return ()
    facts = []
    singular = group[:-1]
    for item in items:
        fields = f.mapping(item, f"a {singular}", OBJECTS["fact"])
        if fields is None or "id" not in fields:
            continue
        fid = f.ident(fields["id"][1], f"the {singular} id")
        if fid is None:
            continue
        if fid in seen:
            f.error(fields["id"][1], f"the id '{fid}' is already used by a {seen[fid]} of this product")
            continue
        seen[fid] = singular
        source = None
        if "from" in fields:
            if group == "features":
                f.error(fields["from"][0], "a feature does not come 'from' anything (only advantages and benefits do)")
            else:
                source = f.ident(fields["from"][1], f"'from' of {singular} '{fid}'")
        text: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            if lang in fields:
                values = f.text_list(fields[lang][1], f"the '{lang}' phrasings of {singular} '{fid}'")
                if values:
                    text[lang] = tuple(v for v, _ in values)
        if not text:
            f.error(item, f"{singular} '{fid}' has no phrasing (add {' and '.join(f'{lang}: [...]' for lang in LANGS)})")
        facts.append(Fact(id=fid, text=text, source=source, location=f.loc(item)))
    return tuple(facts)


# -- scenarios ------------------------------------------------------------------------------


def load_scenario(path: str | os.PathLike[str], products: Mapping[str, Product] | None = None, *,
                  display: str | None = None, max_bytes: int = MAX_BYTES) -> tuple[Scenario | None, list[Problem]]:
    """Read and check a scenario file. The scenario is returned only when it has no errors.

    Args:
        path: the YAML file.
        products: the product sheets by id that ``product:`` may name.
        display: how the path is printed in problems (default: as given).
        max_bytes: the size cap.
    """
    report = Report(display or str(path))
    doc = read_document(path, report, max_bytes=max_bytes)
    scenario = _check(doc, products or {}, report, source=_source(path))
    return scenario, report.problems


def parse_scenario(data: bytes, path: str, products: Mapping[str, Product] | None = None
                   ) -> tuple[Scenario | None, list[Problem]]:
    """Like ``load_scenario`` on bytes already read; ``path`` is only used in messages."""
    report = Report(path)
    scenario = _check(parse(data, path, report), products or {}, report)
    return scenario, report.problems


def _check(doc: Document, products: Mapping[str, Product], report: Report, source: str | None = None
           ) -> Scenario | None:
    from roleplay.scenario.validate import check_scenario  # the meaning pass builds on this module

    draft = read_scenario(doc, products, report, source=source)
    if draft.scenario is None:
        return None
    check_scenario(draft.scenario, draft.refs, report, structure_ok=report.errors == 0, key_places=draft.key_places)
    return draft.scenario if report.errors == 0 else None


def read_scenario(doc: Document, products: Mapping[str, Product], report: Report, *,
                  source: str | None = None) -> Draft:
    """Pass 1: the scenario model as far as it could be read, and the names to check."""
    draft = Draft()
    if doc.root is None:
        return draft
    _ScenarioReader(doc, products, report, draft, source or report.path).read()
    return draft


class _ScenarioReader:
    """Reads one scenario's nodes into the model (pass 1), noting references for pass 2."""

    def __init__(self, doc: Document, products: Mapping[str, Product], report: Report, draft: Draft,
                 source: str) -> None:
        self.doc = doc
        self.source = source
        self.products = products
        self.report = report
        self.draft = draft
        self.f = Fields(report, shared=doc.shared_nodes)

    def ref(self, kind: str, value: str | None, node: yaml.Node, what: str) -> None:
        if value:
            self.draft.refs.append(Ref(kind, value, self.f.loc(node), what))

    def read(self) -> None:
        f = self.f
        root = self.doc.root
        top = f.mapping(root, "the scenario", OBJECTS["scenario"])
        if top is None:
            return
        _version(f, top)
        langs = self.languages(top)
        f.langs = langs

        def get(key: str):  # type: ignore[no-untyped-def]
            return top[key][1] if key in top else None

        sid = ""
        if (node := get("id")) is not None:
            sid = f.ident(node, "the scenario id", SCENARIO_ID_RE, "lowercase letters, digits and dashes") or ""
        title = f.per_lang_text(get("title"), "the title") if get("title") is not None else {}
        summary = f.per_lang_text(get("summary"), "the summary") if get("summary") is not None else {}
        tags: list[str] = []
        if (node := get("tags")) is not None:
            for value, item in f.text_list(node, "tags"):
                if value in tags:
                    f.warning(item, f"the tag '{value}' is listed twice")
                    continue
                tags.append(value)
                self.ref("tag", value, item, "tags")
        difficulty = 1
        if (node := get("difficulty")) is not None:
            difficulty = f.integer(node, "difficulty", 1, 3) or 1
        product = None
        if (node := get("product")) is not None:
            pid = f.text(node, "product")
            if pid is not None:
                self.ref("product", pid, node, "product")
                product = self.products.get(pid)
                if product is None:
                    known = sorted(self.products)
                    hint = did_you_mean(pid, known) or (f" (known: {', '.join(known)})" if known else "")
                    f.error(node, f"unknown product '{pid}'{hint}; product sheets live in products/ beside the scenarios")
        persona = self.persona(get("persona")) if get("persona") is not None else Persona({}, {})
        pass_mark = 60
        if (node := get("pass_mark")) is not None:
            pass_mark = f.integer(node, "pass_mark", 0, 100) or 60
        blockers: list[str] = []
        if (node := get("blockers")) is not None:
            for value, item in f.text_list(node, "blockers"):
                blockers.append(value)
                self.ref("check", value, item, "blockers")
        walk_away = None
        if (node := get("walk_away")) is not None:
            walk_away = f.ident(node, "walk_away")
            self.ref("state", walk_away, node, "walk_away")
        reactions = self.reactions(get("reactions")) if get("reactions") is not None else ()
        matching = self.matching(get("matching")) if get("matching") is not None else Matching()
        start = ""
        if (node := get("start")) is not None:
            start = f.ident(node, "start") or ""
            self.ref("state", start, node, "start")
        states = self.states(get("states")) if get("states") is not None else {}
        tests = self.tests(get("tests")) if get("tests") is not None else ()
        self.draft.scenario = Scenario(
            id=sid, languages=langs, title=title, summary=summary, persona=persona, start=start,
            states=states, tags=tuple(tags), difficulty=difficulty, product=product, pass_mark=pass_mark,
            blockers=tuple(blockers), walk_away=walk_away, reactions=reactions, matching=matching,
            tests=tests, version=VERSION, source=self.source, content_hash=self.doc.content_hash,
            location=f.loc(root),
        )

    def languages(self, top: dict) -> tuple[str, ...]:
        f = self.f
        if "languages" not in top:
            return LANGS
        node = top["languages"][1]
        langs: list[str] = []
        for value, item in f.text_list(node, "languages"):
            if value not in LANGS:
                f.error(item, f"unknown language '{value}' (use {', '.join(LANGS)}){did_you_mean(value, LANGS, cutoff=50)}")
            elif value in langs:
                f.warning(item, f"the language '{value}' is listed twice")
            else:
                langs.append(value)
        if not langs:
            if isinstance(node, yaml.SequenceNode):
                f.error(node, f"languages is empty (use {', '.join(LANGS)})")
            return LANGS
        return tuple(langs)

    def persona(self, node: yaml.Node) -> Persona:
        f = self.f
        fields = f.mapping(node, "persona", OBJECTS["persona"])
        if fields is None:
            return Persona({}, {})
        name = f.per_lang_text(fields["name"][1], "the persona's name") if "name" in fields else {}
        role = f.per_lang_text(fields["role"][1], "the persona's role") if "role" in fields else {}
        temperament = "calm"
        if "temperament" in fields:
            temperament = f.choice(fields["temperament"][1], "temperament", TEMPERAMENTS) or "calm"
        patience = 3
        if "patience" in fields:
            patience = f.integer(fields["patience"][1], "patience", 1, METER_MAX) or 3
        interest = 2
        if "interest" in fields:
            value = f.integer(fields["interest"][1], "interest", 0, METER_MAX)
            interest = 2 if value is None else value
        return Persona(name=name, role=role, temperament=temperament, patience=patience, interest=interest)

    def effects(self, node: yaml.Node, what: str) -> Effects:
        f = self.f
        fields = f.mapping(node, what, OBJECTS["effects"])
        if fields is None:
            return Effects()
        values = {}
        for name, (_, value_node) in fields.items():
            value = f.integer(value_node, f"{name} in {what}", -METER_MAX, METER_MAX)
            if value is not None:
                values[name] = value
        return Effects(**values)

    def reactions(self, node: yaml.Node) -> tuple[Reaction, ...]:
        f = self.f
        out = []
        for item in f.sequence(node, "reactions") or []:
            fields = f.mapping(item, "a reaction", OBJECTS["reaction"])
            if fields is None or len(fields) < 3:
                continue
            check = f.text(fields["check"][1], "check")
            self.ref("check", check, fields["check"][1], "check")
            passed = f.boolean(fields["passed"][1], "passed")
            effects = self.effects(fields["effects"][1], "effects")
            if check is not None and passed is not None:
                out.append(Reaction(check=check, passed=passed, effects=effects, location=f.loc(item)))
        return tuple(out)

    def matching(self, node: yaml.Node) -> Matching:
        f = self.f
        fields = f.mapping(node, "matching", OBJECTS["matching"])
        if fields is None:
            return Matching()
        default = Matching()
        threshold = default.threshold
        hint = default.hint_threshold
        if "threshold" in fields:
            threshold = f.number(fields["threshold"][1], "threshold", 0, 100) or threshold
        if "hint_threshold" in fields:
            value = f.number(fields["hint_threshold"][1], "hint_threshold", 0, 100)
            if value is not None:
                hint = value
                if value > threshold:
                    f.error(fields["hint_threshold"][1],
                            f"hint_threshold ({value:g}) should not be above threshold ({threshold:g})")
        return Matching(threshold=threshold, hint_threshold=hint)

    # -- states ---------------------------------------------------------------------------

    def states(self, node: yaml.Node) -> dict[str, State]:
        f = self.f
        fields = f.mapping(node, "states")
        if fields is None:
            return {}
        if not fields:
            f.error(node, "states is empty: a scenario needs at least a start state and an end state")
        out: dict[str, State] = {}
        for sid, (key_node, value_node) in fields.items():
            if not ID_RE.match(sid):
                f.error(key_node, f"the state name '{sid}' is not a valid id (letters, digits, '_' and '-', no spaces)")
                continue
            out[sid] = self.state(sid, key_node, value_node)
        return out

    def state(self, sid: str, key_node: yaml.Node, node: yaml.Node) -> State:
        f = self.f
        where = f"state '{sid}'"
        fields = f.mapping(node, where, OBJECTS["state"])
        if fields is None:
            return State(id=sid, customer={}, location=f.loc(key_node))
        end = None
        if "end" in fields:
            end = f.choice(fields["end"][1], f"end of {where}", ("success", "failure"))
        customer: dict[str, tuple[str, ...]] = {}
        if "customer" in fields:
            customer = f.per_lang_lines(fields["customer"][1], f"the customer lines of {where}")
        rubrics: list[str] = []
        if "rubrics" in fields:
            for value, item in f.text_list(fields["rubrics"][1], f"rubrics of {where}"):
                rubrics.append(value)
                self.ref("rubric", value, item, "rubrics")
        model_answer = None
        if "model_answer" in fields:
            model_answer = f.per_lang_text(fields["model_answer"][1], f"the model answer of {where}") or None
        expect: list[Intent] = []
        if "expect" in fields:
            seen: dict[str, int] = {}
            for item in f.sequence(fields["expect"][1], f"expect of {where}") or []:
                intent = self.intent(item, where, sid)
                if intent is None:
                    continue
                if intent.id in seen:
                    f.error(item, f"the intent '{intent.id}' appears twice in {where} (first at line {seen[intent.id]})")
                    continue
                seen[intent.id] = item.start_mark.line + 1
                expect.append(intent)
        otherwise = None
        if "otherwise" in fields:
            otherwise = self.otherwise(fields["otherwise"][1], where)
        if end is not None and (expect or otherwise is not None):
            f.warning(fields["end"][1], f"{where} is an end state: its expect/otherwise are never used")
        arrive_with = self.arrive_with(fields["arrive_with"][1], where) if "arrive_with" in fields else None
        return State(id=sid, customer=customer, rubrics=tuple(rubrics), expect=tuple(expect),
                     otherwise=otherwise, end=end, model_answer=model_answer,  # type: ignore[arg-type]
                     arrive_with=arrive_with, location=f.loc(key_node))

    def arrive_with(self, node: yaml.Node, where: str) -> ArriveWith | None:
        f = self.f
        what = f"arrive_with of {where}"
        fields = f.mapping(node, what, OBJECTS["arrive_with"])
        if fields is None:
            return None
        if not fields:
            f.warning(node, f"{what} is empty: give patience and/or interest, or leave it out")
            return None
        # Patience starts at 1 at least, as in the persona: at 0 the customer has already left.
        patience = f.integer(fields["patience"][1], f"patience in {what}", 1, METER_MAX) if "patience" in fields else None
        interest = f.integer(fields["interest"][1], f"interest in {what}", 0, METER_MAX) if "interest" in fields else None
        if patience is None and interest is None:
            return None
        return ArriveWith(patience=patience, interest=interest, location=f.loc(node))

    def then(self, fields: dict, what: str) -> str | None:
        if "then" not in fields:
            return None
        node = fields["then"][1]
        value = self.f.text(node, f"then of {what}", empty_ok=True)
        if not value:
            return None
        self.ref("state", value, node, "then")
        return value

    def intent(self, node: yaml.Node, where: str, sid: str) -> Intent | None:
        f = self.f
        fields = f.mapping(node, f"an intent of {where}", OBJECTS["intent"])
        if fields is None or "intent" not in fields:
            return None
        iid = f.ident(fields["intent"][1], f"an intent name in {where}")
        if iid is None:
            return None
        what = f"intent '{iid}'"
        examples: dict[str, tuple[str, ...]] = {}
        if "say" in fields:
            say = fields["say"][1]
            if isinstance(say, yaml.MappingNode) and not say.value:
                f.error(say, f"{what} has no examples: add a few phrasings per language under say:")
            else:
                examples = f.per_lang_lines(say, f"the examples (say) of {what}")
        keys: dict[str, tuple[str, ...]] = {}
        if "keys" in fields:
            located: dict[str, tuple[Location, ...]] = {}
            keys = f.per_lang_lines(fields["keys"][1], f"the key phrases of {what}", complete=False, located=located)
            # The first intent of a name is kept (a second one is an error and dropped): so are its places.
            self.draft.key_places.setdefault((sid, iid), located)
        when = self.conditions(fields["when"][1], what) if "when" in fields else ()
        effects = self.effects(fields["effects"][1], f"effects of {what}") if "effects" in fields else Effects()
        reply = f.per_lang_lines(fields["reply"][1], f"the reply of {what}") if "reply" in fields else {}
        threshold = None
        if "threshold" in fields:
            threshold = f.number(fields["threshold"][1], f"threshold of {what}", 0, 100)
        return Intent(id=iid, examples=examples, keys=keys, when=when, effects=effects, reply=reply,
                      then=self.then(fields, what), threshold=threshold, location=f.loc(node))

    def conditions(self, node: yaml.Node, what: str) -> tuple[Condition, ...]:
        f = self.f
        fields = f.mapping(node, f"when of {what}")
        if fields is None:
            return ()
        out = []
        for name, (key_node, value_node) in fields.items():
            entry = vocabulary.CONDITIONS.get(name)
            if entry is None:
                f.error(key_node, f"unknown condition '{name}' in {what}{did_you_mean(name, vocabulary.CONDITIONS)}"
                                  " (see the conditions in docs/authoring.md)")
                continue
            arg: int | str | tuple[str, ...] | None
            if entry.arg == "meter":
                arg = f.integer(value_node, f"{name}", 0, METER_MAX)
            elif entry.arg == "count":
                arg = f.integer(value_node, f"{name}", 0, None)
            elif entry.arg == "checks":
                arg = self.check_ids(value_node, name, what)
            else:
                if isinstance(value_node, yaml.ScalarNode) and not value_node.style and value_node.tag != STR:
                    f.error(value_node, f"{name} needs a state name, not '{value_node.value}'")
                    continue
                arg = f.text(value_node, name)
                self.ref(entry.arg, arg, value_node, name)
            if arg is not None:
                out.append(Condition(name=name, arg=arg, location=f.loc(key_node)))
        return tuple(out)

    def check_ids(self, node: yaml.Node, name: str, what: str) -> str | tuple[str, ...] | None:
        """The argument of a check condition: one check id (text) or several (a tuple), or None."""
        f = self.f
        if isinstance(node, yaml.SequenceNode):
            items = f.sequence(node, f"{name} of {what}")
            if items is None:
                return None
            if not items:
                f.error(node, f"{name} of {what} is an empty list: name at least one check id")
                return None
        else:
            items = [node]
        ids: list[str] = []
        for item in items:
            if isinstance(item, yaml.ScalarNode) and not item.style and item.tag != STR:
                f.error(item, f"{name} needs a check id, not '{item.value}'")
                continue
            value = f.text(item, name)
            if value is None:
                continue
            if value in ids:
                f.warning(item, f"the check '{value}' is listed twice in {name} of {what}")
                continue
            ids.append(value)
            self.ref("check", value, item, name)
        if not ids:
            return None
        # One check stays text, as ``passed: fab.benefit`` has always been read.
        return ids[0] if len(ids) == 1 else tuple(ids)

    def otherwise(self, node: yaml.Node, where: str) -> Fallback | None:
        f = self.f
        what = f"otherwise of {where}"
        fields = f.mapping(node, what, OBJECTS["otherwise"])
        if fields is None:
            return None
        customer = f.per_lang_lines(fields["customer"][1], f"the customer lines of {what}") if "customer" in fields else {}
        effects = self.effects(fields["effects"][1], f"effects of {what}") if "effects" in fields else Effects()
        return Fallback(customer=customer, effects=effects, then=self.then(fields, what), location=f.loc(node))

    # -- golden transcripts -------------------------------------------------------------

    def tests(self, node: yaml.Node) -> tuple[GoldenTest, ...]:
        f = self.f
        out = []
        for item in f.sequence(node, "tests") or []:
            test = self.test(item)
            if test is not None:
                out.append(test)
        return tuple(out)

    def test(self, node: yaml.Node) -> GoldenTest | None:
        f = self.f
        fields = f.mapping(node, "a test", OBJECTS["test"])
        if fields is None:
            return None
        name = f.text(fields["name"][1], "the test name") if "name" in fields else None
        what = f"test '{name}'" if name else "a test"
        lang = None
        if "lang" in fields:
            lang = f.text(fields["lang"][1], f"lang of {what}")
            self.ref("lang", lang, fields["lang"][1], "lang")
        say = tuple(v for v, _ in f.text_list(fields["say"][1], f"say of {what}")) if "say" in fields else ()
        if "say" in fields and not say and isinstance(fields["say"][1], yaml.SequenceNode):
            f.error(fields["say"][1], f"{what} has no trainee lines (say:)")
        seed = 0
        if "seed" in fields:
            seed = f.integer(fields["seed"][1], "seed", 0, None) or 0
        start = None
        if "from" in fields:
            start = f.ident(fields["from"][1], f"from of {what}")
            self.ref("state", start, fields["from"][1], "from")
        expect = self.test_expect(fields["expect"][1], what) if "expect" in fields else GoldenExpect()
        if name is None or lang is None:
            return None
        return GoldenTest(name=name, lang=lang, say=say, expect=expect, seed=seed, start=start, location=f.loc(node))

    def test_expect(self, node: yaml.Node, what: str) -> GoldenExpect:
        f = self.f
        where = f"expect of {what}"
        fields = f.mapping(node, where, OBJECTS["test_expect"])
        if fields is None:
            return GoldenExpect()
        if not fields:
            f.error(node, f"{where} is empty: say what must come out (end, outcome, score, passed, failed)")
        end = None
        if "end" in fields:
            end = f.ident(fields["end"][1], f"end of {where}")
            self.ref("state", end, fields["end"][1], "end")
        outcome = None
        if "outcome" in fields:
            outcome = f.choice(fields["outcome"][1], f"outcome of {where}", ("success", "failure", "unfinished"))
        path = None
        if "path" in fields:
            path = []
            for value, item in f.text_list(fields["path"][1], f"path of {where}", allow_scalar=False):
                path.append(value)
                self.ref("state", value, item, "path")
            path = tuple(path)
        score = self.score(fields["score"][1], where) if "score" in fields else None
        checks: dict[str, tuple[str, ...]] = {}
        for key in ("passed", "failed"):
            values = []
            if key in fields:
                for value, item in f.text_list(fields[key][1], f"{key} of {where}"):
                    values.append(value)
                    self.ref("check", value, item, key)
            checks[key] = tuple(values)
        return GoldenExpect(end=end, outcome=outcome, path=path, score=score,  # type: ignore[arg-type]
                            passed=checks["passed"], failed=checks["failed"])

    def score(self, node: yaml.Node, where: str) -> ScoreRange | None:
        f = self.f
        if not isinstance(node, yaml.ScalarNode):
            f.error(node, f"score of {where} should be like \">= 80\", \"<= 40\", \"40..70\" or a number")
            return None
        m = _SCORE_RE.match(node.value)
        if m is None:
            f.error(node, f"score '{node.value}' of {where} should be like \">= 80\", \"<= 40\", \"40..70\" or a number")
            return None
        op, bound, low, high, exact = m.groups()
        if op == ">=":
            rng = ScoreRange(int(bound), 100)
        elif op == "<=":
            rng = ScoreRange(0, int(bound))
        elif low is not None:
            rng = ScoreRange(int(low), int(high))
        else:
            rng = ScoreRange(int(exact), int(exact))
        if not (0 <= rng.low <= rng.high <= 100):
            f.error(node, f"score '{node.value}' of {where} is not a range within 0..100")
            return None
        return rng
