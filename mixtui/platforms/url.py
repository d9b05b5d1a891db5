"""The "url" platform: any pasted link resolved to one Media.

A link is first recognised without network (:mod:`mixtui.links`), which also gives its Media
id, so a page is the same track whether it is pasted, played or imported:

- a known platform's item goes to that platform's client, which asks its cheap metadata
  endpoint (oEmbed, api-v2, the REST API, the page);
- a direct media link (``.mp3`` … ``.m3u8``) becomes a Media as it is: title from the file
  name (or the ``Content-Disposition`` of a HEAD), author = host, duration unknown until mpv
  plays it;
- any other page goes through yt-dlp (:mod:`mixtui.ytdlp`) in a thread. When the page only
  embeds a known platform's item (a YouTube iframe, a Vimeo player), that platform's client
  describes it; a ``/track/…`` or ``/album/…`` page on a custom domain is tried as Bandcamp first.

``file://`` links are handed to the local platform. Links to several items (playlists,
channels, profiles…) are BadInput that says what they are.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

import httpx

from mixtui.config import Settings
from mixtui.errors import (
    BadInput,
    MixtuiError,
    NotFound,
    PlatformError,
    PlatformTimeout,
    RateLimited,
)
from mixtui.links import (
    RecognisedUrl,
    UrlKind,
    canonical_url,
    digest,
    display_host,
    link_media_id,
    media_for_link,
    normalise_url,
    recognise,
    title_from_file_name,
)
from mixtui.models import Media, Platform
from mixtui.platforms.base import PlatformClient
from mixtui.ytdlp import error_from_ytdlp, ytdlp_options

log = logging.getLogger(__name__)

PLATFORM = Platform.URL
NAME = PLATFORM.value

# A HEAD on a direct media link is a courtesy (file name, dead links): it never waits long.
HEAD_TIMEOUT = 5.0
# Hand-overs between yt-dlp extractors followed at most (page → embed → …).
MAX_EXTRACTOR_HOPS = 4
KNOWN_PLATFORMS = frozenset(
    {Platform.YOUTUBE, Platform.SOUNDCLOUD, Platform.MIXCLOUD, Platform.BANDCAMP, Platform.VIMEO}
)
_BANDCAMP_STYLE_PATH = re.compile(r"/(?:track|album)/[^/]+/?")


class UrlClient:
    """Resolves links of any kind; it has nothing to search."""

    platform = PLATFORM

    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.http = http
        self._clients: dict[Platform, PlatformClient] = {}

    async def search(self, query: str, limit: int) -> list[Media]:
        raise BadInput(
            "the url platform resolves links; give a URL",
            hint="paste a link starting with https://, or search without --platform url",
        )

    async def resolve(self, url: str) -> Media:
        text = url.strip() if isinstance(url, str) else url
        if isinstance(text, str) and text.lower().startswith("file:"):
            return await self.platform_client(Platform.LOCAL).resolve(text)
        recognised = recognise(text)
        if not recognised.single:
            raise BadInput(recognised.reason or "that link is not a single track", hint="paste the link of one item")
        if recognised.kind is UrlKind.MEDIA:
            return await self.platform_client(recognised.platform).resolve(recognised.url)
        if recognised.kind is UrlKind.MEDIA_FILE:
            return await self.resolve_media_file(recognised)
        if recognised.kind is UrlKind.WEB_PAGE and _BANDCAMP_STYLE_PATH.fullmatch(urlsplit(recognised.url).path):
            found = await self._try_bandcamp_page(recognised.url)
            if found is not None:
                return found
        return await self.resolve_with_ytdlp(recognised.url)

    def platform_client(self, platform: Platform) -> PlatformClient:
        """The client a link is delegated to, built once (a pasted link is resolved even when
        its platform is left out of searches)."""
        client = self._clients.get(platform)
        if client is None:
            from mixtui.platforms.registry import build_platform_client

            client = build_platform_client(platform, self.settings, self.http)
            self._clients[platform] = client
        return client

    # -- direct media links -------------------------------------------------------------------
    async def resolve_media_file(self, recognised: RecognisedUrl) -> Media:
        """A direct media link as it is; a HEAD names the file when the server says more."""
        page_url = canonical_url(PLATFORM, recognised.url)
        host = display_host(page_url)
        file_name = await self._served_file_name(page_url, host)
        return media_for_link(recognised.url, title=title_from_file_name(file_name) if file_name else "", author=host)

    async def _served_file_name(self, url: str, host: str) -> str | None:
        try:
            response = await self.http.head(url, timeout=HEAD_TIMEOUT, follow_redirects=True)
        except httpx.TimeoutException:
            return None
        except httpx.HTTPError as error:
            raise PlatformError(
                f"{host} could not be reached: {error or type(error).__name__}", platform=NAME
            ) from None
        if response.status_code in (404, 410):
            raise NotFound(f"{host}: no file at {url} (HTTP {response.status_code})")
        if response.status_code >= 400:
            # Many servers refuse HEAD; the link may still play.
            return None
        return file_name_from_disposition(response.headers.get("content-disposition"))

    # -- Bandcamp on a custom domain -----------------------------------------------------------
    async def _try_bandcamp_page(self, url: str) -> Media | None:
        try:
            return await self.platform_client(Platform.BANDCAMP).resolve(url)
        except (RateLimited, PlatformTimeout):
            raise
        except MixtuiError as error:
            log.info("url: %s is not a Bandcamp page (%s); trying yt-dlp", url, error)
            return None

    # -- yt-dlp ---------------------------------------------------------------------------------
    async def resolve_with_ytdlp(self, url: str) -> Media:
        """Any other page through yt-dlp (in a thread: it blocks); embeds of known platforms
        are described by their own client."""
        outcome = await asyncio.to_thread(extract_with_ytdlp, url, self.settings.search.timeout)
        if isinstance(outcome, Delegation):
            log.info("url: %s embeds a %s item; asking %s", url, outcome.platform.value, outcome.platform.value)
            return await self.platform_client(outcome.platform).resolve(outcome.url)
        return outcome


@dataclass(frozen=True)
class Delegation:
    """yt-dlp found that a page holds one known platform's item."""

    platform: Platform
    url: str


