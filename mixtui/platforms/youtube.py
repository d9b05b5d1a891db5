"""YouTube: InnerTube search (WEB client, videos filter), YouTube Music songs, oEmbed for URLs.

Search posts to ``{base_url}/youtubei/v1/search`` exactly as the website does (platforms.md
§1.1) and follows continuation tokens for a few pages. The pure ``parse_*()`` functions turn
InnerTube and oEmbed answers into Media; they never raise anything but mixtui errors.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncGenerator
from typing import Any

import httpx

from mixtui.config import Settings
from mixtui.errors import BadInput, MixtuiError, NotFound, PlatformError, PlatformTimeout, RateLimited
from mixtui.links import YOUTUBE_VIDEO_ID, youtube_video_id
from mixtui.models import Media, Platform
from mixtui.platforms.base import collect_pages, decode_json, parse_each, retry_after_seconds, send
from mixtui.platforms.paging import SearchPage

log = logging.getLogger(__name__)

PLATFORM = Platform.YOUTUBE
NAME = PLATFORM.value

# "type: video" plus the flag that skips the crisis-resources interstitial (yt-dlp's choice).
VIDEOS_FILTER = "EgIQAfABAQ=="
# YouTube Music "songs" shelf.
MUSIC_SONGS_FILTER = "EgWKAQIIAWoMEA4QChADEAQQCRAF"
MUSIC_CLIENT_VERSION = "1.20260121.03.00"
# Pages fetched at most for one search (about 20 videos each).
MAX_PAGES = 3

WATCH_URL = "https://www.youtube.com/watch?v={id}"
SHORTS_URL = "https://www.youtube.com/shorts/{id}"
MUSIC_WATCH_URL = "https://music.youtube.com/watch?v={id}"
THUMBNAIL_URL = "https://i.ytimg.com/vi/{id}/hqdefault.jpg"

_CLOCK = re.compile(r"\d+(?::\d{1,2}){0,2}")


class YouTubeClient:
    """Searches and resolves YouTube on the shared HTTP client."""

    platform = PLATFORM

    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        self._settings = settings.platforms.youtube
        self._http = http

    # -- search -----------------------------------------------------------------------------
    async def search(self, query: str, limit: int) -> list[Media]:
        """Up to ``limit`` videos, following continuations for at most ``MAX_PAGES`` pages."""
        return await collect_pages(self._search_pages(query), limit=limit, max_pages=MAX_PAGES, platform=NAME)

    async def _search_pages(self, query: str) -> AsyncGenerator[list[Media], None]:
        cursor: str | None = None
        while True:
            page = await self.search_page(query, 0, cursor)
            yield page.media
            if page.cursor is None:
                return
            cursor = page.cursor

    async def search_page(self, query: str, size: int, cursor: str | None = None) -> SearchPage:
        """One InnerTube results page (about 20 videos; ``size`` cannot change that); the cursor
        is the continuation token."""
        body: dict[str, Any] = {"context": self._context()}
        if cursor is None:
            body |= {"query": query, "params": VIDEOS_FILTER}
        else:
            body["continuation"] = cursor
        media, token = parse_search(await self._post_search(self._settings.base_url, body))
        return SearchPage(media, token)

    async def search_music(self, query: str, limit: int) -> list[Media]:
        """Up to ``limit`` songs from YouTube Music's songs shelf (one page, about 20 songs)."""
        context = {
            "client": {
                "clientName": "WEB_REMIX",
                "clientVersion": MUSIC_CLIENT_VERSION,
                "hl": "en",
                "gl": "US",
                "platform": "DESKTOP",
                "utcOffsetMinutes": 0,
            }
        }
        body = {"context": context, "query": query, "params": MUSIC_SONGS_FILTER}
        base = self._settings.music_base_url
        payload = await self._post_search(base, body, client_name="67", client_version=MUSIC_CLIENT_VERSION)
        media, _token = parse_music_search(payload)
        return media[:limit]

    def _context(self) -> dict[str, Any]:
        return {
            "client": {
                "clientName": "WEB",
                "clientVersion": self._settings.client_version,
                "hl": "en",
                "gl": "US",
                "platform": "DESKTOP",
                "utcOffsetMinutes": 0,
            }
        }

    async def _post_search(
        self,
        base_url: str,
        body: dict[str, Any],
        *,
        client_name: str = "1",
        client_version: str | None = None,
    ) -> Any:
        origin = base_url.rstrip("/")
        headers = {
            "X-YouTube-Client-Name": client_name,
            "X-YouTube-Client-Version": client_version or self._settings.client_version,
            "Origin": origin,
            "Referer": origin + "/",
            # "Reject all" consent answer, so no consent wall can stand in for results.
            "Cookie": "SOCS=CAE=",
        }
        url = f"{origin}/youtubei/v1/search"
        response = await send(
            self._http, PLATFORM, "POST", url, params={"prettyPrint": "false"}, json=body, headers=headers
        )
        return decode_json(response, PLATFORM)

    # -- resolve ----------------------------------------------------------------------------
    async def resolve(self, url: str) -> Media:
        """Title, author and thumbnail of one video URL through oEmbed (oEmbed has no duration)."""
        video_id, is_short = youtube_video_id(url)
        canonical = (SHORTS_URL if is_short else WATCH_URL).format(id=video_id)
        endpoint = self._settings.base_url.rstrip("/") + "/oembed"
        params = {"url": WATCH_URL.format(id=video_id), "format": "json"}
        try:
            response = await self._http.get(endpoint, params=params)
        except httpx.TimeoutException:
            raise PlatformTimeout(f"{NAME} did not answer in time", platform=NAME) from None
        except httpx.HTTPError as error:
            raise PlatformError(
                f"{NAME} could not be reached: {error or type(error).__name__}", platform=NAME
            ) from None
        if response.status_code >= 400:
            raise oembed_error(response.status_code, response.text, video_id, retry_after=retry_after_seconds(response))
        return parse_oembed(decode_json(response, PLATFORM), video_id, canonical_url=canonical)


