"""The MCP SDK's own client against ``mixtui mcp`` (stdio, a real subprocess) and the server's ``/mcp``.

Platforms come from the replay servers, the LLM from the local OpenAI-compatible server, the
player is real libmpv with ``ao=null`` on audio the test writes.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from mixtui.serve.keys import KeyRing
from mixtui.serve.mcp import TOOL_NAMES
from tests.support.api_server import ApiServer
from tests.support.api_server import write_config as write_api_config
from tests.support.audio import write_wav
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.test_planner_generate import MOON_RIVER_YT, PLAN, serve_catalogue
from tests.test_serve_api import api_settings

MEDIA_FIELDS = ["id", "title", "author", "image", "platform", "url", "duration"]
LLM_KEY = "sk-test-mcp-0123456789"
MIXTUI = str(Path(sys.executable).with_name("mixtui"))


def write_config(tmp_path: Path, servers: PlatformServers, llm: LLMServer) -> Path:
    music = tmp_path / "music"
    music.mkdir(exist_ok=True)
    return write_api_config(
        tmp_path,
        servers,
        *["[platforms.local]", f'dirs = ["{music}"]', "[search]", "timeout = 3.0"],
        *["[player]", 'audio_output = "null"', "autoplay = false"],
        *["[llm]", f'base_url = "{llm.base_url}"', 'model = "test-model"', "max_retries = 0", "timeout = 5"],
    )


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        server.default = server.plan_reply(PLAN)
        yield server


def payload(result: Any) -> Any:
    assert not result.is_error, result.content
    return json.loads(result.content[0].text)


@asynccontextmanager
async def stdio_session(config: Path, home: Path) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=MIXTUI,
        args=["--config", str(config), "mcp"],
        env={"HOME": str(home), "XDG_STATE_HOME": str(home / "state"), "OPENAI_API_KEY": LLM_KEY},
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write, read_timeout_seconds=60) as session:
        await session.initialize()
        yield session


async def test_stdio_lists_and_calls_every_tool(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer
) -> None:
    serve_catalogue(platform_servers)
    config = write_config(tmp_path, platform_servers, llm)
    write_wav(tmp_path / "music" / "Tone Maker - First Tone.wav", 4.0)
    write_wav(tmp_path / "music" / "Tone Maker - Second Tone.wav", 4.0, frequency=660)
    async with stdio_session(config, tmp_path / "home") as session:
        tools = await session.list_tools()
        assert sorted(tool.name for tool in tools.tools) == sorted(TOOL_NAMES)
        described = {tool.name: tool for tool in tools.tools}
        assert set(described["search_media"].input_schema["properties"]) == {"query", "platform"}
        assert set(described["generate_playlist"].input_schema["properties"]) == {"query", "mode", "mainPlatform"}

        found = payload(await session.call_tool("search_media", {"query": "moon river", "platform": "youtube"}))
        assert found and all(list(media) == MEDIA_FIELDS for media in found)
        assert {media["platform"] for media in found} == {"youtube"}
        searched: list[tuple[float, float | None, str | None]] = []

        async def on_search(done: float, total: float | None, message: str | None) -> None:
            searched.append((done, total, message))

        everywhere = payload(
            await session.call_tool("search_media", {"query": "moon river"}, progress_callback=on_search)
        )
        assert len(everywhere) <= 30 and {m["platform"] for m in everywhere} == {
            "youtube",
            "soundcloud",
            "mixcloud",
            "bandcamp",
            "vimeo",
        }
        assert [done for done, _, _ in searched] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        assert {total for _, total, _ in searched} == {6.0}
        assert {(message or "").split(":")[0] for _, _, message in searched} == {
            "youtube",
            "soundcloud",
            "mixcloud",
            "bandcamp",
            "vimeo",
            "local",
        }

        bad = await session.call_tool("search_media", {"query": "moon", "platform": "myspace"})
        assert bad.is_error
        assert "unknown platform 'myspace'" in bad.content[0].text and "Traceback" not in bad.content[0].text

        progress: list[tuple[float, float | None, str | None]] = []

        async def on_progress(done: float, total: float | None, message: str | None) -> None:
            progress.append((done, total, message))

        generated = payload(
            await session.call_tool("generate_playlist", {"query": "vintage jazz"}, progress_callback=on_progress)
        )
        assert generated["title"] == PLAN["title"] and generated["items"][0]["results"][0]["id"] == MOON_RIVER_YT
        messages = [message or "" for _, _, message in progress]
        assert [done for done, _, _ in progress] == sorted(done for done, _, _ in progress)  # never goes back
        assert any("asking test-model" in m for m in messages) and any("tracks found" in m for m in messages)

        playlists = payload(await session.call_tool("list_playlists", {}))
        assert [p["id"] for p in playlists] == ["listen-later"] and "items" not in playlists[0]
        added = payload(await session.call_tool("add_to_playlist", {"playlist": "Listen Later", "items": found[:2]}))
        assert [m["id"] for m in added["items"]] == [m["id"] for m in found[:2]]
        shown = payload(await session.call_tool("show_playlist", {"playlist": "listen-later"}))
        assert shown["items"] == found[:2]
        missing = await session.call_tool("show_playlist", {"playlist": "Nowhere"})
        assert missing.is_error and "no playlist named or with id 'Nowhere'" in missing.content[0].text

        tones = payload(await session.call_tool("search_media", {"query": "tone", "platform": "local"}))
        assert len(tones) == 2
        playing = payload(await session.call_tool("play", {"items": tones}))
        assert playing["current"]["id"] == tones[0]["id"] and playing["queue"] == tones
        for _ in range(100):  # past the 1-second mark, so the play is reported (8tracks' rule)
            now = payload(await session.call_tool("now_playing", {}))
            if (now["position"] or 0) >= 1.3:
                break
            await asyncio.sleep(0.1)
        assert now["state"] == "playing" and now["position"] >= 1.3
        paused = payload(await session.call_tool("pause", {}))
        assert paused["state"] == "paused"
        skipped = payload(await session.call_tool("next", {}))
        assert skipped["current"]["id"] == tones[1]["id"]
        now = payload(await session.call_tool("now_playing", {}))
        assert now["current"]["id"] == tones[1]["id"] and now["at_last_track"] is True
        played = payload(await session.call_tool("history", {}))
        assert [play["media"]["id"] for play in played] == [tones[0]["id"]]


async def test_http_transport_with_a_key(platform_servers: PlatformServers, tmp_path: Path) -> None:
    settings = api_settings(platform_servers, tmp_path)
    key = KeyRing(settings.keys_path).add("assistant")
    with ApiServer(settings) as server:
        async with httpx2.AsyncClient(headers={"Authorization": "Bearer wrong"}) as refused:
            answer = await refused.post(f"{server.url}/mcp", json={})
            assert answer.status_code == 401
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30) as http,
            streamable_http_client(f"{server.url}/mcp", http_client=http) as streams,
            ClientSession(streams[0], streams[1], read_timeout_seconds=30) as session,
        ):
            await session.initialize()
            names = sorted(tool.name for tool in (await session.list_tools()).tools)
            assert names == sorted(TOOL_NAMES)
            found = payload(await session.call_tool("search_media", {"query": "moon river", "platform": "mixcloud"}))
            assert found and {m["platform"] for m in found} == {"mixcloud"}
            empty = await session.call_tool("search_media", {"query": "  "})
            assert empty.is_error and "empty query" in empty.content[0].text
