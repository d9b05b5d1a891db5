"""SoundCloud: api-v2 search and resolve with a ``client_id`` found in the site's scripts.

api-v2 (the website's own API) wants ``client_id=<32 letters/digits>`` on every call. It comes
from ``[platforms.soundcloud] client_id`` when set, else it is scraped from the site's script
bundles (platforms.md §2.1), kept in memory and in ``<cache dir>/soundcloud.json`` (mode 0600),
and scraped again once when api-v2 refuses it (401/403). The id is treated as a credential:
it is never logged, printed or put in an error message.

URLs resolve through api-v2 ``/resolve``; when the API refuses us, through oEmbed (no
duration), and as a last resort through the track page's hydration data.
"""

from __future__ import annotations

import asyncio
import html as html_lib
import logging
import re
import time
import urllib.parse
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

import httpx

from mixtui.config import Settings
from mixtui.errors import (
    BadInput,
    MixtuiError,
    NotFound,
    PlatformAuthError,
    PlatformError,
    PlatformTimeout,
    RateLimited,
)
from mixtui.models import Media, Platform
from mixtui.platforms.base import check_response, collect_pages, get_json, parse_each, send
from mixtui.platforms.paging import SearchPage
from mixtui.platforms.tokens import BackgroundRefresh, TokenCache
from mixtui.text import load_json

log = logging.getLogger(__name__)

PLATFORM = Platform.SOUNDCLOUD
NAME = PLATFORM.value

# The cached client_id lives in <cache dir>/soundcloud.json; after CLIENT_ID_LIFETIME it is
# still used while a fresh one is looked for in the background.
CLIENT_ID_CACHE = TokenCache("soundcloud", key="client_id")
CLIENT_ID_LIFETIME = 24 * 3600.0
SHORT_LINK_BASE_URL = "https://on.soundcloud.com"
CLIENT_ID_HINT = "set [platforms.soundcloud] client_id"
# Results per api-v2 page at most, and pages followed for one search.
PAGE_SIZE_MAX = 200
MAX_PAGES = 3
# Script bundles read at most (from the last one backwards) when looking for the client_id.
MAX_SCRIPTS = 20
MAX_REDIRECTS = 5

CLIENT_ID_VALUE = re.compile(r"[A-Za-z0-9]{32}")
CLIENT_ID = re.compile(r"""client_id\s*[:=]\s*["']?([A-Za-z0-9]{32})(?![A-Za-z0-9])""")
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_OEMBED_TARGET = re.compile(
    r"api\.soundcloud\.com(?:%2F|/)(tracks|playlists|users)(?:%2F|/)(?:soundcloud(?:%3A|:)\w+(?:%3A|:))?(\d+)",
    re.IGNORECASE,
)
_HYDRATION = re.compile(r"__sc_hydration\s*=\s*(\[.*?\])\s*;\s*</script>", re.DOTALL)
_TRACK_URN = re.compile(r"(?:soundcloud(?:%3A|:)tracks(?:%3A|:))?(\d+)", re.IGNORECASE)

_SITE_HOSTS = {"soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"}
_API_HOSTS = {"api.soundcloud.com", "api-v2.soundcloud.com", "api-widget.soundcloud.com"}
_SHORT_HOSTS = {"on.soundcloud.com", "soundcloud.app.goo.gl"}
# First path segments of site pages that are not user pages.
_SITE_PAGES = {
    "discover",
    "search",
    "stations",
    "charts",
    "you",
    "upload",
    "pages",
    "terms-of-use",
    "jobs",
    "imprint",
    "settings",
    "messages",
    "notifications",
    "people",
    "tags",
    "popular",
    "mobile",
    "pro",
    "artists",
    "connect",
    "signin",
    "feed",
    "stream",
    "oembed",
}
# Second path segments that are a user's lists, not a track.
_USER_LISTS = {
    "sets": "a playlist (set)",
    "tracks": "a profile's track list",
    "likes": "a profile's likes",
    "reposts": "a profile's reposts",
    "albums": "a profile's albums",
    "popular-tracks": "a profile's track list",
    "followers": "a profile page",
    "following": "a profile page",
    "comments": "a profile page",
    "spotlight": "a profile page",
    "toptracks": "a profile's track list",
    "playlists": "a profile's playlists",
}
# Third path segments under a track that still mean that track.
_TRACK_SUBPAGES = {"recommended", "likes", "reposts", "sets", "comments", "albums"}
_KIND_NAMES = {"playlist": "a playlist (set)", "system-playlist": "a playlist", "user": "a user profile"}


