"""From a Media to something mpv can open, just before it plays.

Local files and direct media URLs play as they are. Platform pages go through yt-dlp (best
audio, in a thread); the stream URL and the HTTP headers yt-dlp says it needs are handed to
mpv. Stream URLs expire, so they live only in memory for a short while (the next track is
resolved ahead of time so tracks follow each other without a gap) and are never stored.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mixtui.errors import PlatformError
from mixtui.media_files import MEDIA_FILE_EXTENSIONS, STREAM_SCHEMES
from mixtui.models import Media, Platform
from mixtui.ytdlp import ANSI_ESCAPES, clean_message, ytdlp_options

log = logging.getLogger(__name__)

# Schemes mpv handles itself (radio streams and the like).
DIRECT_SCHEMES = STREAM_SCHEMES

# How long a resolved stream URL is trusted (platform URLs usually live a few hours).
STREAM_TTL_SECONDS = 20 * 60.0
RESOLVE_TIMEOUT_SECONDS = 45.0


class Unplayable(PlatformError):
    """This item cannot be played (gone, blocked, geo-restricted, subscribers only...)."""

    status = 422
    kind = "unplayable"


@dataclass(frozen=True)
class Stream:
    """What mpv opens: a path or URL, the HTTP headers it needs, and how it was found."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    resolved_by: str = "as-is"


def is_direct(media: Media) -> bool:
    """True when mpv can open ``media.url`` as it is (a local file or a media URL)."""
    if media.platform is Platform.LOCAL:
        return True
    parts = urllib.parse.urlsplit(media.url)
    scheme = parts.scheme.lower()
    if scheme in ("", "file") or len(scheme) == 1:  # a path (or a Windows drive letter)
        return True
    if scheme in DIRECT_SCHEMES:
        return True
    if scheme in ("http", "https"):
        return Path(urllib.parse.unquote(parts.path)).suffix.lower() in MEDIA_FILE_EXTENSIONS
    return False


def local_path(url: str) -> Path | None:
    """The filesystem path a local Media points at, or None for a URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file":
        return Path(urllib.parse.unquote(parts.path))
    if parts.scheme == "" or len(parts.scheme) == 1:
        return Path(url).expanduser()
    return None


def direct_stream(media: Media) -> Stream:
    path = local_path(media.url)
    if path is not None:
        if not path.is_file():
            raise Unplayable(f"file not found: {path}", platform=media.platform.value)
        return Stream(str(path))
    return Stream(media.url)


def stream_options(*, video: bool) -> dict[str, Any]:
    """yt-dlp's options for finding a stream: a single file mpv can open (best audio, else the
    best muxed format), with the JavaScript runtimes YouTube needs."""
    from mixtui.player.js_runtime import ytdlp_js_runtimes

    return ytdlp_options(
        socket_timeout=15,
        format="best[vcodec!=none][acodec!=none]/best" if video else "bestaudio/best",
        js_runtimes=ytdlp_js_runtimes(),
    )


def resolve_with_ytdlp(media: Media, *, video: bool = False) -> Stream:
    """Blocking: ask yt-dlp for the page's stream; Unplayable with the reason when it cannot."""
    import yt_dlp
    from yt_dlp.utils import DownloadError, YoutubeDLError

    try:
        with yt_dlp.YoutubeDL(stream_options(video=video)) as ydl:
            info = ydl.extract_info(media.url, download=False)
    except (DownloadError, YoutubeDLError) as error:
        raise Unplayable(describe_failure(str(error), media.url), platform=media.platform.value) from None
    except OSError as error:
        reason = network_failure(str(error), media.url) or f"cannot reach {host_of(media.url)}"
        raise Unplayable(reason, platform=media.platform.value) from None
    return stream_from_info(info, media)


def stream_from_info(info: dict[str, Any] | None, media: Media) -> Stream:
    """The stream URL and headers in yt-dlp's answer (the first entry of a list)."""
    if info and info.get("_type") == "playlist":
        entries = [entry for entry in info.get("entries") or [] if entry]
        info = entries[0] if entries else None
    if not info:
        raise Unplayable("nothing playable on this page", platform=media.platform.value)
    url = info.get("url")
    headers = info.get("http_headers") or {}
    if not url and info.get("requested_formats"):
        first = info["requested_formats"][0]
        url, headers = first.get("url"), first.get("http_headers") or headers
    if not url:
        raise Unplayable("yt-dlp found no stream URL", platform=media.platform.value)
    return Stream(str(url), {str(k): str(v) for k, v in headers.items()}, "yt-dlp")


