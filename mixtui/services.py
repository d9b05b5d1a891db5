"""The long-lived parts mixtui shares between the CLI and the app.

``Services`` owns one ``httpx.AsyncClient`` for every platform, and builds the platform
clients, the store, the planner and the player on first use so that a command only pays
for what it touches.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from mixtui import __version__
from mixtui.config import Settings
from mixtui.errors import BadInput
from mixtui.models import Platform

if TYPE_CHECKING:
    import httpx

    from mixtui.platforms.base import PlatformClient

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/140.0 Safari/537.36 mixtui/{__version__}"
)


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
    """Open with ``async with Services(settings) as services:``; closes what it opened."""

    def __init__(self, settings: Settings, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._http = http
        self._owns_http = http is None
        self._platform_clients: dict[Platform, PlatformClient] = {}
        self._extra: dict[str, Any] = {}
        self._retired: list[Any] = []

    @property
    def http(self) -> httpx.AsyncClient:
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

    # Cached parts built from the settings: rebuilt on their next use after the settings change.
    SETTINGS_BOUND = ("planner.llm",)

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings from now on; platform clients, the planner is rebuilt on next use."""
        self.settings = settings
        self._platform_clients.clear()
        for key in self.SETTINGS_BOUND:
            retired = self._extra.pop(key, None)
            if retired is not None:
                # A generation still running may hold it: closed with the rest at the end.
                self._retired.append(retired)

    def cached(self, key: str, factory: Any) -> Any:
        """A per-services singleton (store, planner, player) built on first use."""
        if key not in self._extra:
            self._extra[key] = factory()
        return self._extra[key]

    async def aclose(self) -> None:
        for client in self._platform_clients.values():
            client_closer = getattr(client, "aclose", None)
            if client_closer is not None:
                await client_closer()
        for value in [*self._extra.values(), *self._retired]:
            closer = getattr(value, "aclose", None) or getattr(value, "close", None)
            if closer is not None:
                result = closer()
                if hasattr(result, "__await__"):
                    await result
        self._extra.clear()
        self._retired.clear()
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
