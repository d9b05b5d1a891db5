"""A search with a slow platform shows the first results as soon as the fastest platform answers."""

from __future__ import annotations

import time
from pathlib import Path

from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.search.screen import SearchScreen
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, make_app
from tests.test_ui_search import chip_texts

SLOW = 3.0


async def test_first_results_show_while_a_slow_platform_is_still_searching(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    platform_servers.set_latency("youtube", SLOW)
    platform_servers.set_latency("soundcloud_api", 0.1)
    # A limit the first pages fill, so no further page is asked for.
    app = make_app(tmp_path, platform_servers, search={"limit": 20})
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        table = screen.query_one("#results", MediaTable)
        screen.start_search("moon river")
        started = time.perf_counter()
        while not table.media and time.perf_counter() - started < SLOW:
            await pilot.pause(0.01)
        shown_after = time.perf_counter() - started
        # Rows are on screen long before YouTube's answer, and YouTube's chip still says so.
        assert table.media and table.display
        assert shown_after < SLOW / 2, shown_after
        assert "youtube" not in {media.platform.value for media in table.media}
        assert "…" in chip_texts(app)["youtube"] and "✓" not in chip_texts(app)["youtube"]
        # The rest of the results join when YouTube answers.
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "youtube" in {media.platform.value for media in table.media}
        assert "✓" in chip_texts(app)["youtube"]


async def test_searching_again_and_again_keeps_one_chip_per_platform(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    # A second search used to mount new chips while the old ones were still being removed
    # (the same ids), and the app died with DuplicateIds.
    app = make_app(tmp_path, platform_servers, search={"limit": 20})
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        for query, platform in (("moon river", None), ("moon", None), ("moon river", "soundcloud"), ("river", "all")):
            screen.start_search(query, platform)
            await app.workers.wait_for_complete()
            await pilot.pause()
            chips = chip_texts(app)
            expected = (
                {"soundcloud"}
                if platform == "soundcloud"
                else {"youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo"}
            )
            assert set(chips) == expected, (query, chips)
            if platform != "soundcloud":  # the chips keep the platforms' order
                assert list(chips) == ["youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo"]
            assert all("✓" in text for text in chips.values()), chips
        assert app.is_running
        await pilot.press("escape")
        assert app.screen.query_one("#results", MediaTable).media


async def test_the_app_fetches_tokens_at_start_up_not_in_its_first_search(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    from tests.support.routes.vimeo import jwt_issuer

    issuer = jwt_issuer(platform_servers)
    platform_servers.set_latency("vimeo_site", 0.5)
    app = make_app(tmp_path, platform_servers, search={"limit": 20})
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        started = time.perf_counter()
        while issuer.minted == 0 and time.perf_counter() - started < 5:
            await pilot.pause(0.02)
        site_paths = [r.path for r in platform_servers["soundcloud_site"].requests]
        assert issuer.minted == 1, issuer.minted  # asked for at start-up, before any search
        assert site_paths[:1] == ["/"], site_paths
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.start_search("moon river")  # while the token may still be on its way
        await app.workers.wait_for_complete()
        await pilot.pause()
        chips = chip_texts(app)
        assert "✓" in chips["vimeo"] and "✓" in chips["soundcloud"], chips
    # One token and one client_id for the start-up and the search together.
    site_paths = [r.path for r in platform_servers["soundcloud_site"].requests]
    assert issuer.minted == 1, issuer.minted
    assert site_paths.count("/") == 1, site_paths
