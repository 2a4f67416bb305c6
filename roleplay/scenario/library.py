"""The scenario library: every scenario and product sheet found in the known folders.

Folders, in order: the built-in library (``scenarios/`` in the package), the user's folder
(``platformdirs.user_data_dir("roleplay")/scenarios``) and extra folders (``--scenarios``,
``ROLEPLAY_SCENARIOS``). In each folder, ``*.yaml``/``*.yml`` files are scenarios (sub-folders
included) and files in a ``products/`` folder are product sheets. Product sheets of all folders
form one set, so a user's scenario may use a built-in product.

One broken file never stops the rest: its problems are collected in ``Library.problems`` and the
good files are loaded. An id used twice (scenario or product) is an error on the later file;
the first one found is kept.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from roleplay.scenario.model import Location, Product, Scenario
from roleplay.scenario.problems import Problem, has_errors

# The loader (YAML, rapidfuzz) is imported where files are read, not here: a library that comes
# from the cache (roleplay.scenario.cache) never needs it, and the app opens faster without it.

YAML_SUFFIXES = (".yaml", ".yml")
"""The file name endings read as scenario or product files."""

_TOP_ID = re.compile(r"^id[ \t]*:", re.MULTILINE)

PRODUCTS_FOLDER = "products"
"""The folder name, beside the scenarios, that holds product sheets."""


def builtin_dir() -> Path:
    """The built-in library folder (installed with the package)."""
    from scenarios import LIBRARY_DIR

    return LIBRARY_DIR


def user_dir() -> Path:
    """The user's scenario folder (it may not exist)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("roleplay")) / "scenarios"


class ScenarioNotFound(LookupError):
    """``Library.resolve`` found no usable scenario; the message is fit for the user.

    ``problems`` holds the problems of the file when the reference was a broken file.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


def is_product_file(path: Path) -> bool:
    """True for a file inside a ``products/`` folder."""
    return path.parent.name == PRODUCTS_FOLDER


def find_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The scenario files and product files under ``folder``, sorted, hidden folders skipped."""
    scenarios: list[Path] = []
    products: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES):
                continue
            path = Path(root) / name
            (products if is_product_file(path) else scenarios).append(path)
    return scenarios, products