def extract_with_ytdlp(url: str, socket_timeout: float) -> Media | Delegation:
    """Blocking: what yt-dlp finds at ``url``, as Media or as a hand-over to a known platform.

    Extraction runs without yt-dlp's processing step, so an embedded YouTube/Vimeo/… item is
    handed to mixtui's own client instead of being fully extracted from that platform.
    """
    import yt_dlp
    from yt_dlp.utils import YoutubeDLError

    try:
        with yt_dlp.YoutubeDL(ytdlp_options(socket_timeout=socket_timeout, extract_flat="in_playlist")) as ydl:
            info = ydl.extract_info(url, download=False, process=False)
            for _hop in range(MAX_EXTRACTOR_HOPS):
                if not isinstance(info, dict):
                    raise NotFound(f"no playable media found at {url}")
                kind = info.get("_type") or "video"
                if kind == "playlist":
                    info = single_entry(info, url)
                    continue
                if kind not in ("url", "url_transparent"):
                    return media_from_info(info, url)
                target = _unsmuggled(str(info.get("url") or ""))
                delegation = delegation_for(target)
                if delegation is not None:
                    return delegation
                if kind == "url_transparent" and _text(info.get("title")):
                    return media_from_info(info, url)
                nested = ydl.extract_info(info.get("url"), download=False, process=False, ie_key=info.get("ie_key"))
                if kind == "url_transparent" and isinstance(nested, dict):
                    overrides = {k: v for k, v in info.items() if v is not None and k not in ("_type", "url", "ie_key")}
                    nested = {**nested, **overrides}
                info = nested
    except YoutubeDLError as error:
        raise error_from_ytdlp(error, url) from None
    except MixtuiError:
        raise
    except Exception as error:  # an extractor meeting an odd page must not take the app down
        log.exception("yt-dlp failed on %s", url)
        raise PlatformError(f"yt-dlp could not read {url}: {type(error).__name__}: {error}", platform=NAME) from None
    raise NotFound(f"no playable media found at {url} (too many hand-overs between extractors)")


