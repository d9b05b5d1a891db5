"""Scrobbling: the services' rules, the real clients against loopback ListenBrainz and Last.fm,
the queue in a real library file, outages, refused credentials and a restart."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mixtui.config import Settings, load_settings
from mixtui.models import Media, Platform
from mixtui.player.events import PositionChanged, TrackEnded, TrackStarted
from mixtui.player.session import EndReason
from mixtui.scrobble.lastfm import Lastfm, api_signature
from mixtui.scrobble.listenbrainz import ListenBrainz
from mixtui.scrobble.rules import LASTFM_RULE, LISTENBRAINZ_RULE, ListenedTime, track_of
from mixtui.scrobble.scrobbler import Scrobbler, ScrobbleService, build_scrobbler
from mixtui.store import Library
from tests.support.replay import Reply
from tests.support.scrobble_servers import FakeLastfm, FakeListenBrainz

LB_TOKEN = "lb-token-1234567890"
# A start time an hour ago (Last.fm ignores scrobbles older than two weeks).
NOW = int(time.time()) - 3600


def song(number: int = 1, duration: float | None = 200.0, platform: Platform = Platform.LOCAL) -> Media:
    if platform is Platform.YOUTUBE:
        return Media(
            id=f"youtube-vid{number:08d}",
            title=f"Artist {number} - Song {number} (Official Video)",
            author=f"Label {number} VEVO",
            platform=platform,
            url=f"https://www.youtube.com/watch?v=vid{number:08d}",
            duration=duration,
        )
    return Media(
        id=f"local-song-{number}",
        title=f"Song {number}",
        author=f"Artist {number}",
        platform=Platform.LOCAL,
        url=f"/music/song-{number}.flac",
        duration=duration,
    )


def play_through(scrobbler: Scrobbler, media: Media, until: float, *, step: float = 0.25) -> None:
    """The events the player sends while ``media`` plays from 0 to ``until`` seconds."""
    scrobbler.on_event(TrackStarted(media, 0, 1, None, "as-is"))
    position = 0.0
    while position < until:
        position = min(until, position + step)
        scrobbler.on_event(PositionChanged(media, position, media.duration))


# -- the rules ------------------------------------------------------------------------------------
def test_half_the_track_or_four_minutes_and_lastfm_ignores_tracks_of_thirty_seconds_or_less() -> None:
    assert LISTENBRAINZ_RULE.due_after(10.0) == 5.0
    assert LISTENBRAINZ_RULE.due_after(200.0) == 100.0
    assert LISTENBRAINZ_RULE.due_after(3600.0) == 240.0
    assert LISTENBRAINZ_RULE.due_after(None) == 240.0
    assert LASTFM_RULE.due_after(30.0) is None
    assert LASTFM_RULE.due_after(31.0) == 15.5
    assert LASTFM_RULE.due_after(600.0) == 240.0
    assert not LASTFM_RULE.qualifies(1000.0, 25.0)
    assert LISTENBRAINZ_RULE.qualifies(5.0, 10.0) and not LISTENBRAINZ_RULE.qualifies(4.9, 10.0)


def test_seeking_ahead_is_not_listening_but_listening_again_is() -> None:
    listened = ListenedTime()
    for position in (0.25, 0.5, 0.75, 1.0):
        listened.position(position)
    listened.position(90.0)  # a seek
    listened.position(90.25)
    assert listened.seconds == pytest.approx(1.25)
    listened.position(10.0)  # back
    listened.position(10.5)
    assert listened.seconds == pytest.approx(1.75)


def test_video_titles_give_artist_and_title_and_files_keep_their_tags() -> None:
    video = track_of(song(3, platform=Platform.YOUTUBE))
    assert (video.artist, video.title) == ("Artist 3", "Song 3")
    assert video.origin_url == "https://www.youtube.com/watch?v=vid00000003" and video.music_service == "youtube.com"
    assert video.duration == 200
    local = track_of(song(4, duration=None), duration=187.6)
    assert (local.artist, local.title, local.duration, local.origin_url) == ("Artist 4", "Song 4", 188, None)
    topic = Media(
        id="youtube-abcdefghijk", title="Moon River", author="Henry Mancini - Topic", platform=Platform.YOUTUBE,
        url="https://www.youtube.com/watch?v=abcdefghijk", duration=160,
    )  # fmt: skip
    assert (track_of(topic).artist, track_of(topic).title) == ("Henry Mancini", "Moon River")


def test_the_lastfm_signature_is_the_md5_of_the_sorted_parameters_and_the_secret() -> None:
    # The worked example's shape from Last.fm's authentication spec: api_keyxxxxxxxxmethodauth.getSession…
    params = {"method": "auth.getSession", "api_key": "xxxxxxxx", "token": "yyyyyy", "format": "json"}
    import hashlib

    expected = hashlib.md5(b"api_keyxxxxxxxxmethodauth.getSessiontokenyyyyyyilovecher").hexdigest()
    assert api_signature(params, "ilovecher") == expected


# -- a scrobbler on a real library and the real clients ---------------------------------------------
@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library.json") as store:
        yield store


@pytest.fixture
def listenbrainz() -> Iterator[FakeListenBrainz]:
    with FakeListenBrainz({LB_TOKEN: "alice"}) as server:
        yield server


@pytest.fixture
def lastfm() -> Iterator[FakeLastfm]:
    with FakeLastfm() as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        yield client


async def wait_until(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


def make_scrobbler(services: list[ScrobbleService], library: Library, **options: Any) -> Scrobbler:
    scrobbler = Scrobbler(services, library.scrobbles, min_backoff=0.05, max_backoff=0.2, **options)
    scrobbler.start()
    return scrobbler


async def test_now_playing_at_the_start_and_one_listen_once_half_is_played(
    library: Library, listenbrainz: FakeListenBrainz, lastfm: FakeLastfm, http: httpx.AsyncClient
) -> None:
    notices: list[str] = []
    session = lastfm.issue_session("bob")
    services: list[ScrobbleService] = [
        ListenBrainz(http, listenbrainz.url, LB_TOKEN),
        Lastfm(http, lastfm.url, lastfm.api_key, lastfm.secret, session),
    ]
    scrobbler = make_scrobbler(services, library, notice=notices.append, clock=lambda: float(NOW))
    media = song(1, duration=100.0, platform=Platform.YOUTUBE)
    play_through(scrobbler, media, 49.75)
    await wait_until(lambda: listenbrainz.playing_now and lastfm.now_playing)
    await asyncio.sleep(0.2)
    assert listenbrainz.stored == {} and lastfm.stored == {}, "a listen before half the track"
    play_through_rest = [PositionChanged(media, p / 4, 100.0) for p in range(200, 400)]
    for event in play_through_rest:
        scrobbler.on_event(event)
    scrobbler.on_event(TrackEnded(media, EndReason.ENDED))
    await wait_until(lambda: len(listenbrainz.stored) == 1 and len(lastfm.stored) == 1)
    await scrobbler.aclose()
    (listen,) = listenbrainz.stored.values()
    assert (listen.listened_at, listen.artist, listen.track) == (NOW, "Artist 1", "Song 1")
    info = listen.metadata["additional_info"]
    assert info["duration_ms"] == 100_000 and info["origin_url"] == media.url and info["submission_client"] == "mixtui"
    assert listenbrainz.playing_now[0]["track_name"] == "Song 1"
    assert list(lastfm.stored) == [(NOW, "Artist 1", "Song 1")]
    assert listenbrainz.received_listens == 1 and lastfm.received_scrobbles == 1
    totals = library.scrobbles.totals(["listenbrainz", "lastfm"])
    assert totals["listenbrainz"].sent == 1 and totals["lastfm"].sent == 1 and totals["lastfm"].queued == 0
    assert notices == []


async def test_short_tracks_follow_each_services_rule_and_long_mixes_are_left_out(
    library: Library, listenbrainz: FakeListenBrainz, lastfm: FakeLastfm, http: httpx.AsyncClient
) -> None:
    services: list[ScrobbleService] = [
        ListenBrainz(http, listenbrainz.url, LB_TOKEN),
        Lastfm(http, lastfm.url, lastfm.api_key, lastfm.secret, lastfm.issue_session()),
    ]
    scrobbler = make_scrobbler(services, library, max_length_seconds=30 * 60.0, clock=lambda: NOW + 100.0)
    play_through(scrobbler, song(2, duration=20.0), 20.0)  # ListenBrainz: a listen; Last.fm: too short
    scrobbler.clock = lambda: NOW + 200.0
    play_through(scrobbler, song(3, duration=2 * 3600.0), 600.0)  # a two-hour mix: neither
    await wait_until(lambda: len(listenbrainz.stored) == 1)
    await asyncio.sleep(0.3)
    await scrobbler.aclose()
    assert [key[2] for key in listenbrainz.stored] == ["Song 2"] and lastfm.stored == {}
    assert [n["track_name"] for n in listenbrainz.playing_now] == ["Song 2"]

    scrobbler = make_scrobbler(services, library, max_length_seconds=None, clock=lambda: NOW + 300.0)
    play_through(scrobbler, song(3, duration=2 * 3600.0), 241.0, step=0.5)  # long tracks allowed: 4 minutes
    await wait_until(lambda: len(listenbrainz.stored) == 2 and len(lastfm.stored) == 1)
    await scrobbler.aclose()


async def test_a_service_that_is_down_gets_the_listens_in_batches_when_it_answers_again(
    library: Library, listenbrainz: FakeListenBrainz, http: httpx.AsyncClient
) -> None:
    listenbrainz.server.force(Reply(status=503, body={"code": 503, "error": "down for maintenance"}), times=None)
    scrobbler = make_scrobbler([ListenBrainz(http, listenbrainz.url, LB_TOKEN)], library)
    for number in range(5):
        scrobbler.clock = lambda n=number: NOW + 1000.0 + 300 * n
        play_through(scrobbler, song(number, duration=10.0), 10.0, step=1.0)
    await wait_until(lambda: library.scrobbles.totals(["listenbrainz"])["listenbrainz"].queued == 5)
    await asyncio.sleep(0.5)  # a few retries, all refused
    totals = library.scrobbles.totals(["listenbrainz"])["listenbrainz"]
    assert totals.sent == 0 and "503" in (totals.last_error or "")
    listenbrainz.server.clear_forced()
    await wait_until(lambda: len(listenbrainz.stored) == 5, timeout=5)
    await scrobbler.aclose()
    assert listenbrainz.received_listens == 5, "a listen was sent twice"
    assert library.scrobbles.totals(["listenbrainz"])["listenbrainz"].sent == 5


async def test_closing_while_a_batch_is_on_the_wire_waits_for_its_answer_so_it_is_never_sent_again(
    library: Library, listenbrainz: FakeListenBrainz, http: httpx.AsyncClient
) -> None:
    listenbrainz.server.delay = 0.8  # the service stores the listens, then answers late
    scrobbler = make_scrobbler([ListenBrainz(http, listenbrainz.url, LB_TOKEN)], library)
    scrobbler.clock = lambda: NOW + 3000.0
    play_through(scrobbler, song(1, duration=10.0), 10.0, step=1.0)
    await wait_until(lambda: len(listenbrainz.stored) == 1)
    started = time.monotonic()
    await scrobbler.aclose()  # the app quits while the answer is on its way
    assert time.monotonic() - started < 3.0
    totals = library.scrobbles.totals(["listenbrainz"])["listenbrainz"]
    assert (totals.sent, totals.queued, totals.sending) == (1, 0, 0)
    listenbrainz.server.delay = 0.0
    again = make_scrobbler([ListenBrainz(http, listenbrainz.url, LB_TOKEN)], library)  # the next start
    await asyncio.sleep(0.3)
    await again.aclose()
    assert listenbrainz.received_listens == 1, "the listen went out twice"


async def test_a_refused_token_stops_the_service_says_so_once_and_keeps_the_listens(
    library: Library, listenbrainz: FakeListenBrainz, http: httpx.AsyncClient
) -> None:
    notices: list[str] = []
    scrobbler = make_scrobbler([ListenBrainz(http, listenbrainz.url, "wrong-token")], library, notice=notices.append)
    for number in range(3):
        scrobbler.clock = lambda n=number: NOW + 2000.0 + 300 * n
        play_through(scrobbler, song(number, duration=10.0), 10.0, step=1.0)
    await wait_until(lambda: library.scrobbles.totals(["listenbrainz"])["listenbrainz"].queued == 3)
    await asyncio.sleep(0.3)
    await scrobbler.aclose()
    assert len(notices) == 1 and "ListenBrainz refused the credentials" in notices[0]
    assert "wrong-token" not in notices[0]
    sends = [r for r in listenbrainz.server.requests if r.path == "/1/submit-listens" and b"playing_now" not in r.body]
    assert len(sends) <= 1, "kept knocking with a refused token"
    assert listenbrainz.stored == {}
    # A new login: the kept listens go out.
    scrobbler = make_scrobbler([ListenBrainz(http, listenbrainz.url, LB_TOKEN)], library)
    await wait_until(lambda: len(listenbrainz.stored) == 3)
    await scrobbler.aclose()


async def test_lastfm_batches_fifty_and_a_listen_it_ignores_is_kept_as_failed(
    library: Library, lastfm: FakeLastfm, http: httpx.AsyncClient
) -> None:
    now = time.time()
    old = int(now - 20 * 24 * 3600)
    entries = [("lastfm", int(now) - 60 * n, {"artist": f"A{n}", "title": f"T{n}", "duration": 200}) for n in range(60)]
    entries.append(("lastfm", old, {"artist": "Old", "title": "Song", "duration": 200}))
    await asyncio.to_thread(library.scrobbles.add, entries)
    scrobbler = Scrobbler(
        [Lastfm(http, lastfm.url, lastfm.api_key, lastfm.secret, lastfm.issue_session())], library.scrobbles
    )
    reports = await scrobbler.flush()
    assert reports["lastfm"].sent == 60 and reports["lastfm"].failed == 1
    batches = [r for r in lastfm.server.requests if b"track.scrobble" in r.body]
    assert len(batches) == 2
    assert len(lastfm.stored) == 60
    failed = library.scrobbles.failed("lastfm")
    assert [(listen.track["artist"], reason) for listen, reason in failed] == [
        ("Old", "too old for Last.fm (more than 14 days)")
    ]
    assert library.scrobbles.totals(["lastfm"])["lastfm"].failed == 1


async def test_listens_queued_offline_survive_a_restart_and_go_out_with_the_next_run(
    tmp_path: Path, listenbrainz: FakeListenBrainz, http: httpx.AsyncClient
) -> None:
    path = tmp_path / "library.json"
    with Library(path) as store:
        scrobbler = make_scrobbler([ListenBrainz(http, "http://127.0.0.1:9", LB_TOKEN)], store)  # nothing listens
        for number in range(4):
            scrobbler.clock = lambda n=number: NOW + 3000.0 + 300 * n
            play_through(scrobbler, song(number, duration=10.0), 10.0, step=1.0)
        await wait_until(lambda: store.scrobbles.pending("listenbrainz") == 4)
        await scrobbler.aclose()
    with Library(path) as store:
        assert store.scrobbles.pending("listenbrainz") == 4
        settings = load_settings(
            None,
            store={"path": str(path)},
            scrobble={"listenbrainz": {"api_base_url": listenbrainz.url, "token": LB_TOKEN}},
        )
        scrobbler = build_scrobbler(settings, store.scrobbles, http)
        await wait_until(lambda: len(listenbrainz.stored) == 4)
        await scrobbler.aclose()
        assert store.scrobbles.pending("listenbrainz") == 0
    assert listenbrainz.submissions == ["import"]


def settings_for(tmp_path: Path, lb: FakeListenBrainz | None = None, lfm: FakeLastfm | None = None) -> Settings:
    scrobble: dict[str, Any] = {}
    if lb is not None:
        scrobble["listenbrainz"] = {"api_base_url": lb.url}
    if lfm is not None:
        scrobble["lastfm"] = {"api_base_url": lfm.url, "api_key": lfm.api_key, "api_secret": lfm.secret}
    return load_settings(None, store={"path": str(tmp_path / "library.json")}, scrobble=scrobble)
