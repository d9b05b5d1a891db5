"""generate(): the real openai client against a local model server, platforms on replay servers.

Each platform's search is answered with the project's payloads under
``tests/fixtures/generate/`` (one catalogue per platform holding versions of the plan's
tracks), so the expected pick for each track and mode is known in advance.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mixtui.config import Settings
from mixtui.errors import BadInput
from mixtui.models import Platform
from mixtui.planner.generate import Mode, Stage, StageKind, generate, generate_stages
from mixtui.planner.plan import NothingMatched, SuggestedTrack
from mixtui.planner.resolve import Resolver
from mixtui.services import Services
from tests.support.llm_server import LLMServer, completion_body
from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import Reply, file_reply

KEY = "sk-test-generate-0123456789"
PROMPT = "vintage jazz music to listen on the beach"
PLAN: dict[str, Any] = {
    "title": "Vintage Jazz Beach Playlist",
    "description": "Relaxing jazz classics for a perfect beach day",
    "tracks": [
        {"title": "Moon River", "author": "Louis Armstrong"},
        {"title": "Take Five", "author": "The Dave Brubeck Quartet"},
        {"title": "So What", "author": "Miles Davis"},
        {"title": "Imaginary Song", "author": "Nobody Known"},
    ],
}
CATALOGUE = OWN_FIXTURES / "generate"
# (replay host, search path, payload file)
SEARCH_ROUTES = (
    ("youtube", r"/youtubei/v1/search", "youtube-search.json"),
    ("soundcloud_api", r"/search/tracks", "soundcloud-search.json"),
    ("mixcloud_api", r"/search/", "mixcloud-search.json"),
    ("bandcamp", r"/search", "bandcamp-search.html"),
    ("vimeo_api", r"/search", "vimeo-search.json"),
)
MOON_RIVER_YT = "youtube-WQDaop9onHE"
TAKE_FIVE_YT = "youtube-vmDDOFXSgAs"
SO_WHAT_YT = "youtube-zqNTltOGh5c"
MOON_RIVER_SC = "soundcloud-255954857"
TAKE_FIVE_BC = "bandcamp-t3011002001"


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        server.default = server.plan_reply(PLAN)
        yield server


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)


def serve_catalogue(servers: PlatformServers) -> None:
    for host, path, name in SEARCH_ROUTES:
        servers[host].force(file_reply(CATALOGUE / name), times=None, path=path)


def make_settings(servers: PlatformServers, tmp_path: Path, llm: LLMServer | None, **llm_extra: Any) -> Settings:
    soundcloud = {**servers.settings_overrides()["platforms"]["soundcloud"], "client_id": "generate-test-client"}
    llm_section = {"base_url": llm.base_url, "model": "test-model", "max_retries": 0, **llm_extra} if llm else {}
    return servers.settings(
        tmp_path, platforms={"soundcloud": soundcloud, "local": {"enabled": False}}, llm=llm_section
    )


@pytest.fixture
def catalogue_servers(platform_servers: PlatformServers) -> PlatformServers:
    serve_catalogue(platform_servers)
    return platform_servers


async def run(settings: Settings, mode: Mode | str = Mode.SMART, main: str | None = None, **kw: Any) -> Any:
    async with Services(settings) as services:
        return await generate(services, PROMPT, mode, main, **kw)


def ids(media: list[Any]) -> list[str]:
    return [m.id for m in media]


async def test_smart_mode_picks_the_best_version_of_each_track(
    catalogue_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    playlist = await run(make_settings(catalogue_servers, tmp_path, llm))
    body = playlist.to_json()
    assert list(body) == ["title", "description", "items", "planner"]
    assert body["title"] == PLAN["title"] and body["description"] == PLAN["description"]
    assert body["planner"] == "llm"
    assert len(body["items"]) == 1 and list(body["items"][0]) == ["results"]
    assert ids(playlist.items[0].results) == [MOON_RIVER_YT, TAKE_FIVE_YT, SO_WHAT_YT]
    for media in body["items"][0]["results"]:
        assert list(media) == ["id", "title", "author", "image", "platform", "url", "duration"]
    assert "not found on any platform: Imaginary Song — Nobody Known" in playlist.notes


async def test_platform_mode_prefers_the_main_platform_when_it_matches_well(
    catalogue_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    settings = make_settings(catalogue_servers, tmp_path, llm)
    on_soundcloud = await run(settings, Mode.PLATFORM, "souncloud")
    # SoundCloud's Moon River is a good match; its Take Five is live and its So What a cover.
    assert ids(on_soundcloud.items[0].results) == [MOON_RIVER_SC, TAKE_FIVE_YT, SO_WHAT_YT]
    assert "Take Five: no good match on soundcloud, took youtube" in on_soundcloud.notes
    on_bandcamp = await run(settings, Mode.PLATFORM, "bandcamp")
    assert ids(on_bandcamp.items[0].results) == [MOON_RIVER_YT, TAKE_FIVE_BC, SO_WHAT_YT]
    assert on_bandcamp.main_platform is Platform.BANDCAMP


async def test_manual_mode_lists_the_best_version_per_platform(
    catalogue_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    playlist = await run(make_settings(catalogue_servers, tmp_path, llm), "manual")
    body = playlist.to_json()
    assert [(item["title"], item["author"]) for item in body["items"]] == [
        ("Moon River", "Louis Armstrong"),
        ("Take Five", "The Dave Brubeck Quartet"),
        ("So What", "Miles Davis"),
    ]
    assert all(list(item) == ["title", "author", "results"] for item in body["items"])
    moon_river, take_five, so_what = playlist.items
    assert ids(moon_river.results) == [MOON_RIVER_YT, MOON_RIVER_SC, "vimeo-700100200"]
    assert ids(take_five.results) == [TAKE_FIVE_YT, TAKE_FIVE_BC]
    assert ids(so_what.results)[0] == SO_WHAT_YT
    for item in playlist.items:
        platforms = [m.platform for m in item.results]
        assert len(platforms) == len(set(platforms))
        assert [m.score for m in item.matches] == sorted((m.score for m in item.matches), reverse=True)
    assert "live" in moon_river.matches[2].reason
    assert ids(playlist.media_to_save()) == [MOON_RIVER_YT, TAKE_FIVE_YT, SO_WHAT_YT]
    assert ids(playlist.media_to_save({0: 1})) == [MOON_RIVER_SC, TAKE_FIVE_YT, SO_WHAT_YT]


async def test_progress_stages_in_order(catalogue_servers: PlatformServers, llm: LLMServer, tmp_path: Path) -> None:
    stages: list[Stage] = []
    playlist = await run(make_settings(catalogue_servers, tmp_path, llm), progress=stages.append)
    kinds = [stage.kind for stage in stages]
    assert kinds == [StageKind.ASKING_MODEL, StageKind.PLAN_RECEIVED] + [StageKind.TRACK_RESOLVED] * 4 + [
        StageKind.DONE
    ]
    assert [stage.done for stage in stages if stage.kind is StageKind.TRACK_RESOLVED] == [1, 2, 3, 4]
    assert all(stage.total == 4 for stage in stages[1:])
    assert stages[-1].playlist is playlist
    assert stages[-1].message == "3/4 tracks found"


async def test_generate_stages_iterator_ends_with_the_playlist(
    catalogue_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    async with Services(make_settings(catalogue_servers, tmp_path, llm)) as services:
        stages = [stage async for stage in generate_stages(services, PROMPT, "smart")]
    assert stages[0].kind is StageKind.ASKING_MODEL
    assert stages[-1].kind is StageKind.DONE and stages[-1].playlist is not None
    assert ids(stages[-1].playlist.items[0].results)[0] == MOON_RIVER_YT


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (lambda llm: llm.answer_text("{definitely not json"), "not valid JSON"),
        (lambda llm: llm.refuse("I can't help with that."), "the model refused"),
        (lambda llm: llm.fail(401, f"Incorrect API key provided: {KEY}"), "refused the API key"),
        (lambda llm: llm.fail(429, "Rate limit reached", headers={"Retry-After": "20"}), "rate-limited"),
        (lambda llm: llm.answer_plan({"title": "x", "description": "", "tracks": []}), "no usable track"),
    ],
)
async def test_llm_failures_fall_back_to_the_offline_planner(
    platform_servers: PlatformServers, llm: LLMServer, tmp_path: Path, script: Any, reason: str
) -> None:
    script(llm)
    stages: list[Stage] = []
    playlist = await run(make_settings(platform_servers, tmp_path, llm), progress=stages.append)
    assert playlist.planner == "offline"
    assert "offline planner" in playlist.description
    fallback = [stage for stage in stages if stage.kind is StageKind.LLM_FAILED]
    assert len(fallback) == 1 and reason in fallback[0].message
    assert any(reason in note and "using the offline planner" in note for note in playlist.notes)
    assert all(KEY not in note for note in playlist.notes)
    assert playlist.items[0].results


async def test_slow_model_times_out_and_falls_back(platform_servers: PlatformServers, tmp_path: Path) -> None:
    with LLMServer() as llm:
        llm.delay = 3.0
        started = time.perf_counter()
        playlist = await run(make_settings(platform_servers, tmp_path, llm, timeout=0.3))
        assert time.perf_counter() - started < 2.5
    assert playlist.planner == "offline"
    assert any("did not answer within 0.3 s" in note for note in playlist.notes)


async def test_offline_planner_invents_nothing(
    platform_servers: PlatformServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    settings = make_settings(platform_servers, tmp_path, None)
    async with Services(settings) as services:
        from mixtui.search import search

        found = await search(services, "moon river", limit=100)
        stages: list[Stage] = []
        playlist = await generate(services, "moon river", "smart", progress=stages.append)
    assert playlist.planner == "offline"
    assert "no LLM configured: using the offline planner" in playlist.notes
    assert StageKind.ASKING_MODEL not in [stage.kind for stage in stages]
    results = playlist.items[0].results
    assert 1 <= len(results) <= 10
    known = {media.id for media in found.media}
    assert {media.id for media in results} <= known
    titles = [media.title.casefold() for media in results]
    assert all("moon" in title or "river" in title for title in titles)
    assert len(set(ids(results))) == len(results)


async def test_mode_platform_without_main_platform_is_bad_input(
    platform_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    settings = make_settings(platform_servers, tmp_path, llm)
    with pytest.raises(BadInput, match="needs a main platform"):
        await run(settings, Mode.PLATFORM)
    with pytest.raises(BadInput, match="unknown mode"):
        await run(settings, "shuffle")
    with pytest.raises(BadInput, match="empty query"):
        async with Services(settings) as services:
            await generate(services, "   ", "smart")
    with pytest.raises(BadInput, match="cannot be a main platform"):
        await run(settings, Mode.PLATFORM, "url")
    assert llm.chat_requests == []


async def test_nothing_found_anywhere_is_nothing_matched(
    platform_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    for host, path, _name in SEARCH_ROUTES:
        platform_servers[host].force(Reply(503, "down for maintenance"), times=None, path=path)
    with pytest.raises(NothingMatched) as caught:
        await run(make_settings(platform_servers, tmp_path, llm))
    assert "none of the 4 suggested tracks" in caught.value.message
    assert caught.value.hint and "youtube failed" in caught.value.hint


async def test_one_platform_failing_does_not_hide_the_others(
    catalogue_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    catalogue_servers["youtube"].clear_forced()
    catalogue_servers["youtube"].force(Reply(500, "oops"), times=None, path=r"/youtubei/v1/search")
    playlist = await run(make_settings(catalogue_servers, tmp_path, llm))
    assert ids(playlist.items[0].results) == [MOON_RIVER_SC, TAKE_FIVE_BC, "soundcloud-301122335"]
    assert any(note.startswith("youtube failed: youtube answered HTTP 500") for note in playlist.notes)


async def test_cancelling_stops_the_run_promptly(
    catalogue_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    catalogue_servers.set_latency("youtube", 5.0)
    settings = make_settings(catalogue_servers, tmp_path, llm)
    async with Services(settings) as services:
        stages: list[Stage] = []
        task = asyncio.ensure_future(generate(services, PROMPT, "smart", progress=stages.append))
        while not any(stage.kind is StageKind.PLAN_RECEIVED for stage in stages):
            await asyncio.sleep(0.02)
        started = time.perf_counter()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.perf_counter() - started < 1.0
    assert StageKind.DONE not in [stage.kind for stage in stages]


async def test_resolver_searches_each_query_once_per_run(catalogue_servers: PlatformServers, tmp_path: Path) -> None:
    settings = make_settings(catalogue_servers, tmp_path, None)
    track = SuggestedTrack(title="Moon River", author="Louis Armstrong")
    async with Services(settings) as services:
        resolver = Resolver(services, [Platform.YOUTUBE, Platform.VIMEO])
        first, second = await asyncio.gather(resolver.resolve(0, track), resolver.resolve(1, track))
        third = await resolver.resolve(2, SuggestedTrack(title="moon river!", author="LOUIS ARMSTRONG"))
        await resolver.aclose()
    assert resolver.request_count == 2
    youtube_searches = [r for r in catalogue_servers["youtube"].requests if r.path == "/youtubei/v1/search"]
    assert len(youtube_searches) == 1
    assert first.best() == second.best() == third.best()


async def test_resolver_bounds_requests_per_platform(catalogue_servers: PlatformServers, tmp_path: Path) -> None:
    catalogue_servers.set_latency("mixcloud_api", 0.3)
    settings = make_settings(catalogue_servers, tmp_path, None)
    tracks = [SuggestedTrack(title=f"Song {n}", author="Band") for n in range(4)]
    async with Services(settings) as services:
        bounded = Resolver(services, [Platform.MIXCLOUD], concurrency=2)
        started = time.perf_counter()
        await asyncio.gather(*(bounded.resolve(n, t) for n, t in enumerate(tracks)))
        bounded_time = time.perf_counter() - started
        free = Resolver(services, [Platform.MIXCLOUD])
        started = time.perf_counter()
        await asyncio.gather(*(free.resolve(n, t) for n, t in enumerate(tracks)))
        free_time = time.perf_counter() - started
    assert bounded_time >= 0.6
    assert free_time < 0.55


async def test_a_rate_limited_platform_is_not_asked_again_in_the_run(
    catalogue_servers: PlatformServers, tmp_path: Path
) -> None:
    catalogue_servers["mixcloud_api"].clear_forced()
    catalogue_servers["mixcloud_api"].force(
        Reply(403, {"error": {"message": "slow down", "retry_after": 9}}, headers={"Retry-After": "9"}),
        times=None,
        path=r"/search/",
    )
    settings = make_settings(catalogue_servers, tmp_path, None)
    tracks = [SuggestedTrack(title=f"Song {n}", author="Band") for n in range(3)]
    async with Services(settings) as services:
        resolver = Resolver(services, [Platform.MIXCLOUD], concurrency=1)
        for n, track in enumerate(tracks):
            await resolver.resolve(n, track)
    assert resolver.request_count == 1
    assert "retry in 9 s" in str(resolver.failures[Platform.MIXCLOUD])


async def test_closing_the_stage_iterator_early_cancels_the_run(
    catalogue_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    catalogue_servers.set_latency("youtube", 5.0)
    async with Services(make_settings(catalogue_servers, tmp_path, llm)) as services:
        stages = generate_stages(services, PROMPT, "smart")
        seen = [await anext(stages), await anext(stages)]
        started = time.perf_counter()
        await stages.aclose()
        assert time.perf_counter() - started < 1.0
    assert [stage.kind for stage in seen] == [StageKind.ASKING_MODEL, StageKind.PLAN_RECEIVED]


def test_importing_the_planner_does_not_load_openai() -> None:
    import subprocess
    import sys

    code = "import sys, mixtui.planner.generate, mixtui.planner.checks; print('openai' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"


async def test_resolution_on_recorded_platform_answers(
    recorded_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    llm.answer_plan(
        {
            "title": "Recorded",
            "description": "Tracks the recorded answers hold",
            "tracks": [
                {"title": "XO Tour Llif3", "author": "Lil Uzi Vert"},
                {"title": "Sweden", "author": "C418"},
                {"title": "Moon River", "author": "Clara Okafor"},
            ],
        }
    )
    playlist = await run(make_settings(recorded_servers, tmp_path, llm), "manual")
    found = {item.title: item.results[0] for item in playlist.items}
    assert found["XO Tour Llif3"].platform is Platform.SOUNDCLOUD
    assert "XO TOUR Llif3" in found["XO Tour Llif3"].title
    assert (found["Sweden"].platform, found["Sweden"].title) == (Platform.BANDCAMP, "Sweden")
    assert found["Moon River"].platform is Platform.VIMEO


async def test_saving_a_manual_pick_stores_the_chosen_versions(
    catalogue_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    from mixtui.planner.saving import save_generated
    from mixtui.store import open_library

    settings = make_settings(catalogue_servers, tmp_path, llm)
    playlist = await run(settings, "manual")
    with open_library(settings) as library:
        with pytest.raises(BadInput, match="track 2 has no result 9"):
            save_generated(library.playlists, playlist, "Picked", picks={1: 8})
        saved = save_generated(library.playlists, playlist, "Picked", picks={0: 1, 1: 1})
    store = open_library(settings)
    try:
        stored = store.playlists.get(saved.id)
    finally:
        store.close()
    assert [m.id for m in stored.items] == [MOON_RIVER_SC, TAKE_FIVE_BC, SO_WHAT_YT]
    assert (stored.name, stored.prompt, stored.mode) == ("Picked", PROMPT, "manual")
    assert stored.description == PLAN["description"]


@pytest.mark.parametrize("where", ["in the answer", "around the answer"])
async def test_a_deeply_nested_answer_falls_back_to_the_offline_planner(
    platform_servers: PlatformServers, llm: LLMServer, tmp_path: Path, where: str
) -> None:
    nested = "[" * 5000 + "]" * 5000
    if where == "in the answer":
        llm.answer_text(nested)
        llm.answer_text(nested)  # the planner asks once more
    else:
        body = json.dumps(completion_body("{}"))[:-1] + f', "extra": {nested}}}'
        llm.script(Reply(200, body.encode(), content_type="application/json"))
    stages: list[Stage] = []
    playlist = await run(make_settings(platform_servers, tmp_path, llm), progress=stages.append)
    assert playlist.planner == "offline"
    (fallback,) = [stage for stage in stages if stage.kind is StageKind.LLM_FAILED]
    assert ("not valid JSON" if where == "in the answer" else "unreadable answer (not JSON)") in fallback.message
    assert playlist.items[0].results
