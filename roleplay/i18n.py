"""User-facing words, read from ``roleplay/locales/<area>.<lang>.yaml`` (package data).

Code asks for a key (``t("home.title")``); the words live in data files per language so a
translator never edits Python. A key missing from one language falls back to English, then to
the key itself, so a missing string is visible rather than a crash.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

import yaml

UI_LANGS: tuple[str, ...] = ("zh", "en")
"""Languages the interface is written in."""

FALLBACK_LANG = "en"


def _flatten(prefix: str, data: Mapping[str, Any], out: dict[str, str]) -> None:
    for key, value in data.items():
        full = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


@lru_cache(maxsize=None)
def strings(area: str, lang: str) -> Mapping[str, str]:
    """All strings of one area (``ui``, ``engine``...) in one language, as flat dotted keys."""
    name = f"{area}.{lang}.yaml"
    node = resources.files("roleplay").joinpath("locales", name)
    if not node.is_file():
        return {}
    out: dict[str, str] = {}
    # libyaml's loader when present: the interface words are read on the way to the first paint.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _flatten("", yaml.load(node.read_text("utf-8"), Loader=loader) or {}, out)
    return out


class Translator:
    """Looks up words of one area in one language, with English as the fallback."""

    def __init__(self, lang: str, area: str = "ui") -> None:
        self.lang = lang if lang in UI_LANGS else FALLBACK_LANG
        """The language in use."""
        self.area = area

    def __call__(self, key: str, **values: Any) -> str:
        text = strings(self.area, self.lang).get(key)
        if text is None:
            text = strings(self.area, FALLBACK_LANG).get(key, key)
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in strings(self.area, self.lang) or key in strings(self.area, FALLBACK_LANG)
