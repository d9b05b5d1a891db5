"""An http(s) address taken apart, for the link rules and the platform clients."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from mixtui.errors import BadInput


def split_web_address(url: str) -> tuple[SplitResult, str]:
    """An http(s) address's parts and lower-case host; BadInput for anything else."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        raise BadInput(f"malformed address: {url!r}") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise BadInput(f"not a web address: {url!r}")
    return parts, host