# -- pure parsers ----------------------------------------------------------------------------
def parse_search(payload: Any) -> tuple[list[Media], str | None]:
    """Videos on one InnerTube search page (first or continuation) and the next page's token.

    Anything that is not a video (shelves, channels, playlists, Shorts shelves, messages) is
    skipped. A 200 answer carrying an error alert, or without any results section, is a
    PlatformError naming the reason.
    """
    if not isinstance(payload, dict):
        raise PlatformError(f"{NAME} sent an unexpected answer (not a JSON object)", platform=NAME)
    _raise_for_alerts(payload)
    sections = _search_sections(payload)
    if sections is None:
        raise PlatformError(f"{NAME} sent an incomplete answer (no search results in it)", platform=NAME)
    media: list[Media] = []
    token: str | None = None
    for section in sections:
        if not isinstance(section, dict):
            continue
        items = _dig(section, "itemSectionRenderer", "contents")
        media += parse_each(items if isinstance(items, list) else [], _parse_item, platform=NAME)
        next_token = _dig(section, "continuationItemRenderer", "continuationEndpoint", "continuationCommand", "token")
        if isinstance(next_token, str) and next_token:
            token = next_token
    return media, token


def parse_video_renderer(renderer: Any) -> Media | None:
    """One ``videoRenderer`` as Media; None when it lacks a usable id or title."""
    video_id = _dig(renderer, "videoId")
    if not isinstance(video_id, str) or not YOUTUBE_VIDEO_ID.fullmatch(video_id):
        return None
    title = _text(_dig(renderer, "title"))
    if not title:
        return None
    author = ""
    for key in ("ownerText", "longBylineText", "shortBylineText"):
        author = _text(_dig(renderer, key))
        if author:
            break
    nav_url = _dig(renderer, "navigationEndpoint", "commandMetadata", "webCommandMetadata", "url")
    is_short = isinstance(nav_url, str) and nav_url.startswith("/shorts/")
    duration = None if _is_live_or_upcoming(renderer) else parse_clock(_text(_dig(renderer, "lengthText")))
    return Media(
        id=f"{NAME}-{video_id}",
        title=title,
        author=author,
        image=THUMBNAIL_URL.format(id=video_id),
        platform=PLATFORM,
        url=(SHORTS_URL if is_short else WATCH_URL).format(id=video_id),
        duration=duration,
    )


