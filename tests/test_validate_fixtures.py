"""Every invalid fixture is rejected with exactly the located messages written in it.

Each file under ``tests/fixtures/invalid/`` is named for its defect and lists the problems it must
produce in ``# expect: LINE:COL: severity: message`` lines. The files are read as one library
together with ``tests/fixtures/valid/`` (so a duplicate id has something to clash with), once
with libyaml's CSafeLoader and once with the pure Python SafeLoader fallback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from roleplay.scenario import reader
from roleplay.scenario.library import Library

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").rglob("*.yaml"))

LOADERS = [pytest.param(yaml.SafeLoader, id="SafeLoader")]
if getattr(yaml, "CSafeLoader", None) is not None:
    LOADERS.insert(0, pytest.param(yaml.CSafeLoader, id="CSafeLoader"))


def rel(path: Path) -> str:
    return str(path.relative_to(REPO))


def expected(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return sorted(line[len("# expect: "):] for line in text.splitlines() if line.startswith("# expect: "))


@pytest.fixture(scope="module", params=LOADERS)
def library(request):
    old_cwd, old_loader = os.getcwd(), reader.LOADER
    os.chdir(REPO)  # problems print paths relative to the working folder
    reader.LOADER = request.param
    try:
        yield Library.from_paths([rel(FIXTURES / "valid"), rel(FIXTURES / "invalid")])
    finally:
        reader.LOADER = old_loader
        os.chdir(old_cwd)


def test_there_are_at_least_25_invalid_fixtures_each_with_expectations():
    assert len(INVALID) >= 25
    for path in INVALID:
        assert expected(path), f"{path.name} has no '# expect:' line"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.yaml", path.name), path.name


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_is_rejected_with_its_located_messages(library, path):
    shown = rel(path)
    got = sorted(f"{p.location.line}:{p.location.col}: {p.severity}: {p.message}"
                 for p in library.problems if p.location.path == shown)
    assert got == expected(path)
    assert any(p.is_error for p in library.problems if p.location.path == shown)
    sources = {s.source for s in library.scenarios.values()} | {p.source for p in library.products.values()}
    assert str(path.absolute()) not in sources


def test_valid_fixtures_load_without_problems(library):
    valid = {p.location.path for p in library.problems if p.location.path.startswith("tests/fixtures/valid")}
    assert valid == set()
    assert {"fixture-minimal", "fixture-full"} <= set(library.scenarios)
    assert "fixture-snacks" in library.products
