"""Normalisation and intent matching in Simplified and Traditional Chinese and English: typos,
reordering, full-width punctuation, mixed Chinese/English, and the labelled set the method was
chosen on (tests/data/matching/)."""

from __future__ import annotations


import pytest

from roleplay.engine.matching import (DEFAULT_METHOD, KEY_SCORE, METHODS, IntentIndex, key_found, prepare)
from roleplay.engine.normalize import MAX_MATCH_CHARS, normalize, tokens
from roleplay.scenario.model import Intent, Matching, Persona, Scenario, State

from matching_set import load_labelled



# -- normalisation --------------------------------------------------------------------------

@pytest.mark.parametrize("raw, norm", [
    ("联印，您好！", "联印您好"),                      # punctuation removed, not turned into a space
    ("联印 ， 您好", "联印您好"),                      # spaces next to Chinese dropped
    ("ＵｎｉＰｒｉｎｔ　ｓａｌｅｓ！", "uniprint sales"),  # full-width letters and ideographic space (NFKC)
    ("Hello,   WORLD...", "hello world"),            # case fold, whitespace collapsed
    ("請您撥打技術支援熱線", "请您拨打技术支援热线"),       # Traditional folded to Simplified
    ("这个 model 的 battery 很耐用", "这个model的battery很耐用"),
    ("don't", "dont"),
    ("４００－８２０－００００", "4008200000"),
    ("a\x00b\x1b[31mc", "a b c"),                 # control characters become spaces
    ("！？。，", ""),
])
def test_normalize(raw, norm):
    assert normalize(raw) == norm


def test_normalize_caps_long_text():
    assert len(normalize("好" * 10_000)) == MAX_MATCH_CHARS


def test_tokens_are_words_and_chinese_bigrams():
    assert tokens(normalize("请您拨打 hotline 热线")) == ["请您", "您拨", "拨打", "hotline", "热线"]
    assert tokens("好") == ["好"]


def test_key_found_whole_words_for_latin_substrings_for_chinese():
    assert key_found(normalize("OK, 10% off for you"), "off")
    assert not key_found(normalize("the office printer"), "off")
    assert key_found(normalize("请留下您的 phone number，我让"), "number")
    assert key_found(normalize("请拨打技术支持热线"), normalize("技术支持"))
    assert not key_found("", "")


# -- matching a state's intents -------------------------------------------------------------

def _scenario(intents, threshold=62.0):
    states = {
        "s": State(id="s", customer={"zh": ("?",), "en": ("?",)}, expect=tuple(intents)),
        "end": State(id="end", customer={"zh": ("好",), "en": ("ok",)}, end="success"),
    }
    return Scenario(id="m", languages=("zh", "en"), title={"zh": "m", "en": "m"}, summary={"zh": "m", "en": "m"},
                    persona=Persona(name={"zh": "王", "en": "W"}, role={"zh": "r", "en": "r"}), start="s",
                    states=states, matching=Matching(threshold=threshold))


ROUTE = Intent(id="route", examples={"zh": ("请您拨打技术支持热线", "维修由我们技术支持部负责，我把热线号码给您"),
                                     "en": ("Please call our technical support hotline",)},
               keys={"zh": ("技术支持", "热线"), "en": ("support", "hotline")})
FIX = Intent(id="fix", examples={"zh": ("您先重启一下试试", "我过去帮您修一下"),
                                 "en": ("Try switching it off and on again", "I'll come over and fix it myself")})
DETAILS = Intent(id="details", examples={"zh": ("您留个电话，说一下故障情况，我让工程师马上给您回电话",),
                                         "en": ("Please leave me your number and roughly what's wrong; our engineer will call you.",)},
                 keys={"zh": ("电话", "工程师"), "en": ("number", "engineer")})


def _best(answer, lang="zh", intents=(ROUTE, FIX), threshold=62.0):
    index = IntentIndex(_scenario(intents, threshold))
    result = index.match("s", lang, prepare(answer), range(len(intents)))
    return result.intent.id if result.intent else None


