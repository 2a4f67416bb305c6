"""Note texts (``data/notes.yaml``): why a check came out as it did, in the answer's language."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Mapping

import yaml


@lru_cache(maxsize=1)
def _notes() -> Mapping[str, Mapping[str, str]]:
    raw = yaml.load(resources.files("scoring").joinpath("data/notes.yaml").read_text("utf-8"),
                    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return raw.get("notes") or {}


def note_text(key: str, lang: str) -> str:
    """The note ``key`` in ``lang`` (``zh-Hant`` reads ``zh``); the key itself when it has no text."""
    if not key:
        return ""
    texts = _notes().get(key)
    if not texts:
        return key
    return texts.get("zh" if lang.lower().startswith("zh") else "en") or texts.get("en") or key
