"""A cache of the validated library, so the app opens without re-reading every YAML file.

Reading and validating the library is most of the app's start-up cost beyond Textual itself.
The result depends only on the files read and on this package's code, so it is kept as a pickle
in the user's cache folder under a key made of:

- every scenario and product file found: absolute path, size and modification time;
- the code that reads them (``roleplay/scenario/*.py``, the check catalogue) and the version.

Any change to any of those gives a new key; a damaged or foreign cache file is ignored and
rebuilt. Only a file owned by the current user and writable by no one else is ever unpickled.
``ROLEPLAY_NO_CACHE=1`` turns the cache off. ``roleplay validate`` and ``roleplay test`` never
use it: trainers get a fresh reading every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from roleplay.cachefiles import cache_dir, enabled, write_cache_file

if TYPE_CHECKING:
    from roleplay.scenario.library import Library

FORMAT = 1
"""Bumped when what is pickled changes shape."""


def _stat_line(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return f"{path}|missing"
    return f"{path}|{st.st_size}|{st.st_mtime_ns}"


def _code_files() -> list[Path]:
    here = Path(__file__).resolve().parent
    catalogue = here.parent.parent / "scoring" / "data" / "checks.yaml"
    return sorted(here.glob("*.py")) + [catalogue]


def library_key(folders: Iterable[Path], files: Iterable[Path]) -> str:
    """The cache key of a library read from ``folders`` consisting of ``files``."""
    from roleplay import __version__

    digest = hashlib.sha256(f"format {FORMAT}|roleplay {__version__}".encode())
    for folder in folders:
        digest.update(f"folder|{Path(folder).resolve()}".encode())
    for path in sorted({Path(p).resolve() for p in files}):
        digest.update(_stat_line(path).encode())
    for path in _code_files():
        digest.update(_stat_line(path).encode())
    return digest.hexdigest()[:32]


def _trustworthy(path: Path) -> bool:
    """Only our own cache files, writable by no one else, are unpickled."""
    try:
        st = path.stat()
    except OSError:
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def cached(folders: list[Path], files: list[Path], build: Callable[[], "Library"]) -> "Library":
    """The library from the cache when its key matches, else ``build()`` (and cache that)."""
    if not enabled():
        return build()
    key = library_key(folders, files)
    directory = cache_dir()
    target = directory / f"library-{key}.pickle"
    if _trustworthy(target):
        try:
            with open(target, "rb") as handle:
                library = pickle.load(handle)
            if type(library).__name__ == "Library":
                return library
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError,
                TypeError, ValueError):
            pass  # a damaged or outdated cache file: read the YAML instead, and replace it below
    library = build()
    _store(target, library)
    return library


def _store(target: Path, library: "Library") -> None:
    """Write the cache; one library at a time: stale keys are never read again."""
    write_cache_file(target, lambda handle: pickle.dump(library, handle, protocol=pickle.HIGHEST_PROTOCOL),
                     stale="library-*.pickle", errors=(pickle.PicklingError,))
