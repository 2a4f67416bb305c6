"""Matching a trainee's answer to the intents a state expects.

Every example phrase (YAML ``say``) and key phrase (YAML ``keys``) is normalised once, when the
runtime is built (``IntentIndex``); a turn then normalises the answer once and scores it against
the expected intents of the current state only.

The score of an intent (0-100) is the best score of the answer against any of its examples, raised
to a key-phrase score when one of its key phrases occurs in the answer (a strong match: the
trainer said "this word decides it"). The comparison method was chosen by measurement on the
labelled set in ``tests/data/matching/`` (``python benchmarks/bench_engine.py --methods`` prints
the comparison): see ``DEFAULT_METHOD``.

An intent matches when its score reaches its threshold (``Intent.threshold`` or the scenario's
``matching.threshold``); among the matching intents the highest score wins, and on a tie the one
written first. Nothing matching means the state's ``otherwise`` applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Mapping, Sequence

from rapidfuzz import fuzz

from roleplay.engine.normalize import has_cjk, normalize, tokens
from roleplay.scenario.model import Intent, Scenario


@dataclass(frozen=True, slots=True)
class Prepared:
    """A phrase or an answer in the forms the scorers compare."""

    text: str
    """As written."""
    norm: str
    """``normalize(text)``."""
    grams: str
    """Its matching units (words, Chinese character bigrams), space-joined, in text order."""
    gram_set: frozenset[str]
    """The same units as a set (for the overlap scores)."""


def prepare(text: str) -> Prepared:
    """Normalise a phrase or an answer once for all the comparisons of a turn."""
    norm = normalize(text)
    units = tokens(norm)
    return Prepared(text, norm, " ".join(units), frozenset(units))


Scorer = Callable[[Prepared, Prepared], float]
"""Scores an answer (first) against one example phrase (second), 0-100."""


def _dice(answer: Prepared, phrase: Prepared) -> float:
    if not answer.gram_set or not phrase.gram_set:
        return 0.0
    common = len(answer.gram_set & phrase.gram_set)
    return 200.0 * common / (len(answer.gram_set) + len(phrase.gram_set))


def _cover(answer: Prepared, phrase: Prepared) -> float:
    # How much of the example the answer says: tolerant of an answer that says more than the
    # example, blind to an answer that says the example plus its opposite.
    if not phrase.gram_set:
        return 0.0
    return 100.0 * len(answer.gram_set & phrase.gram_set) / len(phrase.gram_set)


def _ratio(answer: Prepared, phrase: Prepared) -> float:
    return fuzz.ratio(answer.norm, phrase.norm, processor=None)


def _bigram_set(answer: Prepared, phrase: Prepared) -> float:
    return fuzz.token_set_ratio(answer.grams, phrase.grams, processor=None)


def _max_ratio_bigram(answer: Prepared, phrase: Prepared) -> float:
    return max(_ratio(answer, phrase), _bigram_set(answer, phrase))


def _bigram_set_scaled(answer: Prepared, phrase: Prepared) -> float:
    # ``token_set_ratio`` is 100 whenever one set holds the other, so a fragment of an example
    # ("这台机器一年", "Please call our") would score 100. Scaling by how many units the answer
    # has against the example keeps "the example and more" at 100 and sinks fragments.
    if not phrase.gram_set:
        return 0.0
    share = min(1.0, len(answer.gram_set) / len(phrase.gram_set))
    return _bigram_set(answer, phrase) * share


def _max_ratio_bigram_len(answer: Prepared, phrase: Prepared) -> float:
    # Character similarity catches typos ("UniPrnt", "技术支特"); the scaled bigram set catches
    # reordered clauses ("热线号码我给您，技术支持……") and answers that say more than the example.
    return max(_ratio(answer, phrase), _bigram_set_scaled(answer, phrase))


def _mean_ratio_bigram(answer: Prepared, phrase: Prepared) -> float:
    return 0.5 * (_ratio(answer, phrase) + _bigram_set(answer, phrase))


METHODS: dict[str, Scorer] = {
    "ratio": _ratio,
    "partial_ratio": lambda a, p: fuzz.partial_ratio(a.norm, p.norm, processor=None),
    "wratio": lambda a, p: fuzz.WRatio(a.norm, p.norm, processor=None),
    "token_set_words": lambda a, p: fuzz.token_set_ratio(a.norm, p.norm, processor=None),
    "bigram_set": _bigram_set,
    "bigram_sort": lambda a, p: fuzz.token_sort_ratio(a.grams, p.grams, processor=None),
    "bigram_dice": _dice,
    "bigram_cover": _cover,
    "mean_ratio_bigram": _mean_ratio_bigram,
    "max_ratio_bigram": _max_ratio_bigram,
    "max_ratio_bigram_len": _max_ratio_bigram_len,
}
"""The comparison methods measured on the labelled set; the engine uses ``DEFAULT_METHOD``.

