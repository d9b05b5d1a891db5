"""Journey: scrobbling from the app, at 80×24 and 120×40, with real mpv and a loopback ListenBrainz.

Play a list, hear the first track past its half (one listen), skip the second at once (none),
let the third count; turn scrobbling off in Settings and play again (nothing more is sent); quit,
and the library says what was sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mixtui.store import Library
from tests.support.journey import SIZES, Journey
from tests.support.platform_servers import PlatformServers
from tests.support.scrobble_servers import FakeListenBrainz
from tests.test_journeys import journey_app, now, write_music

pytestmark = [
    pytest.mark.timeout(120),
    pytest.mark.parametrize("size", SIZES, ids=[f"{width}x{height}" for width, height in SIZES]),
]

TOKEN = "lb-token-1234567890"


@pytest.fixture
def listenbrainz() -> Iterator[FakeListenBrainz]:
    with FakeListenBrainz({TOKEN: "alice"}, lifetime=110.0) as server:
        yield server


async def test_plays_in_the_app_reach_listenbrainz_once_each_and_the_switch_stops_them(
    tmp_path: Path, platform_servers: PlatformServers, listenbrainz: FakeListenBrainz, size: tuple[int, int]
) -> None:
    write_music(tmp_path, seconds=6.0)
    scrobble = {"listenbrainz": {"api_base_url": listenbrainz.url, "token": TOKEN}}
    app = journey_app(tmp_path, platform_servers, scrobble=scrobble)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        authors = [m.author for m in await j.local_results("moon river", "Henry Ma", "Audrey H", "Frank Oc")]
        await j.press("enter")
        await j.until(lambda: len(listenbrainz.playing_now) == 1, "now playing sent")
        await j.until(lambda: len(listenbrainz.stored) == 1, "the first track's listen", timeout=20)
        await j.until(lambda: now(app).media is not None and now(app).media.author == authors[1], "the second track")
        await j.press("n")  # skipped at once: no listen
        await j.until(lambda: len(listenbrainz.stored) == 2, "the third track's listen", timeout=20)
        assert sorted(artist for _, artist, _ in listenbrainz.stored) == sorted([authors[0], authors[2]])
        assert listenbrainz.received_listens == 2
        await j.until(lambda: now(app).state != "playing", "the end of the list", timeout=20)
        # Scrobbling off in Settings: the next play sends nothing.
        await j.press("f6")
        await j.see("Language model", timeout=10)
        app.screen.query_one("#scrobble").value = False  # type: ignore[attr-defined]
        await j.press("ctrl+s")
        await j.see("Saved to")
        await j.press("f1")
        await j.focus("#results")
        await j.press("enter")
        await j.until(lambda: now(app).state == "playing", "playing again")
        await pilot.pause(4.5)
        assert listenbrainz.received_listens == 2 and len(listenbrainz.playing_now) == 3
    with Library(tmp_path / "library.json") as store:
        assert store.scrobbles.totals(["listenbrainz"])["listenbrainz"].sent == 2
