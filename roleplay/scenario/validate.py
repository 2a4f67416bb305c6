"""Pass 2, meaning: does the scenario make sense as a conversation, and do its names exist?

Runs on the model pass 1 built (``loader``), plus the names pass 1 noted with their places:

- every state named by ``start``, ``walk_away``, ``then``, ``visited`` and the golden
  transcripts exists; every check and rubric id is in the catalogue (``roleplay rubrics``);
  golden transcripts use a declared language; tags are in the library's vocabulary (warning);
- the conversation graph: every state can be reached, every state that is not an end
  has a way out, a success end can be reached, and an end can be reached from everywhere;
- the product sheet has a text in every language the scenario declares;
- two intents of one state whose examples are so alike the matcher cannot tell them apart
  (warning);
- a key phrase listed twice in one intent, or in two intents of one state that the phrase then
  cannot tell apart (warning; not when their ``when:`` can never both hold, nor when both lead
  to the same state with the same effects and reply, as the twin of an intent gated on its check);
- ``arrive_with`` on the start state (it replaces the persona's meters) or on an end state (no
  session starts there) (warning).

Graph checks are skipped when pass 1 found errors, when a state name is unknown or when the start
is an end state: on such a scenario they would mostly repeat what was already said.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from typing import Iterable, Mapping

from rapidfuzz import fuzz, process

from roleplay.scenario.fields import did_you_mean
from roleplay.scenario.loader import Ref
from roleplay.scenario.model import METER_MAX, Condition, Intent, Location, Scenario, State
from roleplay.scenario.problems import Report
from roleplay.scenario.tags import TAGS
from scoring.catalogue import Catalogue, load_catalogue

SIMILAR = 90.0
"""Two intents' examples at least this alike (rapidfuzz ratio, 0-100, normalised text) are
too close for the matcher to choose between them."""

_PUNCT = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Text as the similarity check compares it: case-folded, punctuation and spacing removed."""
    return _PUNCT.sub(" ", text.casefold()).strip()


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) | (?=[{_CJK}])")


def key_form(text: str) -> str:
    """A key phrase as the duplicate check compares it: ``normalise`` after NFKC (full-width
    letters and punctuation folded), without the spaces next to Chinese characters.

    Close to what the matcher does to a key phrase (``roleplay.engine.normalize``, which this
    package may not import); it does not fold Traditional into Simplified Chinese.
    """
    return _CJK_SPACE.sub("", normalise(unicodedata.normalize("NFKC", text)))


def check_scenario(scenario: Scenario, refs: Iterable[Ref], report: Report, *, structure_ok: bool = True,
                   catalogue: Catalogue | None = None,
                   key_places: Mapping[tuple[str, str], Mapping[str, tuple[Location, ...]]] | None = None) -> None:
    """Report every meaning problem of ``scenario`` to ``report``.

    Args:
        scenario: the model pass 1 built (possibly partial when ``structure_ok`` is False).
        refs: the names pass 1 noted, with where they were written.
        report: where problems go.
        structure_ok: False when pass 1 found errors; the graph checks are then skipped.
        catalogue: the check catalogue (default: the shipped one).
        key_places: where each key phrase was written (``loader.Draft.key_places``); without
            it, key phrase warnings point at their intent.
    """
    cat = catalogue or load_catalogue()
    refs = list(refs)
    _check_refs(scenario, refs, report, cat)
    if scenario.product is not None:
        _check_product_languages(scenario, refs, report)
    _check_similar_intents(scenario, report)
    _check_duplicate_keys(scenario, report, key_places or {})
    _check_arrive_with(scenario, report)
    # A graph with a dangling name or a bad start would only echo those errors: skip it then.
    dangling = any(r.kind == "state" and r.value not in scenario.states for r in refs)
    start = scenario.states.get(scenario.start)
    if structure_ok and not dangling and start is not None and not start.is_end:
        _check_graph(scenario, refs, report)