class ClientIdUnavailable(PlatformError):
    """No client_id could be found (the site's scripts changed or could not be loaded)."""


class SoundCloudClient:
    """Searches and resolves SoundCloud on the shared HTTP client."""

    platform = PLATFORM

    def __init__(
        self,
        settings: Settings,
        http: httpx.AsyncClient,
        *,
        short_link_base_url: str = SHORT_LINK_BASE_URL,
    ) -> None:
        self._settings = settings.platforms.soundcloud
        self._http = http
        self._short_link_base_url = short_link_base_url.rstrip("/")
        configured = self._settings.client_id
        self._configured_client_id = configured.get_secret_value().strip() if configured else None
        self._client_id: str | None = None
        self._lock: asyncio.Lock | None = None
        self._refresh = BackgroundRefresh("soundcloud", self._refresh_client_id)

    @property
    def _site(self) -> str:
        return self._settings.base_url.rstrip("/")

    @property
    def _api(self) -> str:
        return self._settings.api_base_url.rstrip("/")

    # -- search -----------------------------------------------------------------------------
    async def search(self, query: str, limit: int) -> list[Media]:
        """Up to ``limit`` tracks, following ``next_href`` for at most ``MAX_PAGES`` pages."""
        pages = self._search_pages(query, max(1, min(limit, PAGE_SIZE_MAX)))
        return await collect_pages(pages, limit=limit, max_pages=MAX_PAGES, platform="soundcloud")

    async def _search_pages(self, query: str, page_size: int) -> AsyncGenerator[list[Media], None]:
        cursor: str | None = None
        while True:
            page = await self.search_page(query, page_size, cursor)
            yield page.media
            if page.cursor is None:
                return
            cursor = page.cursor

    async def search_page(self, query: str, size: int, cursor: str | None = None) -> SearchPage:
        """One api-v2 page of ``size`` tracks (at most 200); the cursor is the ``next_href``."""
        if cursor is None:
            url = f"{self._api}/search/tracks"
            page_size = str(max(1, min(size, PAGE_SIZE_MAX)))
            params = {"q": query, "limit": page_size, "offset": "0", "linked_partitioning": "1"}
        else:
            url, params = self._rebase(cursor), {}
        media, next_href = parse_search(await self._api_get(url, params))
        return SearchPage(media, next_href)

    def _rebase(self, next_href: str) -> str:
        """``next_href`` on the configured API host, without any client_id (ours is added)."""
        parts = urllib.parse.urlsplit(next_href)
        query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "client_id"]
        return f"{self._api}{parts.path}?{urllib.parse.urlencode(query)}"

    # -- resolve ----------------------------------------------------------------------------
    async def resolve(self, url: str) -> Media:
        """The track behind a SoundCloud URL; sets, profiles and lists are BadInput."""
        kind, value = track_target(url)
        if kind == "short":
            kind, value = track_target(await self._follow_short_link(value))
            if kind != "page":
                raise PlatformError(f"{NAME}: the short link did not lead to a track page", platform=NAME)
        if kind == "id":
            api_call = self._api_get(f"{self._api}/tracks/{value}", {})
            page_url = f"https://api.soundcloud.com/tracks/{value}"
        else:
            api_call = self._api_get(f"{self._api}/resolve", {"url": value})
            page_url = value
        try:
            return parse_track(await api_call)
        except (PlatformAuthError, ClientIdUnavailable) as api_error:
            log.info("soundcloud: api-v2 refused to resolve a URL (%s); trying oEmbed", api_error.message)
            first_error: MixtuiError = api_error
        try:
            return await self._resolve_with_oembed(page_url)
        except (BadInput, NotFound, RateLimited):
            raise
        except MixtuiError as oembed_error:
            log.info("soundcloud: oEmbed failed too (%s)", oembed_error.message)
        if kind == "id":
            raise first_error
        try:
            return await self._resolve_with_page(page_url)
        except (BadInput, NotFound, RateLimited):
            raise
        except MixtuiError:
            raise first_error from None

    async def _resolve_with_oembed(self, page_url: str) -> Media:
        params = {"format": "json", "url": page_url}
        payload = await get_json(self._http, PLATFORM, f"{self._site}/oembed", params=params)
        return parse_oembed(payload, page_url)

    async def _resolve_with_page(self, page_url: str) -> Media:
        path = urllib.parse.urlsplit(page_url).path
        response = await send(self._http, PLATFORM, "GET", f"{self._site}{path}")
        return parse_track_page(response.text)

    async def _follow_short_link(self, url: str) -> str:
        """The page a short link redirects to, read from the redirect chain, query stripped."""
        parts = urllib.parse.urlsplit(url)
        if (parts.hostname or "").lower() == "on.soundcloud.com":
            current = f"{self._short_link_base_url}{parts.path}"
            short_host = urllib.parse.urlsplit(self._short_link_base_url).netloc
        else:
            current, short_host = url, parts.netloc
        for _ in range(MAX_REDIRECTS):
            try:
                response = await self._http.get(current, follow_redirects=False)
            except httpx.TimeoutException:
                raise PlatformTimeout(f"{NAME} short link did not answer in time", platform=NAME) from None
            except httpx.HTTPError as error:
                raise PlatformError(f"{NAME} short link could not be followed: {error}", platform=NAME) from None
            location = response.headers.get("location")
            if response.is_redirect and location:
                target = urllib.parse.urljoin(current, location)
                if urllib.parse.urlsplit(target).netloc == short_host:
                    current = target
                    continue
                return strip_query(target)
            if response.status_code == 404:
                raise NotFound(f"{NAME} short link {url} does not exist or has expired")
            check_response(response, PLATFORM)
            raise PlatformError(f"{NAME} short link {url} did not redirect to a track", platform=NAME)
        raise PlatformError(f"{NAME} short link {url} redirected too many times", platform=NAME)

    # -- api-v2 with a client_id ------------------------------------------------------------
    async def _api_get(self, url: str, params: dict[str, str]) -> Any:
        """GET an api-v2 URL with our client_id; on 401/403 find a new id once and retry once."""
        for attempt in range(2):
            client_id = await self._current_client_id()
            try:
                # httpx replaces a URL's query when given params; next_href needs them merged.
                full_url = httpx.URL(url).copy_merge_params({**params, "client_id": client_id})
                return await get_json(self._http, PLATFORM, str(full_url))
            except PlatformAuthError:
                if attempt:
                    raise PlatformAuthError(
                        f"{NAME} refused a freshly found client_id",
                        platform=NAME,
                        hint=f"retry later or {CLIENT_ID_HINT}",
                    ) from None
                log.info("soundcloud refused the client_id; looking for a new one")
                await self._replace_client_id(client_id)
        raise AssertionError("unreachable")

    def _get_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def _current_client_id(self) -> str:
        if self._client_id:
            return self._client_id
        if self._refresh.running and not self._configured_client_id:
            await self._refresh.wait()  # a warm-up is already looking for one
            if self._client_id:
                return self._client_id
        async with self._get_lock():
            if not self._client_id:
                cached = None if self._configured_client_id else read_cached_client_id(self._site)
                if cached and cached_client_id_due(self._site):
                    self._refresh.start()  # used meanwhile; a 401 would look for a new one at once
                self._client_id = self._configured_client_id or cached or await self._scrape_and_cache_client_id()
            return self._client_id

    def warm(self) -> None:
        """Look for a client_id in the background when none is at hand (the app's start-up)."""
        if not self._configured_client_id and not self._client_id and read_cached_client_id(self._site) is None:
            self._refresh.start()

    async def _refresh_client_id(self) -> None:
        found = await self._scrape_and_cache_client_id()
        if not self._configured_client_id:
            self._client_id = found

    async def aclose(self) -> None:
        """Stop a background client_id refresh still running."""
        await self._refresh.aclose()

    async def _replace_client_id(self, refused: str) -> None:
        async with self._get_lock():
            if self._client_id != refused:
                return  # another request already replaced it
            if refused == self._configured_client_id:
                self._configured_client_id = None
            forget_cached_client_id()
            self._client_id = None
            self._client_id = await self._scrape_and_cache_client_id()

    async def _scrape_and_cache_client_id(self) -> str:
        client_id = await self._scrape_client_id()
        write_cached_client_id(self._site, client_id)
        return client_id

    async def _scrape_client_id(self) -> str:
        """Find the client_id in the homepage's script bundles, walking them from the last."""
        try:
            home = await send(self._http, PLATFORM, "GET", f"{self._site}/")
        except (PlatformTimeout, RateLimited):
            raise
        except MixtuiError as error:
            raise ClientIdUnavailable(
                f"could not load SoundCloud's site to find its client_id ({error.message})",
                platform=NAME,
                hint=CLIENT_ID_HINT,
            ) from None
        found = find_client_id(home.text)
        scripts = script_urls(home.text, self._site)[-MAX_SCRIPTS:]
        for script_url in reversed(scripts):
            if found:
                break
            try:
                script = await send(self._http, PLATFORM, "GET", script_url)
            except (PlatformTimeout, RateLimited):
                raise
            except MixtuiError:
                continue
            found = find_client_id(script.text)
        if not found:
            raise ClientIdUnavailable(
                f"could not find SoundCloud's client_id in the site's {len(scripts)} scripts",
                platform=NAME,
                hint=CLIENT_ID_HINT,
            )
        return found


