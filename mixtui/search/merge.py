"""Fair merge: interleave platforms round-robin, drop duplicates, cap the count."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from mixtui.models import SEARCHABLE_PLATFORMS, Media, Platform

# A stable platform order so the same answers always merge the same way.
MERGE_ORDER: tuple[Platform, ...] = (Platform.URL, *SEARCHABLE_PLATFORMS)


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}" if parts.netloc else url


def merge_results(results: Mapping[Platform, Iterable[Media]], limit: int) -> list[Media]:
    """Take one from each platform in turn (each platform keeps its own ranking order)."""
    queues = [list(results[p]) for p in MERGE_ORDER if p in results]
    queues += [list(media) for p, media in results.items() if p not in MERGE_ORDER]
    merged: list[Media] = []
    seen_ids: set[str] = set()
    seen_urls: set[str] = set()
    position = 0
    while len(merged) < limit and any(position < len(queue) for queue in queues):
        for queue in queues:
            if position >= len(queue) or len(merged) >= limit:
                continue
            media = queue[position]
            url_key = _url_key(media.url)
            duplicate = media.id in seen_ids or url_key in seen_urls
            # A skipped duplicate still marks its id and URL, so later copies of it are caught.
            seen_ids.add(media.id)
            seen_urls.add(url_key)
            if not duplicate:
                merged.append(media)
        position += 1
    return merged
