"""Bandcamp: its HTML search page, track/album pages (``data-tralbum``) and the mobile API.

Bandcamp has no public API. Search reads the site's results page; a track or album URL is
resolved from the ``data-tralbum`` JSON embedded in its page (which also gives durations,
absent from search). Since 2026 Bandcamp sometimes answers scripts with a JavaScript
"client challenge" page: that is reported as :class:`PlatformBlocked`, never as "no results".
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from selectolax.lexbor import LexborHTMLParser, LexborNode

from mixtui.config import Settings
from mixtui.errors import BadInput, PlatformAuthError, PlatformBlocked, PlatformError
from mixtui.links.address import split_web_address
from mixtui.models import Media, Platform
from mixtui.platforms.base import decode_json, parse_each, send
from mixtui.platforms.paging import SearchPage
from mixtui.text import load_json

PLATFORM = Platform.BANDCAMP
PUBLIC_BASE_URL = "https://bandcamp.com"
BLOCKED_MESSAGE = "Bandcamp blocked the request (bot challenge)"
# A cut-short body, an error page or an unknown block page: no results, but no challenge seen.
NOT_A_SEARCH_PAGE_MESSAGE = "Bandcamp sent something other than its search page (cut short, or an error page)"

# Result type letters in ``data-search``: tracks and albums are playable, bands are not.
PLAYABLE_TYPES = frozenset({"t", "a"})
ITEM_TYPE_LETTERS = {"track": "t", "album": "a", "t": "t", "a": "a"}
# Text found on challenge / bot-wall pages (lower-cased), whatever their vendor. Not
# "captcha": genuine Bandcamp pages mention it in their sign-up scripts.
CHALLENGE_MARKERS = (
    "client challenge",
    "challenge-platform",
    "checking your browser",
    "just a moment...",
    "cf-chl",
)
# Elements of the genuine search page, present even when nothing matched.
SEARCH_PAGE_MARKERS = ("form#searchwidget", "form.searchwidget", "div.search", "ul.result-items")
_TRALBUM_PATH = re.compile(r"^/(track|album)/[^/]+/?$")


# -- pure parsers -----------------------------------------------------------------------------


def is_challenge_page(html: str) -> bool:
    """Whether a page is a bot challenge / block page rather than Bandcamp content."""
    head = html[:20000].lower()
    return any(marker in head for marker in CHALLENGE_MARKERS)


def parse_search_page(html: str) -> list[Media]:
    """Tracks and albums of a search results page (artist/label results are skipped).

    A page without results that is not the search page (a challenge, a block page) raises
    :class:`PlatformBlocked`; the genuine search page with no match gives ``[]``.
    """
    tree = LexborHTMLParser(html)
    results = tree.css("li.searchresult")
    if not results:
        is_search_page = any(tree.css_first(selector) is not None for selector in SEARCH_PAGE_MARKERS)
        if is_challenge_page(html):
            raise PlatformBlocked(BLOCKED_MESSAGE, platform=PLATFORM.value)
        if not is_search_page:
            raise PlatformBlocked(NOT_A_SEARCH_PAGE_MESSAGE, platform=PLATFORM.value)
        if "</html>" not in html[-4096:].lower():
            # The search page's start without its end: a torn answer, not "no results".
            raise PlatformError("Bandcamp's search page was cut short (no results read)", platform=PLATFORM.value)
        return []
    return parse_each(results, _search_result, platform=PLATFORM.value)


def has_next_page(html: str) -> bool:
    """Whether a search results page links to a next page (``a.nextprev.next`` in its pager)."""
    return LexborHTMLParser(html).css_first("ul.pagelist a.next") is not None


def _search_result(node: LexborNode) -> Media | None:
    try:
        search_data = load_json(node.attributes.get("data-search") or "")
    except ValueError:
        return None
    if not isinstance(search_data, dict):
        return None
    kind = str(search_data.get("type") or "")
    native = search_data.get("id")
    if kind not in PLAYABLE_TYPES or not isinstance(native, int | str) or not str(native).isdigit():
        return None
    heading = node.css_first("div.heading a") or node.css_first("div.heading")
    title = _squash(heading.text()) if heading is not None else ""
    url = _item_url(node)
    if not title or not url:
        return None
    subhead = node.css_first("div.subhead")
    author = author_from_subhead(subhead.text() if subhead is not None else "") or _artist_from_host(url)
    image_node = node.css_first("div.art img")
    image = None
    if image_node is not None:
        image = image_node.attributes.get("src") or image_node.attributes.get("data-src") or None
    return Media(
        id=f"{PLATFORM.value}-{kind}{native}",
        title=title,
        author=author,
        image=image,
        platform=PLATFORM,
        url=url,
        duration=None,
    )


def author_from_subhead(subhead: str) -> str:
    """The artist in a result's subhead: ``from <album> by <artist>`` or ``by <artist>``."""
    text = _squash(subhead)
    parts = re.split(r"(?:^|\s)by\s+", text)
    return parts[-1].strip() if len(parts) > 1 else ""