def parse_lockup_view_model(model: Any) -> Media | None:
    """One ``lockupViewModel`` card (YouTube's newer format) as Media, when it is a video."""
    if _dig(model, "contentType") != "LOCKUP_CONTENT_TYPE_VIDEO":
        return None
    video_id = _dig(model, "contentId")
    if not isinstance(video_id, str) or not YOUTUBE_VIDEO_ID.fullmatch(video_id):
        return None
    metadata = _dig(model, "metadata", "lockupMetadataViewModel")
    title = _dig(metadata, "title", "content")
    if not isinstance(title, str) or not title.strip():
        return None
    author = ""
    rows = _dig(metadata, "metadata", "contentMetadataViewModel", "metadataRows")
    for row in rows if isinstance(rows, list) else []:
        parts = _dig(row, "metadataParts")
        for part in parts if isinstance(parts, list) else []:
            if _dig(part, "text", "commandRuns", 0, "onTap", "innertubeCommand", "browseEndpoint") is not None:
                author = _clean(_dig(part, "text", "content"))
                break
        if author:
            break
    if not author:
        collaborators = _dig(
            metadata,
            "image",
            "avatarStackViewModel",
            "rendererContext",
            "commandContext",
            "onTap",
            "innertubeCommand",
            "showDialogCommand",
            "panelLoadingStrategy",
            "inlineContent",
            "dialogViewModel",
            "customContent",
            "listViewModel",
            "listItems",
        )
        names = [_clean(_dig(item, "listItemViewModel", "title", "content")) for item in collaborators or []]
        author = " and ".join(name for name in names if name)
    badges = _lockup_badges(model)
    badge_text = next((text for text, _style in badges if text), "")
    live = any("LIVE" in style for _label, style in badges) or badge_text.lower() == "upcoming"
    nav_url = _dig(model, "rendererContext", "commandContext", "onTap", "innertubeCommand", "commandMetadata")
    nav_url = _dig(nav_url, "webCommandMetadata", "url")
    is_short = isinstance(nav_url, str) and nav_url.startswith("/shorts/")
    return Media(
        id=f"{NAME}-{video_id}",
        title=_clean(title),
        author=author,
        image=THUMBNAIL_URL.format(id=video_id),
        platform=PLATFORM,
        url=(SHORTS_URL if is_short else WATCH_URL).format(id=video_id),
        duration=None if live else parse_clock(badge_text),
    )


def parse_music_search(payload: Any) -> tuple[list[Media], str | None]:
    """Songs from a YouTube Music search answer (first page or continuation) and the next token."""
    if not isinstance(payload, dict):
        raise PlatformError(f"{NAME} music sent an unexpected answer (not a JSON object)", platform=NAME)
    _raise_for_alerts(payload)
    shelves: list[Any] = []
    continuation = _dig(payload, "continuationContents", "musicShelfContinuation")
    if isinstance(continuation, dict):
        shelves.append(continuation)
    tabs = _dig(payload, "contents", "tabbedSearchResultsRenderer", "tabs")
    for tab in tabs if isinstance(tabs, list) else []:
        sections = _dig(tab, "tabRenderer", "content", "sectionListRenderer", "contents")
        for section in sections if isinstance(sections, list) else []:
            shelf = _dig(section, "musicShelfRenderer")
            if isinstance(shelf, dict):
                shelves.append(shelf)
    if not shelves and tabs is None and continuation is None:
        raise PlatformError(f"{NAME} music sent an incomplete answer (no search results in it)", platform=NAME)
    media: list[Media] = []
    token: str | None = None
    for shelf in shelves:
        media += parse_each(
            shelf.get("contents") or [],
            lambda item: _parse_music_item(_dig(item, "musicResponsiveListItemRenderer")),
            platform=NAME,
        )
        next_token = _dig(shelf, "continuations", 0, "nextContinuationData", "continuation")
        if isinstance(next_token, str) and next_token:
            token = next_token
    return media, token


