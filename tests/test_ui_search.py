"""The Search screen, driven with Pilot against the replay servers."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from mixtui.ui.app import MixtuiApp
from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.search.screen import SearchScreen
from mixtui.ui.search.status_chips import StatusChip
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.support.ui import SIZE, make_app, notifications


def chip_texts(app: MixtuiApp) -> dict[str, str]:
    """The chips the user sees: a platform left out of the current search keeps a hidden chip."""
    chips = app.screen.query(StatusChip)
    return {str(chip.id).removeprefix("chip-"): str(chip.render()) for chip in chips if chip.display}


async def test_results_stream_in_with_a_chip_per_platform(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SearchScreen)
        await pilot.click("#query")
        await pilot.press(*"moon river", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#results", MediaTable)
        platforms = {media.platform.value for media in table.media}
        assert platforms == {"youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo"}
        chips = chip_texts(app)
        assert set(chips) == platforms
        assert all("✓" in text for text in chips.values()), chips
        # The highlighted row's details show in the side panel.
        await pilot.press("tab", "tab")
        assert app.screen.highlighted_media() is not None


async def test_a_failing_platform_shows_its_reason_and_the_others_stay(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    platform_servers["youtube"].force(Reply(status=500, body="oops"), times=None)
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#query", Input).value = "moon river"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = notifications(app)
        chips = chip_texts(app)
        table = app.screen.query_one("#results", MediaTable)
        assert "failed: youtube answered HTTP 500" in chips["youtube"]
        assert "youtube" not in {m.platform.value for m in table.media}
        assert len({m.platform for m in table.media}) == 4
    assert any("YouTube failed" in text and "HTTP 500" in text for text in shown)


async def test_escape_cancels_a_slow_search(tmp_path: Path, platform_servers: PlatformServers) -> None:
    platform_servers.set_latency("youtube", 5.0)
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#query", Input).value = "moon river"
        await pilot.press("enter")
        await pilot.pause(0.8)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        chips = chip_texts(app)
        assert "cancelled" in chips["youtube"]
        assert "✓" in chips["soundcloud"]


async def test_empty_query_says_what_to_do(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert any("Type something to search for" in text for text in notifications(app))
        assert not platform_servers["youtube"].requests