def _check_refs(scenario: Scenario, refs: Iterable[Ref], report: Report, cat: Catalogue) -> None:
    states = scenario.states
    for ref in refs:
        if ref.kind == "state":
            if ref.value not in states:
                report.error(ref.location, f"unknown state '{ref.value}' in {ref.what}"
                                           f"{did_you_mean(ref.value, states)}")
        elif ref.kind == "check":
            if ref.value not in cat.checks:
                if ref.value in cat.rubrics:
                    report.error(ref.location, f"'{ref.value}' in {ref.what} is a rubric, not a check; name a "
                                               f"check such as '{cat.rubrics[ref.value][0]}'")
                else:
                    report.error(ref.location, f"unknown check '{ref.value}' in {ref.what}"
                                               f"{did_you_mean(ref.value, cat.checks)} (`roleplay rubrics` lists them)")
        elif ref.kind == "rubric":
            if not cat.is_known(ref.value):
                choices = list(cat.rubrics) + list(cat.checks)
                report.error(ref.location, f"unknown rubric or check '{ref.value}' in {ref.what}"
                                           f"{did_you_mean(ref.value, choices)} (`roleplay rubrics` lists them)")
        elif ref.kind == "lang":
            if ref.value not in scenario.languages:
                report.error(ref.location, f"the test language '{ref.value}' is not one of the scenario's "
                                           f"languages [{', '.join(scenario.languages)}]")
        elif ref.kind == "tag":
            if ref.value not in TAGS:
                report.warning(ref.location, f"the tag '{ref.value}' is not in the library's tags"
                                             f"{did_you_mean(ref.value, TAGS)} (docs/authoring.md lists them)")
    # Some state names must name a particular kind of state.
    for ref in refs:
        state = states.get(ref.value) if ref.kind == "state" else None
        if state is None:
            continue
        if ref.what == "walk_away" and state.end != "failure":
            report.error(ref.location, f"walk_away should name a failure end state; '{ref.value}' is "
                                       f"{'a success end' if state.end == 'success' else 'not an end state'}")
        elif ref.what == "start" and state.is_end:
            report.error(ref.location, f"the start state '{ref.value}' is an end state: the role-play would end at once")
        elif ref.what == "from" and state.is_end:
            report.error(ref.location, f"a test cannot start from the end state '{ref.value}'")


def _check_product_languages(scenario: Scenario, refs: Iterable[Ref], report: Report) -> None:
    product = scenario.product
    assert product is not None
    where = next((r.location for r in refs if r.kind == "product"), scenario.location or report.at(1, 1))
    for lang in scenario.languages:
        missing = [] if lang in product.name else ["its name"]
        for group, facts in (("feature", product.features), ("advantage", product.advantages),
                             ("benefit", product.benefits)):
            missing.extend(f"{group} '{fact.id}'" for fact in facts if lang not in fact.text)
        if missing:
            shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
            report.error(where, f"the product '{product.id}' has no '{lang}' text for {shown} "
                                f"({product.source})")


def _check_similar_intents(scenario: Scenario, report: Report) -> None:
    langs = scenario.languages
    for state in scenario.states.values():
        intents = [i for i in state.expect if i.examples]
        if len(intents) < 2:
            continue
        # Each example normalised once per state, not once per pair of intents.
        normal = [{lang: [normalise(x) for x in i.examples.get(lang, ())] for lang in langs} for i in intents]
        for a_index, a in enumerate(intents):
            for b_index in range(a_index + 1, len(intents)):
                b = intents[b_index]
                if set(a.when) != set(b.when):
                    continue  # different conditions: the engine tells them apart, not the matcher
                clash = _closest_examples(a, b, normal[a_index], normal[b_index], langs)
                if clash is not None:
                    score, text_a, text_b = clash
                    report.warning(b.location or report.at(1, 1),
                                   f"intents '{a.id}' and '{b.id}' of state '{state.id}' have examples too alike "
                                   f"for the matcher to tell apart (\"{text_a}\" / \"{text_b}\", {score:.0f}% alike)")


