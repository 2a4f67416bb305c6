"""User-facing words, read from ``roleplay/locales/<area>.<lang>.yaml`` (package data).

Code asks for a key (``t("home.title")``); the words live in data files per language so a
translator never edits Python. A key missing from one language falls back to English, then to
the key itself, so a missing string is visible rather than a crash.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from roleplay import cachefiles

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
    path = Path(__file__).resolve().parent / "locales" / name
    if path.is_file():
        cached = _cached(path)
        if cached is not None:
            return cached
        text = path.read_text("utf-8")
    else:  # installed in a zip: no file to stat, no cache
        from importlib import resources

        node = resources.files("roleplay").joinpath("locales", name)
        if not node.is_file():
            return {}
        text, path = node.read_text("utf-8"), None
    out = _parse(text)
    if path is not None:
        _keep(path, out)
    return out


def _parse(text: str) -> dict[str, str]:
    import yaml

    out: dict[str, str] = {}
    # libyaml's loader when present: the interface words are read on the way to the first paint.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _flatten("", yaml.load(text, Loader=loader) or {}, out)
    return out


# The interface words are read on the way to the app's first paint, and importing a YAML
# reader costs more than reading them: the flat strings of each file are kept as JSON in the
# user's cache folder, under the file's name, size and modification time (any edit is a new
# key). A missing, damaged or foreign cache file is simply read from the YAML again.
# ``ROLEPLAY_NO_CACHE=1`` turns this off, as it does the library cache.

def _cache_file(path: Path) -> Path | None:
    if not cachefiles.enabled():
        return None
    try:
        st = path.stat()
        folder = cachefiles.cache_dir() / "locales"
    except (OSError, ImportError):
        return None
    return folder / f"{path.stem}-{st.st_size}-{st.st_mtime_ns}.json"


def _cached(path: Path) -> dict[str, str] | None:
    target = _cache_file(path)
    if target is None:
        return None
    try:
        with open(target, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return None
    return data


def _keep(path: Path, out: dict[str, str]) -> None:
    """Keep the flat strings; earlier versions of this file are never read again."""
    target = _cache_file(path)
    if target is not None:
        data = json.dumps(out, ensure_ascii=False).encode("utf-8")
        cachefiles.write_cache_file(target, lambda handle: handle.write(data), stale=f"{path.stem}-*.json")


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
