"""The built-in scenario library, shipped as package data.

Scenario files sit beside this module; product fact sheets in ``products/``.
"""

from pathlib import Path

LIBRARY_DIR = Path(__file__).resolve().parent
"""The folder holding the built-in scenario YAML files."""

PRODUCTS_DIR = LIBRARY_DIR / "products"
"""The folder holding the built-in product fact sheets."""