def parse_oembed(payload: Any, video_id: str, *, canonical_url: str | None = None) -> Media:
    """A video's oEmbed answer as Media; the id comes from the URL (oEmbed has none), duration null."""
    if not isinstance(payload, dict):
        raise PlatformError(f"{NAME} oEmbed sent an unexpected answer (not a JSON object)", platform=NAME)
    title = _clean(payload.get("title"))
    if not title:
        raise NotFound(f"{NAME} video {video_id} is unavailable (oEmbed gave no title)")
    thumbnail = payload.get("thumbnail_url")
    return Media(
        id=f"{NAME}-{video_id}",
        title=title,
        author=_clean(payload.get("author_name")),
        image=thumbnail if isinstance(thumbnail, str) and thumbnail else THUMBNAIL_URL.format(id=video_id),
        platform=PLATFORM,
        url=canonical_url or WATCH_URL.format(id=video_id),
        duration=None,
    )


def oembed_error(status: int, body: str, video_id: str, *, retry_after: float | None = None) -> MixtuiError:
    """What an oEmbed error status means for a video (the bodies are plain text, not JSON)."""
    reason = body.strip().splitlines()[0][:80] if body.strip() and not body.lstrip().startswith("<") else ""
    said = f" (oEmbed: {reason})" if reason else ""
    if status == 429 or (status == 403 and retry_after is not None):
        wait = f"; retry in {retry_after:g} s" if retry_after is not None else ""
        return RateLimited(f"{NAME} rate-limited us{wait}", platform=NAME, retry_after=retry_after)
    if status == 400:
        return BadInput(f"{NAME} could not read the video URL for {video_id}{said}")
    if status == 401:
        return NotFound(f"{NAME} video {video_id} is private{said}")
    if status == 403:
        return PlatformError(
            f"{NAME} video {video_id} does not allow embedding, so its details cannot be read{said}", platform=NAME
        )
    if status == 404:
        return NotFound(f"{NAME} video {video_id} was removed or does not exist{said}")
    return PlatformError(f"{NAME} oEmbed answered HTTP {status}{said}", platform=NAME)


def parse_clock(text: str | None) -> int | None:
    """``"47:20"`` → 2840, ``"1:17:43"`` → 4663; None for anything that is not a clock."""
    if not text:
        return None
    cleaned = text.strip()
    if not _CLOCK.fullmatch(cleaned):
        return None
    seconds = 0
    for part in cleaned.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds or None


# -- helpers ---------------------------------------------------------------------------------
def _search_sections(payload: dict[str, Any]) -> list[Any] | None:
    first_page = _dig(
        payload, "contents", "twoColumnSearchResultsRenderer", "primaryContents", "sectionListRenderer", "contents"
    )
    if isinstance(first_page, list):
        return first_page
    commands = payload.get("onResponseReceivedCommands")
    if not isinstance(commands, list):
        return None
    sections: list[Any] = []
    found = False
    for command in commands:
        for action in ("appendContinuationItemsAction", "reloadContinuationItemsCommand"):
            items = _dig(command, action, "continuationItems")
            if isinstance(items, list):
                sections.extend(items)
                found = True
    return sections if found else None


def _raise_for_alerts(payload: dict[str, Any]) -> None:
    alerts = payload.get("alerts")
    for alert in alerts if isinstance(alerts, list) else []:
        for kind in ("alertRenderer", "alertWithButtonRenderer"):
            renderer = _dig(alert, kind)
            if isinstance(renderer, dict) and renderer.get("type") == "ERROR":
                text = _text(renderer.get("text")) or "unknown error"
                raise PlatformError(f"{NAME} reported an error: {text[:200]}", platform=NAME)


def _parse_item(item: Any) -> Media | None:
    if not isinstance(item, dict):
        return None
    if "videoRenderer" in item:
        return parse_video_renderer(item["videoRenderer"])
    if "lockupViewModel" in item:
        return parse_lockup_view_model(item["lockupViewModel"])
    return None


