"""The Mixcloud browser with the real httpx client against the replay server (own and recorded payloads)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from mixtui.browse import MixcloudBrowser, Page, ShowDetail, Tag, User, default_gate_path
from mixtui.browse.mixcloud_browse import paging_params
from mixtui.errors import BadInput, NotFound, PlatformError, PlatformTimeout, RateLimited
from mixtui.services import Services
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.support.routes.mixcloud_browse import install_browse_routes, rate_limited


@pytest.fixture
async def browser(tmp_path: Path, platform_servers: PlatformServers) -> AsyncIterator[MixcloudBrowser]:
    install_browse_routes(platform_servers)
    async with Services(platform_servers.settings(tmp_path)) as services:
        yield services.mixcloud_browser


def api_requests(servers: PlatformServers) -> list[tuple[str, dict[str, str]]]:
    return [(request.path, request.query) for request in servers["mixcloud_api"].requests]


async def test_hot_pages_on_with_the_next_link(browser: MixcloudBrowser, platform_servers: PlatformServers) -> None:
    first = await browser.page("/popular/hot/", limit=3)
    assert [show.title for show in first.shows] == ["Sunrise Set — April", "Party Time", "Deep Water Dub #9"]
    assert first.has_more
    second = await browser.more(first)
    assert [show.title for show in second.shows] == ["Acropolis Grooves", "After Hours 12"]
    assert second.offset == 3 and second.limit == 3
    assert not second.has_more  # the last page has only a previous link
    assert second.previous is not None
    back = await browser.previous(second)
    assert back.shows == first.shows
    assert api_requests(platform_servers) == [
        ("/popular/hot/", {"limit": "3"}),
        ("/popular/hot/", {"limit": "3", "offset": "3"}),
        ("/popular/hot/", {"limit": "3", "offset": "0"}),
    ]
    with pytest.raises(BadInput, match="nothing more"):
        await browser.more(second)
    with pytest.raises(BadInput, match="first page"):
        await browser.previous(first)


async def test_limit_and_offset_go_to_the_api(browser: MixcloudBrowser, platform_servers: PlatformServers) -> None:
    page = await browser.page("/popular/hot/", limit=3, offset=3)
    assert page.offset == 3 and page.shows[0].title == "Acropolis Grooves"
    page = await browser.page("https://www.mixcloud.com/popular/hot/?limit=3&offset=3")
    assert page.offset == 3
    assert api_requests(platform_servers)[-1] == ("/popular/hot/", {"limit": "3", "offset": "3"})


async def test_a_page_without_paging_has_no_load_more(browser: MixcloudBrowser) -> None:
    page = await browser.page("/new/")
    assert len(page.shows) == 2
    assert not page.has_more and page.previous is None


async def test_a_genre_with_a_city_lists_its_popular_shows(
    browser: MixcloudBrowser, platform_servers: PlatformServers
) -> None:
    page = await browser.browse("/genres/funk+city:athens/")
    assert isinstance(page, Page)
    assert isinstance(page.owner, Tag) and page.owner.name == "Funk · Athens" and page.owner.city == "athens"
    assert page.key == "/discover/funk+city:athens/popular/"
    assert [show.author for show in page.shows] == ["Athens Funk Club", "Athens Funk Club"]
    # The city stays in the path as the API writes it.
    assert api_requests(platform_servers)[-1][0] == "/discover/funk+city:athens/popular/"
    latest = await browser.page("/discover/funk/latest/")
    assert latest.title == "Funk — latest" and isinstance(latest.owner, Tag)
    assert latest.next is not None and "until=" in latest.next


async def test_a_user_with_their_shows_and_connections(
    browser: MixcloudBrowser, platform_servers: PlatformServers
) -> None:
    page = await browser.browse("https://www.mixcloud.com/spartacus/")
    assert isinstance(page, Page)
    assert isinstance(page.owner, User)
    owner = page.owner
    assert (owner.name, owner.place, owner.follower_count) == ("Spartacus", "London, United Kingdom", 1234)
    assert [show.title for show in page.shows] == ["Party Time", "Party Time 2"]
    assert set(page.connections) == {"followers", "favorites", "following", "cloudcasts", "listens"}
    requests = sorted(api_requests(platform_servers))
    assert requests == [("/spartacus/", {"metadata": "1"}), ("/spartacus/cloudcasts/", {"limit": "20"})]
    # A user's shows are date-ordered: by default they page with until/since…
    assert page.next is not None and "until=" in page.next
    more = await browser.more(page)
    assert api_requests(platform_servers)[-1] == (
        "/spartacus/cloudcasts/",
        {"limit": "20", "until": "2025-03-01 20:00:00"},
    )
    assert more.owner == page.owner and more.connections == page.connections
    # …and by offset when asked for one (offset=0 on the first request).
    await browser.page("/spartacus/cloudcasts/", offset=0)
    assert api_requests(platform_servers)[-1] == ("/spartacus/cloudcasts/", {"limit": "20", "offset": "0"})
    await browser.page("/spartacus/cloudcasts/", until="2025-03-01 20:00:00")
    assert api_requests(platform_servers)[-1][1]["until"] == "2025-03-01 20:00:00"


async def test_followers_are_users(browser: MixcloudBrowser) -> None:
    page = await browser.page("/spartacus/followers/")
    assert [user.username for user in page.users] == ["athensfunk", "nightowl", "dubdiver"]
    assert page.has_more


async def test_search_by_type(browser: MixcloudBrowser, platform_servers: PlatformServers) -> None:
    users = await browser.search("party", "user", limit=2)
    assert [user.key for user in users.users] == ["/spartacus/", "/nightowl/"]
    query = {"q": "party", "type": "user", "limit": "2", "offset": "0"}
    assert api_requests(platform_servers)[-1] == ("/search/", query)
    tags = await browser.search("funk", "tag")
    assert [tag.genre_key for tag in tags.tags][:2] == ["/discover/funk/", "/discover/funk+city:athens/"]
    shows = await browser.search("party time")
    assert shows.shows and shows.has_more
    with pytest.raises(BadInput, match="needs words"):
        await browser.search("  ", "user")
    with pytest.raises(BadInput, match="unknown Mixcloud search type"):
        await browser.search("x", "playlist")


async def test_a_show_with_its_tracklist_and_connections(
    browser: MixcloudBrowser, platform_servers: PlatformServers
) -> None:
    detail = await browser.browse("https://www.mixcloud.com/spartacus/party-time/")
    assert isinstance(detail, ShowDetail)
    assert [entry.title for entry in detail.tracklist] == ["Warm-up", "Pass the Peas", "Cissy Strut", "Funky Drummer"]
    assert "similar" in detail.connections
    assert api_requests(platform_servers) == [("/spartacus/party-time/", {"metadata": "1"})]
    assert await browser.connections("/spartacus/") == {
        name: f"https://api.mixcloud.com/spartacus/{name}/"
        for name in ("followers", "favorites", "following", "cloudcasts", "listens")
    }
    with pytest.raises(BadInput, match="single show"):
        await browser.browse("/spartacus/party-time/", limit=5)
    with pytest.raises(BadInput, match="not a single show"):
        await browser.show("/popular/")


async def test_oembed_for_a_show_url(browser: MixcloudBrowser, platform_servers: PlatformServers) -> None:
    embed = await browser.oembed("https://m.mixcloud.com/spartacus/party-time")
    assert embed.title == "Party Time by Spartacus" and embed.author_name == "Spartacus"
    assert embed.html is not None and embed.html.startswith("<iframe")
    request = platform_servers["mixcloud_oembed"].requests[-1]
    assert request.query == {"url": "https://www.mixcloud.com/spartacus/party-time/", "format": "json"}
    with pytest.raises(NotFound, match=r"no show at https://www\.mixcloud\.com/nobody/nothing/"):
        await browser.oembed("/nobody/nothing/")
    with pytest.raises(BadInput, match="single show"):
        await browser.oembed("/popular/")


async def test_an_unknown_key_is_not_found(browser: MixcloudBrowser) -> None:
    with pytest.raises(NotFound, match=r"no user at /nobody/ \(https://www.mixcloud.com/nobody/\)"):
        await browser.browse("/nobody/")
    with pytest.raises(NotFound, match="no show at /spartacus/no-such-show/"):
        await browser.browse("/spartacus/no-such-show/")
    with pytest.raises(NotFound, match="no list at /nobody/followers/"):
        await browser.browse("/nobody/followers/")


async def test_bad_paging_options_are_refused_before_any_request(
    browser: MixcloudBrowser, platform_servers: PlatformServers
) -> None:
    for options, says in (
        ({"limit": 0}, "between 1 and 100"),
        ({"limit": 101}, "between 1 and 100"),
        ({"offset": -1}, "0 or more"),
        ({"offset": 0, "since": "1700000000"}, "not both"),
        ({"until": "yesterday"}, "Unix timestamp"),
    ):
        with pytest.raises(BadInput, match=says):
            await browser.page("/spartacus/cloudcasts/", **options)  # type: ignore[arg-type]
    assert not platform_servers["mixcloud_api"].requests


def test_paging_params_override_the_links_own() -> None:
    link = {"limit": "10", "until": "2021-06-09 16:35:32"}
    assert paging_params(link) == link
    assert paging_params(link, offset=20) == {"limit": "10", "offset": "20"}
    assert paging_params(link, limit=5, since="1700000000") == {"limit": "5", "since": "1700000000"}
    assert paging_params({}) == {"limit": "20"}


# -- rate limits ----------------------------------------------------------------------------------


async def test_a_rate_limit_is_reported_with_the_wait_and_nothing_more_is_sent(
    browser: MixcloudBrowser, platform_servers: PlatformServers
) -> None:
    api = platform_servers["mixcloud_api"]
    api.force(rate_limited(452), times=1)
    with pytest.raises(RateLimited) as limited:
        await browser.page("/popular/hot/")
    assert str(limited.value).startswith("Mixcloud rate-limited us; retry in 452 s")
    assert limited.value.retry_after == 452
    # Asked again during the wait: refused at once, no request goes out (not even a user's two).
    for key in ("/popular/hot/", "/spartacus/", "/spartacus/party-time/"):
        with pytest.raises(RateLimited, match=r"retry in 45[12] s"):
            await browser.browse(key)
    with pytest.raises(RateLimited):
        await browser.oembed("/spartacus/party-time/")
    assert len(api.requests) == 1
    assert not platform_servers["mixcloud_oembed"].requests
    # The wait is kept where the next run of mixtui finds it.
    assert default_gate_path("mixcloud").exists()


async def test_after_the_wait_the_next_ask_goes_out(tmp_path: Path, platform_servers: PlatformServers) -> None:
    install_browse_routes(platform_servers)
    now = [time.time()]
    async with Services(platform_servers.settings(tmp_path)) as services:
        browser = services.mixcloud_browser
        browser.gate.clock = lambda: now[0]
        platform_servers["mixcloud_api"].force(rate_limited(2), times=1)
        with pytest.raises(RateLimited, match="retry in 2 s"):
            await browser.page("/new/")
        now[0] += 1
        with pytest.raises(RateLimited, match="retry in 1 s"):
            await browser.page("/new/")
        now[0] += 1.5
        page = await browser.page("/new/")
        assert len(page.shows) == 2
        assert len(platform_servers["mixcloud_api"].requests) == 2


async def test_a_forbidden_answer_without_a_wait_is_not_a_rate_limit(
    browser: MixcloudBrowser, platform_servers: PlatformServers
) -> None:
    platform_servers["mixcloud_api"].force(Reply(status=403, body={"error": {"message": "Forbidden"}}), times=1)
    with pytest.raises(PlatformError, match="refused the request"):
        await browser.page("/new/")
    assert len((await browser.page("/new/")).shows) == 2  # and nothing is gated


async def test_faults_are_platform_errors(browser: MixcloudBrowser, platform_servers: PlatformServers) -> None:
    api = platform_servers["mixcloud_api"]
    api.force(Reply(status=500, body="oops"), times=1)
    with pytest.raises(PlatformError, match="HTTP 500"):
        await browser.page("/new/")
    api.force(Reply(body=b"<html>maintenance</html>", content_type="text/html"), times=1)
    with pytest.raises(PlatformError, match="not JSON"):
        await browser.page("/new/")
    api.force(Reply(body={"data": "nope"}), times=1)
    with pytest.raises(PlatformError, match="no data list"):
        await browser.page("/new/")
    api.force(Reply(body=b'{"data": [{"key": "/a/b/", "na', content_type="application/json", truncate=20), times=1)
    with pytest.raises(PlatformError):
        await browser.page("/new/")


async def test_a_slow_answer_times_out(tmp_path: Path, platform_servers: PlatformServers) -> None:
    install_browse_routes(platform_servers)
    settings = platform_servers.settings(tmp_path, search={"timeout": 0.3})
    platform_servers["mixcloud_api"].force(Reply(body={"data": []}, delay=1.5), times=1)
    async with Services(settings) as services:
        with pytest.raises(PlatformTimeout):
            await services.mixcloud_browser.page("/new/")


async def test_a_disabled_mixcloud_is_refused(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = platform_servers.settings(tmp_path, platforms={"mixcloud": {"enabled": False}})
    async with Services(settings) as services:
        with pytest.raises(BadInput, match="mixcloud is disabled"):
            _ = services.mixcloud_browser


async def test_one_browser_per_services(tmp_path: Path, platform_servers: PlatformServers) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        assert services.mixcloud_browser is services.mixcloud_browser


# -- recorded answers -----------------------------------------------------------------------------


async def test_recorded_lists_page_on(tmp_path: Path, recorded_servers: PlatformServers) -> None:
    install_browse_routes(recorded_servers)
    async with Services(recorded_servers.settings(tmp_path)) as services:
        browser = services.mixcloud_browser
        popular = await browser.page("/discover/nts/popular/", limit=5)
        assert len(popular.shows) == 5 and popular.next is not None
        assert isinstance(popular.owner, Tag) and popular.owner.key == "/discover/nts/"
        await browser.more(popular)
        assert recorded_servers["mixcloud_api"].requests[-1].query == {"limit": "5", "offset": "5"}

        lot = await browser.page("https://www.mixcloud.com/thelotradio/uploads/", limit=10)
        assert lot.title == "The Lot Radio's Cloudcasts" and len(lot.shows) == 10
        await browser.more(lot)
        assert recorded_servers["mixcloud_api"].requests[-1].query == {"limit": "10", "until": "2021-06-09 16:35:32"}
        await browser.previous(lot)
        assert recorded_servers["mixcloud_api"].requests[-1].query == {"limit": "10", "since": "2021-06-10 16:28:53"}

        # The recorded 2022 search answer has no paging at all: no load more.
        search = await browser.search("akuma")
        assert len(search.shows) == 7 and not search.has_more
        old = await browser.search("party time")
        assert old.has_more
        await browser.more(old)
        assert recorded_servers["mixcloud_api"].requests[-1].query["offset"] == "20"

        detail = await browser.show("https://www.mixcloud.com/NTSRadio/knee-deep-26th-august-2014/")
        assert len(detail.tracklist) == 14 and detail.media.duration == 5357
