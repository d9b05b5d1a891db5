"""Vimeo: search with the website's anonymous token (or the user's own token), oEmbed for URLs.

Vimeo has no official key-free search. Without a token, mixtui does what the website does:
fetch a short-lived anonymous JWT from ``/_next/jwt`` and call ``api.vimeo.com/search`` with
it (unofficial, may break). With ``[platforms.vimeo] access_token`` set, the official
``/videos?query=`` endpoint is used instead. Tokens are sent as headers only and never
logged or put into error messages.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import httpx

from mixtui.config import Settings
from mixtui.errors import BadInput, NotFound, PlatformAuthError, PlatformError
from mixtui.links.address import split_web_address
from mixtui.links.recognise import VIMEO_HOSTS, VIMEO_PLAYER_HOST, VIMEO_PLAYER_PATH, VIMEO_VIDEO_PATHS
from mixtui.models import Media, Platform
from mixtui.platforms.base import get_json, parse_each
from mixtui.platforms.paging import SearchPage
from mixtui.platforms.tokens import BackgroundRefresh, CachedToken, TokenCache

PLATFORM = Platform.VIMEO
PUBLIC_SITE_URL = "https://vimeo.com"
API_ACCEPT = "application/vnd.vimeo.*+json;version=3.3"
# An anonymous token without an ``exp`` claim is kept this long.
DEFAULT_TOKEN_LIFETIME = 300.0
# Fetch a fresh token this long before the current one expires.
TOKEN_REFRESH_MARGIN = 30.0
# A token this close to its expiry is not sent any more (it could expire on the way).
EXPIRY_SLACK = 5.0
TOKEN_CACHE = TokenCache("vimeo-token")
PER_PAGE_MAX = 100

_URI = re.compile(r"/videos/(?P<id>\d+)(?::(?P<hash>[0-9a-f]+))?$")


# -- URLs and ids -----------------------------------------------------------------------------


def video_from_url(url: str) -> tuple[str, str | None]:
    """``(video id, unlisted hash or None)`` of a Vimeo video URL; BadInput for anything else."""
    parts, host = split_web_address(url)
    if host == VIMEO_PLAYER_HOST:
        match = VIMEO_PLAYER_PATH.fullmatch(parts.path)
        if match:
            hashes = parse_qs(parts.query).get("h")
            unlisted = hashes[0] if hashes and re.fullmatch(r"[0-9a-f]+", hashes[0]) else None
            return match.group("id"), unlisted
    elif host in VIMEO_HOSTS:
        for pattern in VIMEO_VIDEO_PATHS:
            match = pattern.fullmatch(parts.path)
            if match:
                return match.group("id"), match.groupdict().get("hash")
    else:
        raise BadInput(f"not a Vimeo address: {url!r}")
    raise BadInput(f"this Vimeo address is not a single video: {url!r}")


def canonical_url(video_id: str, unlisted_hash: str | None = None) -> str:
    return f"{PUBLIC_SITE_URL}/{video_id}/{unlisted_hash}" if unlisted_hash else f"{PUBLIC_SITE_URL}/{video_id}"


def _id_from_uri(uri: Any) -> tuple[str, str | None] | None:
    match = _URI.search(uri) if isinstance(uri, str) else None
    return (match.group("id"), match.group("hash")) if match else None


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim (epoch seconds) of a JWT, read without verifying it; None if absent."""
    pieces = token.split(".")
    if len(pieces) != 3:
        return None
    payload = pieces[1] + "=" * (-len(pieces[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


# -- pure parsers -----------------------------------------------------------------------------


def parse_clip(obj: Any) -> Media:
    """One API video ("clip") object as Media; the id is the numeric video id."""
    if not isinstance(obj, dict):
        raise PlatformError("vimeo sent a video that is not an object", platform=PLATFORM.value)
    ids = _id_from_uri(obj.get("uri"))
    title = _text(obj.get("name"))
    if ids is None or not title:
        raise PlatformError("vimeo sent a video without an id or name", platform=PLATFORM.value)
    video_id, unlisted = ids
    user = _dict(obj.get("user"))
    link = _text(obj.get("link"))
    return Media(
        id=f"{PLATFORM.value}-{video_id}",
        title=title,
        author=_text(user.get("name")),
        image=pick_picture(obj.get("pictures")),
        platform=PLATFORM,
        url=_without_fragment(link) if link.lower().startswith("http") else canonical_url(video_id, unlisted),
        duration=_seconds(obj.get("duration")),
    )


def pick_picture(pictures: Any) -> str | None:
    """The largest ``sizes[].link`` of a ``pictures`` object, else its ``base_link``."""
    if not isinstance(pictures, dict):
        return None
    sizes = [s for s in pictures.get("sizes") or [] if isinstance(s, dict) and _text(s.get("link"))]
    if sizes:
        largest = max(sizes, key=_width)
        return _text(largest.get("link"))
    return _text(pictures.get("base_link")) or None


def parse_search(payload: Any) -> list[Media]:
    """A search answer: ``/search`` items (``{"type": "clip", "clip": {…}}``) or ``/videos`` clips.

    Non-video items (people, channels) and malformed items are skipped.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise PlatformError("vimeo sent an unexpected answer (no data list)", platform=PLATFORM.value)
    clips: list[dict[str, Any]] = []
    for item in payload["data"]:
        if not isinstance(item, dict):
            continue
        # /search wraps each hit ({"type": "clip", "clip": {…}}); /videos lists the videos themselves.
        wrapped = item.get("clip")
        if isinstance(wrapped, dict):
            clips.append(wrapped)
        elif _id_from_uri(item.get("uri")) is not None:
            clips.append(item)
    return parse_each(clips, parse_clip, platform=PLATFORM.value)


def has_next_page(payload: Any) -> bool:
    """Whether a search answer's ``paging.next`` names a further page."""
    paging = payload.get("paging") if isinstance(payload, dict) else None
    return isinstance(paging, dict) and bool(paging.get("next"))


def parse_oembed(payload: Any, *, video_id: str | None = None, unlisted_hash: str | None = None) -> Media:
    """An oEmbed answer as Media; the minimal answer for a non-public video is NotFound."""
    if not isinstance(payload, dict):
        raise PlatformError("vimeo sent an unexpected oEmbed answer", platform=PLATFORM.value)
    from_uri = _id_from_uri(payload.get("uri"))
    native = payload.get("video_id")
    found_id = str(native) if isinstance(native, int) and not isinstance(native, bool) else None
    found_id = found_id or (from_uri[0] if from_uri else None) or video_id
    unlisted = (from_uri[1] if from_uri else None) or unlisted_hash
    title = _text(payload.get("title"))
    if not title:
        raise NotFound("this Vimeo video is not public")
    if not found_id:
        raise PlatformError("vimeo sent an oEmbed answer without a video id", platform=PLATFORM.value)
    return Media(
        id=f"{PLATFORM.value}-{found_id}",
        title=title,
        author=_text(payload.get("author_name")),
        image=_text(payload.get("thumbnail_url")) or None,
        platform=PLATFORM,
        url=canonical_url(found_id, unlisted),
        duration=_seconds(payload.get("duration")),
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _width(size: dict[str, Any]) -> int:
    width = size.get("width")
    return width if isinstance(width, int) else 0


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _seconds(value: Any) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


# -- client -----------------------------------------------------------------------------------


class VimeoClient:
    """Vimeo's API on the shared HTTP client, with an anonymous token kept on disk until its expiry."""

    platform = PLATFORM

    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        section = settings.platforms.vimeo
        self.settings = settings
        self.http = http
        self.base_url = section.base_url.rstrip("/")
        self.api_base_url = section.api_base_url.rstrip("/")
        self._access_token = section.access_token
        self._jwt: CachedToken | None = None
        self._jwt_lock = asyncio.Lock()
        self._refresh = BackgroundRefresh("vimeo", self._fetch_and_keep_token)

    @property
    def uses_access_token(self) -> bool:
        return self._access_token is not None and bool(self._access_token.get_secret_value())

    @property
    def _jwt_refresh_at(self) -> float:
        """When a replacement for the current anonymous token is fetched (in the background)."""
        if self._jwt is None or self._jwt.expires_at is None:
            return 0.0
        return self._jwt.expires_at - TOKEN_REFRESH_MARGIN

    async def search(self, query: str, limit: int) -> list[Media]:
        return (await self.search_page(query, limit)).media[:limit]

    async def search_page(self, query: str, size: int, cursor: str | None = None) -> SearchPage:
        """One page of ``size`` videos (at most 100); the cursor is the next page's number."""
        page = int(cursor) if cursor and cursor.isdigit() else 1
        params: dict[str, Any] = {"query": query, "page": page, "per_page": max(1, min(size, PER_PAGE_MAX))}
        if self.uses_access_token:
            payload = await self._official_search(params)
        else:
            token = await self.anonymous_token()
            params["filter_type"] = "clip"
            try:
                payload = await self._api_get("/search", params, f"jwt {token}")
            except PlatformAuthError:
                # The anonymous token expired or was revoked: fetch a new one and retry once.
                token = await self.anonymous_token(replace=token)
                payload = await self._api_get("/search", params, f"jwt {token}")
        media = parse_search(payload)
        return SearchPage(media, str(page + 1) if media and has_next_page(payload) else None)

    async def resolve(self, url: str) -> Media:
        video_id, unlisted = video_from_url(url)
        try:
            payload = await get_json(
                self.http, PLATFORM, f"{self.base_url}/api/oembed.json", params={"url": _without_fragment(url.strip())}
            )
        except NotFound:
            raise NotFound(f"no public Vimeo video at {canonical_url(video_id, unlisted)}") from None
        except PlatformAuthError:
            raise NotFound("Vimeo will not describe this video (private or embedding restricted)") from None
        return parse_oembed(payload, video_id=video_id, unlisted_hash=unlisted)

    async def anonymous_token(self, *, replace: str | None = None) -> str:
        """The anonymous JWT: the one in memory or on disk while it is good, else a new one.

        Near its expiry the current token is still used while a replacement is fetched in the
        background; only a missing, expired or refused (``replace``) token is fetched in line.
        """
        if replace is None and self._jwt is None and self._refresh.running:
            await self._refresh.wait()  # a warm-up is already fetching one
        async with self._jwt_lock:
            current = self._jwt or TOKEN_CACHE.read(self.base_url)
            if current is not None and current.value != replace and not current.expired(time.time() + EXPIRY_SLACK):
                self._jwt = current
                if current.due(TOKEN_REFRESH_MARGIN):
                    self._refresh.start()
                return current.value
            return (await self._fetch_and_keep_token()).value

    def warm(self) -> None:
        """Fetch the anonymous token in the background when none is at hand (the app's start-up)."""
        if self.uses_access_token:
            return
        current = self._jwt or TOKEN_CACHE.read(self.base_url)
        if current is None or current.due(TOKEN_REFRESH_MARGIN):
            self._refresh.start()

    async def _fetch_and_keep_token(self) -> CachedToken:
        value = await self._fetch_anonymous_token()
        token = CachedToken(value, jwt_expiry(value) or time.time() + DEFAULT_TOKEN_LIFETIME)
        self._jwt = token
        TOKEN_CACHE.write(self.base_url, value, token.expires_at)
        return token

    async def _fetch_anonymous_token(self) -> str:
        payload = await get_json(
            self.http, PLATFORM, f"{self.base_url}/_next/jwt", headers={"X-Requested-With": "XMLHttpRequest"}
        )
        token = payload.get("token") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise PlatformAuthError("vimeo handed out no anonymous token", platform=PLATFORM.value)
        return token.strip()

    async def aclose(self) -> None:
        """Stop a background token refresh still running."""
        await self._refresh.aclose()

    async def _official_search(self, params: dict[str, Any]) -> Any:
        assert self._access_token is not None
        authorization = f"bearer {self._access_token.get_secret_value()}"
        try:
            return await self._api_get("/videos", params, authorization)
        except PlatformAuthError:
            raise PlatformAuthError(
                "vimeo refused the access token",
                platform=PLATFORM.value,
                hint="check [platforms.vimeo] access_token (a personal token from developer.vimeo.com)",
            ) from None

    async def _api_get(self, path: str, params: dict[str, Any], authorization: str) -> Any:
        headers = {"Authorization": authorization, "Accept": API_ACCEPT}
        return await get_json(self.http, PLATFORM, f"{self.api_base_url}{path}", params=params, headers=headers)