``grams`` are words for Latin script and character bigrams for Chinese (``normalize.tokens``)."""

DEFAULT_METHOD = "max_ratio_bigram_len"
"""The method the engine uses: the better of character similarity and the bigram-set score scaled
by the answer's length against the example's. On the labelled set (214 answers in zh, zh-Hant and
en, 48 of them matching nothing, 15 of those fragments of an example) it was the most accurate at
the scenario default threshold (62) with key phrases: 94.9% right and no answer sent to a wrong
intent (the unscaled bigram set sends 14 fragments to an intent); ``benchmarks/bench_engine.py
--methods`` prints the table."""

KEY_SCORE = 80.0
"""The least score of an intent one of whose key phrases occurs in the answer: above the default
threshold, so a key phrase alone is a match, yet below a close paraphrase of another intent's
example (so ``我在电话里教您怎么修`` stays "fixing it yourself" despite the key ``电话``)."""
KEY_STEP = 3.0
"""Added to ``KEY_SCORE`` for each further key phrase found (so two keys beat one)."""

_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@lru_cache(maxsize=4096)
def _latin_key_re(key_norm: str) -> re.Pattern[str]:
    # A Latin-script key must stand as whole words: the neighbours may be spaces, the ends of the
    # text or Chinese characters (normalisation drops the spaces next to those), never a letter
    # or digit, so ``off`` does not fire inside ``office``.
    edge = f"[^\\W{_CJK_CLASS}]"
    return re.compile(f"(?<!{edge}){re.escape(key_norm)}(?!{edge})")


def key_found(answer_norm: str, key_norm: str) -> bool:
    """True when a normalised key phrase occurs in a normalised answer.

    Chinese keys match anywhere (Chinese has no word boundaries); keys in Latin script must match
    whole words, so ``off`` does not fire inside ``office``.
    """
    if not key_norm or key_norm not in answer_norm:
        return False
    return has_cjk(key_norm) or _latin_key_re(key_norm).search(answer_norm) is not None


@dataclass(frozen=True, slots=True)
class IntentPhrases:
    """One intent's prepared phrases in one language."""

    intent: Intent
    """The intent."""
    examples: tuple[Prepared, ...]
    """Its example phrases (YAML ``say``), prepared."""
    keys: tuple[str, ...]
    """Its key phrases, normalised."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """How closely an answer resembles one intent."""

    intent: Intent
    """The intent."""
    score: float
    """0-100."""
    example: str | None
    """The example phrase that scored best (as written), if any."""
    key: str | None
    """The (normalised) key phrase found in the answer, if any."""


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of matching one answer in one state."""

    intent: Intent | None
    """The chosen intent, or None when nothing reached its threshold."""
    score: float
    """The chosen intent's score, or the best score seen when nothing matched."""
    candidates: tuple[Candidate, ...]
    """Every intent that was tried (those whose conditions held), in the state's order."""


