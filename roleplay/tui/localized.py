"""Bindings whose footer labels follow the interface language.

A binding's ``description`` in ``BINDINGS`` is a key of the ``ui`` locale files (for example
``"home.practise"``); ``relabel_bindings`` swaps in the words of the current language. Textual
reads descriptions from the node's bindings map, so the map is rebuilt from the class's bindings.
The footer is only asked to redraw when a label really changed: rebuilding its keys is the
most expensive thing on a screen's first paint.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.dom import DOMNode

from roleplay.i18n import Translator


def relabel_bindings(node: DOMNode, t: Translator) -> None:
    """Rebuild ``node``'s bindings with descriptions translated by ``t`` (call it from
    ``__init__`` so the first paint already has the right words)."""
    merged = type(node)._merged_bindings
    if merged is None:
        return
    keys = {
        key: [replace(b, description=t(b.description)) if b.description and t.has(b.description) else b
              for b in bindings]
        for key, bindings in merged.key_to_bindings.items()
    }
    current = node._bindings.key_to_bindings
    if all([b.description for b in current.get(k, [])] == [b.description for b in v] for k, v in keys.items()):
        return
    node._bindings = BindingsMap.from_keys(keys)
    if node.is_attached:
        node.refresh_bindings()
