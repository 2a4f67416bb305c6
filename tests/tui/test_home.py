"""The home screen: the library with search and filters, details, recent results."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from roleplay.tui.screens.home import HomeScreen
from roleplay.tui.widgets.choice import ChoiceButton


def _ids(app) -> list[str]:
    return [o.id for o in app.screen.query_one("#scenarios", OptionList).options if o.id]


class TestLibrary:
    async def test_lists_every_builtin_scenario(self, make_app):
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert set(_ids(app)) == set(app.practice.library.scenarios)
            assert _ids(app)  # the built-in library is not empty

    async def test_search_narrows_the_list(self, make_app):
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash")
            await pilot.press(*"printer")
            await pilot.pause()
            assert _ids(app) == ["printer-out-of-scope"]
            assert "Manager Wang" in str(app.screen.query_one("#details", Static).render())

    async def test_search_with_no_match_says_so(self, make_app):
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            app.screen.query_one("#search", Input).value = "zzzz-nothing"
            await pilot.pause()
            assert _ids(app) == []
            assert "No scenario matches" in str(app.screen.query_one("#scenarios", OptionList).options[0].prompt)

    async def test_tag_filter(self, make_app):
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            app.screen.query_one("#tag", ChoiceButton).value = "out-of-scope"
            await pilot.pause()
            ids = _ids(app)
            assert ids and all("out-of-scope" in app.practice.library.scenarios[i].tags for i in ids)


class TestLanguage:
    async def test_f2_switches_the_interface_language(self, make_app):
        app = make_app("en")
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.screen.query_one("#search", Input).placeholder.startswith("Search")
            await pilot.press("f2")
            await pilot.pause()
            assert app.ui_lang == "zh"
            assert app.screen.query_one("#search", Input).placeholder.startswith("搜索")


class TestFilters:
    async def test_a_filter_opens_its_choices_and_applies_the_one_picked(self, make_app):
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            app.screen.query_one("#difficulty", ChoiceButton).focus()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("down", "down", "enter")  # Any, 1 easy, 2 medium
            await pilot.pause()
            assert app.screen.query_one("#difficulty", ChoiceButton).value == 2
            ids = _ids(app)
            assert ids and all(app.practice.library.scenarios[i].difficulty == 2 for i in ids)

    async def test_escape_keeps_the_filter(self, make_app):
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            app.screen.query_one("#lang", ChoiceButton).focus()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query_one("#lang", ChoiceButton).value is None
