"""Mixcloud through its official public API (no key): search, single shows, reusable parsers.

Shows ("cloudcasts") have no numeric id in the REST API, only a ``key`` such as
``/NTSRadio/knee-deep-26th-august-2014/``; mixtui's native id is the URL-safe base64 of that
key without padding, so it round-trips to the show's page and API URLs and holds no ``/``.

The browse screens build on :meth:`MixcloudClient.get` (HTTP + error mapping for any API
path or paging link) and on the pure parsers ``parse_cloudcast``, ``parse_user``,
``parse_tag`` and ``parse_paging``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from mixtui.config import Settings
from mixtui.errors import BadInput, NotFound, PlatformError
from mixtui.links.mixcloud_keys import encode_native_id, key_from_url, page_url_for_key
from mixtui.models import Media, Platform
from mixtui.platforms.base import get_json, parse_each
from mixtui.platforms.paging import SearchPage

PLATFORM = Platform.MIXCLOUD
PUBLIC_API_BASE_URL = "https://api.mixcloud.com"

# Image sizes in order of preference: mid-size first, then whatever old objects carry.
PICTURE_PREFERENCE = ("640wx640h", "extra_large", "large", "320wx320h", "768wx768h", "1024wx1024h", "medium")
SEARCH_PAGE_MAX = 100


@dataclass(frozen=True)
class MixcloudPaging:
    """Absolute ``next``/``previous`` links of a list answer (offset- or date-based)."""

    next: str | None = None
    previous: str | None = None


@dataclass(frozen=True)
class MixcloudUser:
    key: str
    username: str
    name: str
    url: str
    image: str | None = None
    city: str | None = None
    country: str | None = None
    follower_count: int | None = None
    cloudcast_count: int | None = None


@dataclass(frozen=True)
class MixcloudTag:
    key: str
    name: str
    url: str

    @property
    def slug(self) -> str:
        """``funk`` for ``/discover/funk/``, ``/genres/funk/`` or the old ``/tag/funk/``."""
        return self.key.strip("/").rsplit("/", 1)[-1]


# -- pure parsers -----------------------------------------------------------------------------


def parse_cloudcast(obj: Any) -> Media:
    """One cloudcast object (search, lists or ``/<user>/<slug>/``) as Media."""
    if not isinstance(obj, dict):
        raise PlatformError("mixcloud sent a show that is not an object", platform=PLATFORM.value)
    key = _text(obj.get("key"))
    title = _text(obj.get("name"))
    if not key or not key.startswith("/") or not title:
        raise PlatformError("mixcloud sent a show without a key or name", platform=PLATFORM.value)
    user = _dict(obj.get("user"))
    author = _text(user.get("name")) or _text(user.get("username")) or unquote(key.strip("/").split("/")[0])
    url = _https(_text(obj.get("url"))) or page_url_for_key(key)
    return Media(
        id=f"{PLATFORM.value}-{encode_native_id(key)}",
        title=title,
        author=author,
        image=pick_picture(obj.get("pictures")),
        platform=PLATFORM,
        url=url,
        duration=_positive(obj.get("audio_length")),
    )


def pick_picture(pictures: Any) -> str | None:
    """The preferred picture URL of a ``pictures`` object (mid-size first, old objects too)."""
    if not isinstance(pictures, dict):
        return None
    for size in PICTURE_PREFERENCE:
        link = _text(pictures.get(size))
        if link:
            return link
    return next((link for value in pictures.values() if (link := _text(value))), None)


def parse_user(obj: Any) -> MixcloudUser:
    if not isinstance(obj, dict):
        raise PlatformError("mixcloud sent a user that is not an object", platform=PLATFORM.value)
    key = _text(obj.get("key"))
    username = _text(obj.get("username")) or key.strip("/")
    if not key or not username:
        raise PlatformError("mixcloud sent a user without a key", platform=PLATFORM.value)
    return MixcloudUser(
        key=key,
        username=username,
        name=_text(obj.get("name")) or username,
        url=_https(_text(obj.get("url"))) or page_url_for_key(key),
        image=pick_picture(obj.get("pictures")),
        city=_text(obj.get("city")) or None,
        country=_text(obj.get("country")) or None,
        follower_count=_count(obj.get("follower_count")),
        cloudcast_count=_count(obj.get("cloudcast_count")),
    )


def parse_tag(obj: Any) -> MixcloudTag:
    if not isinstance(obj, dict):
        raise PlatformError("mixcloud sent a tag that is not an object", platform=PLATFORM.value)
    key = _text(obj.get("key"))
    if not key:
        raise PlatformError("mixcloud sent a tag without a key", platform=PLATFORM.value)
    name = _text(obj.get("name")) or key.strip("/").rsplit("/", 1)[-1]
    return MixcloudTag(key=key, name=name, url=_https(_text(obj.get("url"))) or page_url_for_key(key))


def parse_paging(payload: Any) -> MixcloudPaging:
    """The paging links of a list answer; an answer without ``paging`` has neither."""
    paging = payload.get("paging") if isinstance(payload, dict) else None
    if not isinstance(paging, dict):
        return MixcloudPaging()
    return MixcloudPaging(next=_text(paging.get("next")) or None, previous=_text(paging.get("previous")) or None)


def parse_cloudcast_list(payload: Any) -> tuple[list[Media], MixcloudPaging]:
    """A list answer (search, popular, a user's shows): its shows and paging links.

    Items that are not shows, or are malformed, are skipped rather than failing the page.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise PlatformError("mixcloud sent an unexpected answer (no data list)", platform=PLATFORM.value)
    shows = [
        item for item in payload["data"] if not isinstance(item, dict) or item.get("type", "cloudcast") == "cloudcast"
    ]
    return parse_each(shows, parse_cloudcast, platform=PLATFORM.value), parse_paging(payload)


def parse_search(payload: Any) -> tuple[list[Media], str | None]:
    """A ``/search/?type=cloudcast`` answer: the shows and the next page's URL (or None)."""
    media, paging = parse_cloudcast_list(payload)
    return media, paging.next


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _positive(value: Any) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _count(value: Any) -> int | None:
    return int(value) if _is_number(value) else None


def _https(url: str) -> str:
    """Mixcloud serves pages over https only; old objects still say ``http://``."""
    if url.startswith("http://") and (urlsplit(url).hostname or "").endswith("mixcloud.com"):
        return "https://" + url[len("http://") :]
    return url


# -- client -----------------------------------------------------------------------------------


class MixcloudClient:
    """Mixcloud's public REST API on the shared HTTP client."""

    platform = PLATFORM

    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.http = http
        self.api_base_url = settings.platforms.mixcloud.api_base_url.rstrip("/")

    def api_url(self, key_or_path: str) -> str:
        """An API URL for a key, a path (``popular/hot``) or an absolute API link (paging).

        Absolute links from answers name ``api.mixcloud.com``; they are re-rooted on the
        configured ``api_base_url`` so paging works against a mirror or a test server too.
        """
        text = key_or_path.strip()
        if text.lower().startswith(("http://", "https://")):
            parts = urlsplit(text)
            base = urlsplit(self.api_base_url)
            same_base = (parts.hostname, parts.port) == (base.hostname, base.port)
            if (parts.hostname or "").lower() != "api.mixcloud.com" and not same_base:
                raise BadInput(f"not a Mixcloud API link: {key_or_path!r}")
            path = parts.path if not same_base else parts.path[len(base.path.rstrip("/")) :]
            query = f"?{parts.query}" if parts.query else ""
            return f"{self.api_base_url}{_with_slashes(path)}{query}"
        return f"{self.api_base_url}{_with_slashes(text)}"

    async def get(self, key_or_path: str, params: Mapping[str, str | int] | None = None) -> Any:
        """GET one API resource as JSON; HTTP failures become mixtui errors (403 + wait → RateLimited)."""
        url = httpx.URL(self.api_url(key_or_path))
        if params:
            # Merged, not replaced: paging links carry their own query.
            url = url.copy_merge_params(dict(params))
        return await get_json(self.http, PLATFORM, str(url))

    async def search(self, query: str, limit: int) -> list[Media]:
        return (await self.search_page(query, limit)).media[:limit]

    async def search_page(self, query: str, size: int, cursor: str | None = None) -> SearchPage:
        """One page of ``size`` shows (at most 100); the cursor is the answer's ``paging.next`` link."""
        if cursor is None:
            count = max(1, min(size, SEARCH_PAGE_MAX))
            payload = await self.get("/search/", {"q": query, "type": "cloudcast", "limit": count, "offset": 0})
        else:
            payload = await self.get(cursor)
        media, next_link = parse_search(payload)
        return SearchPage(media, next_link)

    async def cloudcast(self, key: str) -> Media:
        """The show with this key (``/user/slug/``)."""
        try:
            payload = await self.get(key)
        except NotFound:
            raise NotFound(f"no Mixcloud show at {page_url_for_key(key)}") from None
        return parse_cloudcast(payload)

    async def resolve(self, url: str) -> Media:
        return await self.cloudcast(key_from_url(url))


def _with_slashes(path: str) -> str:
    """API paths start and end with ``/`` (the API redirects otherwise)."""
    inner = path.strip("/")
    return f"/{inner}/" if inner else "/"
