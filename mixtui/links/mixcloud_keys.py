"""Mixcloud show keys and native ids, without network.

Shows ("cloudcasts") have no numeric id in the REST API, only a ``key`` such as
``/NTSRadio/knee-deep-26th-august-2014/``; mixtui's native id is the URL-safe base64 of that
key without padding, so it round-trips to the show's page and API URLs and holds no ``/``.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import parse_qs, quote, unquote, urlsplit

from mixtui.errors import BadInput
from mixtui.links.address import split_web_address
from mixtui.platform_names import Platform

PLATFORM = Platform.MIXCLOUD
PUBLIC_SITE_BASE_URL = "https://www.mixcloud.com"

# Hosts whose path is a key: the site, its mobile/beta variants and the API itself.
KEY_HOSTS = frozenset({"mixcloud.com", "www.mixcloud.com", "m.mixcloud.com", "beta.mixcloud.com", "api.mixcloud.com"})
WIDGET_HOST = "player-widget.mixcloud.com"
# Second path segments that name a user's lists rather than a show (yt-dlp's rule).
RESERVED_SECOND_SEGMENTS = frozenset({"uploads", "favorites", "listens", "stream", "playlists"})
# First path segments that are site sections, not user names.
SITE_SECTIONS = frozenset(
    {"live", "discover", "genres", "tag", "widget", "search", "categories", "select", "upload", "dashboard", "settings"}
)
# Characters a key segment keeps as they are (RFC 3986 pchar); everything else is percent-encoded.
SEGMENT_SAFE = "!$&'()*+,;=:@-._~"


def encode_native_id(key: str) -> str:
    """The native id of a show: URL-safe base64 of its key, without padding."""
    return base64.urlsafe_b64encode(key.encode("utf-8")).decode("ascii").rstrip("=")


def decode_native_id(value: str) -> str:
    """The show key behind a native id (``mixcloud-`` prefix optional) or a key itself.

    GraphQL relay ids (base64 of ``Cloudcast:<n>``, as in Mixider's examples) are recognised,
    but the public API cannot look them up, so they are refused with a clear message.
    """
    text = value.strip()
    if text.startswith(f"{PLATFORM.value}-"):
        text = text[len(PLATFORM.value) + 1 :]
    if not text:
        raise BadInput("empty Mixcloud id")
    if text.startswith("/"):
        return key_from_path(text)
    decoded = _b64_text(text)
    if decoded is None:
        raise BadInput(f"not a Mixcloud id: {value!r}")
    if decoded.startswith("/"):
        return key_from_path(decoded)
    number = graphql_cloudcast_number(text)
    if number is not None:
        raise BadInput(
            f"{value!r} is a Mixcloud GraphQL id (cloudcast {number}) that the public API cannot look up",
            hint="use the show's URL instead",
        )
    raise BadInput(f"not a Mixcloud id: {value!r}")


def graphql_cloudcast_number(value: str) -> int | None:
    """The cloudcast number inside a GraphQL relay id (``Q2xvdWRjYXN0OjE2ODA2NzI4Nw==``), else None."""
    text = value.strip().removeprefix(f"{PLATFORM.value}-")
    decoded = _b64_text(text)
    match = re.fullmatch(r"Cloudcast:(\d+)", decoded or "")
    return int(match.group(1)) if match else None


def _b64_text(text: str) -> str | None:
    normalised = text.replace("+", "-").replace("/", "_")
    padded = normalised + "=" * (-len(normalised) % 4)
    try:
        return base64.b64decode(padded, altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def key_from_path(path: str) -> str:
    """The show key for a URL path (``/user/slug`` → ``/user/slug/``); BadInput if not a show."""
    segments = [segment for segment in path.split("/") if segment]
    if not segments:
        raise BadInput("this Mixcloud address is not a single show")
    first = unquote(segments[0])
    if first.lower() in SITE_SECTIONS:
        raise BadInput(f"this Mixcloud address is a {first.lower()} page, not a single show")
    if len(segments) == 1:
        raise BadInput(f"this Mixcloud address is the user page of {first!r}, not a single show")
    second = unquote(segments[1])
    if second.lower() in RESERVED_SECOND_SEGMENTS:
        raise BadInput(f"this Mixcloud address is {first!r}'s {second.lower()} list, not a single show")
    return f"/{quote(first, safe=SEGMENT_SAFE)}/{quote(second, safe=SEGMENT_SAFE)}/"


def key_from_url(url: str) -> str:
    """The show key of a Mixcloud page, API or player-widget URL; BadInput for anything else."""
    parts, host = split_web_address(url)
    if host == WIDGET_HOST or (host in KEY_HOSTS and parts.path.startswith("/widget/")):
        feeds = parse_qs(parts.query).get("feed")
        if not feeds or not feeds[0].strip():
            raise BadInput("this Mixcloud player link names no show (no feed= parameter)")
        feed = feeds[0].strip()
        if feed.lower().startswith("http"):
            feed_host = (urlsplit(feed).hostname or "").lower()
            if feed_host not in KEY_HOSTS:
                raise BadInput(f"this Mixcloud player link points outside Mixcloud: {feed!r}")
            return key_from_path(urlsplit(feed).path)
        return key_from_path(feed)
    if host not in KEY_HOSTS:
        raise BadInput(f"not a Mixcloud address: {url!r}")
    return key_from_path(parts.path)


def page_url_for_key(key: str) -> str:
    return PUBLIC_SITE_BASE_URL + key
