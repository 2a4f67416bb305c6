"""The library cache: the app reuses the last reading only while nothing it depends on changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from roleplay.scenario import cache as cache_module
from roleplay.scenario.library import Library

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tui"


@pytest.fixture
def lib_dir(tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    shutil.copytree(FIXTURE, folder)
    monkeypatch.setattr(cache_module, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.delenv("ROLEPLAY_NO_CACHE", raising=False)
    return folder


def _discover(folder: Path) -> Library:
    return Library.discover([folder], builtin=False, user=False, cache=True)


def _cache_files(folder: Path) -> list[Path]:
    return sorted((folder.parent / "cache").glob("library-*.pickle"))


class TestCache:
    def test_second_reading_comes_from_the_cache_and_is_equal(self, lib_dir, monkeypatch):
        first = _discover(lib_dir)
        assert len(_cache_files(lib_dir)) == 1
        monkeypatch.setattr(Library, "from_paths", classmethod(lambda cls, *a, **k: pytest.fail("re-read")))
        second = _discover(lib_dir)
        assert second.scenarios == first.scenarios and second.products == first.products

    def test_an_edited_file_is_read_again(self, lib_dir):
        _discover(lib_dir)
        path = lib_dir / "printer-out-of-scope.yaml"
        path.write_text(path.read_text("utf-8").replace("pass_mark: 70", "pass_mark: 75"), "utf-8")
        os.utime(path, ns=(1, 1))  # a different modification time whatever the clock's resolution
        assert _discover(lib_dir).scenarios["printer-out-of-scope"].pass_mark == 75
        assert len(_cache_files(lib_dir)) == 1  # the stale entry is gone

    def test_an_added_or_removed_file_is_noticed(self, lib_dir):
        assert len(_discover(lib_dir).scenarios) == 2
        (lib_dir / "discount-shopper.yaml").unlink()
        assert set(_discover(lib_dir).scenarios) == {"printer-out-of-scope"}

    def test_a_damaged_cache_file_is_rebuilt(self, lib_dir):
        _discover(lib_dir)
        [cached] = _cache_files(lib_dir)
        cached.write_bytes(b"\x80\x04not a pickle")
        assert len(_discover(lib_dir).scenarios) == 2

    def test_a_cache_file_others_may_write_is_never_unpickled(self, lib_dir, monkeypatch):
        _discover(lib_dir)
        [cached] = _cache_files(lib_dir)
        cached.chmod(0o666)
        loads = []
        monkeypatch.setattr(cache_module.pickle, "load", lambda *a, **k: loads.append(1))
        assert len(_discover(lib_dir).scenarios) == 2 and loads == []

    def test_turned_off_by_the_environment(self, lib_dir, monkeypatch):
        monkeypatch.setenv("ROLEPLAY_NO_CACHE", "1")
        _discover(lib_dir)
        assert _cache_files(lib_dir) == []

    def test_an_unwritable_cache_folder_is_not_an_error(self, lib_dir, monkeypatch, tmp_path):
        blocker = tmp_path / "file-not-folder"
        blocker.write_text("x")
        monkeypatch.setattr(cache_module, "cache_dir", lambda: blocker / "cache")
        assert len(_discover(lib_dir).scenarios) == 2