# -- client_id helpers (pure or file-only) ---------------------------------------------------
def find_client_id(text: str) -> str | None:
    """The first ``client_id:"<32 alnum>"`` (or ``client_id=…``) literal in a script."""
    match = CLIENT_ID.search(text)
    return match.group(1) if match else None


def script_urls(page: str, base_url: str) -> list[str]:
    """The ``.js`` script URLs of a page, in page order, relative ones made absolute."""
    urls: list[str] = []
    for src in _SCRIPT_SRC.findall(page):
        absolute = urllib.parse.urljoin(base_url.rstrip("/") + "/", html_lib.unescape(src.strip()))
        if urllib.parse.urlsplit(absolute).path.endswith(".js") and absolute not in urls:
            urls.append(absolute)
    return urls


def cache_file() -> Path:
    return CLIENT_ID_CACHE.path


def read_cached_client_id(site: str) -> str | None:
    """The cached id when it was found on this same site (tests and benchmarks use other hosts)."""
    cached = CLIENT_ID_CACHE.read(site, valid=lambda value: CLIENT_ID_VALUE.fullmatch(value) is not None)
    return cached.value if cached is not None else None


def cached_client_id_due(site: str) -> bool:
    """Whether the cached id is old enough (or undated) that a fresh one should be looked for."""
    cached = CLIENT_ID_CACHE.read(site)
    return cached is None or cached.due(0.0)


