"""Library discovery: built-in, user and extra folders; duplicates; one bad file never stops the rest."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from roleplay.cli.common import UserError, load_library, resolve_scenario
from roleplay.scenario.library import Library, ScenarioNotFound, user_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = (FIXTURES / "valid" / "minimal.yaml").read_text("utf-8")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ROLEPLAY_SCENARIOS", raising=False)


def scenario_text(sid: str, **replace: str) -> str:
    text = MINIMAL.replace("id: fixture-minimal", f"id: {sid}")
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def test_builtin_library_loads_without_problems():
    library = Library.discover()
    assert "printer-out-of-scope" in library.scenarios
    assert "office-printer" in library.products
    assert [str(p) for p in library.problems] == []


def test_user_folder_is_searched(tmp_path):
    folder = user_dir()
    assert str(folder).startswith(str(tmp_path / "xdg"))
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(scenario_text("my-own"), "utf-8")
    library = Library.discover()
    assert "my-own" in library.scenarios
    assert folder in library.folders
    assert "my-own" not in Library.discover(user=False).scenarios


def test_one_bad_file_never_stops_the_rest(tmp_path):
    (tmp_path / "a-good.yaml").write_text(scenario_text("good-one"), "utf-8")
    (tmp_path / "b-bad.yaml").write_bytes(b"version: 1\nid: [\n")
    (tmp_path / "c-good.yml").write_text(scenario_text("good-two"), "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d-good.yaml").write_text(scenario_text("good-three"), "utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "e.yaml").write_text("garbage: [", "utf-8")
    library = Library.from_paths([tmp_path])
    assert set(library.scenarios) == {"good-one", "good-two", "good-three"}
    assert len(library.files) == 4
    assert [p.location.path.endswith("b-bad.yaml") for p in library.problems] == [True]


def test_a_scenario_id_used_twice_is_an_error_on_the_later_file(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "copy.yaml").write_text("# a copy\n" + scenario_text("printer-out-of-scope"), "utf-8")
    library = Library.discover([extra])
    assert library.scenarios["printer-out-of-scope"].source.endswith("scenarios/printer-out-of-scope.yaml")
    [problem] = library.problems
    assert problem.location.path.endswith("copy.yaml") and problem.location.line == 4
    assert problem.message.startswith("the scenario id 'printer-out-of-scope' is already used by ")
    assert "printer-out-of-scope.yaml:" in problem.message


def test_a_product_id_used_twice_is_an_error_and_the_first_is_kept(tmp_path):
    extra = tmp_path / "extra"
    (extra / "products").mkdir(parents=True)
    shutil.copy(FIXTURES / "valid" / "products" / "fixture-snacks.yaml", extra / "products" / "office-printer.yaml")
    text = (extra / "products" / "office-printer.yaml").read_text("utf-8").replace("id: fixture-snacks", "id: office-printer")
    (extra / "products" / "office-printer.yaml").write_text(text, "utf-8")
    library = Library.discover([extra])
    assert library.products["office-printer"].name["en"] == "UniPrint office laser printer"
    assert [p.message for p in library.problems] == [
        f"the product id 'office-printer' is already used by {library.products['office-printer'].location}"]


def test_a_user_scenario_may_use_a_builtin_product(tmp_path):
    (tmp_path / "mine.yaml").write_text(scenario_text("mine", **{"start: greet": "product: office-printer\nstart: greet"}), "utf-8")
    library = Library.discover([tmp_path])
    assert library.scenarios["mine"].product is library.products["office-printer"]


def test_resolve_by_id_and_by_path(tmp_path, monkeypatch):
    library = Library.discover()
    by_id = library.resolve("printer-out-of-scope")
    monkeypatch.chdir(Path(by_id.source).parent)
    assert library.resolve("printer-out-of-scope.yaml") is by_id
    assert library.resolve(by_id.source) is by_id
    (tmp_path / "products").mkdir()
    shutil.copy(FIXTURES / "valid" / "products" / "fixture-snacks.yaml", tmp_path / "products")
    (tmp_path / "elsewhere.yaml").write_text(
        scenario_text("elsewhere", **{"start: greet": "product: fixture-snacks\nstart: greet"}), "utf-8")
    found = library.resolve(str(tmp_path / "elsewhere.yaml"))
    assert found.id == "elsewhere" and found.product.id == "fixture-snacks"


def test_resolve_explains_what_is_wrong(tmp_path):
    library = Library.discover()
    with pytest.raises(LookupError, match=r"no scenario 'printer-out-scope' \(did you mean 'printer-out-of-scope'\?\)"):
        library.resolve("printer-out-scope")
    with pytest.raises(ScenarioNotFound, match="no such scenario file: nowhere/x.yaml"):
        library.resolve("nowhere/x.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text(scenario_text("broken", **{"    expect:": "    expcet:", "  role: {en: shop owner}": "  role: 7"}), "utf-8")
    with pytest.raises(ScenarioNotFound) as info:
        library.resolve(str(broken))
    assert "unknown key 'expcet'" in "".join(str(p) for p in info.value.problems)
    assert "(and 1 more; `roleplay validate" in str(info.value)


def test_cli_helpers_load_the_library_and_resolve(tmp_path, monkeypatch, capsys):
    (tmp_path / "mine.yaml").write_text(scenario_text("from-env"), "utf-8")
    monkeypatch.setenv("ROLEPLAY_SCENARIOS", str(tmp_path))
    args = argparse.Namespace(scenarios=[])
    assert "from-env" in load_library(args).scenarios
    assert resolve_scenario(args, "from-env").id == "from-env"
    (tmp_path / "bad.yaml").write_text("version: 1\nid: bad\n", "utf-8")
    with pytest.raises(UserError) as info:
        resolve_scenario(args, str(tmp_path / "bad.yaml"))
    assert info.value.exit_code == 2
    err = capsys.readouterr().err
    assert "bad.yaml:1:1: error: the scenario is missing the key 'languages'" in err


def test_products_only_reads_the_product_sheets_alone():
    library = Library.discover(products_only=True)
    assert "office-printer" in library.products and library.scenarios == {}
    assert all("/products/" in f.replace("\\", "/") for f in library.files)
