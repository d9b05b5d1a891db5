"""URL recognition without network: which platform a link belongs to, and what it points at.

:func:`identify` answers ``(platform, native_id | None)`` for a link to ONE playable item
(a video, a track, a show, a media file or an unknown web page) and raises :class:`BadInput`
for everything else: malformed text, non-web schemes, and links a platform knows but that are
not one item (playlists, channels, profiles, user lists, sets, search and discover pages),
with a message that says what the link is ("that link is a YouTube playlist, not a single
track"). :func:`recognise` gives the full answer (:class:`RecognisedUrl`) without raising for
the second kind, for callers that want to show or expand such links.

``native_id`` is None when only a network call can tell it (SoundCloud page URLs, Bandcamp
pages, short links, unknown sites). Forms follow platforms.md §1.6, 2.6, 3.4, 4.5, 5.4, 6.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import re
from urllib.parse import SplitResult, parse_qs, parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from mixtui.errors import BadInput
from mixtui.links.mixcloud_keys import decode_native_id, encode_native_id, key_from_url
from mixtui.media_files import MEDIA_FILE_EXTENSIONS
from mixtui.platform_names import Platform
from mixtui.text import mask_userinfo

MAX_URL_LENGTH = 4096

# Query parameters that only track where a link was shared from, on any site.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga"})
# Per platform, parameters that are sharing noise there (and meaningful elsewhere, e.g. ``p``).
PLATFORM_NOISE_PARAMS: dict[Platform, frozenset[str]] = {
    Platform.YOUTUBE: frozenset({"si", "pp", "feature", "ab_channel", "app", "embeds_referring_euri"}),
    Platform.SOUNDCLOUD: frozenset({"si", "ref", "p", "c", "in", "in_system_playlist"}),
    Platform.MIXCLOUD: frozenset({"si", "ref"}),
    Platform.BANDCAMP: frozenset(
        {"from", "search_item_id", "search_item_type", "search_sig", "search_page_id", "search_page_no"}
        | {"search_match_part", "search_rank", "label", "tab"}
    ),
    Platform.VIMEO: frozenset({"share", "fl", "fe", "ref"}),
}

# A YouTube video id: 11 characters of URL-safe base64.
YOUTUBE_VIDEO_ID = re.compile(r"[0-9A-Za-z_-]{11}")
_DIGITS = re.compile(r"\d+")
_HOST_LABELS = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_IPV6 = re.compile(r"[0-9a-f:.]+")
_UNSAFE_CHARACTERS = re.compile(r"[\s\x00-\x1f\x7f]")


class UrlKind(enum.StrEnum):
    """What a recognised link points at."""

    # One item that its platform's client resolves (a video, a track, a show, an album page).
    MEDIA = "media"
    # One item on a known platform that only yt-dlp resolves (a Bandcamp Weekly episode, a Vimeo event).
    EXTRACTOR_ONLY = "extractor_only"
    # A direct link to an audio/video file or an HLS playlist.
    MEDIA_FILE = "media_file"
    # A page on a site mixtui does not know: yt-dlp's generic extractor decides.
    WEB_PAGE = "web_page"
    # Known platform, but not one item.
    PLAYLIST = "playlist"
    CHANNEL = "channel"
    PROFILE = "profile"
    USER_LIST = "user_list"
    SEARCH = "search"
    DISCOVER = "discover"
    SITE_PAGE = "site_page"

    @property
    def single(self) -> bool:
        return self in _SINGLE_KINDS


_SINGLE_KINDS = frozenset({UrlKind.MEDIA, UrlKind.EXTRACTOR_ONLY, UrlKind.MEDIA_FILE, UrlKind.WEB_PAGE})


@dataclasses.dataclass(frozen=True)
class RecognisedUrl:
    """A link as mixtui understands it; ``reason`` says why a non-single link is refused."""

    url: str
    platform: Platform
    kind: UrlKind
    native_id: str | None = None
    reason: str | None = None

    @property
    def single(self) -> bool:
        return self.kind.single


# -- public functions ------------------------------------------------------------------------


def identify(url: str) -> tuple[Platform, str | None]:
    """``(platform, native_id | None)`` for a link to one item; BadInput for anything else."""
    recognised = recognise(url)
    if not recognised.single:
        raise BadInput(
            recognised.reason or "that link is not a single track",
            hint="paste the link of one track, video or show",
        )
    return recognised.platform, recognised.native_id


def recognise(url: str) -> RecognisedUrl:
    """What a link is; BadInput only for text that is not a usable http(s) link."""
    text, parts, host = _split(url)
    for recognise_platform in _PLATFORM_RECOGNISERS:
        recognised = recognise_platform(text, parts, host)
        if recognised is not None:
            return recognised
    if _extension(parts.path) in MEDIA_FILE_EXTENSIONS:
        return RecognisedUrl(text, Platform.URL, UrlKind.MEDIA_FILE, media_file_id(text))
    return RecognisedUrl(text, Platform.URL, UrlKind.WEB_PAGE)


def youtube_video_id(url: str) -> tuple[str, bool]:
    """The video id in a YouTube link, and whether it is a Short; BadInput saying what else it is.

    A link without a scheme (``youtube.com/watch?v=…``) is read as https.
    """
    text = url.strip() if isinstance(url, str) else url
    if isinstance(text, str) and "://" not in text:
        text = "https://" + text
    try:
        recognised = recognise(text)
    except BadInput:
        raise BadInput(f"not a valid URL: {str(url)[:200]!r}") from None
    if recognised.platform is not Platform.YOUTUBE:
        raise BadInput(f"not a YouTube URL: {recognised.url[:200]!r}")
    if recognised.kind is UrlKind.MEDIA and recognised.native_id:
        is_short = _segments(urlsplit(recognised.url).path)[:1] == ["shorts"]
        return recognised.native_id, is_short
    what = _YOUTUBE_NOT_A_VIDEO.get(recognised.kind)
    if what is not None:
        raise BadInput(f"that YouTube URL is {what}: {recognised.url[:200]}")
    raise BadInput(f"no video id in the YouTube URL {recognised.url[:200]!r}")


def media_file_id(url: str) -> str:
    """The native id of a direct media link: a stable hash of its normalised URL."""
    return hashlib.sha1(normalise_url(url).encode("utf-8")).hexdigest()[:16]


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters."""
    _text, parts, host = _split(url)
    scheme = parts.scheme.lower()
    port = parts.port
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        netloc = f"{netloc}:{port}"
    query = _without_params(parts.query, TRACKING_PARAMS, strip_utm=True)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def canonical_url(platform: Platform, url: str) -> str:
    """The page URL to store for a link: canonical for known platforms, tracking-free otherwise.

    YouTube → ``https://www.youtube.com/watch?v=<id>`` (or ``/shorts/<id>``); SoundCloud →
    ``https://soundcloud.com/<user>/<slug>[/<secret>]``; Mixcloud → ``https://www.mixcloud.com``
    + key; Bandcamp → page without query; Vimeo → ``https://vimeo.com/<id>[/<hash>]``. Other
    links lose only tracking parameters (``utm_*``, ``fbclid``, …). BadInput for malformed text.
    """
    text, parts, host = _split(url)
    recognised = recognise(text)
    if recognised.platform is platform and recognised.kind is UrlKind.MEDIA:
        built = _canonical_for_platform(recognised, parts, host)
        if built is not None:
            return built
    noise = PLATFORM_NOISE_PARAMS.get(platform, frozenset()) | TRACKING_PARAMS
    query = _without_params(parts.query, noise, strip_utm=True)
    keep_fragment = platform is Platform.URL and recognised.kind is UrlKind.WEB_PAGE
    fragment = parts.fragment * keep_fragment
    return urlunsplit((parts.scheme.lower(), _lower_host(parts.netloc), parts.path, query, fragment))