def write_cached_client_id(site: str, client_id: str) -> None:
    """Write the cache file readable by the user only; a failure only costs a scrape next time."""
    CLIENT_ID_CACHE.write(site, client_id, time.time() + CLIENT_ID_LIFETIME)


def forget_cached_client_id() -> None:
    CLIENT_ID_CACHE.forget()


# -- URL recognition -------------------------------------------------------------------------
def track_target(url: str) -> tuple[str, str]:
    """What a SoundCloud URL points at: ``("page", canonical)``, ``("id", numeric)`` or
    ``("short", url)``. Sets, profiles, lists and other pages are BadInput."""
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text if "://" in text else "https://" + text)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise BadInput(f"not a valid URL: {text[:200]!r}") from None
    segments = [urllib.parse.unquote(s) for s in parts.path.split("/") if s]
    if host in _SHORT_HOSTS:
        if not segments:
            raise BadInput(f"no short-link code in {text[:200]!r}")
        return "short", urllib.parse.urlunsplit(("https", host, parts.path, "", ""))
    if host == "w.soundcloud.com":
        inner = (urllib.parse.parse_qs(parts.query).get("url") or [""])[0]
        if inner and urllib.parse.urlsplit(inner).hostname != "w.soundcloud.com":
            return track_target(inner)
        raise BadInput(f"no track in the SoundCloud player URL {text[:200]!r}")
    if host in _API_HOSTS:
        if len(segments) == 2 and segments[0] == "tracks":
            match = _TRACK_URN.fullmatch(segments[1])
            if match:
                return "id", match.group(1)
        raise BadInput(f"that SoundCloud API URL is not a track: {text[:200]}")
    if host not in _SITE_HOSTS:
        raise BadInput(f"not a SoundCloud URL: {text[:200]!r}")
    if not segments:
        raise BadInput("that SoundCloud URL is the home page, not a track")
    if segments[0].lower() in _SITE_PAGES:
        raise BadInput(f"that SoundCloud URL is a site page, not a single track: {text[:200]}")
    if len(segments) == 1:
        raise BadInput(f"that SoundCloud URL is a profile, not a single track: {text[:200]}")
    if segments[1].lower() in _USER_LISTS:
        raise BadInput(f"that SoundCloud URL is {_USER_LISTS[segments[1].lower()]}, not a single track")
    keep = segments[:2]
    if len(segments) >= 3 and segments[2].startswith("s-"):
        keep = segments[:3]  # a private track's secret token is part of its address
    elif len(segments) >= 3 and segments[2].lower() not in _TRACK_SUBPAGES:
        raise BadInput(f"that SoundCloud URL is not a single track: {text[:200]}")
    return "page", "https://soundcloud.com/" + "/".join(urllib.parse.quote(s) for s in keep)