def score_intent(answer: Prepared, phrases: IntentPhrases, scorer: Scorer, *, use_keys: bool = True) -> Candidate:
    """Score an answer against one intent's examples and key phrases."""
    best, best_example = 0.0, None
    for example in phrases.examples:
        value = scorer(answer, example)
        if value > best:
            best, best_example = value, example.text
    found = [k for k in phrases.keys if key_found(answer.norm, k)] if use_keys else []
    if found:
        best = max(best, min(100.0, KEY_SCORE + KEY_STEP * (len(found) - 1)))
    return Candidate(phrases.intent, round(best, 2), best_example, found[0] if found else None)


def choose(candidates: Sequence[Candidate], thresholds: Sequence[float]) -> Candidate | None:
    """The best candidate that reaches its own threshold (same order); the earliest one on a tie."""
    chosen: Candidate | None = None
    for cand, threshold in zip(candidates, thresholds):
        if cand.score >= threshold and (chosen is None or cand.score > chosen.score):
            chosen = cand
    return chosen


def intent_phrases(intent: Intent, lang: str, languages: Iterable[str]) -> IntentPhrases:
    """Prepare one intent's phrases for matching answers given in ``lang``.

    The examples are those of ``lang``; the key phrases are those of ``lang`` followed by those of
    the scenario's other languages, since trainees mix languages (``请留下您的 phone number``) and
    a key phrase in the other language is just as telling. Examples of the other language are left
    out: a whole sentence in the other language scores too low to matter and would cost time.
    """
    keys: list[str] = []
    for key_lang in (lang, *(other for other in languages if other != lang)):
        for key in intent.keys.get(key_lang, ()):
            norm = normalize(key)
            if norm and norm not in keys:
                keys.append(norm)
    return IntentPhrases(intent, tuple(prepare(t) for t in intent.examples.get(lang, ())), tuple(keys))


class IntentIndex:
    """The prepared phrases of every state of a scenario, per language, built once per runtime."""

    def __init__(self, scenario: Scenario, method: str = DEFAULT_METHOD, *, use_keys: bool = True) -> None:
        """Prepare every example and key phrase of the scenario.

        Args:
            scenario: The scenario whose states' ``expect`` lists are indexed.
            method: A key of ``METHODS``.
            use_keys: Whether key phrases count (off only to measure their worth).
        """
        self.scorer: Scorer = METHODS[method]
        self.use_keys = use_keys
        self.default_threshold = float(scenario.matching.threshold)
        self._phrases: dict[tuple[str, str], tuple[IntentPhrases, ...]] = {}
        for state in scenario.states.values():
            for lang in scenario.languages:
                self._phrases[(state.id, lang)] = tuple(
                    intent_phrases(intent, lang, scenario.languages) for intent in state.expect
                )

    def threshold(self, intent: Intent) -> float:
        """The intent's own threshold, else the scenario's."""
        return float(intent.threshold) if intent.threshold is not None else self.default_threshold

    def phrases(self, state_id: str, lang: str) -> tuple[IntentPhrases, ...]:
        """The prepared phrases of a state's intents, in ``expect`` order."""
        return self._phrases[(state_id, lang)]

    def match(self, state_id: str, lang: str, answer: Prepared, positions: Iterable[int]) -> MatchResult:
        """Match an answer against some of a state's intents.

        Args:
            state_id: The current state.
            lang: The session's language.
            answer: The prepared answer.
            positions: Indexes into the state's ``expect`` list of the intents allowed now (those
                whose conditions hold), in order.

        Returns:
            The chosen intent (or None) with every candidate's score.
        """
        phrases = self._phrases[(state_id, lang)]
        candidates = tuple(score_intent(answer, phrases[p], self.scorer, use_keys=self.use_keys) for p in positions)
        chosen = choose(candidates, [self.threshold(c.intent) for c in candidates])
        if chosen is not None:
            return MatchResult(chosen.intent, chosen.score, candidates)
        return MatchResult(None, max((c.score for c in candidates), default=0.0), candidates)
