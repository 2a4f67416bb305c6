"""Etiquette (article 5): greet, introduce yourself, be polite, confident and concise, praise the
customer, never argue, lead toward a "yes"."""

from __future__ import annotations

import re
from collections import Counter

from scoring.detectors.base import Context, Finding, nothing, sentence, span
from scoring.factmatch import FUNCTION_CHARS
from scoring.text import CJK

CONCISE_LIMIT = {"zh": 115, "en": 85}
"""Length (Chinese characters / English words) at which an answer is too long for one turn of a
conversation; from three quarters of it, any padding makes it rambling."""

_REPEATABLE = ("然后", "还有", "真的", "really", "honestly", "basically", "actually", "and then", "also")
_TRAILING_RE = re.compile(r"(?:……|\.\.\.|…|还有|然后|and)\s*$")

# "I'm Anna", "This is Li": a capitalised name after the opener, read from the original text
# because folding lower-cases it. Words that often follow "I'm" capitalised are not names.
_EN_NAME_RE = re.compile(r"\b(?:I'm|I am|I’m|This is|It's|Name's)\s+([A-Z][a-z]+)\b")
_NOT_NAMES = {"Sorry", "Sure", "Afraid", "Glad", "Happy", "Not", "So", "Very", "Really", "Just", "Here", "Calling",
              "The", "A", "An", "Your", "Our", "Going", "Also", "Still", "Only", "Confident", "Certain", "Pleased",
              "Delighted", "Honestly", "Totally", "Absolutely", "Great", "Good", "Fine", "Okay", "Ok", "Afraid"}
_REPEAT_RE = re.compile(r"([^\s,.!?;]{3,12}?)[,.!?;\s]*\1")


def greeting(ctx: Context) -> Finding:
    """A greeting or courtesy opener ("喂" alone is not one)."""
    hit = ctx.first("greeting")
    return span(hit, "greeting") if hit else nothing("no_greeting")


def self_intro(ctx: Context) -> Finding:
    """Says who they are or which company they are from."""
    hit = ctx.first("self_intro")
    if hit:
        return span(hit, "self_intro")
    head = ctx.answer.original[: len(ctx.answer.folded)]
    for m in _EN_NAME_RE.finditer(head):
        if m.group(1) not in _NOT_NAMES:
            return span((m.start(), m.end()), "self_intro")
    return nothing("no_self_intro")


def polite(ctx: Context) -> Finding:
    """Courteous forms somewhere, and no rudeness that cancels them."""
    rude = ctx.first("rude")
    if rude:
        return Finding(False, rude.start, rude.end, "rude")
    hit = ctx.first("polite")
    return span(hit, "polite") if hit else nothing("no_courtesy")


def hedges(ctx: Context) -> Finding:
    """Hedging about what they say or sell ("可能……吧", "I'm not sure"); firm negatives are not."""
    hit = next((h for h in ctx.hits("hedge") if not _guess_about_the_customer(ctx, h.start)), None)
    if hit:
        return span(hit, "hedge")
    negated = ctx.negated("hedge")
    if negated:  # "不可能坏", "绝不会": a firm negative is the opposite of a hedge
        return Finding(False, negated[0].start, negated[0].end, "negated_hedge")
    return nothing("no_hedge")


def _guess_about_the_customer(ctx: Context, pos: int) -> bool:
    """A guess about the customer, not a hedge about the product (ruling 3): the customer is the subject
    just before it ("您应该也同意吧", "您这边大概要几台", "you're probably losing more fish")."""
    text = ctx.answer.folded
    window = 6 if ctx.answer.chinese else 12
    c_start, _ = ctx.answer.clause(pos)
    before = text[max(c_start, pos - window):pos]
    return bool(_CUSTOMER_SUBJECT_RE.search(before))


_CUSTOMER_SUBJECT_RE = re.compile(r"(?:您|你|你们|您们)(?:这边|那边|也|都|这|那)?$|(?:您|你|你们)[\u4e00-\u9fff]{0,3}$|"
                                  r"(?<![a-z])(?:you(?:'re| are|'ve| have| were| had)?|your [a-z]+(?:'s| is| are)?|you'd|they(?:'re| are)?|"
                                  r"(?:you've got|you have)(?: now)? (?:is|are))\s*$")


def _sentences_repeat(text: str) -> bool:
    parts = [p.strip() for p in re.split(r"[,.!?;\n]+", text) if len(p.strip()) >= 4]
    return len(parts) != len(set(parts))


def padding(ctx: Context) -> int:
    """How padded an answer is: filler words, repeated "然后"/"还有"/"really", repeated clauses,
    and trailing off ("还有……")."""
    text = ctx.answer.folded
    score = len(ctx.hits("filler"))
    for word in _REPEATABLE:
        score += max(0, text.count(word) - 1)
    if _sentences_repeat(text):
        score += 2
    if _REPEAT_RE.search(text):
        score += 1
    if _TRAILING_RE.search(ctx.answer.original[: len(text)].rstrip()):
        score += 2
    score += min(3, _echoes(text))
    return score


