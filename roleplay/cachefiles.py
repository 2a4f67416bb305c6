"""Files kept in the user's cache folder (the library, the interface words): where they live,
whether caching is on, and how they are written.

A cache is only ever a shortcut: ``ROLEPLAY_NO_CACHE=1`` turns every one off, and a cache file
that cannot be written is simply not kept (a read-only home folder is not an error).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, Callable


def enabled() -> bool:
    """Whether caches may be read and written (``ROLEPLAY_NO_CACHE=1`` turns them off)."""
    return os.environ.get("ROLEPLAY_NO_CACHE") != "1"


def cache_dir() -> Path:
    """The user's cache folder for roleplay."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("roleplay", appauthor=False))


def write_cache_file(target: Path, write: Callable[[BinaryIO], None], *, stale: str,
                     errors: tuple[type[BaseException], ...] = (OSError,)) -> None:
    """Write ``target`` through a private temporary file, first removing the stale versions.

    Args:
        target: The cache file.
        write: Writes the content to the open (binary) file.
        stale: A glob, in the target's folder, of earlier versions that are never read again.
        errors: What ``write`` may raise besides ``OSError``; the cache is then not kept.
    """
    import tempfile

    directory = target.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob(stale):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=directory)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except (OSError, *errors):
        Path(tmp).unlink(missing_ok=True)