def _parse_music_item(renderer: Any) -> Media | None:
    if not isinstance(renderer, dict):
        return None
    columns = renderer.get("flexColumns")
    if not isinstance(columns, list) or not columns:
        return None
    title_runs = _dig(columns[0], "musicResponsiveListItemFlexColumnRenderer", "text", "runs")
    video_id = _dig(renderer, "playlistItemData", "videoId") or _dig(
        title_runs, 0, "navigationEndpoint", "watchEndpoint", "videoId"
    )
    title = _clean(_dig(title_runs, 0, "text"))
    if not isinstance(video_id, str) or not YOUTUBE_VIDEO_ID.fullmatch(video_id) or not title:
        return None
    detail_runs = (
        _dig(columns[1], "musicResponsiveListItemFlexColumnRenderer", "text", "runs") if len(columns) > 1 else []
    )
    detail_runs = detail_runs if isinstance(detail_runs, list) else []
    artists = [
        _clean(run.get("text"))
        for run in detail_runs
        if isinstance(run, dict)
        and _dig(
            run,
            "navigationEndpoint",
            "browseEndpoint",
            "browseEndpointContextSupportedConfigs",
            "browseEndpointContextMusicConfig",
            "pageType",
        )
        == "MUSIC_PAGE_TYPE_ARTIST"
    ]
    if not any(artists):
        # Artists without a channel link: the text before the first " • " separator.
        leading: list[str] = []
        for run in detail_runs:
            text = str(_dig(run, "text") or "")
            if text.strip() == "\u2022":
                break
            leading.append(text)
        artists = [_clean("".join(leading))]
    duration = None
    for run in reversed(detail_runs):
        duration = parse_clock(_dig(run, "text")) if ":" in str(_dig(run, "text") or "") else None
        if duration is not None:
            break
    thumbnails = _dig(renderer, "thumbnail", "musicThumbnailRenderer", "thumbnail", "thumbnails")
    image = _dig(thumbnails, -1, "url") if isinstance(thumbnails, list) and thumbnails else None
    if isinstance(image, str):
        # The size suffix can be raised: =w120-h120 is a list icon, =w544-h544 a cover.
        image = re.sub(r"=w\d+-h\d+", "=w544-h544", image)
    return Media(
        id=f"{NAME}-{video_id}",
        title=title,
        author=", ".join(a for a in artists if a),
        image=image if isinstance(image, str) else THUMBNAIL_URL.format(id=video_id),
        platform=PLATFORM,
        url=MUSIC_WATCH_URL.format(id=video_id),
        duration=duration,
    )


def _is_live_or_upcoming(renderer: Any) -> bool:
    if _dig(renderer, "upcomingEventData") is not None:
        return True
    badges = _dig(renderer, "badges")
    for badge in badges if isinstance(badges, list) else []:
        if "LIVE" in str(_dig(badge, "metadataBadgeRenderer", "style") or ""):
            return True
    overlays = _dig(renderer, "thumbnailOverlays")
    for overlay in overlays if isinstance(overlays, list) else []:
        style = _dig(overlay, "thumbnailOverlayTimeStatusRenderer", "style")
        if style in ("LIVE", "UPCOMING"):
            return True
    return False


def _lockup_badges(model: Any) -> list[tuple[str, str]]:
    badges: list[tuple[str, str]] = []
    overlays = _dig(model, "contentImage", "thumbnailViewModel", "overlays")
    for overlay in overlays if isinstance(overlays, list) else []:
        for path in (
            ("thumbnailBottomOverlayViewModel", "badges"),
            ("thumbnailOverlayBadgeViewModel", "thumbnailBadges"),
        ):
            entries = _dig(overlay, *path)
            for entry in entries if isinstance(entries, list) else []:
                badge = _dig(entry, "thumbnailBadgeViewModel")
                if isinstance(badge, dict):
                    badges.append((_clean(badge.get("text")), str(badge.get("badgeStyle") or "")))
    return badges


def _text(value: Any) -> str:
    """The text of an InnerTube text object (``simpleText`` or joined ``runs``)."""
    if isinstance(value, dict):
        if isinstance(value.get("simpleText"), str):
            return _clean(value["simpleText"])
        runs = value.get("runs")
        if isinstance(runs, list):
            return _clean("".join(str(run.get("text", "")) for run in runs if isinstance(run, dict)))
        if isinstance(value.get("content"), str):
            return _clean(value["content"])
    return ""


def _clean(value: Any) -> str:
    """Collapse whitespace (collaborator bylines come as "A  and B")."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _dig(value: Any, *path: str | int) -> Any:
    """Walk dict keys and list indexes; None as soon as a step is missing."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return None
            value = value[step]
        else:
            if not isinstance(value, dict):
                return None
            value = value.get(step)
    return value