_CJK_RUN_RE = re.compile(f"[{CJK}]+")
# The fact matcher's function characters, less the negation and degree words that repetition often
# turns on ("不亏，真的不亏，一点都不亏").
_FUNCTION_CHARS = frozenset(FUNCTION_CHARS) - frozenset("不很")
_WORD_RE = re.compile(r"[a-z']{4,}")
_COMMON_WORDS = frozenset("""that this with your you're they their them have what when will would could
    from just also about more than then there here it's don't we're it'll""".split())


def _echoes(text: str) -> int:
    """Words said over and over ("不亏，真的不亏，一点都不亏", "not my area, not my department"): how many
    two-character words (Chinese, function characters aside) or content words (English) come three
    times or more."""
    counts = Counter(run[i:i + 2] for run in _CJK_RUN_RE.findall(text) for i in range(len(run) - 1)
                     if run[i] not in _FUNCTION_CHARS and run[i + 1] not in _FUNCTION_CHARS)
    counts.update(word for word in _WORD_RE.findall(text) if word not in _COMMON_WORDS)
    return sum(1 for n in counts.values() if n >= 3)


def rambles(ctx: Context) -> Finding:
    """Too long for the moment, or long and padded (filler, repetition, trailing off), or a short
    answer so full of filler it has no clear point."""
    a = ctx.answer
    limit = CONCISE_LIMIT["zh" if a.chinese else "en"]
    pad = padding(ctx)
    if a.units >= limit or (a.units >= 0.75 * limit and pad >= 1) or (a.units >= 0.4 * limit and pad >= 2) or pad >= 4:
        fillers = ctx.hits("filler")
        if fillers:
            return span(fillers[0], "rambling")
        return Finding(True, note="too_long")
    return nothing("concise")


def praise(ctx: Context) -> Finding:
    """Sincere praise of the customer's strengths (not of the product; sarcasm does not count)."""
    # Praise with "we"/"our" earlier in its clause is about us ("我们……口碑一直很好").
    hit = next((h for h in ctx.hits("praise") if not _ours_before(ctx, h.start)), None)
    if hit is None:
        # A warm word about the customer's side, in a clause that is not about our product or a
        # future gain ("您店里货摆得真整齐", "your shop is the tidiest on this road").
        # The customer may be named in the clause just before: "您这店门口天天排队，生意是真火" (but not
        # with us or the product in between: "你放心，我们这个饺子卖得特别好").
        for word in ctx.hits("praise_word"):
            c_start, c_end = ctx.answer.clause(word.start)
            if any(c_start <= p.start < c_end for p in ctx.hits("product_ref")):
                continue
            scope = ctx.answer.clause(c_start - 2)[0] if c_start >= 2 else c_start
            s_start, _ = sentence(ctx.answer.folded, word.start)
            scope = max(scope, s_start)
            you = [r.start for r in ctx.hits("customer_ref") if scope <= r.start < c_end]
            if you and not any(min(you) <= o.start < word.start for o in ctx.hits("our_ref") + ctx.hits("product_ref")):
                hit = word
                break
    if hit is None:
        return nothing("no_praise")
    # Praise followed in the same sentence by a jab or a rude word is sarcasm.
    s_start, s_end = sentence(ctx.answer.folded, hit.start)
    for other in ctx.hits("argue") + ctx.hits("rude"):
        if s_start <= other.start < s_end:
            return Finding(False, hit.start, hit.end, "sarcasm")
    return span(hit, "praise")


def _ours_before(ctx: Context, pos: int) -> bool:
    """Whether "we"/"our" comes earlier in the clause at ``pos``."""
    c_start, _ = ctx.answer.clause(pos)
    return any(c_start <= r.start < pos for r in ctx.hits("our_ref"))


def argues(ctx: Context) -> Finding:
    """Contradicting, lecturing or blaming the customer (also by diagnosis: "probably your plumber
    did something to it"); sarcasm counts, "我不是说您错了" does not."""
    hit = ctx.first("argue") or ctx.first("contradict_price") or ctx.first("blame")
    if hit:
        return span(hit, "argues")
    negated = ctx.negated("argue")
    if negated:  # "我不是说您错了", "I'm not saying you're wrong"
        return Finding(False, negated[0].start, negated[0].end, "negated_argument")
    return nothing("no_argument")


def seeks_yes(ctx: Context) -> Finding:
    """A question the customer can only agree with, or a tag question."""
    hit = ctx.first("tag_question")
    return span(hit, "seeks_yes") if hit else nothing("no_yes_question")


DETECTORS = {
    "etiquette.greeting": greeting,
    "etiquette.self_intro": self_intro,
    "etiquette.polite": polite,
    "etiquette.confident": hedges,
    "etiquette.concise": rambles,
    "etiquette.praise": praise,
    "etiquette.no_argument": argues,
    "etiquette.seeks_yes": seeks_yes,
}
