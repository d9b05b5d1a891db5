"""``mixtui scrobble`` as a user runs it, a crash in the middle of a batch, and a real play through mpv."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixtui.config import load_settings
from mixtui.models import Media, Platform
from mixtui.player.events import SessionFinished
from mixtui.player.mpv_adapter import MpvBackend
from mixtui.player.player import Player
from mixtui.scrobble.credentials import token_store
from mixtui.scrobble.scrobbler import build_scrobbler
from mixtui.services import Services
from mixtui.store import Library
from tests.support.audio import write_wav
from tests.support.scrobble_servers import FakeLastfm, FakeListenBrainz
from tests.test_player_kit import EventLog

LB_TOKEN = "lb-token-1234567890"


def write_config(path: Path, library: Path, lb: FakeListenBrainz | None = None, lfm: FakeLastfm | None = None) -> Path:
    lines = ["[store]", f'path = "{library}"', "[player]", 'audio_output = "null"']
    if lb is not None:
        lines += ["[scrobble.listenbrainz]", f'api_base_url = "{lb.url}"']
    if lfm is not None:
        lines += [
            "[scrobble.lastfm]",
            f'api_base_url = "{lfm.url}"',
            f'api_key = "{lfm.api_key}"',
            f'api_secret = "{lfm.secret}"',
        ]
    path.write_text("\n".join(lines) + "\n")
    return path


def mixtui(config: Path, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mixtui", "--config", str(config), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def listenbrainz() -> Iterator[FakeListenBrainz]:
    with FakeListenBrainz({LB_TOKEN: "alice"}, lifetime=120.0) as server:
        yield server


def test_login_listenbrainz_checks_the_token_and_keeps_it_private(
    tmp_path: Path, listenbrainz: FakeListenBrainz
) -> None:
    config = write_config(tmp_path / "config.toml", tmp_path / "library.json", listenbrainz)
    refused = mixtui(config, "scrobble", "login", "listenbrainz", "--token", "nope-nope-nope")
    assert refused.returncode == 1 and "not valid" in refused.stderr and "nope-nope" not in refused.stderr
    assert not token_store("listenbrainz").path.exists()
    done = mixtui(config, "scrobble", "login", "listenbrainz", "--token", LB_TOKEN)
    assert done.returncode == 0, done.stderr
    assert "Logged in to ListenBrainz as alice" in done.stdout
    path = token_store("listenbrainz").path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    status = mixtui(config, "scrobble", "status", "--json")
    info = json.loads(status.stdout)["services"]["listenbrainz"]
    assert info["ready"] and info["user"] == "alice" and info["credentials"] == "file"
    assert LB_TOKEN not in status.stdout + status.stderr
    assert LB_TOKEN not in (tmp_path / "library.json").read_text()
    doctor = mixtui(config, "doctor", "--online", "--json")
    check = next(c for c in json.loads(doctor.stdout) if c["name"] == "scrobble listenbrainz")
    assert check["ok"] and "alice" in check["detail"] and LB_TOKEN not in doctor.stdout


def test_login_lastfm_waits_for_the_browser_then_keeps_the_session_key(tmp_path: Path) -> None:
    with FakeLastfm(lifetime=60.0) as lastfm:
        lastfm.allow_after = 2  # the user clicks "allow" while mixtui asks the third time
        config = write_config(tmp_path / "config.toml", tmp_path / "library.json", lfm=lastfm)
        result = mixtui(config, "scrobble", "login", "lastfm", "--no-browser", "--interval", "0.1", "--timeout", "10")
        assert result.returncode == 0, result.stderr
        assert f"api_key={lastfm.api_key}&token=" in result.stdout
        assert "Logged in to Last.fm as bob" in result.stdout
        stored = token_store("lastfm").load()
        assert stored is not None and stored.user == "bob" and stored.access_token in lastfm.sessions
        assert stat.S_IMODE(token_store("lastfm").path.stat().st_mode) == 0o600
        doctor = mixtui(config, "doctor", "--online", "--json")
        check = next(c for c in json.loads(doctor.stdout) if c["name"] == "scrobble lastfm")
        assert check["ok"] and "bob" in check["detail"] and stored.access_token not in doctor.stdout
        lastfm.sessions.clear()  # the user revoked mixtui on Last.fm
        doctor = mixtui(config, "doctor", "--online", "--json")
        check = next(c for c in json.loads(doctor.stdout) if c["name"] == "scrobble lastfm")
        assert not check["ok"] and "refused" in check["detail"]


def test_a_crash_in_the_middle_of_a_batch_loses_no_listen_and_stores_none_twice(
    tmp_path: Path, listenbrainz: FakeListenBrainz
) -> None:
    library = tmp_path / "library.json"
    config = write_config(tmp_path / "config.toml", library, listenbrainz)
    token_store("listenbrainz").save(LB_TOKEN, user="alice")
    now = int(time.time()) - 86_400
    with Library(library) as store:
        store.scrobbles.add(
            [("listenbrainz", now + 60 * n, {"artist": f"Artist {n}", "title": f"Song {n}"}) for n in range(250)]
        )
    # The second batch of 100 reaches the service, which stores it, and mixtui is killed before the answer.
    listenbrainz.hold_at = 2
    first = subprocess.Popen(
        [sys.executable, "-m", "mixtui", "--config", str(config), "scrobble", "send"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert listenbrainz.held.wait(30), "the second batch never came"
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    listenbrainz.release.set()
    assert len(listenbrainz.stored) == 200  # the first two batches are stored; the second was never confirmed
    with Library(library) as store:
        totals = store.scrobbles.totals(["listenbrainz"])["listenbrainz"]
    assert totals.sent == 100 and totals.sending == 100 and totals.queued == 50
    second = mixtui(config, "scrobble", "send")
    assert second.returncode == 0, second.stderr
    assert "sent 150" in second.stdout and "still queued 0" in second.stdout
    assert len(listenbrainz.stored) == 250, "a listen was lost"
    assert sorted(key[0] for key in listenbrainz.stored) == [now + 60 * n for n in range(250)]
    # Only the batch in flight went out twice on the wire, the service keeps it once.
    assert listenbrainz.received_listens == 350
    status = json.loads(mixtui(config, "scrobble", "status", "--json").stdout)["services"]["listenbrainz"]
    assert (status["queued"], status["sending"], status["sent"], status["failed"]) == (0, 0, 250, 0)


async def test_a_forty_second_file_played_through_mpv_reaches_listenbrainz_once(
    tmp_path: Path, listenbrainz: FakeListenBrainz
) -> None:
    pytest.importorskip("mpv")
    audio = write_wav(tmp_path / "forty.wav", 40.0, frequency=440.0, rate=8000)
    media = Media(id="local-forty", title="Forty", author="Tests", platform=Platform.LOCAL, url=str(audio))
    settings = load_settings(
        None,
        player={"audio_output": "null"},
        store={"path": str(tmp_path / "library.json")},
        scrobble={"listenbrainz": {"api_base_url": listenbrainz.url, "token": LB_TOKEN}},
    )

    def fast_mpv(on_event: object) -> MpvBackend:
        # The same mpv at eight times the speed: 40 s of audio (20 s to the listen) in 5 s.
        return MpvBackend(on_event, audio_output="null", extra_options={"speed": 8.0})  # type: ignore[arg-type]

    log = EventLog()
    with Library(settings.store_path) as store:
        async with Services(settings) as services:
            scrobbler = build_scrobbler(settings, store.scrobbles, services.http)
            player = Player(settings, reporter=store.plays, backend_factory=fast_mpv)
            player.subscribe(scrobbler.on_event)
            player.subscribe(log)
            async with player:
                await player.play([media])
                await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=30)
            deadline = time.monotonic() + 5
            while not listenbrainz.stored and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            await scrobbler.aclose()
    assert listenbrainz.received_listens == 1 and len(listenbrainz.stored) == 1
    (listen,) = listenbrainz.stored.values()
    assert (listen.artist, listen.track) == ("Tests", "Forty")
    assert listen.metadata["additional_info"]["duration_ms"] == 40_000
    assert [n["track_name"] for n in listenbrainz.playing_now] == ["Forty"]
    assert os.environ.get("MIXTUI_SCROBBLE__LISTENBRAINZ__TOKEN") is None