@pytest.mark.parametrize("answer, lang, expected", [
    ("维修由我们技术支持部负责，请您拨打热线", "zh", "route"),          # paraphrase
    ("热线号码我给您，维修是技术支持部负责的", "zh", "route"),          # clauses reordered
    ("您拨打我们的技术支特热线吧", "zh", "route"),                    # typo 支特
    ("請您撥打技術支持熱線", "zh", "route"),                          # Traditional Chinese
    ("我過去幫您修一下", "zh", "fix"),                                # Traditional Chinese, no key
    ("您先重启一下试试！！", "zh", "fix"),                             # full-width punctuation
    ("試試重新啟動一下，您先", "zh", "fix"),                           # Traditional and reordered
    ("请您拨打技术支持 hotline 400-820-0000", "zh", "route"),          # mixed Chinese/English
    ("今天天气真好", "zh", None),                                    # nothing expected here
    ("Please call our tecnical suport hotline", "en", "route"),      # typos
    ("Their hotline, call it, support handles repairs", "en", "route"),  # reordered
    ("Ｔｒｙ ｓｗｉｔｃｈｉｎｇ ｉｔ ｏｆｆ ａｎｄ ｏｎ ａｇａｉｎ！", "en", "fix"),  # full-width
    ("I'll cme over and fx it myself", "en", "fix"),                # typos, no key phrase
    ("How are you today?", "en", None),
])
def test_matching_languages_typos_reordering(answer, lang, expected):
    assert _best(answer, lang) == expected


def test_mixed_language_answer_uses_the_other_languages_key_phrases():
    # A Chinese session, English words for the key ideas: the en keys count too.
    assert _best("请留下您的 phone number，我让 engineer 联系您", "zh", (DETAILS, FIX)) == "details"


def test_key_phrase_is_a_strong_match_but_a_close_paraphrase_beats_it():
    index = IntentIndex(_scenario((DETAILS, FIX)))
    res = index.match("s", "zh", prepare("电话"), range(2))
    assert res.intent.id == "details" and res.score >= KEY_SCORE
    assert _best("我在电话里教您怎么修一下，您先重启一下试试", "zh", (DETAILS, FIX)) == "fix"


def test_per_intent_threshold_overrides_the_scenarios():
    strict = Intent(id="route", examples=ROUTE.examples, threshold=99.0)
    assert _best("请您拨打技术支持的热线电话", "zh", (strict,)) is None
    assert _best("请您拨打技术支持的热线电话", "zh", (ROUTE,)) == "route"
    lenient = Intent(id="fix", examples=FIX.examples, threshold=10.0)
    assert _best("您好", "zh", (lenient,)) == "fix"


def test_tie_goes_to_the_intent_written_first():
    a = Intent(id="a", examples={"zh": ("你好",), "en": ("hi",)})
    b = Intent(id="b", examples={"zh": ("你好",), "en": ("hi",)})
    assert _best("你好", "zh", (a, b)) == "a"
    assert _best("你好", "zh", (b, a)) == "b"


def test_only_allowed_positions_are_matched():
    index = IntentIndex(_scenario((ROUTE, FIX)))
    res = index.match("s", "zh", prepare("请您拨打技术支持热线"), [1])
    assert [c.intent.id for c in res.candidates] == ["fix"] and res.intent is None


def test_long_and_control_character_answers_are_handled():
    index = IntentIndex(_scenario((ROUTE, FIX)))
    res = index.match("s", "zh", prepare("请您拨打技术支持热线\x00\x07" + "啊" * 10_000), range(2))
    assert res.intent.id == "route"


# -- the labelled set -----------------------------------------------------------------------


def evaluate(method, use_keys=True):
    scenario, answers = load_labelled()
    index = IntentIndex(scenario, method, use_keys=use_keys)
    right = wrong = 0
    for item in answers:
        lang = "zh" if item["lang"].startswith("zh") else "en"
        res = index.match(item["state"], lang, prepare(item["answer"]), range(len(scenario.states[item["state"]].expect)))
        got = res.intent.id if res.intent else None
        if got == item["intent"]:
            right += 1
        elif got is not None:
            wrong += 1
    return right / len(answers), wrong


def test_labelled_set_is_large_and_varied():
    _, answers = load_labelled()
    langs = {a["lang"] for a in answers}
    tags = {t for a in answers for t in a["tags"]}
    assert len(answers) >= 150 and langs == {"zh", "zh-Hant", "en"}
    assert {"typo", "reorder", "fullwidth", "mixed", "hant", "none"} <= tags


def test_default_method_is_accurate_on_the_labelled_set():
    accuracy, wrong = evaluate(DEFAULT_METHOD)
    assert accuracy >= 0.93
    assert wrong <= 2  # an answer sent to the wrong intent is worse than a fallback


def test_default_method_is_the_best_measured():
    scores = {name: evaluate(name)[0] for name in METHODS}
    assert scores[DEFAULT_METHOD] == max(scores.values()), scores


def test_key_phrases_improve_the_default_method():
    assert evaluate(DEFAULT_METHOD)[0] > evaluate(DEFAULT_METHOD, use_keys=False)[0]