# Connection-level failures as urllib3, requests, urllib and mpv word them.
NETWORK_FAILURES = re.compile(
    r"urlopen error|connectionpool|max retries exceeded|failed to resolve|name resolution|name or service not known"
    r"|nodename nor servname|connection refused|connection reset|network is unreachable|no route to host"
    r"|newconnectionerror|connecterror|connectionerror|remotedisconnected|failed to open|errno -?\d+",
    re.IGNORECASE,
)
TIMEOUTS = re.compile(r"timed out|timeout", re.IGNORECASE)
HOST_IN_MESSAGE = re.compile(r"host='([^']+)'|Failed to resolve '([^']+)'", re.IGNORECASE)


def host_of(url: str) -> str:
    """``soundcloud.com`` for ``https://www.soundcloud.com/...``; the URL itself when it has no host."""
    host = urllib.parse.urlsplit(url).hostname or ""
    return host.removeprefix("www.") or url or "the server"


def network_failure(message: str, url: str = "") -> str | None:
    """``cannot reach soundcloud.com`` for a connection error (whatever library worded it), else None."""
    clean = ANSI_ESCAPES.sub("", message)
    if not NETWORK_FAILURES.search(clean) and not TIMEOUTS.search(clean):
        return None
    # The site the user knows (the page's host) rather than the API host the library called.
    found = HOST_IN_MESSAGE.search(clean)
    named = next((group for group in found.groups() if group), "") if found else ""
    host = host_of(url) if url else named.removeprefix("www.") or "the server"
    if TIMEOUTS.search(clean) and not NETWORK_FAILURES.search(clean.replace("timed out", "")):
        return f"{host} did not answer in time"
    return f"cannot reach {host}"


def describe_failure(message: str, url: str = "") -> str:
    """A short, human reason from a yt-dlp or mpv error message (no library internals, no colours)."""
    network = network_failure(message, url)
    if network is not None:
        return network
    text = clean_message(message) or "unknown error"
    lowered = text.lower()
    if "geo" in lowered or "your country" in lowered or "your location" in lowered:
        return f"geo-blocked: {text}"
    if "mixcloud" in url.lower() and ("registered users" in lowered or "login" in lowered or "exclusive" in lowered):
        return "Mixcloud Select (exclusive) show: only subscribers can play it"
    if "sign in to confirm your age" in lowered or "age-restricted" in lowered:
        return f"age-restricted: {text}"
    return text


class StreamResolver:
    """Resolves Media to Streams, caching each for a short while and resolving the next ahead of time."""

    def __init__(
        self,
        *,
        video: bool = False,
        timeout: float = RESOLVE_TIMEOUT_SECONDS,
        ttl: float = STREAM_TTL_SECONDS,
    ) -> None:
        self.video = video
        self.timeout = timeout
        self.ttl = ttl
        self._cache: dict[str, tuple[Stream, float]] = {}
        self._pending: dict[str, asyncio.Task[Stream]] = {}

    def resolve_now(self, media: Media) -> Stream:
        """Blocking resolution (runs in a worker thread for pages)."""
        if is_direct(media):
            return direct_stream(media)
        return resolve_with_ytdlp(media, video=self.video)

    async def resolve(self, media: Media) -> Stream:
        """The stream for ``media``: from the prefetch when there is one, else resolved now."""
        if is_direct(media):
            return direct_stream(media)
        cached = self._cache.get(media.id)
        if cached is not None and time.monotonic() - cached[1] < self.ttl:
            return cached[0]
        task = self._pending.pop(media.id, None) or asyncio.ensure_future(self._resolve_in_thread(media))
        stream = await task
        self._cache[media.id] = (stream, time.monotonic())
        return stream

    def prefetch(self, media: Media | None) -> None:
        """Start resolving ``media`` in the background (pages only: files need nothing)."""
        if media is None or is_direct(media) or media.id in self._pending:
            return
        cached = self._cache.get(media.id)
        if cached is not None and time.monotonic() - cached[1] < self.ttl:
            return
        task = asyncio.ensure_future(self._resolve_in_thread(media))
        task.add_done_callback(functools.partial(self._prefetched, media.id))
        self._pending[media.id] = task

    def forget(self) -> None:
        """Drop every resolved stream and cancel pending prefetches."""
        for task in self._pending.values():
            task.cancel()
        self._pending.clear()
        self._cache.clear()

    async def _resolve_in_thread(self, media: Media) -> Stream:
        try:
            async with asyncio.timeout(self.timeout):
                return await asyncio.to_thread(self.resolve_now, media)
        except TimeoutError:
            raise Unplayable(
                f"resolving the stream took longer than {self.timeout:g} s", platform=media.platform.value
            ) from None

    def _prefetched(self, key: str, task: asyncio.Task[Stream]) -> None:
        if self._pending.get(key) is not task:
            return
        if task.cancelled():
            del self._pending[key]
        elif task.exception() is None:
            del self._pending[key]
            self._cache[key] = (task.result(), time.monotonic())
        # A failed prefetch stays pending: its turn then fails at once with the reason.