@dataclass
class Library:
    """Everything found, keyed by id, and every problem met while reading."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    """Scenario id -> scenario (only files without errors), in discovery order."""
    products: dict[str, Product] = field(default_factory=dict)
    """Product id -> product sheet (only files without errors)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems of every file read, in file order."""
    files: list[str] = field(default_factory=list)
    """Every file read (as printed in problems)."""
    folders: list[Path] = field(default_factory=list)
    """The folders searched."""

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(1 for p in self.problems if not p.is_error)

    @classmethod
    def discover(cls, extra_dirs: Iterable[str | os.PathLike[str]] = (), *, builtin: bool = True,
                 user: bool = True, products_only: bool = False, cache: bool = False) -> "Library":
        """Read the built-in library, the user's folder and ``extra_dirs``.

        Missing folders are skipped silently except extra ones, which are reported (the user
        named them, so a typo should not pass unnoticed). ``products_only`` reads the product
        sheets alone (what files validated on their own may use). ``cache`` reuses the last
        reading when no file (and no code that reads them) has changed since
        (``roleplay.scenario.cache``); the app uses it to open fast.
        """
        folders: list[Path] = []
        problems: list[Problem] = []
        if builtin:
            folders.append(builtin_dir())
        if user and user_dir().is_dir():
            folders.append(user_dir())
        for extra in extra_dirs:
            path = Path(extra)
            if path.is_dir():
                folders.append(path)
            else:
                problems.append(Problem(Location(str(extra), 1, 1), "error",
                                        "this scenario folder does not exist" if not path.exists()
                                        else "this is not a folder"))
        if products_only:
            library = cls.from_paths([f / PRODUCTS_FOLDER for f in folders if (f / PRODUCTS_FOLDER).is_dir()])
            library.folders = folders
        elif cache:
            from roleplay.scenario.cache import cached

            files = [f for folder in folders for group in find_files(folder) for f in group]
            library = cached(folders, files, lambda: cls.from_paths(folders))
        else:
            library = cls.from_paths(folders)
        library.problems[:0] = problems
        return library

    @classmethod
    def from_paths(cls, paths: Iterable[str | os.PathLike[str]], *,
                   base: "Library | None" = None) -> "Library":
        """Read the given folders and files (``roleplay validate PATH ...``).

        Args:
            paths: folders (searched as in ``discover``) and single files (a file in a
                ``products/`` folder is a product sheet, any other a scenario). A single
                scenario file may use the product sheets in ``products/`` beside it (they are
                read, not reported on).
            base: a library whose products the files may use (e.g. the built-in one) without
                its files being checked again.
        """
        library = cls()
        scenario_files: list[Path] = []
        product_files: list[Path] = []
        beside: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                library.folders.append(path)
                s, p = find_files(path)
                scenario_files.extend(s)
                product_files.extend(p)
            elif is_product_file(path):
                product_files.append(path)
            else:
                scenario_files.append(path)
                beside.extend(find_files(path.parent / PRODUCTS_FOLDER)[1])
        if beside:
            # Product sheets beside a single scenario file are there to be used, not checked:
            # `roleplay validate some/file.yaml` reports that file only.
            helper = cls()
            helper._load(_unique(beside), [], base)
            base = cls(products={**(base.products if base is not None else {}), **helper.products})
        library._load(_unique(product_files), _unique(scenario_files), base)
        return library

    def _load(self, product_files: list[Path], scenario_files: list[Path], base: "Library | None") -> None:
        from roleplay.scenario.loader import load_product, load_scenario
        from roleplay.scenario.reader import display_path

        first_seen: dict[str, Location] = {}
        for path in product_files:
            shown = display_path(path)
            self.files.append(shown)
            product, problems = load_product(path, display=shown)
            self.problems.extend(problems)
            if product is None:
                continue
            if product.id in first_seen:
                self.problems.append(Problem(product.location or Location(shown), "error",
                                             f"the product id '{product.id}' is already used by {first_seen[product.id]}"))
                continue
            first_seen[product.id] = product.location or Location(shown)
            self.products[product.id] = product
        usable = dict(base.products) if base is not None else {}
        usable.update(self.products)
        first_seen = {}
        for path in scenario_files:
            shown = display_path(path)
            self.files.append(shown)
            scenario, problems = load_scenario(path, usable, display=shown)
            self.problems.extend(problems)
            if scenario is None:
                continue
            if scenario.id in first_seen:
                self.problems.append(Problem(_id_location(scenario, shown), "error",
                                             f"the scenario id '{scenario.id}' is already used by "
                                             f"{first_seen[scenario.id]}"))
                continue
            first_seen[scenario.id] = _id_location(scenario, shown)
            self.scenarios[scenario.id] = scenario

    def resolve(self, ref: str) -> Scenario:
        """A scenario by id, or by path to a YAML file.

        Raises:
            ScenarioNotFound: (a ``LookupError``) with a message fit for the user, and the file's
                problems when ``ref`` is a broken file.
        """
        from roleplay.scenario.fields import did_you_mean
        from roleplay.scenario.loader import load_product, load_scenario

        if ref in self.scenarios:
            return self.scenarios[ref]
        path = Path(ref)
        looks_like_path = path.suffix in YAML_SUFFIXES or os.sep in ref or "/" in ref or path.exists()
        if not looks_like_path:
            hint = did_you_mean(ref, self.scenarios)
            raise ScenarioNotFound(f"no scenario '{ref}'{hint}; `roleplay list` shows them all")
        if path.is_dir():
            raise ScenarioNotFound(f"{ref} is a folder: name one scenario file in it, or a scenario id "
                                   "(`roleplay list --scenarios {ref}` shows what it holds)".replace("{ref}", ref))
        if not path.is_file():
            raise ScenarioNotFound(f"no such scenario file: {ref}")
        absolute = str(path.absolute())
        for scenario in self.scenarios.values():
            if scenario.source == absolute:
                return scenario
        products = dict(self.products)
        sibling = path.parent / PRODUCTS_FOLDER
        if sibling.is_dir():
            for product_path in find_files(sibling)[1]:
                product, _ = load_product(product_path)
                if product is not None:
                    products.setdefault(product.id, product)
        scenario, problems = load_scenario(path, products, display=ref)
        if scenario is None or has_errors(problems):
            errors = [p for p in problems if p.is_error]
            first = str(errors[0]) if errors else f"{ref}: cannot be used"
            more = f" (and {len(errors) - 1} more; `roleplay validate {ref}` lists them)" if len(errors) > 1 else ""
            raise ScenarioNotFound(f"{first}{more}", problems)
        return scenario


def _unique(paths: list[Path]) -> list[Path]:
    """``paths`` without repeats (the same file reached through two folders is read once)."""
    seen: set[Path] = set()
    out = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _id_location(scenario: Scenario, shown: str) -> Location:
    """Where a scenario's top-level ``id:`` is written (the top of the file, failing that)."""
    try:
        text = Path(scenario.source).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return scenario.location or Location(shown)
    match = _TOP_ID.search(text)
    if match is None:
        return scenario.location or Location(shown)
    return Location(shown, text.count("\n", 0, match.start()) + 1, 1)