def mixcloud_native_id(key: str) -> str:
    """A Mixcloud show's native id: URL-safe base64 of its key."""
    return encode_native_id(key)


def mixcloud_key(native_id: str) -> str:
    """The show key behind a Mixcloud native id (``mixcloud-`` prefix optional)."""
    return decode_native_id(native_id)


# -- parsing ---------------------------------------------------------------------------------


def _split(url: object) -> tuple[str, SplitResult, str]:
    """The stripped text, its parts and its lower-case ASCII host; BadInput when unusable."""
    if not isinstance(url, str):
        raise BadInput("a link must be text")
    text = url.strip()
    shown = _shown(text)
    if not text:
        raise BadInput("empty link", hint="paste a link that starts with https://")
    if len(text) > MAX_URL_LENGTH:
        raise BadInput(f"link too long ({len(text)} characters; at most {MAX_URL_LENGTH})")
    if _UNSAFE_CHARACTERS.search(text):
        raise BadInput(f"a link cannot contain spaces or control characters: {shown}")
    try:
        parts = urlsplit(text)
        port = parts.port
        raw_host = parts.hostname or ""
    except ValueError as error:
        raise BadInput(f"malformed link {shown}: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        if not scheme or "." in scheme:
            raise BadInput(f"not a link: {shown}", hint="a link starts with https://")
        raise BadInput(f"only http and https links can be resolved, not {scheme}: {shown}")
    if port == 0:
        raise BadInput(f"malformed link {shown}: port 0")
    host = _ascii_host(raw_host.rstrip("."))
    if host is None:
        raise BadInput(f"a link needs a valid host name: {shown}")
    return text, parts, host


def _ascii_host(host: str) -> str | None:
    if not host:
        return None
    if ":" in host:
        return host if _IPV6.fullmatch(host) else None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    host = host.lower()
    if len(host) > 253 or not _HOST_LABELS.fullmatch(host) or any(len(label) > 63 for label in host.split(".")):
        return None
    return host


def _lower_host(netloc: str) -> str:
    """A netloc with its host lower-cased and its userinfo (a password) byte-exact."""
    userinfo, at, host = netloc.rpartition("@")
    return f"{userinfo}{at}{host.lower()}"


def _shown(text: str) -> str:
    """The link as quoted in a message: shortened, control characters escaped."""
    return repr(mask_userinfo(text[:120]) + ("…" if len(text) > 120 else ""))


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    return name[name.rfind(".") :] if "." in name else ""


def _query_value(query: str, name: str) -> str:
    values = parse_qs(query).get(name)
    return values[0].strip() if values else ""


def _without_params(query: str, names: frozenset[str], *, strip_utm: bool) -> str:
    kept = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if key.lower() not in names and not (strip_utm and key.lower().startswith("utm_"))
    ]
    return urlencode(kept)