_BOUNDS: dict[str, tuple[str, bool]] = {
    "patience_at_least": ("patience", True), "patience_below": ("patience", False),
    "interest_at_least": ("interest", True), "interest_below": ("interest", False),
}
"""Meter conditions: the meter and whether the condition is its lower bound (else its upper)."""


def satisfiable(conditions: Iterable[Condition]) -> bool:
    """False when some answer could never meet all ``conditions`` at once (they contradict).

    Only the plain contradictions are seen: a check that must both pass and fail, an "any" list
    whose every check must fail (or pass), meter bounds that leave no value. Anything else counts
    as satisfiable, so a warning that relies on this errs towards being shown.
    """
    must: dict[bool, set[str]] = {True: set(), False: set()}
    some: list[tuple[bool, frozenset[str]]] = []
    low = {"patience": 0, "interest": 0}
    high = {"patience": METER_MAX, "interest": METER_MAX}
    for cond in conditions:
        name, arg = cond.name, cond.arg
        ids = (arg,) if isinstance(arg, str) else arg if isinstance(arg, tuple) else ()
        if name in ("passed", "failed"):
            must[name == "passed"].update(ids)
        elif name in ("passed_any", "failed_any"):
            if len(ids) == 1:
                must[name == "passed_any"].update(ids)
            else:
                some.append((name == "passed_any", frozenset(ids)))
        elif name in _BOUNDS and isinstance(arg, int):
            meter, is_low = _BOUNDS[name]
            if is_low:
                low[meter] = max(low[meter], arg)
            else:
                high[meter] = min(high[meter], arg - 1)
    if must[True] & must[False]:
        return False
    if any(ids <= must[not passed] for passed, ids in some):
        return False
    return all(low[m] <= high[m] for m in low)


def _same_outcome(state: State, a: Intent, b: Intent) -> bool:
    """Whether choosing ``a`` or ``b`` makes no difference to the conversation."""
    return (a.then or state.id) == (b.then or state.id) and a.effects == b.effects and a.reply == b.reply


def _first_at(first: Location, here: Location) -> str:
    return f"column {first.col}" if first.line == here.line else f"line {first.line}"


def _check_duplicate_keys(scenario: Scenario, report: Report,
                          key_places: Mapping[tuple[str, str], Mapping[str, tuple[Location, ...]]]) -> None:
    for state in scenario.states.values():
        if state.is_end:
            continue  # its intents are never used (already a warning)
        # The matcher looks for the key phrases of every language of the scenario in every answer
        # (a key in the other language is just as telling), so two intents clash across languages.
        owners: dict[str, list[tuple[Intent, Location]]] = {}
        for intent in state.expect:
            places = key_places.get((state.id, intent.id), {})
            fallback = intent.location or report.at(1, 1)
            mine: dict[str, tuple[str, Location]] = {}
            for lang in scenario.languages:
                phrases = intent.keys.get(lang, ())
                locs = places.get(lang, ())
                listed: dict[str, Location] = {}
                for i, phrase in enumerate(phrases):
                    form = key_form(phrase)
                    if not form:
                        continue
                    where = locs[i] if i < len(locs) else fallback
                    if form in listed:
                        report.warning(where, f"the key phrase '{phrase}' is listed twice in the {lang} keys of intent "
                                              f"'{intent.id}' (first at {_first_at(listed[form], where)})")
                        continue
                    listed[form] = where
                    mine.setdefault(form, (phrase, where))
            for form, (phrase, where) in mine.items():
                for other, other_where in owners.get(form, ()):
                    if _same_outcome(state, other, intent) or not satisfiable(other.when + intent.when):
                        continue  # the phrase need not tell them apart
                    report.warning(where, f"the key phrase '{phrase}' of intent '{intent.id}' is also a key phrase of "
                                          f"intent '{other.id}' (line {other_where.line}) in state '{state.id}': "
                                          "it cannot tell them apart")
                    break
                owners.setdefault(form, []).append((intent, where))


