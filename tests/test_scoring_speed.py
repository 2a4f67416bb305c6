"""The speed-ups of the scorer change nothing it finds.

- Cue alternations are compiled grouped by first character (``scoring.cues._dispatch``), Chinese
  ones searched in two halves and English ones from the places a word can start
  (``scoring.cues.Alternation``): every shipped group must find exactly the spans the plain
  alternation "(?:p1)|(?:p2)|..." finds.
- Cue patterns compile on first use: building the cue book compiles nothing.
- The learned model reads its features lazily (``scoring.model._Lazy``): its verdict and evidence
  must equal those of the sum over every feature.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scoring.cues import (Alternation, CueBook, _distribute, _dispatch, _expand, _top_level_branches, en_whole_words,
                          load_cues)
from scoring.grader import Grader
from scoring.model import features, load_model
from scoring.text import analyse

DEV = Path(__file__).parent / "data" / "labelled" / "dev"

MIXED = [
    "您好，我是联印的小李，这台打印机每分钟30页，能帮您省一半的电费，对吧？",
    "Hi, I'm Anna from Brightway. It prints 30 pages a minute, so you'll save an hour a day, won't you?",
    "行，给您打九折，再送两盒墨粉，今天就下单吧",
    "No, you're wrong, the machine can't be broken; just restart it and unplug the cable.",
    "我哋技術支援部會盡快聯絡您，唔使擔心",
    "I can't do 10% off, but I'll throw in free delivery. 我们可以下周再谈。",
]


def _answers(limit: int) -> list[str]:
    texts = list(MIXED)
    for path in sorted(DEV.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines()[:limit]:
            if line.strip():
                texts.append(json.loads(line)["answer"])
    return texts


def _plain(patterns: list[str], lang: str, macros: dict[str, str]) -> re.Pattern[str]:
    body = "|".join(f"(?:{_expand(str(p), macros)})" for p in patterns)
    if lang == "en":
        body = en_whole_words(body)
    return re.compile(body)


def test_grouped_alternations_find_exactly_what_the_plain_ones_find():
    import yaml
    from importlib import resources

    raw = yaml.safe_load(resources.files("scoring").joinpath("data/cues.yaml").read_text("utf-8"))
    macros = {str(k): str(v) for k, v in raw["macros"].items()}
    for key in list(macros):
        macros[key] = _expand(macros[key], macros)
    book = load_cues()
    texts = [analyse(t, "zh").folded for t in _answers(60)]
    texts += [a[len(a) // 2:] + b[: len(b) // 2] for a, b in zip(texts, texts[1:])]
    for name, spec in raw["groups"].items():
        for lang in ("zh", "en"):
            for where, patterns, fast in ((name, spec.get(lang), book.groups[name].patterns[lang]),
                                          (f"{name}.except", (spec.get("except") or {}).get(lang),
                                           book.groups[name].exceptions[lang])):
                if not patterns:
                    continue
                patterns = [patterns] if isinstance(patterns, str) else patterns
                plain = _plain(patterns, lang, macros)
                assert fast is not None
                for text in texts:
                    assert fast.spans(text) == [m.span() for m in plain.finditer(text)], (where, lang, text)


@pytest.mark.parametrize("branches", [
    ["(?<=x)ab", "abc"],  # both halves match at one place: the earlier branch wins...
    ["abc", "(?<=x)ab"],  # ...whichever half it is in
    ["^ab", "abc", "b"],
    ["[ab]c", "ab", "bcd"],
    ["a", "(?:x)?"],  # an empty match: finditer's own stepping rules
])
def test_a_split_alternation_finds_what_the_whole_one_finds(branches):
    split = Alternation.of_branches(branches, "zh")
    whole = re.compile("|".join(f"(?:{b})" for b in branches))
    for text in ("xabc", "abc", "xabcxab", "bcd abcd xab", "", "cab"):
        assert split.spans(text) == [m.span() for m in whole.finditer(text)], (branches, text)


@pytest.mark.parametrize("branches", [
    ["^no", "no way", "nope"],  # "^" branches can only match at the start
    ["no way", "^no"],
    ["(?:a|an) deal", "a deal now", r"\w+ deal"],
    ["deal", "'s deal", "-deal", ", deal"],  # cues that start with other characters
    ["x?"],  # an empty match: finditer's own stepping rules
    [r"(?<=\. )so", "so,? (?:two|2) units"],
])
def test_english_cues_found_from_word_starts_match_the_whole_alternation(branches):
    _check_english(branches)


# Long enough to be searched in two halves (literal first characters, and the rest): ties between
# the halves at one place, in both orders.
_MANY = [f"w{i:02d}x" for i in range(50)]
_OTHERS = [r"(?<=\. )so", r"\w+ deal", "(?:a|an) deal now", r"(?:\d+|two) units", "[dn]o way", "^well",
           "(?:^|(?<=, ))ok", r"\d+%", "(?<!not )great", "[xy]es", "(?:yes|yeah|yep|ok)+!"]


@pytest.mark.parametrize("branches", [
    _MANY + _OTHERS + ["a deal", "no"],
    ["a deal", "no"] + _MANY + _OTHERS,
])
def test_a_long_english_alternation_split_in_halves_matches_the_whole(branches):
    _check_english(branches)


def _check_english(branches):
    fast = Alternation.of_branches(branches, "en")
    whole = re.compile(en_whole_words("|".join(f"(?:{b})" for b in branches)))
    for text in ("no way", "nope, no way", "well no way", "a deal now, an deal. so 2 units", "xdeal it's deal",
                 "so,2 units. so two units", "(no) no-deal 'deal", "", "a", "noway no", "big deal deal-deal",
                 "don't deal ,deal , deal", "'s deal's deal", "w07x a deal now w49x. so two units, do way"):
        assert fast.spans(text) == [m.span() for m in whole.finditer(text)], (branches, text)
        for start in range(len(text) + 1):
            for end in (start, (start + len(text)) // 2, len(text)):
                if end >= start:
                    assert fast.search(text, start, end) == (whole.search(text, start, end) is not None), \
                        (branches, text, start, end)


def test_building_the_cue_book_compiles_nothing_until_a_group_is_searched():
    import yaml
    from importlib import resources

    book = CueBook(yaml.safe_load(resources.files("scoring").joinpath("data/cues.yaml").read_text("utf-8")))
    assert not any(alt.compiled for g in book.groups.values() for alt in g.patterns.values() if alt is not None)
    book.find("argue", analyse("您错了", "zh"))
    assert book.groups["argue"].patterns["zh"].compiled
    assert not book.groups["praise"].patterns["zh"].compiled


@pytest.mark.parametrize("pattern, branches", [
    ("a|b(c|d)|[|]e", ["a", "b(c|d)", "[|]e"]),
    (r"x\|y|z", [r"x\|y", "z"]),
    ("[]|]a|b", ["[]|]a", "b"]),
])
def test_top_level_branches(pattern, branches):
    assert _top_level_branches(pattern) == branches


def test_leading_groups_are_spelt_out_in_order():
    assert _distribute("(?:ab|c)d") == ["abd", "cd"]
    assert _distribute("(?:a|b)?c") == ["ac", "bc", "c"]
    assert _distribute("(?:a|b)??c") == ["(?:a|b)??c"]  # lazy: tried in the other order, left whole
    assert _distribute("(?:a|b)+c") == ["(?:a|b)+c"]
    # Same first character grouped, others kept in place; a non-literal branch splits the runs.
    assert re.fullmatch(_dispatch(["ab", "ac", "x", r"\d", "ad"]), "ad")
    assert _dispatch(["ab", "ac", "x", r"\d", "ad"]) == r"a(?:b|c)|x|(?:\d)|a(?:d)"


def test_lazy_model_matches_the_full_sum():
    model = load_model()
    if model is None:
        pytest.skip("no learned model ships")
    grader = Grader()
    rules = Grader(model=False)
    for text in _answers(40):
        lang = "en" if re.search(r"[a-z]{3}", text) and not re.search(r"[\u4e00-\u9fff]", text) else "zh"
        for check_id, check in model.checks.items():
            ctx = rules.analyse(text, lang=lang)
            rule = rules._decide(ctx, check_id)[0]
            if check.mode == "fill" and rule.found:
                continue
            feats = features(ctx, check_id, check.groups, with_ngrams=check.uses_ngrams, fact_kinds=check.fact_kinds)
            expected = check.probability(feats) >= check.threshold
            finding, _ = model.decide(grader.analyse(text, lang=lang), check_id, rule)
            assert finding.found == expected, (check_id, text)
