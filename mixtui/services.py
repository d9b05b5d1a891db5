"""The composition root: the long-lived parts mixtui shares between the app, the CLI and the API.

``Services`` builds and owns one of each thing (the HTTP client, the platform clients and
their rate gates, the LLM planner, the Mixcloud browser and account, the library and the
player) on first use, so a command only pays for what it touches. It imports the domain;
the domain never imports it, and names only the narrow parts it uses
(:class:`mixtui.search.access.PlatformAccess`, a ``PlayReporter``, a library role).

Who listens: ``subscribe_player`` hears every player event (the app's screens, media keys,
scrobbling) whoever started the player; ``subscribe_changes`` hears what a write changed
(``"playlists"``, ``"queue"``…) whoever wrote it (the app, the local API).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from mixtui import __version__
from mixtui.config import Settings
from mixtui.errors import BadInput, MixtuiError
from mixtui.models import Platform

if TYPE_CHECKING:
    import httpx

    from mixtui.account.mixcloud import MixcloudAccount
    from mixtui.browse.mixcloud_browse import MixcloudBrowser
    from mixtui.browse.rate_gate import RateGate
    from mixtui.planner.llm import LLMPlanner
    from mixtui.platforms.base import PlatformClient
    from mixtui.player.events import Listener
    from mixtui.player.player import Player
    from mixtui.scrobble.scrobbler import Scrobbler
    from mixtui.store import Library

log = logging.getLogger(__name__)

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/140.0 Safari/537.36 mixtui/{__version__}"
)

# Told what a write changed: "playlists", "favs", "presets", "plays", "queue".
ChangeListener = Callable[[str], None]


def build_http_client(settings: Settings) -> httpx.AsyncClient:
    import httpx  # ~0.15 s: loaded with the first request, not at start-up

    from mixtui.platforms.limits import LimitedTransport

    # Generating a playlist runs up to 10 searches per platform at once.
    pool = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=64, max_keepalive_connections=32))
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.search.timeout, connect=min(5.0, settings.search.timeout)),
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT, "Accept-Language": "en-US,en;q=0.9"},
        # [search] timeout bounds each whole request (body included), and bodies are capped.
        transport=LimitedTransport(pool, seconds=settings.search.timeout),
    )


class Services:
    """Open with ``async with Services(settings) as services:``; closes what it opened, once.

    One per process: the app, ``mixtui serve`` and each CLI command make one and hand it (or
    the narrow part a function needs) to everything else.
    """

    def __init__(self, settings: Settings, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._http = http
        self._owns_http = http is None
        self._platform_clients: dict[Platform, PlatformClient] = {}
        self._rate_gates: dict[str, RateGate] = {}
        self._planner: LLMPlanner | None = None
        self._browser: MixcloudBrowser | None = None
        self._account: MixcloudAccount | None = None
        self._library: Library | None = None
        self._library_lock = threading.Lock()
        self._player: Player | None = None
        self._player_lock = asyncio.Lock()
        self._player_listeners: list[Listener] = []
        self._change_listeners: list[ChangeListener] = []
        self._scrobbler: Scrobbler | None = None
        # Where the scrobbler's one-time notices go (a 401, a service stopped): set by the front.
        self.scrobble_notice: Callable[[str], None] | None = None
        # Parts replaced by new settings: a run still going may hold one; closed with the rest.
        self._retired: list[object] = []
        self._closed = False

    # -- the network --------------------------------------------------------------------------
    @property
    def http(self) -> httpx.AsyncClient:
        """The one HTTP client every platform, the browser and the account send through."""
        if self._http is None:
            self._http = build_http_client(self.settings)
        return self._http

    def platform_client(self, platform: Platform) -> PlatformClient:
        """The client for one platform, built on first use; BadInput when it is disabled."""
        if not self.settings.platforms.is_enabled(platform):
            raise BadInput(
                f"platform {platform.value} is disabled",
                hint=f"set [platforms.{platform.value}] enabled = true in the config",
            )
        client = self._platform_clients.get(platform)
        if client is None:
            from mixtui.platforms.registry import build_platform_client

            client = build_platform_client(platform, self.settings, self.http)
            self._platform_clients[platform] = client
        return client

    def rate_gate(self, platform: str) -> RateGate:
        """The one gate of a platform (``"mixcloud"``) that search, generate and browse go through.

        It is kept on disk, so a wait learnt by one run (or by the app) holds in every other.
        """
        name = str(platform)
        gate = self._rate_gates.get(name)
        if gate is None:
            from mixtui.browse.rate_gate import DISPLAY_NAMES, RateGate, default_gate_path

            gate = RateGate(name, DISPLAY_NAMES.get(name, name.capitalize()), path=default_gate_path(name))
            self._rate_gates[name] = gate
        return gate

    @property
    def planner(self) -> LLMPlanner:
        """The LLM planner for the current ``[llm]`` settings."""
        if self._planner is None:
            from mixtui.planner.llm import LLMPlanner

            self._planner = LLMPlanner(self.settings)
        return self._planner

    @property
    def mixcloud_browser(self) -> MixcloudBrowser:
        """Mixcloud's public API: the shared client and Mixcloud's rate gate."""
        if self._browser is None:
            from mixtui.browse.mixcloud_browse import MixcloudBrowser
            from mixtui.platforms.mixcloud import MixcloudClient

            client = self.platform_client(Platform.MIXCLOUD)
            if not isinstance(client, MixcloudClient):
                raise BadInput("the Mixcloud client is not the public-API one, which browsing needs")
            self._browser = MixcloudBrowser(
                self.settings, self.http, client=client, gate=self.rate_gate(Platform.MIXCLOUD.value)
            )
        return self._browser

    @property
    def mixcloud_account(self) -> MixcloudAccount:
        """The signed-in Mixcloud account: the browser's client and rate gate."""
        if self._account is None:
            from mixtui.account.mixcloud import MixcloudAccount

            browser = self.mixcloud_browser
            self._account = MixcloudAccount(self.settings, self.http, gate=browser.gate, client=browser.client)
        return self._account

    # -- the library --------------------------------------------------------------------------
    @property
    def library(self) -> Library:
        """The library, opened on first use (thread-safe). Opening may wait for the file lock:
        async code awaits :meth:`open_library` instead. Its ``take_notices()`` say what opening found."""
        if self._library is None:
            with self._library_lock:
                if self._closed:
                    raise MixtuiError("the library was closed")
                if self._library is None:
                    from mixtui.store import open_library

                    self._library = open_library(self.settings)
        return self._library

    @property
    def library_if_open(self) -> Library | None:
        return self._library

    async def open_library(self) -> Library:
        """The library, opened off the loop the first time."""
        if self._library is not None:
            return self._library
        return await asyncio.to_thread(lambda: self.library)

    def subscribe_changes(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener(what)`` after a write through the root; returns the unsubscribe."""
        self._change_listeners.append(listener)
        return lambda: self._change_listeners.remove(listener) if listener in self._change_listeners else None

    def changed(self, what: str) -> None:
        """Tell every change listener that ``what`` changed (a writer calls this after its write)."""
        for listener in list(self._change_listeners):
            try:
                listener(what)
            except Exception:  # one broken listener must not stop the others
                log.exception("a change listener failed")

    # -- the player ---------------------------------------------------------------------------
    async def player(self) -> Player:
        """The player (autoplay over the library), started on first use; PlayerUnavailable without libmpv."""
        async with self._player_lock:
            if self._player is None:
                if self._closed:
                    raise MixtuiError("the player was closed")
                from mixtui.player.autoplay import LibraryAutoplay
                from mixtui.player.player import Player

                library = await self.open_library()
                player = Player(self.settings, reporter=library.plays, autoplay=LibraryAutoplay(library))
                for listener in self._player_listeners:
                    player.subscribe(listener)
                await player.open()
                self._scrobbler = self._build_scrobbler(library)
                player.subscribe(self._scrobbler.on_event)
                self._player = player
            return self._player

    def _build_scrobbler(self, library: Library) -> Scrobbler:
        from mixtui.scrobble.scrobbler import build_scrobbler

        def notice(text: str) -> None:
            if self.scrobble_notice is not None:
                self.scrobble_notice(text)

        return build_scrobbler(self.settings, library.scrobbles, self.http, notice=notice)

    @property
    def player_if_started(self) -> Player | None:
        """The player when something started it, else None (nothing is started to answer)."""
        return self._player

    def subscribe_player(self, listener: Listener) -> Callable[[], None]:
        """Hear every player event, from the player running now or the one started later."""
        self._player_listeners.append(listener)
        unsubscribe_running = self._player.subscribe(listener) if self._player is not None else None

        def unsubscribe() -> None:
            if listener in self._player_listeners:
                self._player_listeners.remove(listener)
            if unsubscribe_running is not None:
                unsubscribe_running()

        return unsubscribe

    # -- settings and closing -----------------------------------------------------------------
    def apply_settings(self, settings: Settings) -> None:
        """Use new settings from now on: what was built from them is rebuilt on its next use."""
        self.settings = settings
        self._retired += [*self._platform_clients.values(), *filter(None, (self._planner,))]
        self._platform_clients.clear()
        self._planner = None
        self._browser = None
        self._account = None
        if self._player is not None:
            self._player.autoplay_enabled = settings.player.autoplay
        if self._scrobbler is not None:
            self._scrobbler.apply_settings(settings)

    async def aclose(self) -> None:
        """Stop the player (plays written), close the library, then the clients and the HTTP client."""
        self._closed = True
        async with self._player_lock:
            player, self._player = self._player, None
        if player is not None:
            await player.aclose()
        scrobbler, self._scrobbler = self._scrobbler, None
        if scrobbler is not None:  # its listens in flight reach the library before it closes
            await scrobbler.aclose()
        with self._library_lock:
            library, self._library = self._library, None
        try:
            if library is not None:
                await asyncio.to_thread(library.close)  # raises when plays could not be written
        finally:
            await self._close_clients()

    async def _close_clients(self) -> None:
        parts: list[object] = [*self._platform_clients.values(), *filter(None, (self._planner,)), *self._retired]
        self._platform_clients.clear()
        self._planner = self._browser = self._account = None
        self._retired.clear()
        for part in parts:
            closer = getattr(part, "aclose", None)
            if closer is not None:
                try:
                    await closer()
                except Exception:  # the HTTP client is closed whatever one client did
                    log.warning("closing %s failed", type(part).__name__, exc_info=True)
        if self._http is not None and self._owns_http:
            await self._http.aclose()
            self._http = None

    async def __aenter__(self) -> Services:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