def _is_host(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


# -- YouTube (platforms.md §1.6) -------------------------------------------------------------

_YOUTUBE_ID_PATHS = frozenset({"shorts", "live", "embed", "v", "e"})
_YOUTUBE_CHANNEL_PATHS = frozenset({"channel", "c", "user"})
_YOUTUBE_SITE_PAGES = frozenset(
    {"feed", "account", "premium", "gaming", "about", "t", "howyoutubeworks", "upload", "library", "hashtag", "clip"}
)


def _youtube(text: str, parts: SplitResult, host: str) -> RecognisedUrl | None:
    if host == "youtu.be":
        segments = _segments(parts.path)
        if segments and YOUTUBE_VIDEO_ID.fullmatch(segments[0]):
            return RecognisedUrl(text, Platform.YOUTUBE, UrlKind.MEDIA, segments[0])
        return _youtube_not_media(text, UrlKind.SITE_PAGE, "a YouTube short link without a video id")
    if not (_is_host(host, "youtube.com") or _is_host(host, "youtube-nocookie.com")):
        return None
    segments = _segments(parts.path)
    first = segments[0] if segments else ""
    if first == "watch":
        video_id = _query_value(parts.query, "v")
        if YOUTUBE_VIDEO_ID.fullmatch(video_id):
            return RecognisedUrl(text, Platform.YOUTUBE, UrlKind.MEDIA, video_id)
        if _query_value(parts.query, "list"):
            return _youtube_not_media(text, UrlKind.PLAYLIST, "a YouTube playlist, not a single track")
        return _youtube_not_media(text, UrlKind.SITE_PAGE, "a YouTube watch page without a video id")
    if first in _YOUTUBE_ID_PATHS:
        candidate = segments[1] if len(segments) > 1 else ""
        if YOUTUBE_VIDEO_ID.fullmatch(candidate):
            return RecognisedUrl(text, Platform.YOUTUBE, UrlKind.MEDIA, candidate)
        if first == "embed" and (candidate == "videoseries" or _query_value(parts.query, "list")):
            return _youtube_not_media(text, UrlKind.PLAYLIST, "a YouTube playlist player, not a single track")
        return _youtube_not_media(text, UrlKind.SITE_PAGE, f"a YouTube /{first}/ page without a video id")
    if first == "playlist":
        return _youtube_not_media(text, UrlKind.PLAYLIST, "a YouTube playlist, not a single track")
    if first in ("results", "search"):
        return _youtube_not_media(text, UrlKind.SEARCH, "a YouTube search page, not a single track")
    if first == "browse":
        return _youtube_not_media(text, UrlKind.PLAYLIST, "a YouTube Music album, artist or playlist page")
    if first.startswith("@") or first in _YOUTUBE_CHANNEL_PATHS:
        return _youtube_not_media(text, UrlKind.CHANNEL, "a YouTube channel, not a single track")
    if not first:
        return _youtube_not_media(text, UrlKind.SITE_PAGE, "the YouTube home page, not a single track")
    if first in _YOUTUBE_SITE_PAGES or len(segments) > 1:
        return _youtube_not_media(text, UrlKind.SITE_PAGE, "a YouTube page that is not a single track")
    # youtube.com/<name>: a legacy custom channel URL.
    return _youtube_not_media(text, UrlKind.CHANNEL, "a YouTube channel, not a single track")


_YOUTUBE_NOT_A_VIDEO = {
    UrlKind.PLAYLIST: "a playlist, not one video",
    UrlKind.CHANNEL: "a channel, not a video",
    UrlKind.SEARCH: "a search page, not a video",
}


def _youtube_not_media(text: str, kind: UrlKind, what: str) -> RecognisedUrl:
    return RecognisedUrl(text, Platform.YOUTUBE, kind, reason=f"that link is {what}")


# -- SoundCloud (platforms.md §2.6) ----------------------------------------------------------

_SOUNDCLOUD_SITE_HOSTS = frozenset({"soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"})
_SOUNDCLOUD_API_HOSTS = frozenset({"api.soundcloud.com", "api-v2.soundcloud.com", "api-widget.soundcloud.com"})
_SOUNDCLOUD_SHORT_HOSTS = frozenset({"on.soundcloud.com", "soundcloud.app.goo.gl"})
_SOUNDCLOUD_TRACK_URN = re.compile(r"(?:soundcloud:tracks:)?(\d+)", re.IGNORECASE)
_SOUNDCLOUD_PAGES: dict[str, tuple[UrlKind, str]] = {
    "discover": (UrlKind.DISCOVER, "the SoundCloud discover page"),
    "search": (UrlKind.SEARCH, "a SoundCloud search page"),
    "stations": (UrlKind.PLAYLIST, "a SoundCloud station"),
    "charts": (UrlKind.PLAYLIST, "a SoundCloud chart"),
    "tags": (UrlKind.DISCOVER, "a SoundCloud tag page"),
    "feed": (UrlKind.SITE_PAGE, "the SoundCloud feed"),
    "stream": (UrlKind.SITE_PAGE, "the SoundCloud stream"),
    "you": (UrlKind.SITE_PAGE, "a page of your SoundCloud account"),
    "upload": (UrlKind.SITE_PAGE, "the SoundCloud upload page"),
    "messages": (UrlKind.SITE_PAGE, "a SoundCloud account page"),
    "notifications": (UrlKind.SITE_PAGE, "a SoundCloud account page"),
    "settings": (UrlKind.SITE_PAGE, "a SoundCloud account page"),
    "signin": (UrlKind.SITE_PAGE, "the SoundCloud sign-in page"),
    "pages": (UrlKind.SITE_PAGE, "a SoundCloud information page"),
    "terms-of-use": (UrlKind.SITE_PAGE, "a SoundCloud information page"),
    "imprint": (UrlKind.SITE_PAGE, "a SoundCloud information page"),
    "jobs": (UrlKind.SITE_PAGE, "a SoundCloud information page"),
    "mobile": (UrlKind.SITE_PAGE, "a SoundCloud information page"),
    "people": (UrlKind.SEARCH, "a SoundCloud people page"),
    "popular": (UrlKind.DISCOVER, "a SoundCloud popular page"),
    "playlists": (UrlKind.PLAYLIST, "a SoundCloud playlist page"),
}
_SOUNDCLOUD_USER_LISTS: dict[str, tuple[UrlKind, str]] = {
    "sets": (UrlKind.PLAYLIST, "a SoundCloud playlist (set), not a single track"),
    "tracks": (UrlKind.USER_LIST, "a SoundCloud profile's track list, not a single track"),
    "popular-tracks": (UrlKind.USER_LIST, "a SoundCloud profile's track list, not a single track"),
    "likes": (UrlKind.USER_LIST, "a SoundCloud profile's likes, not a single track"),
    "reposts": (UrlKind.USER_LIST, "a SoundCloud profile's reposts, not a single track"),
    "albums": (UrlKind.USER_LIST, "a SoundCloud profile's albums, not a single track"),
    "followers": (UrlKind.PROFILE, "a SoundCloud profile page, not a single track"),
    "following": (UrlKind.PROFILE, "a SoundCloud profile page, not a single track"),
    "comments": (UrlKind.PROFILE, "a SoundCloud profile page, not a single track"),
    "spotlight": (UrlKind.USER_LIST, "a SoundCloud profile's spotlight, not a single track"),
    "toptracks": (UrlKind.USER_LIST, "a SoundCloud profile's track list, not a single track"),
}
# Pages under a track's address that still name that track.
_SOUNDCLOUD_TRACK_SUBPAGES = frozenset({"recommended", "likes", "reposts", "sets", "comments", "albums"})


def _soundcloud(text: str, parts: SplitResult, host: str) -> RecognisedUrl | None:
    if host in _SOUNDCLOUD_SHORT_HOSTS:
        if _segments(parts.path):
            return RecognisedUrl(text, Platform.SOUNDCLOUD, UrlKind.MEDIA)
        return _soundcloud_not_media(text, UrlKind.SITE_PAGE, "a SoundCloud short link without a code")
    if host == "w.soundcloud.com":
        inner = _query_value(parts.query, "url")
        if inner:
            try:
                inner_recognised = recognise(inner)
            except BadInput:
                inner_recognised = None
            if inner_recognised is not None and inner_recognised.platform is Platform.SOUNDCLOUD:
                return dataclasses.replace(inner_recognised, url=text)
        return _soundcloud_not_media(text, UrlKind.SITE_PAGE, "a SoundCloud player link that names no track")
    if host in _SOUNDCLOUD_API_HOSTS:
        segments = [unquote(segment) for segment in _segments(parts.path)]
        if len(segments) == 2 and segments[0] == "tracks":
            match = _SOUNDCLOUD_TRACK_URN.fullmatch(segments[1])
            if match:
                return RecognisedUrl(text, Platform.SOUNDCLOUD, UrlKind.MEDIA, match.group(1))
        if segments[:1] == ["playlists"]:
            return _soundcloud_not_media(text, UrlKind.PLAYLIST, "a SoundCloud playlist (set), not a single track")
        if segments[:1] == ["users"]:
            return _soundcloud_not_media(text, UrlKind.PROFILE, "a SoundCloud profile, not a single track")
        return _soundcloud_not_media(text, UrlKind.SITE_PAGE, "a SoundCloud API address that is not a track")
    if host not in _SOUNDCLOUD_SITE_HOSTS:
        return None
    segments = [unquote(segment) for segment in _segments(parts.path)]
    if not segments:
        return _soundcloud_not_media(text, UrlKind.SITE_PAGE, "the SoundCloud home page, not a single track")
    page = _SOUNDCLOUD_PAGES.get(segments[0].lower())
    if page is not None:
        kind, what = page
        return _soundcloud_not_media(text, kind, f"{what}, not a single track")
    if len(segments) == 1:
        return _soundcloud_not_media(text, UrlKind.PROFILE, "a SoundCloud profile, not a single track")
    user_list = _SOUNDCLOUD_USER_LISTS.get(segments[1].lower())
    if user_list is not None:
        kind, what = user_list
        return _soundcloud_not_media(text, kind, what)
    if len(segments) == 2 or segments[2].startswith("s-") or segments[2].lower() in _SOUNDCLOUD_TRACK_SUBPAGES:
        return RecognisedUrl(text, Platform.SOUNDCLOUD, UrlKind.MEDIA)
    return _soundcloud_not_media(text, UrlKind.SITE_PAGE, "a SoundCloud page that is not a single track")


def _soundcloud_not_media(text: str, kind: UrlKind, what: str) -> RecognisedUrl:
    return RecognisedUrl(text, Platform.SOUNDCLOUD, kind, reason=f"that link is {what}")


# -- Mixcloud (platforms.md §3.4) ------------------------------------------------------------

_MIXCLOUD_HOSTS = frozenset(
    {"mixcloud.com", "www.mixcloud.com", "m.mixcloud.com", "beta.mixcloud.com", "api.mixcloud.com"}
    | {"player-widget.mixcloud.com", "app.mixcloud.com"}
)
_MIXCLOUD_USER_LISTS = frozenset({"uploads", "favorites", "listens", "stream"})
_MIXCLOUD_SECTIONS: dict[str, tuple[UrlKind, str]] = {
    "discover": (UrlKind.DISCOVER, "a Mixcloud discover page"),
    "genres": (UrlKind.DISCOVER, "a Mixcloud genre page"),
    "tag": (UrlKind.DISCOVER, "a Mixcloud tag page"),
    "categories": (UrlKind.DISCOVER, "a Mixcloud category page"),
    "search": (UrlKind.SEARCH, "a Mixcloud search page"),
    "live": (UrlKind.SITE_PAGE, "a Mixcloud live stream page"),
    "select": (UrlKind.SITE_PAGE, "a Mixcloud Select page"),
    "upload": (UrlKind.SITE_PAGE, "the Mixcloud upload page"),
    "dashboard": (UrlKind.SITE_PAGE, "a Mixcloud account page"),
    "settings": (UrlKind.SITE_PAGE, "a Mixcloud account page"),
}


def _mixcloud(text: str, parts: SplitResult, host: str) -> RecognisedUrl | None:
    if host not in _MIXCLOUD_HOSTS:
        return None
    try:
        key = key_from_url(text)
    except (BadInput, ValueError):
        kind, what = _mixcloud_page(parts)
        return RecognisedUrl(text, Platform.MIXCLOUD, kind, reason=f"that link is {what}, not a single show")
    return RecognisedUrl(text, Platform.MIXCLOUD, UrlKind.MEDIA, encode_native_id(key))


def _mixcloud_page(parts: SplitResult) -> tuple[UrlKind, str]:
    segments = [unquote(segment).lower() for segment in _segments(parts.path)]
    if not segments:
        return UrlKind.SITE_PAGE, "the Mixcloud home page"
    if segments[0] == "widget":
        return UrlKind.SITE_PAGE, "a Mixcloud player link that names no show"
    section = _MIXCLOUD_SECTIONS.get(segments[0])
    if section is not None:
        return section
    if len(segments) == 1:
        return UrlKind.PROFILE, "a Mixcloud user's page (their list of shows)"
    if segments[1] == "playlists":
        return UrlKind.PLAYLIST, "a Mixcloud playlist"
    if segments[1] in _MIXCLOUD_USER_LISTS:
        return UrlKind.USER_LIST, f"a Mixcloud user's {segments[1]} list"
    return UrlKind.SITE_PAGE, "a Mixcloud page"


# -- Bandcamp (platforms.md §4.5) ------------------------------------------------------------

_BANDCAMP_EMBED_ITEM = re.compile(r"(track|album)=(\d+)", re.IGNORECASE)
_BANDCAMP_ITEM_PATHS = frozenset({"track", "album"})


def _bandcamp(text: str, parts: SplitResult, host: str) -> RecognisedUrl | None:
    if not _is_host(host, "bandcamp.com"):
        return None
    segments = _segments(parts.path)
    first = segments[0].lower() if segments else ""
    if host in ("bandcamp.com", "www.bandcamp.com"):
        if first in ("embeddedplayer", "embeddedplayer.html"):
            for piece in [*segments[1:], *parts.query.split("&")]:
                match = _BANDCAMP_EMBED_ITEM.fullmatch(piece)
                if match:
                    letter = "t" if match.group(1).lower() == "track" else "a"
                    return RecognisedUrl(text, Platform.BANDCAMP, UrlKind.MEDIA, f"{letter}{match.group(2)}")
            return _bandcamp_not_media(text, UrlKind.SITE_PAGE, "a Bandcamp player link that names no track")
        if first == "radio" and _DIGITS.fullmatch(_query_value(parts.query, "show")):
            return RecognisedUrl(text, Platform.BANDCAMP, UrlKind.EXTRACTOR_ONLY)
        if first == "search":
            return _bandcamp_not_media(text, UrlKind.SEARCH, "a Bandcamp search page")
        if first in ("discover", "tag", "genre"):
            return _bandcamp_not_media(text, UrlKind.DISCOVER, "a Bandcamp discover page")
        if first in _BANDCAMP_ITEM_PATHS:
            return _bandcamp_not_media(text, UrlKind.SITE_PAGE, "a Bandcamp page without an artist")
        if first and first not in ("radio", "about", "help", "terms_of_use", "signup", "login", "settings"):
            return _bandcamp_not_media(text, UrlKind.PROFILE, "a Bandcamp fan or label page")
        return _bandcamp_not_media(text, UrlKind.SITE_PAGE, "a Bandcamp site page")
    if host == "daily.bandcamp.com":
        return _bandcamp_not_media(text, UrlKind.SITE_PAGE, "a Bandcamp Daily article")
    if first in _BANDCAMP_ITEM_PATHS and len(segments) == 2:
        return RecognisedUrl(text, Platform.BANDCAMP, UrlKind.MEDIA)
    return _bandcamp_not_media(text, UrlKind.PROFILE, "a Bandcamp artist's discography")


def _bandcamp_not_media(text: str, kind: UrlKind, what: str) -> RecognisedUrl:
    return RecognisedUrl(text, Platform.BANDCAMP, kind, reason=f"that link is {what}, not a single track")


# -- Vimeo (platforms.md §5.4) ---------------------------------------------------------------

# Shared with the Vimeo client: a video page (an unlisted one carries its hash) or a player link.
VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com"})
VIMEO_PLAYER_HOST = "player.vimeo.com"
VIMEO_VIDEO_PATHS = (
    re.compile(r"/(?P<id>\d+)(?:/(?P<hash>[0-9a-f]{6,}))?/?"),
    re.compile(r"/channels/[^/]+/(?P<id>\d+)/?"),
    re.compile(r"/groups/[^/]+/videos/(?P<id>\d+)/?"),
    re.compile(r"/(?:album|showcase)/[^/]+/video/(?P<id>\d+)/?"),
    re.compile(r"/ondemand/[^/]+/(?P<id>\d+)/?"),
    re.compile(r"/[^/]+/review/(?P<id>\d+)/[0-9a-f]+/?"),
)
VIMEO_PLAYER_PATH = re.compile(r"/video/(?P<id>\d+)/?")
_VIMEO_PAGES: dict[str, tuple[UrlKind, str]] = {
    "channels": (UrlKind.CHANNEL, "a Vimeo channel"),
    "groups": (UrlKind.CHANNEL, "a Vimeo group"),
    "album": (UrlKind.PLAYLIST, "a Vimeo showcase"),
    "showcase": (UrlKind.PLAYLIST, "a Vimeo showcase"),
    "ondemand": (UrlKind.PLAYLIST, "a Vimeo On Demand page"),
    "search": (UrlKind.SEARCH, "a Vimeo search page"),
    "categories": (UrlKind.DISCOVER, "a Vimeo category page"),
    "watch": (UrlKind.DISCOVER, "the Vimeo watch page"),
    "explore": (UrlKind.DISCOVER, "a Vimeo explore page"),
    "features": (UrlKind.SITE_PAGE, "a Vimeo product page"),
    "upload": (UrlKind.SITE_PAGE, "the Vimeo upload page"),
    "log_in": (UrlKind.SITE_PAGE, "the Vimeo log-in page"),
}


def _vimeo(text: str, parts: SplitResult, host: str) -> RecognisedUrl | None:
    if host == VIMEO_PLAYER_HOST:
        match = VIMEO_PLAYER_PATH.fullmatch(parts.path)
        if match:
            return RecognisedUrl(text, Platform.VIMEO, UrlKind.MEDIA, match.group("id"))
        return _vimeo_not_media(text, UrlKind.SITE_PAGE, "a Vimeo player link that names no video")
    if host not in VIMEO_HOSTS:
        return None
    for pattern in VIMEO_VIDEO_PATHS:
        match = pattern.fullmatch(parts.path)
        if match:
            return RecognisedUrl(text, Platform.VIMEO, UrlKind.MEDIA, match.group("id"))
    segments = _segments(parts.path)
    first = segments[0].lower() if segments else ""
    if first == "event" and len(segments) >= 2 and _DIGITS.fullmatch(segments[1]):
        return RecognisedUrl(text, Platform.VIMEO, UrlKind.EXTRACTOR_ONLY)
    if not first:
        return _vimeo_not_media(text, UrlKind.SITE_PAGE, "the Vimeo home page")
    page = _VIMEO_PAGES.get(first)
    if page is not None:
        kind, what = page
        return _vimeo_not_media(text, kind, what)
    if len(segments) == 1:
        return _vimeo_not_media(text, UrlKind.PROFILE, "a Vimeo profile")
    return _vimeo_not_media(text, UrlKind.USER_LIST, "a Vimeo profile's list")


def _vimeo_not_media(text: str, kind: UrlKind, what: str) -> RecognisedUrl:
    return RecognisedUrl(text, Platform.VIMEO, kind, reason=f"that link is {what}, not a single video")


_PLATFORM_RECOGNISERS = (_youtube, _soundcloud, _mixcloud, _bandcamp, _vimeo)


# -- canonical page URLs ---------------------------------------------------------------------


def _canonical_for_platform(recognised: RecognisedUrl, parts: SplitResult, host: str) -> str | None:
    platform, native_id = recognised.platform, recognised.native_id
    if platform is Platform.YOUTUBE and native_id:
        is_short = _segments(parts.path)[:1] == ["shorts"]
        return f"https://www.youtube.com/{'shorts/' if is_short else 'watch?v='}{native_id}"
    if platform is Platform.SOUNDCLOUD and native_id:
        return f"https://api.soundcloud.com/tracks/{native_id}"
    if platform is Platform.SOUNDCLOUD and host in _SOUNDCLOUD_SITE_HOSTS:
        segments = _segments(parts.path)
        keep = segments[:3] if len(segments) >= 3 and segments[2].startswith("s-") else segments[:2]
        return "https://soundcloud.com/" + "/".join(keep)
    if platform is Platform.MIXCLOUD and native_id:
        return "https://www.mixcloud.com" + mixcloud_key(native_id)
    if platform is Platform.BANDCAMP and _segments(parts.path)[:1] != ["EmbeddedPlayer"]:
        scheme = "https" if _is_host(host, "bandcamp.com") else parts.scheme.lower()
        return urlunsplit((scheme, _lower_host(parts.netloc), parts.path.rstrip("/"), "", ""))
    if platform is Platform.VIMEO and native_id:
        unlisted = _vimeo_unlisted_hash(parts, host)
        return f"https://vimeo.com/{native_id}/{unlisted}" if unlisted else f"https://vimeo.com/{native_id}"
    return None


def _vimeo_unlisted_hash(parts: SplitResult, host: str) -> str | None:
    if host == "player.vimeo.com":
        value = _query_value(parts.query, "h")
        return value if re.fullmatch(r"[0-9a-f]+", value) else None
    match = re.fullmatch(r"/\d+/(?P<hash>[0-9a-f]{6,})/?", parts.path)
    return match.group("hash") if match else None
