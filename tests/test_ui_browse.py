"""The Browse screen, driven with Pilot against the replay servers (Mixcloud's API and oEmbed)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from mixtui.store import Library
from mixtui.ui.app import MixtuiApp
from mixtui.ui.browse.screen import LOAD_MORE, BrowseScreen, BrowseTable, PeopleTable
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.support.routes.mixcloud_browse import install_browse_routes, rate_limited
from tests.support.ui import SIZE, make_app, notifications

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def app(tmp_path: Path, platform_servers: PlatformServers) -> MixtuiApp:
    install_browse_routes(platform_servers)
    return make_app(tmp_path, platform_servers)


async def open_browse(app: MixtuiApp, pilot: Pilot[Any]) -> BrowseScreen:
    await app.switch_mode("browse")
    await pilot.pause()
    await app.wait_ready()
    assert isinstance(app.screen, BrowseScreen)
    return app.screen


async def settle(app: MixtuiApp, pilot: Pilot[Any]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def pick_entry(app: MixtuiApp, pilot: Pilot[Any], key: str) -> None:
    entries = app.screen.query_one("#entries", OptionList)
    entries.focus()
    entries.highlighted = entries.get_option_index(key)
    await pilot.press("enter")
    await settle(app, pilot)


async def submit(app: MixtuiApp, pilot: Pilot[Any], box: str, text: str) -> None:
    field = app.screen.query_one(box, Input)
    field.focus()
    field.value = text
    await pilot.press("enter")
    await settle(app, pilot)


def requests(servers: PlatformServers) -> list[tuple[str, dict[str, str]]]:
    return [(request.path, request.query) for request in servers["mixcloud_api"].requests]


def text_of(app: MixtuiApp, selector: str) -> str:
    """What a Static shows, as plain text (its content may be a Rich table)."""
    content = app.screen.query_one(selector, Static).content
    if isinstance(content, str | Text):
        return str(content)
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(content)
    return console.export_text()


def row_keys(table: Any) -> list[str]:
    return [str(key.value) for key in table.rows]


async def test_the_empty_screen_says_what_to_do_and_asks_nothing(
    app: MixtuiApp, platform_servers: PlatformServers
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await settle(app, pilot)
        assert "Pick Popular, Hot or New on the left" in text_of(app, "#browse-empty")
        assert not screen.query_one("#shows", BrowseTable).display
        assert screen.highlighted_media() is None
        assert not platform_servers["mixcloud_api"].requests


async def test_hot_shows_with_the_highlighted_shows_tracklist_fetched_lazily(
    app: MixtuiApp, platform_servers: PlatformServers
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await pick_entry(app, pilot, "/popular/hot/")
        table = screen.query_one("#shows", BrowseTable)
        assert [m.title for m in table.media] == ["Sunrise Set — April", "Party Time", "Deep Water Dub #9"]
        assert row_keys(table)[-1] == LOAD_MORE
        assert table.has_focus
        assert "Hot shows · 3 shows" in text_of(app, "#browse-title")
        # Only the highlighted show's details were asked for.
        assert requests(platform_servers) == [
            ("/popular/hot/", {"limit": "20"}),
            ("/nightowl/sunrise-set-april/", {"metadata": "1"}),
        ]
        assert "No tracklist." in text_of(app, "#tracklist")
        await pilot.press("j")
        await settle(app, pilot)
        assert screen.highlighted_media() is not None and screen.highlighted_media().title == "Party Time"  # type: ignore[union-attr]
        tracklist = text_of(app, "#tracklist")
        assert "Tracklist (4)" in tracklist and "The J.B.'s — Pass the Peas" in tracklist and "1:35" in tracklist
        assert "Tags: Funk, Athens" in text_of(app, "#show-info")
        # Back on the first show: its details come from memory, not from Mixcloud again.
        count = len(platform_servers["mixcloud_api"].requests)
        await pilot.press("k")
        await settle(app, pilot)
        assert len(platform_servers["mixcloud_api"].requests) == count
        items, index, playlist = screen.media_context()
        assert [m.title for m in items][index] == "Sunrise Set — April" and playlist is None


async def test_load_more_by_key_and_by_row_until_the_last_page(
    app: MixtuiApp, platform_servers: PlatformServers
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await pick_entry(app, pilot, "/popular/hot/")
        table = screen.query_one("#shows", BrowseTable)
        await pilot.press("G", "enter")  # Enter on the "load more" row
        await settle(app, pilot)
        assert [m.title for m in table.media][3:] == ["Acropolis Grooves", "After Hours 12"]
        assert LOAD_MORE not in row_keys(table)  # the last page has no next link
        assert table.cursor_row == 3  # on the first show of the new page
        # The API's own next link is followed as it is.
        assert ("/popular/hot/", {"limit": "3", "offset": "3"}) in requests(platform_servers)
        count = len(platform_servers["mixcloud_api"].requests)
        await pilot.press("m")
        await settle(app, pilot)
        assert any("Nothing more to load" in text for text in notifications(app))
        assert len(platform_servers["mixcloud_api"].requests) == count


async def test_a_list_without_paging_has_no_load_more_row(app: MixtuiApp, platform_servers: PlatformServers) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await pick_entry(app, pilot, "/new/")
        table = screen.query_one("#shows", BrowseTable)
        assert len(table.media) == 2 and LOAD_MORE not in row_keys(table)
        assert "load more" not in text_of(app, "#browse-title")


async def test_a_genre_with_a_city_then_its_latest(app: MixtuiApp, platform_servers: PlatformServers) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await submit(app, pilot, "#genre", "Funk + city:Athens")
        assert requests(platform_servers)[0] == ("/discover/funk+city:athens/popular/", {"limit": "20"})
        assert "Funk · Athens — popular" in text_of(app, "#browse-title")
        entries = screen.query_one("#entries", OptionList)
        assert entries.get_option("/discover/funk+city:athens/latest/") is not None
        await submit(app, pilot, "#genre", "funk")
        await pick_entry(app, pilot, "/discover/funk/latest/")
        table = screen.query_one("#shows", BrowseTable)
        assert [m.title for m in table.media] == ["Monastiraki Monday", "Party Time"]
        assert "Funk — latest" in text_of(app, "#browse-title")


async def test_a_user_their_lists_and_enter_on_a_user_opens_their_shows(
    app: MixtuiApp, platform_servers: PlatformServers
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await submit(app, pilot, "#open", "spartacus")
        assert [m.title for m in screen.query_one("#shows", BrowseTable).media] == ["Party Time", "Party Time 2"]
        entries = screen.query_one("#entries", OptionList)
        for connection in ("cloudcasts", "favorites", "listens", "followers", "following"):
            assert entries.get_option(f"/spartacus/{connection}/") is not None
        await pick_entry(app, pilot, "/spartacus/followers/")
        people = screen.query_one("#people", PeopleTable)
        assert people.display and not screen.query_one("#shows", BrowseTable).display
        assert list(people.items) == ["/athensfunk/", "/nightowl/", "/dubdiver/"]
        assert "Athens Funk Club" in text_of(app, "#show-info") and "310 followers" in text_of(app, "#show-info")
        assert screen.highlighted_media() is None
        # Search users, Enter on one: their shows.
        screen.query_one("#mc-type", Select).value = "user"
        await submit(app, pilot, "#mc-query", "party")
        assert ("/search/", {"q": "party", "type": "user", "limit": "20"}) in requests(platform_servers)
        assert list(people.items) == ["/spartacus/", "/nightowl/"]
        people.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.query_one("#shows", BrowseTable).display
        assert "Spartacus's Cloudcasts" in text_of(app, "#browse-title")
        # Backspace goes back to the users, without asking Mixcloud again.
        count = len(platform_servers["mixcloud_api"].requests)
        await pilot.press("backspace")
        await settle(app, pilot)
        assert people.display and list(people.items) == ["/spartacus/", "/nightowl/"]
        assert len(platform_servers["mixcloud_api"].requests) == count


async def test_search_tags_and_enter_opens_a_genre(app: MixtuiApp, platform_servers: PlatformServers) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        screen.query_one("#mc-type", Select).value = "tag"
        await submit(app, pilot, "#mc-query", "funk")
        people = screen.query_one("#people", PeopleTable)
        assert list(people.items)[:2] == ["/discover/funk/", "/discover/funk+city:athens/"]
        people.focus()
        await pilot.press("j", "enter")
        await settle(app, pilot)
        assert ("/discover/funk+city:athens/popular/", {"limit": "20"}) in requests(platform_servers)
        shows = screen.query_one("#shows", BrowseTable)
        assert shows.display and [m.title for m in shows.media] == ["Acropolis Grooves", "Monastiraki Monday"]


async def test_u_opens_the_highlighted_shows_author(app: MixtuiApp, platform_servers: PlatformServers) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await pick_entry(app, pilot, "/popular/hot/")
        await pilot.press("j", "u")
        await settle(app, pilot)
        assert ("/spartacus/", {"metadata": "1"}) in requests(platform_servers)
        assert [m.title for m in screen.query_one("#shows", BrowseTable).media] == ["Party Time", "Party Time 2"]


async def test_a_show_url_opens_the_show_with_its_tracklist_in_one_request(
    app: MixtuiApp, platform_servers: PlatformServers
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await submit(app, pilot, "#open", "https://www.mixcloud.com/spartacus/party-time/")
        assert [m.title for m in screen.query_one("#shows", BrowseTable).media] == ["Party Time"]
        assert "Cissy Strut" in text_of(app, "#tracklist")
        assert requests(platform_servers) == [("/spartacus/party-time/", {"metadata": "1"})]


async def test_favourite_and_listen_later_from_browse(
    tmp_path: Path, app: MixtuiApp, platform_servers: PlatformServers
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await pick_entry(app, pilot, "/new/")
        first = screen.highlighted_media()
        assert first is not None
        await pilot.press("f", "l")
        await settle(app, pilot)
    store = Library(tmp_path / "library.json")
    try:
        assert store.likes.is_faved(first.id)
        assert [m.id for m in store.playlists.listen_later().items] == [first.id]
    finally:
        store.close()


async def test_a_rate_limit_shows_the_wait_and_retry_sends_nothing_until_it_passes(
    app: MixtuiApp, platform_servers: PlatformServers
) -> None:
    api = platform_servers["mixcloud_api"]
    api.force(rate_limited(452), times=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await pick_entry(app, pilot, "/popular/hot/")
        assert any("Mixcloud rate-limited us; retry in 452 s" in text for text in notifications(app))
        assert "press r to retry" in text_of(app, "#browse-title")
        assert "Pick Popular" in text_of(app, "#browse-empty")
        await pilot.press("r")
        await settle(app, pilot)
        assert len(api.requests) == 1  # refused without asking Mixcloud
        assert "retry in 45" in text_of(app, "#browse-title")
        # Once the wait is over, the next retry goes out.
        gate = app.services.mixcloud_browser.gate
        now = gate.clock()
        gate.clock = lambda: now + 453
        await pilot.press("r")
        await settle(app, pilot)
        assert len(screen.query_one("#shows", BrowseTable).media) == 3


async def test_an_unknown_user_and_bad_input_say_why(app: MixtuiApp, platform_servers: PlatformServers) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(app, pilot)
        await submit(app, pilot, "#open", "nobody")
        assert any("Mixcloud has no user at /nobody/" in text for text in notifications(app))
        count = len(platform_servers["mixcloud_api"].requests)
        await submit(app, pilot, "#genre", "funk/house")
        await submit(app, pilot, "#open", "two words")
        await submit(app, pilot, "#open", "https://example.com/x/")
        shown = notifications(app)
        assert any("not a genre" in text for text in shown)
        assert any("not a Mixcloud user name" in text for text in shown)
        assert any("not a Mixcloud address" in text for text in shown)
        assert len(platform_servers["mixcloud_api"].requests) == count
        await submit(app, pilot, "#mc-query", "   ")
        assert any("Type something to search Mixcloud for" in text for text in notifications(app))


async def test_a_failing_details_fetch_says_why_in_the_panel(app: MixtuiApp, platform_servers: PlatformServers) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(app, pilot)
        platform_servers["mixcloud_api"].force(Reply(status=500, body="oops"), times=1, path=r"/nightowl/.*")
        await pick_entry(app, pilot, "/popular/hot/")
        assert "mixcloud answered HTTP 500" in text_of(app, "#tracklist")


async def test_escape_cancels_a_slow_list(app: MixtuiApp, platform_servers: PlatformServers) -> None:
    platform_servers.set_latency("mixcloud_api", 3.0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        entries = screen.query_one("#entries", OptionList)
        entries.focus()
        entries.highlighted = entries.get_option_index("/new/")
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert "Loading" in text_of(app, "#browse-title")
        await pilot.press("escape")
        await settle(app, pilot)
        assert "Cancelled" in text_of(app, "#browse-title")
        assert not screen.query_one("#shows", BrowseTable).display