def _item_url(node: LexborNode) -> str:
    # The visible item URL has no tracking query, unlike every href on the result.
    link = node.css_first("div.itemurl a") or node.css_first("div.itemurl")
    text = _squash(link.text()) if link is not None else ""
    if not text.lower().startswith("http"):
        heading = node.css_first("div.heading a")
        text = (heading.attributes.get("href") or "") if heading is not None else ""
    return strip_query(text) if text.lower().startswith("http") else ""


def tralbum_data(html: str) -> tuple[dict[str, Any], LexborHTMLParser]:
    """The ``data-tralbum`` JSON of a track/album page (the attribute is HTML-escaped JSON)."""
    tree = LexborHTMLParser(html)
    node = tree.css_first("[data-tralbum]")
    if node is None:
        if is_challenge_page(html):
            raise PlatformBlocked(BLOCKED_MESSAGE, platform=PLATFORM.value)
        raise PlatformError("this page is not a Bandcamp track or album (no data-tralbum)", platform=PLATFORM.value)
    try:
        data = load_json(node.attributes.get("data-tralbum") or "")
    except ValueError:
        raise PlatformError("bandcamp sent an unreadable data-tralbum", platform=PLATFORM.value) from None
    if not isinstance(data, dict):
        raise PlatformError("bandcamp sent an unreadable data-tralbum", platform=PLATFORM.value)
    return data, tree


def parse_tralbum_page(html: str, page_url: str | None = None) -> Media:
    """A track or album page as one Media.

    A track page gives the track with its duration. An album page gives the album as one
    Media (id ``bandcamp-a<id>``) whose duration is the sum of its tracks' durations when
    every track has one; :func:`parse_tralbum_tracks` lists the tracks themselves.
    """
    data, tree = tralbum_data(html)
    letter, native = _type_and_id(data)
    current = _dict(data.get("current"))
    tracks = [t for t in data.get("trackinfo") or [] if isinstance(t, dict)]
    first_track = tracks[0] if tracks else {}
    title = _squash(_str(current.get("title"))) or (_squash(_str(first_track.get("title"))) if letter == "t" else "")
    if not title:
        raise PlatformError("bandcamp sent a page without a title", platform=PLATFORM.value)
    artist = _squash(_str(data.get("artist")))
    if letter == "t":
        author = _squash(_str(first_track.get("artist"))) or artist
        duration = _seconds(first_track.get("duration"))
    else:
        author = artist
        durations = [_seconds(t.get("duration")) for t in tracks]
        duration = _total(durations)
    return Media(
        id=f"{PLATFORM.value}-{letter}{native}",
        title=title,
        author=author or _artist_from_host(_page_url(data, tree, page_url)),
        image=_meta(tree, "og:image") or art_url(data.get("art_id")),
        platform=PLATFORM,
        url=_page_url(data, tree, page_url),
        duration=duration,
    )


def parse_tralbum_tracks(html: str, page_url: str | None = None) -> list[Media]:
    """Every track listed on a track or album page, each as its own Media."""
    data, tree = tralbum_data(html)
    album_url = _page_url(data, tree, page_url)
    artist = _squash(_str(data.get("artist")))
    image = _meta(tree, "og:image") or art_url(data.get("art_id"))
    media: list[Media] = []
    for track in data.get("trackinfo") or []:
        if not isinstance(track, dict):
            continue
        native = track.get("track_id") or track.get("id")
        title = _squash(_str(track.get("title")))
        link = _str(track.get("title_link"))
        if not isinstance(native, int) or not title:
            continue
        media.append(
            Media(
                id=f"{PLATFORM.value}-t{native}",
                title=title,
                author=_squash(_str(track.get("artist"))) or artist,
                image=image,
                platform=PLATFORM,
                url=strip_query(urljoin(album_url, link)) if link else album_url,
                duration=_seconds(track.get("duration")),
            )
        )
    return media


def parse_tralbum_details(payload: Any) -> Media:
    """The mobile API's ``tralbum_details`` answer as one Media (albums: summed duration)."""
    if not isinstance(payload, dict):
        raise PlatformError("bandcamp sent an unexpected answer (not an object)", platform=PLATFORM.value)
    letter, native = _type_and_id(payload)
    title = _squash(_str(payload.get("title")))
    url = strip_query(_str(payload.get("bandcamp_url")))
    if not title or not url:
        raise PlatformError("bandcamp sent details without a title or URL", platform=PLATFORM.value)
    band = _dict(payload.get("band"))
    tracks = [t for t in payload.get("tracks") or [] if isinstance(t, dict)]
    durations = [_seconds(t.get("duration")) for t in tracks]
    duration = (durations[0] if durations else None) if letter == "t" else _total(durations)
    author = _squash(_str(payload.get("tralbum_artist"))) or _squash(_str(band.get("name"))) or _artist_from_host(url)
    return Media(
        id=f"{PLATFORM.value}-{letter}{native}",
        title=title,
        author=author,
        image=art_url(payload.get("art_id")),
        platform=PLATFORM,
        url=url,
        duration=duration,
    )


