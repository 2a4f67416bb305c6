"""The compiled-pattern cache: patterns rebuilt from kept code behave exactly like freshly compiled ones,
and a damaged, foreign or disabled cache only costs time (``scoring.patterncache``)."""

from __future__ import annotations

import re

import pytest

from roleplay import cachefiles
from scoring import patterncache
from scoring.cues import CueBook, load_cues
from scoring.patterncache import PatternCache

BODIES = [r"(?<![a-z0-9])(?:can(?:not|'t)|won't)(?![a-z0-9])", "您(?:真|很)?(?:好|棒)|[\u4e00-\u9fff]{2,4}吧\\s*\\?",
          r"(?P<n>\d+)\s*(?:%|percent)", "a|b|(?:c(?=d))"]
TEXTS = ["I can't, you won't, cannot", "您真好，这个划算吧 ?", "20% off, 5 percent", "abcd cx"]


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setattr(cachefiles, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.delenv("ROLEPLAY_NO_CACHE", raising=False)
    return tmp_path / "cache"


class TestPrefixedPatterns:
    def test_a_prefixed_variant_compiles_to_exactly_the_code_of_the_whole_text(self, cache_home):
        """``compile_prefixed`` parses the body once and puts the prefix in front of the parse: the code
        must equal what compiling ``prefix + body`` gives, for every English cue group."""
        from re import _compiler, _parser

        cache = PatternCache("prefixed")
        book = load_cues()
        bodies = []
        for group in book.groups.values():
            for alternation in (group.patterns["en"], group.exceptions["en"]):
                if alternation is not None:
                    bodies.append(alternation.pattern)
        bodies += BODIES
        for body in bodies:
            patterns = cache.compile_prefixed(body, (" ", "'", ""))
            for prefix, pattern in zip((" ", "'", ""), patterns):
                assert pattern.pattern == prefix + body
                assert cache._new[prefix + body][1] == [int(op) for op in _compiler._code(_parser.parse(prefix + body, 0), 0)]

    @pytest.mark.parametrize("body", ["ab|ac", "^ab", "a(b|c)|d", "[|]a|b"])
    def test_a_body_that_branches_or_is_anchored_is_parsed_whole(self, cache_home, body):
        # " ab|ac" is (" ab")|(ac): putting the prefix in front of the parse would be wrong.
        spaced, bare = PatternCache("prefixed").compile_prefixed(body, (" ", ""))
        for text in (" ab", "ac", " ac", "x ab", "ab", " d", "d", "|a", " b"):
            assert [m.span() for m in spaced.finditer(text)] == [m.span() for m in re.finditer(" " + body, text)]
            assert [m.span() for m in bare.finditer(text)] == [m.span() for m in re.finditer(body, text)]

    def test_a_bad_body_raises_as_compile_would(self, cache_home):
        with pytest.raises(re.error):
            PatternCache("prefixed").compile_prefixed("(unclosed", (" ", ""))


class TestKeptPatterns:
    def test_rebuilt_patterns_match_exactly_like_fresh_ones(self, cache_home):
        first = PatternCache("source")
        for body in BODIES:
            first.compile(body)
        first.save()
        second = PatternCache("source")
        assert set(second._kept) == set(BODIES), "the second run must find every pattern kept"
        for body in BODIES:
            rebuilt, fresh = second.compile(body), re.compile(body)
            for text in TEXTS:
                assert [m.span() for m in rebuilt.finditer(text)] == [m.span() for m in fresh.finditer(text)]
            assert rebuilt.groupindex == fresh.groupindex
        assert not second._new, "nothing needed compiling the second time"

    def test_the_cue_book_from_the_cache_finds_what_a_fresh_one_finds(self, cache_home):
        import yaml
        from importlib import resources

        text = resources.files("scoring").joinpath("data/cues.yaml").read_text("utf-8")
        raw = yaml.safe_load(text)
        warm = PatternCache(text)
        CueBook(raw, warm).compile_all()
        warm.save()
        kept = PatternCache(text)
        cached, fresh = CueBook(raw, kept), load_cues()
        cached.compile_all()
        assert not kept._new, "every pattern came from the cache"
        for name, group in fresh.groups.items():
            for lang, pattern in group.patterns.items():
                if pattern is not None:
                    assert cached.groups[name].patterns[lang].pattern == pattern.pattern
                    for sample in TEXTS:
                        assert cached.groups[name].patterns[lang].spans(sample) == pattern.spans(sample)

    def test_another_source_text_misses(self, cache_home):
        kept = PatternCache("old cues")
        kept.compile("abc")
        kept.save()
        assert PatternCache("edited cues")._kept == {}


class TestOnlyEverAShortcut:
    def test_a_damaged_entry_is_compiled_afresh(self, cache_home):
        cache = PatternCache("source")
        cache._kept["abc"] = (32, [1, 2, 3], 0, {}, (None,))  # not valid SRE code
        assert cache.compile("abc").search("xabc").span() == (1, 4)

    def test_a_garbled_file_is_ignored(self, cache_home):
        kept = PatternCache("source")
        kept.compile("abc")
        kept.save()
        path = kept._path()
        path.write_bytes(b"\x00garbage")
        assert PatternCache("source")._kept == {}

    def test_no_cache_writes_nothing(self, cache_home, monkeypatch):
        monkeypatch.setenv("ROLEPLAY_NO_CACHE", "1")
        cache = PatternCache("source")
        cache.compile("abc")
        cache.save()
        assert not cache_home.exists()

    def test_another_python_build_misses(self, cache_home, monkeypatch):
        kept = PatternCache("source")
        kept.compile("abc")
        kept.save()
        monkeypatch.setattr(patterncache, "_build_tag", lambda: "some-other-python")
        assert PatternCache("source")._kept == {}

    def test_a_bad_pattern_still_raises_re_error(self, cache_home):
        with pytest.raises(re.error):
            PatternCache("source").compile("(unclosed")
