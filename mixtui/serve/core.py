"""What the server asks of mixtui: search, generate, the library and the player.

:class:`ServeCore` is handed the same pieces the CLI and the app use (the services, a way to
get the library and a way to get the player) and nothing else, so the app can serve its own
core in-process and ``mixtui serve`` can build a standalone one. Requests in the Mixider API's
shapes are parsed here into the domain's arguments, with its rules (the ``url`` platform's
fall-back, at most 30 results, ``mainPlatform`` for platform mode).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mixtui.errors import BadInput, MixtuiError, PlatformError, RateLimited
from mixtui.models import Platform
from mixtui.search import PlatformBatch, SearchOutcome, StatusKind
from mixtui.search import search as search_platforms

if TYPE_CHECKING:
    from mixtui.config import Settings
    from mixtui.planner.generate import GeneratedPlaylist, Mode, ProgressCallback
    from mixtui.player.player import Player
    from mixtui.services import Services
    from mixtui.store import Store

# The Mixider API: a search answers at most 30 Media, a generated playlist at most 10 tracks.
MAX_SEARCH_RESULTS = 30
MAX_PLAYLIST_TRACKS = 10
DOCUMENT_PLATFORMS = ("url", "youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo")

StoreGetter = Callable[[], Awaitable["Store"]]
PlayerGetter = Callable[[], Awaitable["Player"]]


@dataclass(frozen=True)
class SearchRequest:
    query: str
    platform: Platform | None


@dataclass(frozen=True)
class GenerateRequest:
    query: str
    mode: Mode
    main_platform: Platform | None


def _field(body: Mapping[str, Any], name: str, *, required: bool) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise BadInput(f"missing required field {name!r}")
        return None
    if not isinstance(value, str):
        raise BadInput(f"field {name!r} must be a string, not {_json_type(value)}")
    return value


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _parse_platform(name: str, field: str) -> Platform:
    try:
        return Platform.parse(name)
    except BadInput:
        raise BadInput(
            f"field {field!r}: unknown platform {name!r}", hint=f"expected one of: {', '.join(DOCUMENT_PLATFORMS)}"
        ) from None


def parse_search(body: object) -> SearchRequest:
    """``{"platform"?, "query"}``; ``url`` (the default) searches every platform unless the query is a link."""
    if not isinstance(body, dict):
        raise BadInput("the request body must be a JSON object", hint='e.g. {"query": "moon river"}')
    query = _field(body, "query", required=True)
    assert query is not None
    platform_name = _field(body, "platform", required=False)
    platform = _parse_platform(platform_name, "platform") if platform_name else None
    if platform is Platform.URL:
        # The document's rule: a link is resolved, "every other platforms" otherwise; the core
        # does exactly that with no platform given, checking the link first.
        platform = None
    return SearchRequest(query, platform)


def parse_generate(body: object) -> GenerateRequest:
    """``{"query", "mode"?, "mainPlatform"?}``; mode defaults to smart, platform mode needs mainPlatform."""
    from mixtui.planner.generate import Mode

    if not isinstance(body, dict):
        raise BadInput("the request body must be a JSON object", hint='e.g. {"query": "jazz", "mode": "smart"}')
    query = _field(body, "query", required=True)
    assert query is not None
    mode = Mode.parse(_field(body, "mode", required=False) or Mode.SMART.value)
    main_name = _field(body, "mainPlatform", required=False)
    main = _parse_platform(main_name, "mainPlatform") if main_name else None
    if mode is Mode.PLATFORM and main is None:
        raise BadInput("mode platform needs the field 'mainPlatform'", hint='e.g. "mainPlatform": "youtube"')
    return GenerateRequest(query, mode, main)


def search_failure(outcome: SearchOutcome) -> MixtuiError | None:
    """The error to answer when every platform failed: rate-limited (with the shortest wait) or not."""
    if not outcome.all_failed:
        return None
    limited = [s for s in outcome.statuses.values() if s.kind is StatusKind.RATE_LIMITED]
    if limited:
        waits = [s.retry_after for s in limited if s.retry_after is not None]
        names = ", ".join(s.platform.value for s in limited)
        return RateLimited(f"rate-limited by {names}", retry_after=min(waits) if waits else None)
    reasons = "; ".join(f"{s.platform.value}: {s.reason}" for s in outcome.statuses.values())
    return PlatformError(f"every platform failed ({reasons})")


class ServeCore:
    """The domain behind the HTTP API and the MCP tools; one per process (or the app's own)."""

    def __init__(
        self,
        services: Services,
        *,
        store: StoreGetter | None = None,
        player: PlayerGetter | None = None,
        max_concurrent: int | None = None,
        on_change: Callable[[str], None] | None = None,
    ) -> None:
        self.services = services
        # Told what changed ("playlists", "queue") after a write, so an app showing it refreshes.
        self.on_change = on_change
        self._store_getter = store or self._own_store
        self._player_getter = player or self._own_player
        self._owned_player: Player | None = None
        self._scrobbler: Any = None
        self._store_lock = asyncio.Lock()
        self._player_lock = asyncio.Lock()
        # Bounds searches and generations in flight; the rest wait in line, none is dropped.
        self.work_slots = asyncio.Semaphore(max_concurrent or services.settings.serve.max_concurrent)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    async def search(
        self, request: SearchRequest, on_batch: Callable[[PlatformBatch], None] | None = None
    ) -> SearchOutcome:
        """At most 30 Media; ``on_batch`` sees each platform's answer as it lands."""
        async with self.work_slots:
            return await search_platforms(
                self.services, request.query, request.platform, limit=MAX_SEARCH_RESULTS, on_batch=on_batch
            )

    async def generate(self, request: GenerateRequest, progress: ProgressCallback | None = None) -> GeneratedPlaylist:
        from mixtui.planner.generate import generate

        async with self.work_slots:
            playlist = await generate(
                self.services, request.query, request.mode, request.main_platform, progress=progress
            )
        for item in playlist.items:
            del item.matches[MAX_PLAYLIST_TRACKS:]
        del playlist.items[MAX_PLAYLIST_TRACKS:]
        return playlist

    async def store(self) -> Store:
        return await self._store_getter()

    async def player(self) -> Player:
        return await self._player_getter()

    async def library(self, work: Callable[[Store], Any], *, changes: str | None = None) -> Any:
        """Run ``work(store)`` off the loop (a store call takes the file lock and may wait).

        ``changes`` names what a write changed, for :attr:`on_change`.
        """
        store = await self.store()
        result = await asyncio.to_thread(work, store)
        if changes is not None:
            self.changed(changes)
        return result

    def changed(self, what: str) -> None:
        if self.on_change is not None:
            self.on_change(what)

    # -- a standalone core's own library and player -------------------------------------------
    async def _own_store(self) -> Store:
        from mixtui.store import open_store

        settings = self.services.settings
        async with self._store_lock:
            # The same singleton ``mixtui play`` uses; opened off the loop (it may wait for the lock).
            store: Store = await asyncio.to_thread(self.services.cached, "store", lambda: open_store(settings))
            return store

    async def _own_player(self) -> Player:
        async with self._player_lock:
            if self._owned_player is None:
                from mixtui.player.autoplay import LibraryAutoplay
                from mixtui.player.player import Player

                store = await self.store()
                player = Player(self.services.settings, reporter=store, autoplay=LibraryAutoplay(store))
                from mixtui.scrobble.scrobbler import build_scrobbler

                self._scrobbler = build_scrobbler(self.services.settings, store.scrobbles, self.services.http)
                player.subscribe(self._scrobbler.on_event)
                await player.open()
                self._owned_player = player
            return self._owned_player

    async def aclose(self) -> None:
        """Close what this core opened itself (the player); the services close the store."""
        if self._owned_player is not None:
            await self._owned_player.aclose()
            self._owned_player = None
        if self._scrobbler is not None:
            await self._scrobbler.aclose()
