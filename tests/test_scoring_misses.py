"""Misses found by the scenario writers and the coordinator playing the real scenarios
(/tmp/scorer_misses.md at the time), pinned with the words that decide them.

They are independent of the labelled data: each case is judged by docs/labelling.md. A case is
(answer, lang, check, passed, evidence): evidence is a piece of the trainee's words that must lie
inside the evidence span, or None when no span is expected.
"""

from __future__ import annotations

import pytest

from scoring.grader import Grader

CASES = [
    # Arguing, blaming and lecturing the customer.
    ("Excel早就过时了，您这样管肯定不行。", "zh", "etiquette.no_argument", False, "过时"),
    ("我说的是事实，您不承认也没用。", "zh", "etiquette.no_argument", False, "事实"),
    ("那是你们的问题，放的地方太热了。", "zh", "etiquette.no_argument", False, "那是你们的问题"),
    ("Your dry-goods aisle is all loose nuts, that's very old-fashioned.", "en", "etiquette.no_argument", False,
     "old-fashioned"),
    # Routing to the medical team while declining to guess is not arguing nor brushing off.
    ("孙大夫，这个真不能乱说，您留个电话，把病人年纪、肾功能和现在吃多少告诉我，我让医学部今天给您回电话。", "zh",
     "etiquette.no_argument", True, None),
    ("孙大夫，这个真不能乱说，您留个电话，把病人年纪、肾功能和现在吃多少告诉我，我让医学部今天给您回电话。", "zh",
     "scope.not_dismissive", True, None),
    # Asking for the order.
    ("数据一次录入，月底对账快多了。这个月签，下个月一号上线，您看行吗？", "zh", "close.asks_for_order", True, "这个月签"),
    ("要不您先订一桶试试，下礼拜一我给您送过来？", "zh", "close.asks_for_order", True, "订一桶"),
    ("您看先在两家门店试销一个月，每家二十箱，卖得好再加。", "zh", "close.asks_for_order", True, "试销"),
    ("So it pays for itself in a quarter. Shall we get you signing this week?", "en", "close.asks_for_order", True,
     "signing this week"),
    ("还看啥呀，赶紧定了吧。", "zh", "close.asks_for_order", True, "定了吧"),
    # Seeking agreement, even in a sentence that mentions stocking.
    ("这款毛利高，您推起来就不费劲，您说是不是？", "zh", "close.seeks_agreement", True, "您说是不是"),
    ("有了销量数据，您进货心里就有底了，对吧？", "zh", "close.seeks_agreement", True, "对吧"),
    ("Their staff could log every call in one place, couldn't they?", "en", "close.seeks_agreement", True,
     "couldn't they?"),
    ("那我先给您下五台，您看可以吗？", "zh", "close.seeks_agreement", False, None),
    # Tag questions lead to a yes.
    ("It costs a bit more, but it lasts twice as long. Worth it, don't you think?", "en", "etiquette.seeks_yes", True,
     "don't you think"),
    ("For your family's health it's worth it, right?", "en", "etiquette.seeks_yes", True, "right?"),
    # Discounts given at once, and what is not one.
    ("成，就给您七块五。", "zh", "price.no_instant_discount", False, "七块五"),
    ("行吧，就按七块五给您。", "zh", "price.no_instant_discount", False, "七块五"),
    ("那这样，九块给您。", "zh", "price.no_instant_discount", False, "九块给您"),
    ("行行行，水壶送您了。", "zh", "price.no_instant_discount", False, "水壶送您了"),
    ("大包装折下来每斤还便宜一块多，您算算。", "zh", "price.no_instant_discount", True, None),
    # Taking the job on yourself, and what is the rep's own job.
    ("我看看，是不是温控旋钮拧到头了？", "zh", "scope.no_self_handling", False, "是不是"),
    ("Let me check if it's plugged in properly.", "en", "scope.no_self_handling", False, "check if it's plugged in"),
    ("I'd try him on one and a half tablets.", "en", "scope.no_self_handling", False, "try him on"),
    ("真不好意思，这批货有问题，我带新批次的货过来给您换上，坏的我拉回去。", "zh", "scope.no_self_handling", True, None),
    # Brush-offs.
    ("修打印机不是我们销售的事。", "zh", "scope.not_dismissive", False, "不是我们销售的事"),
    ("那您就多打几次热线吧。", "zh", "scope.not_dismissive", False, "多打几次"),
    # Good answers wrongly flagged.
    ("我这也是为您好。", "zh", "etiquette.greeting", False, None),
    ("I'm so sorry about this. I'll deal with it right away and have the engineer call you today.", "en",
     "etiquette.polite", True, None),
    ("I'm so sorry about this. I'll deal with it right away and have the engineer call you today.", "en",
     "scope.not_dismissive", True, None),
    ("您店在哪儿？大概是什么位置？", "zh", "etiquette.confident", True, None),
    # Ordinary phrasing.
    ("马老板早！我是鲜牧的小王。", "zh", "etiquette.greeting", True, "马老板早"),
    ("谁不知道您家的回锅肉香，这条街就您家排队。", "zh", "etiquette.praise", True, "谁不知道您"),
    ("Your store is beautifully run, Mrs Lee.", "en", "etiquette.praise", True, "beautifully run"),
    ("我问清楚了，今天下班前给您回个准话。", "zh", "scope.promises_followup", True, "回个准话"),
    ("I'll call you with quality's findings by Friday.", "en", "scope.promises_followup", True, "call you"),
    ("请您留下联系电话，告诉我大致什么故障，我们的工程师会尽快与您联系。", "zh", "scope.promises_followup", True,
     "工程师会尽快与您联系"),
    # Praise found in the second session's unseen answers: character, capability, what the record
    # shows, a warm word after the customer named in the clause before; and praise of the product
    # after "you" that is not praise of the customer.
    ("姐您好，您真孝顺，周末还专门陪爸妈来挑。", "zh", "etiquette.praise", True, "孝顺"),
    ("王总，您这厂门口天天排长队，生意是真火。", "zh", "etiquette.praise", True, "真火"),
    ("Eight years with the same crew says a lot about how you run this site.", "en", "etiquette.praise", True,
     "says a lot about"),
    ("你放心，我们这个饺子卖得特别好，真的特别好。", "zh", "etiquette.praise", False, None),
]


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader()


@pytest.mark.parametrize("answer,lang,check,passed,evidence", CASES,
                         ids=[f"{c[2]}:{c[0][:18]}" for c in CASES])
def test_playtest_miss(grader, answer, lang, check, passed, evidence):
    (result,) = grader.grade_answer(answer, lang=lang, checks=[check])
    assert result.passed is passed, (result.evidence, result.note)
    if evidence is not None:
        assert result.evidence is not None
        assert evidence in result.evidence.text
        assert answer[result.evidence.start:result.evidence.end] == result.evidence.text