def art_url(art_id: Any, size: int = 10) -> str | None:
    """Cover art by art id (``_10`` is the large size; the id is zero-padded to 10 digits)."""
    if not isinstance(art_id, int) or isinstance(art_id, bool) or art_id <= 0:
        return None
    return f"https://f4.bcbits.com/img/a{art_id:010d}_{size}.jpg"


def strip_query(url: str) -> str:
    """A page URL without its query and fragment (search links carry tracking parameters)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _type_and_id(data: dict[str, Any]) -> tuple[str, int]:
    letter = ITEM_TYPE_LETTERS.get(str(data.get("item_type") or data.get("type") or ""))
    native = data.get("id")
    if letter is None or not isinstance(native, int) or isinstance(native, bool):
        raise PlatformError("bandcamp sent an item without a type or id", platform=PLATFORM.value)
    return letter, native


def _page_url(data: dict[str, Any], tree: LexborHTMLParser, page_url: str | None) -> str:
    url = _str(data.get("url")) or _meta(tree, "og:url") or (page_url or "")
    if not url.lower().startswith("http"):
        raise PlatformError("bandcamp sent a page without its address", platform=PLATFORM.value)
    return strip_query(url)


def _meta(tree: LexborHTMLParser, prop: str) -> str | None:
    node = tree.css_first(f'meta[property="{prop}"]')
    content = node.attributes.get("content") if node is not None else None
    return content.strip() if content and content.strip() else None


def _artist_from_host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.split(".")[0] if host.endswith(".bandcamp.com") else host


def _seconds(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def _total(durations: list[float | None]) -> float | None:
    """An album's length: the sum of its tracks' when every track has one."""
    if not durations or any(d is None for d in durations):
        return None
    return round(sum(d for d in durations if d is not None), 3)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _squash(text: str) -> str:
    return " ".join(text.split())


# -- URLs -------------------------------------------------------------------------------------


def page_path(url: str) -> str:
    """The ``/track/<slug>`` or ``/album/<slug>`` path of a page URL; BadInput for anything else.

    Any host is accepted (artists' custom domains serve the same pages); whether it really is
    Bandcamp is known only once the page is fetched.
    """
    parts, host = split_web_address(url)
    if host in ("bandcamp.com", "www.bandcamp.com") and parts.path.lower().startswith("/embeddedplayer/"):
        raise BadInput(
            "a Bandcamp embedded player link cannot be resolved without its artist page",
            hint="paste the track or album page address (https://<artist>.bandcamp.com/track/…)",
        )
    if not _TRALBUM_PATH.match(parts.path):
        raise BadInput(f"not a Bandcamp track or album address: {url!r}")
    return parts.path.rstrip("/")


# -- client -----------------------------------------------------------------------------------


class BandcampClient:
    """Bandcamp's website on the shared HTTP client (one request per search page)."""

    platform = PLATFORM

    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.http = http
        self.base_url = settings.platforms.bandcamp.base_url.rstrip("/")

    async def search(self, query: str, limit: int) -> list[Media]:
        """Track results of the first results page (Bandcamp shows 18 per page)."""
        return (await self.search_page(query, limit)).media[:limit]

    async def search_page(self, query: str, size: int, cursor: str | None = None) -> SearchPage:
        """One results page (18 a page, whatever ``size``); the cursor is the next page's number."""
        page = int(cursor) if cursor and cursor.isdigit() else 1
        response = await self._get(f"{self.base_url}/search", params={"q": query, "item_type": "t", "page": page})
        media = parse_search_page(response.text)
        return SearchPage(media, str(page + 1) if media and has_next_page(response.text) else None)

    async def resolve(self, url: str) -> Media:
        path = page_path(url)
        response = await self._get(self.page_fetch_url(url, path))
        return parse_tralbum_page(response.text, page_url=strip_query(url))

    async def tralbum_details(self, band_id: int, tralbum_id: int, kind: str = "t") -> Media:
        """The mobile API's details of a track (``t``) or album (``a``): title, artist, durations."""
        if kind not in PLAYABLE_TYPES:
            raise BadInput(f"unknown Bandcamp item type {kind!r} (expected t or a)")
        params = {"band_id": band_id, "tralbum_id": tralbum_id, "tralbum_type": kind}
        response = await self._get(f"{self.base_url}/api/mobile/22/tralbum_details", params=params)
        return parse_tralbum_details(decode_json(response, PLATFORM))

    def page_fetch_url(self, url: str, path: str) -> str:
        """Where a page is fetched: the page itself, or ``base_url`` + path when a mirror is set."""
        if self.base_url == PUBLIC_BASE_URL:
            return strip_query(url)
        return f"{self.base_url}{path}"

    async def _get(self, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
        try:
            return await send(self.http, PLATFORM, "GET", url, params=params)
        except PlatformAuthError:
            # Bandcamp needs no credentials: a refusal is its bot wall.
            raise PlatformBlocked(BLOCKED_MESSAGE, platform=PLATFORM.value) from None
