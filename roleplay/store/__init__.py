"""The practice record: sessions, turns and check results kept safely in SQLite (no UI imports)."""

from roleplay.store.db import Store, StoreError, default_path
from roleplay.store.records import CheckPoint, CheckRate, CheckRecord, SessionRecord, Standing, TurnRecord

__all__ = [
    "CheckPoint", "CheckRate", "CheckRecord", "SessionRecord", "Standing", "Store", "StoreError",
    "TurnRecord", "default_path",
]
