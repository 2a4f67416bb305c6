"""General shapes of speech the guards read, pinned with invented answers (none taken from the
labelled data): violations said in new words, and their look-alikes that are not violations.

A case is (answer, lang, check, passed, evidence): evidence is a piece of the trainee's words that
must lie inside the evidence span, or None when no span is expected.
"""

from __future__ import annotations

import pytest

from scoring.grader import Grader

CASES = [
    # Arguing: condescension, rhetorical challenges, blame thrown back, "an X problem, not a Y problem".
    ("Most shop owners don't really understand how margins work, so let me explain.", "en",
     "etiquette.no_argument", False, "understand"),
    ("Did you even read the spec sheet before calling?", "en", "etiquette.no_argument", False, "even read"),
    ("It's a training problem, not a product problem.", "en", "etiquette.no_argument", False, "problem, not"),
    ("这您就不懂了，进口的哪有这么便宜。", "zh", "etiquette.no_argument", False, "这您就不懂了"),
    ("谁让您不按说明书来的？", "zh", "etiquette.no_argument", False, "谁让您"),
    ("您这个肯定是没定期清洗。", "zh", "etiquette.no_argument", False, "肯定是"),
    ("没有什么好担心的，我让售后今天给您回电话。", "zh", "etiquette.no_argument", True, None),
    ("您这要求也太过分了，哪家都做不到。", "zh", "etiquette.no_argument", False, "太过分"),
    ("跟您说了好几遍了，这个不含安装。", "zh", "etiquette.no_argument", False, "说了好几遍"),
    ("Please stop complaining and look at the numbers.", "en", "etiquette.no_argument", False, "stop complaining"),
    ("您这个要求不高，我们完全做得到。", "zh", "etiquette.no_argument", True, None),
    # Cantonese disbelief and scolding (the matcher reads them folded to Mandarin: "係咪" -> "是不").
    ("唔會啩？入口貨點會平過我哋？你係咪睇錯價？", "zh-Hant", "etiquette.no_argument", False, "唔會啩"),
    ("你唔想用咪算囉，我哋又唔係求你買。", "zh-Hant", "etiquette.no_argument", False, "唔想用咪算"),
    ("一萬二攤落一年，每日幾毫子，咁都唔抵？", "zh-Hant", "etiquette.no_argument", False, "咁都唔抵"),
    # A guess about the customer is not a hedge about the product (ruling 3).
    ("這點您應該也同意吧？那我們就先幫您訂四台。", "zh-Hant", "etiquette.confident", True, None),
    ("You're probably losing more fish than you think. Our crates hold temperature for 48 hours.", "en",
     "etiquette.confident", True, None),
    ("那您这边大概要几台？", "zh", "etiquette.confident", True, None),
    ("我们这台应该能省点电吧，我也说不好。", "zh", "etiquette.confident", False, "应该"),
    # Tags that seek a yes (regional ones too); a plain yes/no question seeks agreement only (ruling 11).
    ("店小更要用好每一寸，装的多一倍，卖得快，您说是伐？", "zh", "etiquette.seeks_yes", True, "是伐"),
    ("呢點對你盤生意有幫助，你認唔認同？", "zh-Hant", "etiquette.seeks_yes", True, "認唔認同"),
    ("您觉得这一点对您有用吗？", "zh", "etiquette.seeks_yes", False, None),
    ("Do you agree that's worth fixing this quarter?", "en", "etiquette.seeks_yes", False, None),
    ("That would save you an hour a day, wouldn't it?", "en", "etiquette.seeks_yes", True, "wouldn't it"),
    # Giving in on price: costs taken over, stock bought back, a price handed over.
    ("Fine, I'll cover your first month so you can try it.", "en", "price.no_instant_discount", False, "cover your first"),
    ("Take twenty, and we'll buy back whatever doesn't sell.", "en", "price.no_instant_discount", False, "buy back"),
    ("好啦，收你八十蚊一盒。", "zh-Hant", "price.no_instant_discount", False, "八十"),
    ("行，安装费我来出。", "zh", "price.no_instant_discount", False, "安装费我来出"),
    ("价格方面好商量，您先说要多少。", "zh", "price.no_instant_discount", False, "好商量"),
    ("OK, the delivery's on me this time.", "en", "price.no_instant_discount", False, "on me"),
    ("I'm afraid the price isn't negotiable, but here's what you get for it.", "en",
     "price.no_instant_discount", True, None),
    # Giving in said other ways; and standard terms, a comparison or a refusal after the cue, which are not.
    ("Okay okay, maybe I can do seven dollars, and the base station free.", "en", "price.no_instant_discount",
     False, "seven dollars"),
    ("Hmm, I'll check with my manager and see what I can do on the install.", "en", "price.no_instant_discount",
     False, "see what i can do"),
    ("这么大的单，先给您按成本价走，以后还要长期合作的嘛。", "zh", "price.no_instant_discount", False, "成本价"),
    ("他们报多少我们就跟多少，九万八也能做。", "zh", "price.no_instant_discount", False, "报多少"),
    ("十瓶以上全国包邮的，这是我们的标准政策。", "zh", "price.no_instant_discount", True, None),
    ("返点我们不做，价格全国统一。", "zh", "price.no_instant_discount", True, None),
    ("这台机不用碳带，耗材比碳带机便宜一半。", "zh", "price.no_instant_discount", True, None),
    # Stating the standard terms is not a concession.
    ("Delivery is included in the price, at no extra charge to anyone.", "en", "price.no_instant_discount", True, None),
    ("That's our trade price and I can't go below it, but here's why it pays back.", "en",
     "price.no_instant_discount", True, None),
    # Brush-offs: sales named as not handling it, pointed at the paperwork, the worry waved away.
    ("这个我们销售不管，您自己问问吧。", "zh", "scope.not_dismissive", False, "销售不管"),
    ("Read the instructions, it's all in there.", "en", "scope.not_dismissive", False, "instructions"),
    ("Not our problem, sorry.", "en", "scope.not_dismissive", False, "not our problem"),
    ("No idea, take it up with the manufacturer.", "en", "scope.not_dismissive", False, "no idea"),
    ("呢啲唔关我事㗎，你问错人了。", "zh-Hant", "scope.not_dismissive", False, "关我事"),
    ("这个故障跟我们产品没关系的可能性大，我请售后工程师今天打给您确认。", "zh", "scope.not_dismissive", True, None),
    # Routing to a team named by its trade, or to support as the subject; "hotline's" still ends a word.
    ("I'm sorry, that's one I can't fix myself. Support's the one who can, I'll flag it to them now.", "en",
     "scope.routes_to_support", True, "support"),
    ("Hotline's on the box.", "en", "scope.routes_to_support", True, "hotline"),
    ("检测报告品控部都有，我下午就让他们发给您。", "zh", "scope.routes_to_support", True, "品控部"),
    # Matching the rival's price is giving in, not comparing.
    ("OK, same price as Yili for the first month then.", "en", "price.compares_competitor", False, None),
    # Help put off to some day, or a sales pitch instead of an answer, with nothing done: a brush-off.
    ("Sorry, they're swamped. I'll mention it to them at some point next week or so.", "en",
     "scope.not_dismissive", False, "at some point"),
    ("Annoying. While I've got you though, have you seen the new 24-inch model?", "en", "scope.not_dismissive",
     False, "got you"),
    ("这个嘛等我哪天有空了再帮您问问，最近实在太忙了。", "zh", "scope.not_dismissive", False, "哪天"),
    ("不好意思，这个我做不了主，但我马上请售后工程师今天给您回电话，您方便留个电话吗？", "zh",
     "scope.not_dismissive", True, None),
    ("不好意思让您着急了，这个不是您操作的问题，我马上联系技术支持。", "zh", "etiquette.no_argument", True, None),
    # Self-handling: usage advice as a fix, the cause diagnosed as the customer's lapse.
    ("你可以放多一点水，就不会糊了。", "zh", "scope.no_self_handling", False, "放多一点"),
    ("You should have descaled it months ago, that's the noise.", "en", "scope.no_self_handling", False, "descaled"),
    # The job done personally, compensation promised, tax rulings, instructions for the customer's staff;
    # and damage control or the team doing it, which are not self-handling.
    ("得得得，我而家即刻揸車過嚟幫你開，十五分鐘到。", "zh-Hant", "scope.no_self_handling", False, "幫你開"),
    ("能抵！您按13%的税率抵扣就行。", "zh", "scope.no_self_handling", False, "13%"),
    ("你叫佢哋每星期除一次垢就得。", "zh-Hant", "scope.no_self_handling", False, "除一次垢"),
    ("Don't worry, I come over now and open it for you myself.", "en", "scope.no_self_handling", False, "myself"),
    ("驱动这块技术支持最专业，热线400-990-6677，他们会远程帮您装。", "zh", "scope.no_self_handling", True, None),
    ("Please stop taking card payments on that terminal for now, and I'll have payments support call you.", "en",
     "scope.no_self_handling", True, None),
    ("不好意思，您再打一次客服看看吧，他们比较清楚。", "zh", "scope.no_self_handling", True, None),
    # Order asks in other words.
    ("Shall we swap the old fridge out on Friday?", "en", "close.asks_for_order", True, "swap"),
    ("咁我听日就安排师傅送过去装好。", "zh-Hant", "close.asks_for_order", True, "安排"),
    ("合同我发给您，您签回来就行。", "zh", "close.asks_for_order", True, "签回"),
    ("您先带份资料回去看看，有兴趣再聊。", "zh", "close.asks_for_order", False, None),
    ("Take a brochure and have a think.", "en", "close.asks_for_order", False, None),
    ("Could I please book in forty pairs for the Ashford site?", "en", "close.asks_for_order", True, "book in"),
    ("Great. So, twelve tins?", "en", "close.asks_for_order", True, "twelve tins"),
    ("I'll have the contract ready for you to sign this afternoon.", "en", "close.asks_for_order", True, "ready"),
    ("那这周六我们先帮您两间房装起来，好吗？", "zh", "close.asks_for_order", True, "装起来"),
    ("Shall I send you a brochure and a case study for the weekend?", "en", "close.asks_for_order", False, None),
    ("我回去给您发一份详细资料，您慢慢看。", "zh", "close.asks_for_order", False, None),
    ("先送五桶给你试用？不用钱的。", "zh", "close.asks_for_order", False, None),
    # Mockery, blame put on the customer's staff, "people who…" verdicts, and their look-alikes:
    # empathy ("you must be worried"), "I'm not going to tell you you're wrong", "everyone says so" as praise.
    ("Ten percent off? Nice try. The price is the price.", "en", "etiquette.no_argument", False, "nice try"),
    ("Honestly your cleaners have probably been using the wrong setting.", "en", "etiquette.no_argument", False,
     "your cleaners"),
    ("Owners who still buy the cheap stuff are just throwing money away.", "en", "etiquette.no_argument", False,
     "throwing"),
    ("You must be worried sick, I'm sorry. Let me get the engineer to call you.", "en", "etiquette.no_argument",
     True, None),
    ("I'm not going to tell you you're wrong; the steel is the same. The coating is what differs.", "en",
     "etiquette.no_argument", True, None),
    ("Your coffee is the best on the street, everyone says so.", "en", "etiquette.no_argument", True, None),
    # Cantonese order asks and either-or about the order; an ask taken straight back is none (ruling 12).
    ("咁我幫你落住兩部，下個禮拜一送到，得唔得？", "zh-Hant", "close.asks_for_order", True, "落住兩部"),
    ("對呀！那您今天要帶黑色還是白色的？", "zh-Hant", "close.asks_for_order", True, "還是"),
    ("要不先签十台试试？不过也不一定，您看着办。", "zh", "close.asks_for_order", False, "签十台"),
    ("Maybe you want to buy for all 60 rooms? Or maybe not all, I am not sure what is your budget.", "en",
     "close.asks_for_order", False, "60 rooms"),
    ("Would you like a free two-week trial unit? No commitment at all.", "en", "close.asks_for_order", False, None),
    # Praise of the customer's skill and trade.
    ("您这选货的眼光真是一流，难怪回头客这么多。", "zh", "etiquette.praise", True, None),
    ("What a lovely bakery, the queue outside says it all.", "en", "etiquette.praise", True, "lovely bakery"),
    ("You run the front desk really well, I noticed on the way in.", "en", "etiquette.praise", True, "run the front"),
    ("您这么重视员工安全，难怪厂里口碑好。", "zh", "etiquette.praise", True, "重视"),
    ("王姐一个人把十几套房打理得井井有条，真能干。", "zh", "etiquette.praise", True, "井井有条"),
    ("您诊所在地方上很有口碑，很多长辈都先来找您。", "zh", "etiquette.praise", True, "口碑"),
    ("您经理考虑得周全，货比三家是对的。", "zh", "etiquette.praise", True, "周全"),
    ("Your sourdough has quite a following round here.", "en", "etiquette.praise", True, "following"),
    ("您们很多农友都搞错了，控释肥要下基肥。", "zh", "etiquette.praise", False, None),
    ("Lovely hotel, shame about the coffee.", "en", "etiquette.praise", False, None),
    # A greeting or "great question" is not praise of the customer's strengths.
    ("Great question. It holds forty litres.", "en", "etiquette.praise", False, None),
    ("Nice to meet you, I'm Sam from AquaPure.", "en", "etiquette.praise", False, None),
]


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader()


@pytest.mark.parametrize(("answer", "lang", "check", "passed", "evidence"), CASES)
def test_shape(grader: Grader, answer: str, lang: str, check: str, passed: bool, evidence: str | None) -> None:
    result = grader.grade_answer(answer, lang=lang, checks=[check])[0]
    assert result.passed is passed, (result.note, result.evidence)
    if evidence is not None:
        assert result.evidence is not None
        assert evidence.lower() in result.evidence.text.lower()
