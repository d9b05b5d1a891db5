"""The app serving the API on its own core (``[serve] in_app = true``): a journey from a "phone".

The server runs on the app's loop; httpx talks to it from the test (the same loop, as Pilot runs
the app there). What the phone does shows on the app's screens, and closing the app stops it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from textual.widgets import Static

from mixtui.ui.library.screen import LibraryScreen
from mixtui.ui.player.now_playing import NowPlayingBar
from tests.support.audio import write_wav
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, make_app, notifications
from tests.test_ui_library import listed, open_library, pick_playlist, settle, wait_for

pytestmark = pytest.mark.timeout(90)


async def test_a_phone_drives_the_open_app(tmp_path: Path, platform_servers: PlatformServers) -> None:
    music = tmp_path / "music"
    music.mkdir()
    write_wav(music / "Tone Maker - Long Tone.wav", 20.0)
    app = make_app(
        tmp_path,
        platform_servers,
        platforms={"local": {"enabled": True, "dirs": [str(music)]}},
        serve={"in_app": True, "port": 0},
    )
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        await wait_for(lambda: app._api_server is not None and app._api_server.address is not None)
        assert app._api_server is not None and app._api_server.address is not None
        address = app._api_server.address
        assert any("API on http://127.0.0.1:" in note for note in notifications(app))
        screen = await open_library(app, pilot)
        assert isinstance(screen, LibraryScreen)
        async with httpx.AsyncClient(base_url=f"{address}/api/v1", timeout=20) as phone:
            found = (await phone.post("/media/search", json={"query": "tone", "platform": "local"})).json()
            assert [m["title"] for m in found] == ["Long Tone"]
            created = (await phone.post("/playlists", json={"name": "From my phone", "items": found})).json()
            await settle(app, pilot)
            await wait_for(lambda: "From my phone" in listed(screen))
            review = await phone.post(
                f"/playlists/{created['id']}/reviews", json={"body": "sent from the bus", "author": "me"}
            )
            assert review.status_code == 201, review.text
            await settle(app, pilot)  # the library reloads after the review: pick once it has
            await pick_playlist(screen, pilot, created["id"])
            await settle(app, pilot)
            reviews = screen.query_one("#reviews", Static)
            await wait_for(lambda: "me: sent from the bus" in str(reviews.render()))
            assert reviews.display
            playing = (await phone.post("/player/play", json={"playlist": "From my phone"})).json()
            assert playing["state"] == "playing" and playing["playlist_id"] == created["id"]
            bar = app.screen.query_one(NowPlayingBar)
            await wait_for(lambda: "Long Tone" in str(bar.render()) or "Long Tone" in _bar_text(bar))
            paused = (await phone.post("/player/pause")).json()
            assert paused["state"] == "paused"
            assert (await phone.get("/player")).json()["current"]["title"] == "Long Tone"
    # The app closed: so did its server.
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient() as late:
            await late.get(f"{address}/api/v1/playlists", timeout=2)
    await asyncio.sleep(0)


def _bar_text(bar: NowPlayingBar) -> str:
    return " ".join(str(child.render()) for child in bar.query(Static))
