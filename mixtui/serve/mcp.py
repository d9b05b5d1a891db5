"""mixtui's tools for AI assistants, on the official MCP SDK: over stdio (``mixtui mcp``) and HTTP (``/mcp``).

Tools take and give the Mixider API's Media objects::

    search_media(query, platform?)                  generate_playlist(query, mode?, mainPlatform?)
    list_playlists()   show_playlist(playlist)      add_to_playlist(playlist, items? | url?)
    play(items? | playlist?, index?)   pause()   next()   now_playing()   history(page?, per_page?)

A failure is a tool error whose text is mixtui's plain message (and hint); generating reports
its stages as MCP progress.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult, TextContent

from mixtui import __version__
from mixtui.errors import MixtuiError
from mixtui.models import Media
from mixtui.search import PlatformBatch
from mixtui.search.fanout import target_platforms
from mixtui.serve.core import ServeCore, parse_generate, parse_search, search_failure
from mixtui.serve.player_state import player_state, run_command

if TYPE_CHECKING:
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from starlette.types import ASGIApp

INSTRUCTIONS = (
    "mixtui searches YouTube, SoundCloud, Mixcloud, Bandcamp, Vimeo and links, generates playlists "
    "from a sentence, keeps the user's library and plays through the user's speakers. Media objects "
    "are {id, title, author, image, platform, url, duration}; pass them back as they are."
)

TOOL_NAMES = (
    "search_media",
    "generate_playlist",
    "list_playlists",
    "show_playlist",
    "add_to_playlist",
    "play",
    "pause",
    "next",
    "now_playing",
    "history",
)


def _ok(value: Any) -> CallToolResult:
    structured = value if isinstance(value, dict) else {"result": value}
    text = json.dumps(value, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured)


def _failed(error: MixtuiError) -> CallToolResult:
    text = f"{error.message} ({error.hint})" if error.hint else error.message
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


async def _answer(work: Awaitable[Any]) -> CallToolResult:
    try:
        return _ok(await work)
    except MixtuiError as error:
        return _failed(error)


def build_mcp_server(core: ServeCore) -> MCPServer[Any]:
    """An MCP server whose tools run on ``core``."""
    # The SDK configures the root logger (a handler on stderr) unless one is there: mixtui's
    # records go to its log file, and nothing else may print request URLs over the terminal.
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    server: MCPServer[Any] = MCPServer("mixtui", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING")

    async def search(query: str, platform: str | None, ctx: Context) -> list[dict[str, Any]]:
        body = {"query": query, **({"platform": platform} if platform else {})}
        request = parse_search(body)
        total = 1 if request.platform else len(target_platforms(core.root, request.query.strip(), None))
        reports: list[asyncio.Task[None]] = []
        answered = 0

        def progress(batch: PlatformBatch) -> None:
            nonlocal answered
            answered += 1
            message = f"{batch.platform.value}: {batch.status.label}"
            reports.append(asyncio.ensure_future(ctx.report_progress(float(answered), float(total), message)))

        try:
            outcome = await core.search(request, progress)
        finally:
            await asyncio.gather(*reports, return_exceptions=True)
        failure = search_failure(outcome)
        if failure is not None:
            raise failure
        return [media.to_json() for media in outcome.media]

    @server.tool()
    async def search_media(query: str, ctx: Context, platform: str | None = None) -> CallToolResult:
        """Search every platform for media (or one: youtube, soundcloud, mixcloud, bandcamp, vimeo, url).

        A query that is a link resolves to its Media. Returns at most 30 Media; reports each
        platform's answer as progress.
        """
        return await _answer(search(query, platform, ctx))

    async def generate(query: str, mode: str, main_platform: str | None, ctx: Context) -> dict[str, Any]:
        body = {"query": query, "mode": mode, **({"mainPlatform": main_platform} if main_platform else {})}
        request = parse_generate(body)
        reports: list[asyncio.Task[None]] = []
        reached = 0.0  # MCP progress only ever grows ("3/4 found" comes after "4/4 resolved")

        def progress(stage: Any) -> None:
            nonlocal reached
            total = float(stage.total) if stage.total else None
            reached = max(reached, float(stage.done))
            reports.append(asyncio.ensure_future(ctx.report_progress(reached, total, stage.message)))

        try:
            playlist = await core.generate(request, progress)
        finally:
            await asyncio.gather(*reports, return_exceptions=True)
        result = playlist.to_json()
        result["notes"] = playlist.notes
        return result

    @server.tool()
    async def generate_playlist(
        query: str, ctx: Context, mode: str = "smart", mainPlatform: str | None = None
    ) -> CallToolResult:
        """Turn a sentence into a playlist: {title, description, items}.

        mode smart: best version anywhere; platform: prefer mainPlatform; manual: up to 10 items of
        {title, author, results} with one version per platform. Reports progress while it works.
        """
        return await _answer(generate(query, mode, mainPlatform, ctx))

    async def playlists() -> list[dict[str, Any]]:
        found = await core.library(lambda store: store.playlists.all())
        return [{key: value for key, value in p.to_json().items() if key != "items"} for p in found]

    @server.tool()
    async def list_playlists() -> CallToolResult:
        """The library's playlists (Listen Later first), without their items."""
        return await _answer(playlists())

    async def shown(playlist: str) -> dict[str, Any]:
        found = await core.library(lambda store: store.playlists.get(playlist))
        result: dict[str, Any] = found.to_json()
        return result

    @server.tool()
    async def show_playlist(playlist: str) -> CallToolResult:
        """One playlist (by name or id, e.g. "listen-later") with its items as Media."""
        return await _answer(shown(playlist))

    async def added(playlist: str, items: list[dict[str, Any]] | None, url: str | None) -> dict[str, Any]:
        from mixtui.errors import BadInput

        media = [Media.from_json(item) for item in items or []]
        if url:
            from mixtui.models import Platform
            from mixtui.search import search_platform

            media += await search_platform(core.root, Platform.URL, url, 1)
        if not media:
            raise BadInput("give items (Media objects) or a url to add")
        updated = await core.library(lambda store: store.playlists.add_items(playlist, media), changes="playlists")
        result: dict[str, Any] = updated.to_json()
        return result

    @server.tool()
    async def add_to_playlist(
        playlist: str, items: list[dict[str, Any]] | None = None, url: str | None = None
    ) -> CallToolResult:
        """Add Media objects (as search_media returns them) or a link to a playlist (name or id)."""
        return await _answer(added(playlist, items, url))

    async def command(name: str, body: dict[str, Any]) -> dict[str, Any]:
        state = player_state(await run_command(core, name, body))
        core.changed("queue")
        return state

    @server.tool()
    async def play(
        items: list[dict[str, Any]] | None = None, playlist: str | None = None, index: int = 0
    ) -> CallToolResult:
        """Play Media objects, or a playlist by name or id, from index (0-based), on the user's speakers."""
        body: dict[str, Any] = {"index": index}
        if playlist is not None:
            body["playlist"] = playlist
        else:
            body["items"] = items
        return await _answer(command("play", body))

    @server.tool()
    async def pause() -> CallToolResult:
        """Pause or resume what is playing (a toggle)."""
        return await _answer(command("toggle", {}))

    @server.tool(name="next")
    async def next_track() -> CallToolResult:
        """Skip to the next track."""
        return await _answer(command("next", {}))

    async def state() -> dict[str, Any]:
        return player_state(await core.player())

    @server.tool()
    async def now_playing() -> CallToolResult:
        """What is playing, paused or not, the position and the queue."""
        return await _answer(state())

    async def plays(page: int, per_page: int) -> list[dict[str, Any]]:
        found = await core.library(lambda store: store.plays.history(page, per_page))
        return [play.to_json() for play in found]

    @server.tool()
    async def history(page: int = 1, per_page: int = 50) -> CallToolResult:
        """The tracks the user played, newest first."""
        return await _answer(plays(page, per_page))

    return server


def mcp_transport(core: ServeCore, *, host: str) -> tuple[ASGIApp, StreamableHTTPSessionManager]:
    """The streamable HTTP transport for ``/mcp``, and the session manager whose ``run()`` must be entered."""
    from mcp.server.streamable_http_manager import StreamableHTTPASGIApp

    server = build_mcp_server(core)
    server.streamable_http_app(host=host)  # builds the session manager the transport hands requests to
    manager = server.session_manager
    return StreamableHTTPASGIApp(manager), manager


async def run_stdio(core: ServeCore) -> None:
    """``mixtui mcp``: the tools over stdin/stdout until the client closes them."""
    await build_mcp_server(core).run_stdio_async()
