"""The engine's own words per language, read from ``roleplay/locales/engine.<lang>.yaml``.

Customer lines the scenario does not provide (the default "I don't follow" line, the default
walk-away line) and the wording of hints and plain-text transcripts live in those data files, so
a translator never edits Python. The language is the *scenario's* language: a Chinese role-play
gets Chinese customer lines whatever the interface language is.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

import yaml

ENGINE_LANGS: tuple[str, ...] = ("zh", "en")
"""Languages the engine's words are written in."""


def base_lang(lang: str) -> str:
    """``zh`` for every Chinese variant, ``en`` otherwise."""
    return "zh" if lang.lower().startswith("zh") else "en"


@lru_cache(maxsize=None)
def _data(lang: str) -> Mapping[str, Any]:
    node = resources.files("roleplay").joinpath("locales", f"engine.{base_lang(lang)}.yaml")
    return yaml.safe_load(node.read_text("utf-8")) or {}


def lookup(lang: str, key: str) -> Any:
    """The value at a dotted key (``customer.fallback.calm``), or None when absent."""
    node: Any = _data(lang)
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def lines(lang: str, key: str, temperament: str) -> tuple[str, ...]:
    """The customer line variants of ``key`` for a temperament (``calm`` when it has none)."""
    value = lookup(lang, f"{key}.{temperament}") or lookup(lang, f"{key}.calm") or ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def text(lang: str, key: str, **values: Any) -> str:
    """One string, with ``{name}`` placeholders filled in; the key itself when missing."""
    value = lookup(lang, key)
    if not isinstance(value, str):
        return key
    return value.format(**values) if values else value