def single_entry(info: dict[str, Any], url: str) -> dict[str, Any]:
    """The one entry of a page that yt-dlp reads as a list; BadInput when it holds several."""
    entries = info.get("entries") or []
    first_two = [entry for entry in itertools.islice(entries, 2) if isinstance(entry, dict)]
    if not first_two:
        raise NotFound(f"no playable media found at {url}")
    if len(first_two) > 1:
        raise BadInput(
            "that page holds several media, not a single track",
            hint="paste the link of one of them",
        )
    entry = dict(first_two[0])
    if not _text(entry.get("title")) and _text(info.get("title")):
        entry.setdefault("title", info["title"])
    return entry


def delegation_for(target: str) -> Delegation | None:
    """A hand-over when ``target`` is one item of a platform mixtui has a client for."""
    if not target.lower().startswith("http"):
        return None
    try:
        recognised = recognise(target)
    except BadInput:
        return None
    if recognised.platform in KNOWN_PLATFORMS and recognised.kind is UrlKind.MEDIA:
        return Delegation(recognised.platform, recognised.url)
    return None


def media_from_info(info: dict[str, Any], requested_url: str) -> Media:
    """yt-dlp's description of one item as Media (platform ``url``)."""
    page = _text(info.get("webpage_url")) or _text(info.get("original_url")) or requested_url
    try:
        page = canonical_url(PLATFORM, page)
    except BadInput:
        page = requested_url
    host = display_host(page)
    title = _text(info.get("title")) or _text(info.get("fulltitle")) or _text(info.get("webpage_url_basename")) or host
    author = next(
        (
            value
            for key in ("uploader", "channel", "artist", "creator", "uploader_id", "webpage_url_domain")
            if (value := _text(info.get(key)))
        ),
        host,
    )
    return Media(
        id=_page_media_id(requested_url, page),
        title=title,
        author=author,
        image=_thumbnail(info),
        platform=PLATFORM,
        url=page,
        duration=_positive_number(info.get("duration")),
    )


# -- file names ----------------------------------------------------------------------------------


def file_name_from_disposition(header: str | None) -> str | None:
    """The file name in a ``Content-Disposition`` header (RFC 6266, ``filename*`` included)."""
    if not header:
        return None
    message = Message()
    message["content-disposition"] = header
    try:
        name = message.get_filename()
    except (ValueError, LookupError):
        return None
    if not name:
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or None


# -- small helpers ---------------------------------------------------------------------------------


def _page_media_id(requested_url: str, page_url: str) -> str:
    """The link's own id (:func:`mixtui.links.link_media_id`), so a page pasted, played or
    imported is one track whatever yt-dlp calls it."""
    try:
        media_id = link_media_id(requested_url)
    except BadInput:
        media_id = ""
    if media_id.startswith(f"{NAME}-"):
        return media_id
    return f"{NAME}-{digest(normalise_url(page_url))}"


def _unsmuggled(url: str) -> str:
    """yt-dlp appends private data to URLs after ``#__youtubedl_smuggle``."""
    return url.split("#__youtubedl_smuggle", 1)[0]


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _positive_number(value: Any) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _thumbnail(info: dict[str, Any]) -> str | None:
    single = _text(info.get("thumbnail"))
    if single.lower().startswith("http"):
        return single
    thumbnails = info.get("thumbnails")
    if isinstance(thumbnails, list):
        for thumbnail in reversed(thumbnails):
            link = _text(thumbnail.get("url")) if isinstance(thumbnail, dict) else ""
            if link.lower().startswith("http"):
                return link
    return None
