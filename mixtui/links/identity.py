"""One identity per track: the Media id and the offline Media a link or a path gives.

Every way a track enters mixtui (search results, a pasted link, ``mixtui play``, ``playlist
add``, an imported playlist file, a generated playlist, Browse) names it by these rules, so the
same thing always gets the same id:

* a link that names its item (a YouTube video, a Vimeo video, a Mixcloud show, a SoundCloud API
  track, a Bandcamp player link) → ``<platform>-<native id>``;
* a direct media link → ``url-<hash of its normalised URL>`` (:func:`media_file_id`);
* any other link (a page only the network can tell the id of) → ``<platform>-<hash of its
  canonical URL, normalised>``: stable whatever tracking, case or port noise it carries;
* a stream URL (``rtsp:``, ``mms:``…) → ``url-<hash of the URL as written>``;
* a local file → ``local-<hash of its absolute path>``.

Ids in the Mixider API's spelling (``souncloud-40644970``) are rewritten to the platform's
own (``soundcloud-40644970``) wherever a Media is built (:func:`mixtui.platform_names.canonical_media_id`).
"""

from __future__ import annotations

import hashlib
from urllib.parse import unquote, urlsplit

from mixtui.errors import BadInput
from mixtui.links.recognise import (
    RecognisedUrl,
    UrlKind,
    canonical_url,
    media_file_id,
    normalise_url,
    recognise,
)
from mixtui.models import Media
from mixtui.platform_names import Platform

# File names that say nothing about the content (HLS masters, generic downloads).
GENERIC_FILE_STEMS = frozenset(
    {"index", "master", "playlist", "stream", "chunklist", "live", "audio", "video", "media", "file", "download"}
)


def digest(text: str) -> str:
    """The 16 hex digits every hashed native id uses."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def local_native_id(path: str) -> str:
    """The native id of a local file: a hash of its absolute, normalised path."""
    return digest(path)


def local_media_id(path: str) -> str:
    return f"{Platform.LOCAL.value}-{local_native_id(path)}"


def stream_media_id(url: str) -> str:
    """The id of a stream URL mpv opens itself (``rtsp://…``): a hash of the URL as written."""
    return f"{Platform.URL.value}-{digest(url)}"


def link_platform(recognised: RecognisedUrl) -> Platform:
    """The platform of the Media a single link gives: its own, or ``url`` for an item of a known
    platform that only yt-dlp plays (a Bandcamp Weekly episode, a Vimeo event)."""
    return Platform.URL if recognised.kind is UrlKind.EXTRACTOR_ONLY else recognised.platform


def link_native_id(recognised: RecognisedUrl) -> str:
    """The native id a recognised single link gives (see the module's rules)."""
    if recognised.native_id and recognised.kind is UrlKind.MEDIA:
        return recognised.native_id
    if recognised.kind is UrlKind.MEDIA_FILE:
        return media_file_id(recognised.url)
    return digest(normalise_url(canonical_url(recognised.platform, recognised.url)))


def link_media_id(url: str) -> str:
    """The Media id of a link to one item; BadInput for anything else (with the reason)."""
    recognised = single_link(url)
    return f"{link_platform(recognised).value}-{link_native_id(recognised)}"


def single_link(url: str) -> RecognisedUrl:
    """The recognised link when it names one item; BadInput saying what it is otherwise."""
    recognised = recognise(url)
    if not recognised.single:
        raise BadInput(
            recognised.reason or "that link is not a single track", hint="paste the link of one track, video or show"
        )
    return recognised


def link_title(recognised: RecognisedUrl) -> str:
    """A title for a link nothing better is known about: its file or page name, its video id, its host."""
    url = canonical_url(recognised.platform, recognised.url)
    if recognised.platform is Platform.YOUTUBE and recognised.native_id:
        return recognised.native_id
    return title_from_file_name(url) or display_host(url)


def title_from_file_name(name_or_url: str) -> str:
    """A readable title from a file name or a link's last path segment."""
    if "://" in name_or_url:
        segments = [unquote(s) for s in urlsplit(name_or_url).path.split("/") if s]
    else:
        segments = [name_or_url]
    if not segments:
        return ""
    stem = _readable(segments[-1].rsplit(".", 1)[0] if "." in segments[-1] else segments[-1])
    if stem.lower() in GENERIC_FILE_STEMS and len(segments) > 1:
        return _readable(segments[-2]) or stem
    return stem


def display_host(url: str) -> str:
    """``example.com`` for ``https://www.Example.com/…``; the link's start when it has no host."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return url[:80]
    return host.removeprefix("www.") or url[:80]


def _readable(text: str) -> str:
    return " ".join(text.replace("_", " ").split())


def media_for_link(
    url: str,
    *,
    title: str = "",
    author: str = "",
    image: str | None = None,
    duration: float | int | None = None,
) -> Media:
    """A link to one item as Media, without network: its id and canonical URL by the rules above,
    the given title (else :func:`link_title`) and author. BadInput for anything but one item."""
    recognised = single_link(url)
    platform = link_platform(recognised)
    return Media(
        id=f"{platform.value}-{link_native_id(recognised)}",
        title=title.strip() or link_title(recognised),
        author=author.strip(),
        image=image,
        platform=platform,
        url=canonical_url(recognised.platform, recognised.url),
        duration=duration,
    )


def media_for_stream(
    url: str, *, title: str = "", author: str = "", image: str | None = None, duration: float | int | None = None
) -> Media:
    """A stream URL mpv opens itself (``rtsp://…``) as Media of the url platform."""
    return Media(
        id=stream_media_id(url),
        title=title.strip() or url,
        author=author.strip(),
        image=image,
        platform=Platform.URL,
        url=url,
        duration=duration,
    )