def strip_query(url: str) -> str:
    """A page URL without query and fragment (short links carry ``?ref=…&utm_…``)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


# -- pure parsers ----------------------------------------------------------------------------
def parse_search(payload: Any) -> tuple[list[Media], str | None]:
    """Tracks on one api-v2 search page (other kinds skipped) and the ``next_href``, if any."""
    if not isinstance(payload, dict) or not isinstance(payload.get("collection"), list):
        raise PlatformError(f"{NAME} sent an unexpected search answer (no collection)", platform=NAME)
    tracks = [item for item in payload["collection"] if isinstance(item, dict) and item.get("kind") == "track"]
    media = parse_each(tracks, parse_track, platform=NAME)
    next_href = payload.get("next_href")
    return media, next_href if isinstance(next_href, str) and next_href else None


def parse_track(obj: Any) -> Media:
    """An api-v2 track object as Media.

    author is ``user.username`` (the uploader's display name, platforms.md §2.2); duration is
    ``duration`` in ms / 1000, i.e. what plays (a 30 s preview for Go+ "SNIP" tracks); image is
    the artwork, else the uploader's avatar, at 500×500.
    """
    if not isinstance(obj, dict):
        raise PlatformError(f"{NAME} sent an unexpected track (not a JSON object)", platform=NAME)
    kind = obj.get("kind")
    if kind != "track":
        what = _KIND_NAMES.get(str(kind), f"a {kind}" if kind else "not a track")
        raise BadInput(f"that SoundCloud URL is {what}, not a single track")
    track_id = obj.get("id")
    title = obj.get("title")
    permalink = obj.get("permalink_url")
    if (
        not isinstance(track_id, int | str)
        or not str(track_id).isdigit()
        or not isinstance(title, str)
        or not title.strip()
        or not isinstance(permalink, str)
        or not permalink
    ):
        raise PlatformError(f"{NAME} sent a track without id, title or address", platform=NAME)
    user = obj.get("user") if isinstance(obj.get("user"), dict) else {}
    username = user.get("username") if isinstance(user, dict) else None
    duration_ms = obj.get("duration")
    duration = duration_ms / 1000 if isinstance(duration_ms, int | float) and duration_ms > 0 else None
    return Media(
        id=f"{NAME}-{track_id}",
        title=title.strip(),
        author=username.strip() if isinstance(username, str) else "",
        image=_image(obj),
        platform=PLATFORM,
        url=strip_query(permalink),
        duration=duration,
    )


def parse_oembed(payload: Any, page_url: str) -> Media:
    """A track's oEmbed answer as Media (no duration); the numeric id comes from the embed HTML."""
    if not isinstance(payload, dict):
        raise PlatformError(f"{NAME} oEmbed sent an unexpected answer (not a JSON object)", platform=NAME)
    match = _OEMBED_TARGET.search(str(payload.get("html") or ""))
    if match is None:
        raise PlatformError(f"{NAME} oEmbed gave no track id", platform=NAME)
    kind, native_id = match.group(1).lower(), match.group(2)
    if kind != "tracks":
        what = "a playlist (set)" if kind == "playlists" else "a user profile"
        raise BadInput(f"that SoundCloud URL is {what}, not a single track")
    author = str(payload.get("author_name") or "").strip()
    title = str(payload.get("title") or "").strip()
    suffix = f" by {author}"
    if author and title.endswith(suffix) and len(title) > len(suffix):
        title = title[: -len(suffix)]
    if not title:
        raise PlatformError(f"{NAME} oEmbed gave no title", platform=NAME)
    thumbnail = payload.get("thumbnail_url")
    return Media(
        id=f"{NAME}-{native_id}",
        title=title,
        author=author,
        image=thumbnail if isinstance(thumbnail, str) and thumbnail else None,
        platform=PLATFORM,
        url=strip_query(page_url),
        duration=None,
    )


def parse_track_page(page: str) -> Media:
    """The track on a soundcloud.com track page, from its ``window.__sc_hydration`` data."""
    match = _HYDRATION.search(page)
    if match is None:
        raise PlatformError(f"{NAME} sent a page without track data (the page may have changed)", platform=NAME)
    try:
        entries = load_json(match.group(1))
    except ValueError:
        raise PlatformError(f"{NAME} sent a page with unreadable track data", platform=NAME) from None
    hydratables = {e.get("hydratable"): e.get("data") for e in entries if isinstance(e, dict)}
    if isinstance(hydratables.get("sound"), dict):
        return parse_track(hydratables["sound"])
    if "playlist" in hydratables:
        raise BadInput("that SoundCloud URL is a playlist (set), not a single track")
    raise BadInput("that SoundCloud page holds no single track")


def _image(obj: dict[str, Any]) -> str | None:
    user = obj.get("user")
    candidates = (obj.get("artwork_url"), user.get("avatar_url") if isinstance(user, dict) else None)
    for candidate in candidates:
        if isinstance(candidate, str) and candidate:
            # "-large" is 100×100; t500x500 is the same picture at 500×500.
            return candidate.replace("-large.", "-t500x500.")
    return None
