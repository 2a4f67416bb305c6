"""Bindings whose footer labels follow the interface language.

A binding's ``description`` in ``BINDINGS`` is a key of the ``ui`` locale files (for example
``"home.practise"``); ``relabel_bindings`` swaps in the words of the current language. Textual
reads descriptions from the node's bindings map, so the map is rebuilt from the class's bindings.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.dom import DOMNode

from roleplay.i18n import Translator


def relabel_bindings(node: DOMNode, t: Translator) -> None:
    """Rebuild ``node``'s bindings with descriptions translated by ``t``."""
    merged = type(node)._merged_bindings
    if merged is None:
        return
    keys = {
        key: [replace(b, description=t(b.description)) if b.description and t.has(b.description) else b
              for b in bindings]
        for key, bindings in merged.key_to_bindings.items()
    }
    node._bindings = BindingsMap.from_keys(keys)
    node.refresh_bindings()
