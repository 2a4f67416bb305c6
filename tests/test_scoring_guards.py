"""The guards' violation shapes, read by shape rather than by wording, and their look-alikes.

Each case is (answer, lang, check, passed, evidence): evidence is a piece of the trainee's words
that must lie inside the evidence span, or None when no span is expected. The sentences are
written for these tests (not taken from the labelled data) and judged by docs/labelling.md.
"""

from __future__ import annotations

import pytest

from scoring.grader import Grader

CASES = [
    # Blame put on the customer's side as the cause: arguing, but not a brush-off.
    ("Maybe your warehouse is too damp, that would explain the rust.", "en", "etiquette.no_argument", False,
     "warehouse is too damp"),
    ("Your installer probably messed up the wiring.", "en", "etiquette.no_argument", False, "probably messed"),
    ("Honestly the problem is your own ordering system.", "en", "etiquette.no_argument", False, "your own ordering"),
    ("Maybe your warehouse is too damp, that would explain the rust.", "en", "scope.not_dismissive", True, None),
    ("应该是因为你们仓库没注意防潮，才会这样。", "zh", "etiquette.no_argument", False, "没注意"),
    ("这个不是我们机器的问题。", "zh", "etiquette.no_argument", False, "不是我们机器的问题"),
    # Look-alikes: taking the blame off the customer, a problem that is no problem, a refusal of blame.
    ("It's probably a worn seal, not your fault at all. Our service desk will call you today.", "en",
     "etiquette.no_argument", True, None),
    ("这不是问题，坏了我们包换。", "zh", "etiquette.no_argument", True, None),
    # Verdicts on what the customer asks or thinks, and lectures.
    ("Thats a rookie mistake, everyone checks the warranty first.", "en", "etiquette.no_argument", False,
     "rookie mistake"),
    ("That's just an unrealistic demand, sir.", "en", "etiquette.no_argument", False, "unrealistic demand"),
    ("I'm not saying that's a bad idea, just that ours lasts longer.", "en", "etiquette.no_argument", True, None),
    ("Please calm down, raising your voice won't help.", "en", "etiquette.no_argument", False, "calm down"),
    ("The swelling should calm down in a day or two.", "en", "etiquette.no_argument", True, None),
    ("You should have upgraded them years ago.", "en", "etiquette.no_argument", False, "should have upgraded"),
    ("你就别挑了，这价已经很低了。", "zh", "etiquette.no_argument", False, "别挑"),
    ("你连算账都不会吗？你都不懂算账。", "zh", "etiquette.no_argument", False, "你连算账都不会吗"),  # the first of the two jabs
    ("你自己沒睇清楚合約啫。", "zh-Hant", "etiquette.no_argument", False, "沒睇清楚"),
    ("您也别嫌我啰嗦，这款真的省电。", "zh", "etiquette.no_argument", True, None),
    ("如果您没听清楚，我再说一遍。", "zh", "etiquette.no_argument", True, None),
    # Self-handling in English: a diagnosis as a cause, a regimen, compensation, approval, a warranty ruling.
    ("Streaks like that usually means the drum is worn out.", "en", "scope.no_self_handling", False, "usually means"),
    ("Just take one with breakfast every morning and it'll settle.", "en", "scope.no_self_handling", False,
     "take one with breakfast every morning"),
    ("So sorry! I'll refund the delivery fee myself.", "en", "scope.no_self_handling", False, "refund"),
    ("I'll make sure it's approved by Friday.", "en", "scope.no_self_handling", False, "make sure it's approved"),
    ("Sorry, that's not a warranty issue.", "en", "scope.no_self_handling", False, "warranty issue"),
    # Look-alikes: the team does the checking, the dose is asked for, doing it oneself is declined.
    ("Our service engineers will check the pump and call you tomorrow.", "en", "scope.no_self_handling", True, None),
    ("Could you tell me her weight and dose? Our medical team will call you back today.", "en",
     "scope.no_self_handling", True, None),
    ("I can't repair it here myself, but our repair centre will collect it.", "en", "scope.no_self_handling", True,
     None),
    # Brush-offs in English: not my job, sort it out yourself, the worry waved away.
    ("That's not exactly my department. Try the website.", "en", "scope.not_dismissive", False, "my department"),
    ("Sorry, that's a logistics thing, nothing to do with me.", "en", "scope.not_dismissive", False, None),
    ("Honestly I wouldn't worry about it, they all squeak a bit.", "en", "scope.not_dismissive", False,
     "wouldn't worry"),
    ("You can open a ticket yourself on the portal, good luck.", "en", "scope.not_dismissive", False, None),
    # Look-alike: routing with care is not a brush-off.
    ("I'm sorry about that. Our logistics team handles deliveries; I'll pass your number to them and they'll call "
     "you this afternoon.", "en", "scope.not_dismissive", True, None),
    # Second session: arguing as grammar. Blame put on the customer's use, rhetorical questions at
    # them, counterfactual blame, their failing taken as given; and the negated look-alike.
    ("那肯定是你们库房太潮了，跟包装没关系。", "zh", "etiquette.no_argument", False, "你们库房太潮"),
    ("这不是您的问题，我们马上给您换。", "zh", "etiquette.no_argument", True, None),
    ("您真的比较过两家的保修吗？", "zh", "etiquette.no_argument", False, "真的比较过"),
    ("要是您当初听我的多订两箱，就不会断货了。", "zh", "etiquette.no_argument", False, "就不会"),
    ("If your team had followed the setup guide, this wouldn't have happened.", "en", "etiquette.no_argument",
     False, "had followed"),
    ("You clearly haven't looked at the running costs.", "en", "etiquette.no_argument", False, "clearly haven't"),
    ("Are you sure you plugged it into the right socket?", "en", "etiquette.no_argument", False, "Are you sure"),
    # Giving in, said as an errand or as goods put in; a concession that waits for the customer's commitment.
    ("我回去跟经理申请一下，看能不能再便宜点。", "zh", "price.no_instant_discount", False, "便宜"),
    ("如果您三家店统一订，我再去申请批量价。", "zh", "price.no_instant_discount", True, None),
    ("I'll throw in two spare filters too, no charge.", "en", "price.no_instant_discount", False, None),
    # Doing the job yourself: a hedged diagnosis, the account taken over, a ruling on a refund.
    ("估计是电源适配器的问题，您换一个试试。", "zh", "scope.no_self_handling", False, "电源适配器的问题"),
    ("Just send me your login and I'll fix the settings tonight.", "en", "scope.no_self_handling", False,
     "send me your login"),
    # Brush-offs behind a job title, and routing that only names the team to go round it.
    ("I'm sales. The number's on the box.", "en", "scope.not_dismissive", False, None),
    ("No need to wait for the service team, I'll swap it myself on Friday.", "en", "scope.routes_to_support",
     False, None),
]


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader()


@pytest.mark.parametrize("answer, lang, check, passed, evidence", CASES)
def test_guard_shapes(grader, answer, lang, check, passed, evidence):
    (result,) = grader.grade_answer(answer, lang=lang, checks=[check])
    assert result.passed is passed, (result.note, result.evidence)
    if evidence is None:
        return
    assert result.evidence is not None
    assert evidence in result.evidence.text or result.evidence.text in evidence, result.evidence.text
