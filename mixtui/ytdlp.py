"""The one yt-dlp adapter: its options, its logger, and its failures in mixtui's words.

Both users of yt-dlp go through here: the url platform (what a page holds, without its
stream) and the player (a page's stream, just before it plays). yt-dlp itself is imported
lazily by them, inside a worker thread; this module does not import it at load time.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from mixtui.errors import (
    MixtuiError,
    NotFound,
    PlatformBlocked,
    PlatformError,
    PlatformTimeout,
    RateLimited,
    parse_retry_after,
)
from mixtui.links import display_host

log = logging.getLogger(__name__)

ANSI_ESCAPES = re.compile(r"\x1b\[[0-9;]*m")
_CAUSED_BY = re.compile(r"\s*\(caused by .*\)\s*$", re.DOTALL)
_EXTRACTOR_PREFIX = re.compile(r"^\[[^\]]+\]\s*(?:[^:\s]+:\s*)?")
# The longest reason kept from a yt-dlp message.
MAX_REASON_LENGTH = 300


class QuietLogger:
    """Keeps yt-dlp's output off the terminal: its chatter goes to mixtui's log (errors also
    come back as exceptions)."""

    def debug(self, message: str) -> None:
        log.debug("yt-dlp: %s", ANSI_ESCAPES.sub("", message))

    def info(self, message: str) -> None:
        log.debug("yt-dlp: %s", ANSI_ESCAPES.sub("", message))

    def warning(self, message: str) -> None:
        log.info("yt-dlp: %s", ANSI_ESCAPES.sub("", message))

    def error(self, message: str) -> None:
        log.warning("yt-dlp: %s", ANSI_ESCAPES.sub("", message))


def ytdlp_options(*, socket_timeout: float, **extra: Any) -> dict[str, Any]:
    """``YoutubeDL`` options: quiet, one item, nothing downloaded, no cache; ``extra`` on top."""
    return {
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "logger": QuietLogger(),
        "skip_download": True,
        "noplaylist": True,
        "socket_timeout": socket_timeout,
        "cachedir": False,
        **extra,
    }


def clean_message(message: str) -> str:
    """yt-dlp's message without colours, its ``ERROR:``/``[extractor] id:`` prefixes and its
    ``caused by`` tail: the first line, at most :data:`MAX_REASON_LENGTH` characters ("" when empty)."""
    text = ANSI_ESCAPES.sub("", message).strip()
    text = text.removeprefix("ERROR:").strip()
    text = _CAUSED_BY.sub("", text)
    text = _EXTRACTOR_PREFIX.sub("", text)
    return text.splitlines()[0][:MAX_REASON_LENGTH] if text else ""


def ytdlp_reason(error: Exception) -> str:
    """A yt-dlp failure's reason (:func:`clean_message`), else the error's type name."""
    return clean_message(str(error)) or type(error).__name__


def error_from_ytdlp(error: Exception, url: str, *, platform: str = "url") -> MixtuiError:
    """A yt-dlp failure while reading ``url`` as a mixtui error that keeps yt-dlp's reason."""
    from yt_dlp.networking.exceptions import HTTPError, TransportError
    from yt_dlp.utils import ExtractorError, UnsupportedError

    host = display_host(url)
    reason = ytdlp_reason(error)
    cause: BaseException | None = error
    exc_info = getattr(error, "exc_info", None)
    if exc_info and exc_info[1] is not None:
        cause = exc_info[1]
    while isinstance(cause, ExtractorError) and not isinstance(cause, UnsupportedError) and cause.cause is not None:
        cause = cause.cause
    if isinstance(cause, UnsupportedError):
        return NotFound(f"no playable media found at {url}", hint="yt-dlp knows no way to play this page")
    if isinstance(cause, HTTPError):
        status = cause.status
        if status in (404, 410):
            return NotFound(f"{host}: nothing at {url} (HTTP {status})")
        if status == 429:
            wait = _retry_after(cause)
            when = f"; retry in {wait:g} s" if wait is not None else ""
            return RateLimited(f"{host} rate-limited us{when}", platform=platform, retry_after=wait)
        if status in (401, 403):
            return PlatformBlocked(
                f"{host} refused the request (HTTP {status})",
                platform=platform,
                hint="some sites need yt-dlp's browser impersonation: pip install 'yt-dlp[curl-cffi]'",
            )
        return PlatformError(f"{host} answered HTTP {status}", platform=platform)
    if isinstance(cause, TransportError):
        if "timed out" in reason.lower() or "timeout" in reason.lower():
            return PlatformTimeout(f"{host} did not answer in time", platform=platform)
        return PlatformError(f"{host} could not be reached: {reason}", platform=platform)
    return PlatformError(f"yt-dlp could not read {url}: {reason}", platform=platform)


def _retry_after(error: Any) -> float | None:
    try:
        return parse_retry_after(error.response.headers.get("Retry-After"))
    except (AttributeError, TypeError):
        return None
