"""The library's tag vocabulary: the words ``roleplay list`` and the TUI picker filter on.

A tag outside this list is a warning, not an error (a trainer may be ahead of the list), with a
"did you mean" when it looks like a typo of a known tag.
"""

from __future__ import annotations

TAGS: dict[str, dict[str, str]] = {
    "price-objection": {"en": "the customer says it costs too much", "zh": "价格异议"},
    "out-of-scope": {"en": "the customer asks for something sales does not do", "zh": "超出职责的请求"},
    "three-step-close": {"en": "advantage, agreement, order", "zh": "三步成交法"},
    "first-visit": {"en": "the first call on a new customer", "zh": "初次拜访"},
    "buying-signals": {"en": "spotting an interested customer", "zh": "识别购买信号"},
    "after-sales": {"en": "after the deal: service and relationship", "zh": "售后服务"},
    "key-account": {"en": "a large, important customer", "zh": "大客户"},
    "cross-sell": {"en": "selling more to an existing customer", "zh": "交叉销售"},
    "phone": {"en": "the talk happens on the phone", "zh": "电话沟通"},
    "retail": {"en": "a shop or supermarket customer", "zh": "零售终端"},
    "distributor": {"en": "a dealer or wholesaler", "zh": "经销商"},
    "pharma": {"en": "medicines and pharmacies", "zh": "医药"},
    "b2b": {"en": "one business selling to another", "zh": "企业客户"},
}
"""Tag -> what it means, per language (shown in the authoring guide)."""