def _check_arrive_with(scenario: Scenario, report: Report) -> None:
    for sid, state in scenario.states.items():
        if state.arrive_with is None:
            continue
        where = state.arrive_with.location or state.location or report.at(1, 1)
        if state.is_end:
            report.warning(where, f"state '{sid}' is an end state: no session starts there, so its arrive_with "
                                  "is never used")
        elif sid == scenario.start:
            report.warning(where, f"arrive_with on the start state '{sid}' replaces the persona's patience and "
                                  "interest in every session; set them under persona: instead")


def _closest_examples(a: Intent, b: Intent, norm_a: Mapping[str, list[str]], norm_b: Mapping[str, list[str]],
                      langs: Iterable[str]) -> tuple[float, str, str] | None:
    best: tuple[float, str, str] | None = None
    for lang in langs:
        xs, ys = norm_a[lang], norm_b[lang]
        if not xs or not ys:
            continue
        for x_index, x in enumerate(xs):
            hit = process.extractOne(x, ys, scorer=fuzz.ratio, score_cutoff=SIMILAR)
            if hit is not None and (best is None or hit[1] > best[0]):
                best = (hit[1], a.examples[lang][x_index], b.examples[lang][hit[2]])
    return best


def _edges(state: State) -> set[str]:
    """The states an answer in ``state`` can lead to (not counting staying)."""
    out = {i.then for i in state.expect if i.then and i.then != state.id}
    if state.otherwise is not None and state.otherwise.then and state.otherwise.then != state.id:
        out.add(state.otherwise.then)
    return out


def _check_graph(scenario: Scenario, refs: Iterable[Ref], report: Report) -> None:
    states = scenario.states
    if scenario.start not in states:
        return  # already reported as an unknown state
    edges = {sid: {t for t in _edges(s) if t in states} for sid, s in states.items()}
    # Running out of patience leads to walk_away from any state (it is reachable, not a dead end).
    walk_away = scenario.walk_away if scenario.walk_away in states else None
    reachable = _reach(scenario.start, edges)
    if walk_away is not None:
        reachable |= _reach(walk_away, edges)
    for sid, state in states.items():
        where = state.location or report.at(1, 1)
        if sid not in reachable:
            report.error(where, f"state '{sid}' can never be reached from the start state '{scenario.start}' "
                                "(no then: leads to it)")
        if not state.is_end and not edges[sid]:
            report.error(where, f"state '{sid}' has no way out: it is not an end state and no intent or otherwise "
                                "leads to another state (add then: or end: success/failure)")
    if not any(states[s].end == "success" for s in reachable):
        start_ref = next((r.location for r in refs if r.kind == "state" and r.what == "start"), None)
        report.error(start_ref or scenario.location or report.at(1, 1),
                     "no success end can be reached from the start state: add a state with end: success "
                     "and lead to it with then:")
    # From every reachable state that has a way out, some end must be reachable (no endless loops).
    ends = {sid for sid, s in states.items() if s.is_end}
    if not ends:
        return
    reverse: dict[str, set[str]] = {sid: set() for sid in states}
    for sid, targets in edges.items():
        for t in targets:
            reverse[t].add(sid)
    can_end: set[str] = set()
    queue = deque(ends)
    while queue:
        sid = queue.popleft()
        if sid in can_end:
            continue
        can_end.add(sid)
        queue.extend(reverse[sid] - can_end)
    for sid in sorted(reachable - can_end, key=list(states).index):
        if edges[sid]:  # states with no way out were reported above
            report.warning(states[sid].location or report.at(1, 1),
                           f"from state '{sid}' no end state can be reached (only patience running out ends it)")


def _reach(start: str, edges: Mapping[str, set[str]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for t in edges[queue.popleft()]:
            if t not in seen:
                seen.add(t)
                queue.append(t)
    return seen
