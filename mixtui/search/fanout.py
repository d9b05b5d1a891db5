"""Concurrent search over every enabled platform, yielding each platform's batch as it lands."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import replace
from urllib.parse import urlsplit

from mixtui.errors import BadInput, MixtuiError, PlatformTimeout, RateLimited
from mixtui.models import Media, Platform
from mixtui.platforms.paging import SearchPage
from mixtui.search.access import PlatformAccess
from mixtui.search.merge import merge_results
from mixtui.search.models import PlatformBatch, PlatformStatus, SearchOutcome, StatusKind

MAX_QUERY_LENGTH = 500
# The most results one search answers (the Mixider API's "maximum 30").
MAX_RESULTS = 30
# Result pages asked of one platform for one search, at most.
MAX_PAGES = 3

log = logging.getLogger(__name__)


def clean_query(query: str) -> str:
    """The query as it will be searched; BadInput when there is nothing to search."""
    cleaned = " ".join(query.split())
    if not cleaned:
        raise BadInput("empty query", hint="type something to search for, or paste a URL")
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise BadInput(f"query too long ({len(cleaned)} characters; at most {MAX_QUERY_LENGTH})")
    return cleaned


def is_url_query(query: str) -> bool:
    """A link to resolve rather than words to search: ``http(s)://…`` (the Mixider API's rule) or ``file://…``."""
    return query.lower().startswith(("http", "file://"))


def warm_up(access: PlatformAccess) -> None:
    """Start fetching the tokens the enabled platforms will need, in the background.

    Called by the app once it is ready, so its first search does not wait for Vimeo's token
    or SoundCloud's client_id; clients that need nothing, or have it cached, send nothing.
    """
    for platform in access.settings.platforms.enabled_searchable():
        warm = getattr(access.platform_client(platform), "warm", None)
        if warm is not None:
            warm()


def target_platforms(access: PlatformAccess, query: str, platform: Platform | None) -> list[Platform]:
    """Which platforms a query goes to: the URL resolver, one platform, or every enabled one.

    ``url`` with words rather than a link searches every other platform (the Mixider API's rule).
    """
    if platform is Platform.URL and not is_url_query(query):
        platform = None
    if platform is not None:
        access.platform_client(platform)  # raises BadInput when disabled
        return [platform]
    if is_url_query(query):
        from mixtui.links import identify

        if not query.lower().startswith("file://"):
            identify(query)  # a malformed link, or one that is not a single item, is bad input
        return [Platform.URL]
    enabled = access.settings.platforms.enabled_searchable()
    if not enabled:
        raise BadInput("every platform is disabled", hint="enable one under [platforms.<name>] in the config")
    return enabled


async def search_page(
    access: PlatformAccess, platform: Platform, query: str, size: int, cursor: str | None = None
) -> SearchPage:
    """One page of a platform's results (a URL query is resolved); raises a MixtuiError.

    Nothing is sent while the platform's rate-limit wait lasts, and a new wait it asks for
    is remembered for every caller and run (the platform's one rate gate).
    """
    from mixtui.platforms.paging import PagedSearchClient

    client = access.platform_client(platform)
    gate = access.rate_gate(platform.value)
    gate.check()
    timeout = access.settings.search.timeout
    try:
        async with asyncio.timeout(timeout):
            if platform is Platform.URL or is_url_query(query):
                return SearchPage([await client.resolve(query)])
            if isinstance(client, PagedSearchClient):
                return await client.search_page(query, size, cursor)
            return SearchPage((await client.search(query, size))[:size])
    except TimeoutError:
        raise PlatformTimeout(
            f"{_answering(platform, query)} did not answer within {timeout:g} s", platform=platform.value
        ) from None
    except RateLimited as error:
        raise gate.note(error) from None


def _answering(platform: Platform, query: str) -> str:
    """Who was asked: a link's site (``www.youtube.com``), else the platform's name."""
    if platform is Platform.URL or is_url_query(query):
        try:
            host = urlsplit(query.strip()).hostname
        except ValueError:
            host = None
        if host:
            return host
    return platform.value


async def search_platform(access: PlatformAccess, platform: Platform, query: str, limit: int) -> list[Media]:
    """One platform's Media for a query, from its first page (a URL query is resolved)."""
    return (await search_page(access, platform, query, limit)).media[:limit]


def _failed_batch(platform: Platform, error: Exception, elapsed: float) -> PlatformBatch:
    if isinstance(error, MixtuiError):
        log.warning("search %s failed: %s", platform.value, error)
        return PlatformBatch(platform, [], PlatformStatus.from_error(platform, error, elapsed))
    log.error("search %s failed unexpectedly", platform.value, exc_info=error)
    reason = f"unexpected answer ({type(error).__name__}: {error})"
    return PlatformBatch(platform, [], PlatformStatus(platform, StatusKind.FAILED, reason=reason, elapsed=elapsed))


async def _batch_for(access: PlatformAccess, platform: Platform, query: str, size: int) -> PlatformBatch:
    started = time.perf_counter()
    try:
        page = await search_page(access, platform, query, size)
    except Exception as error:  # a parser meeting a changed page must not take the others down
        return _failed_batch(platform, error, time.perf_counter() - started)
    status = PlatformStatus(platform, StatusKind.OK, count=len(page.media), elapsed=time.perf_counter() - started)
    return PlatformBatch(platform, page.media, status, cursor=page.cursor)


async def _next_batch(access: PlatformAccess, batch: PlatformBatch, query: str, size: int) -> PlatformBatch:
    """The platform's results with its next page added; a failing further page keeps what was found."""
    started = time.perf_counter()
    try:
        page = await search_page(access, batch.platform, query, size, batch.cursor)
    except Exception as error:
        log.warning(
            "search %s: page %d failed (%s); keeping %d results",
            batch.platform.value,
            batch.page + 1,
            error,
            len(batch.media),
        )
        return replace(batch, cursor=None)
    known = {media.id for media in batch.media}
    media = batch.media + [item for item in page.media if item.id not in known]
    elapsed = batch.status.elapsed + time.perf_counter() - started
    status = replace(batch.status, count=len(media), elapsed=elapsed)
    return PlatformBatch(batch.platform, media, status, cursor=page.cursor, page=batch.page + 1)


def falls_short(batches: Mapping[Platform, PlatformBatch], limit: int) -> bool:
    """Whether merging what the platforms answered gives fewer than ``limit`` results."""
    return len(merge_results({p: b.media for p, b in batches.items()}, limit)) < limit


async def search_all(
    access: PlatformAccess,
    query: str,
    platform: Platform | None = None,
    *,
    per_platform: int | None = None,
    limit: int | None = None,
) -> AsyncIterator[PlatformBatch]:
    """Yield one batch per platform, fastest first; closing the iterator cancels the rest.

    Each platform is asked for its first page only. When the merged list would fall short
    of ``limit`` (a platform failed or found few), every platform with a further page is
    asked for it at once, and its batch is yielded again with the new results added.
    """
    cleaned = clean_query(query)
    platforms = target_platforms(access, cleaned, platform)
    size = per_platform or access.settings.search.per_platform
    cap = limit or access.settings.search.limit
    latest: dict[Platform, PlatformBatch] = {}
    tasks = [asyncio.ensure_future(_batch_for(access, p, cleaned, size)) for p in platforms]
    try:
        for round_number in range(1, MAX_PAGES + 1):
            for next_done in asyncio.as_completed(tasks):
                batch = await next_done
                latest[batch.platform] = batch
                yield batch
            more = [b for b in latest.values() if b.cursor is not None and b.status.kind is StatusKind.OK]
            if round_number == MAX_PAGES or not more or not falls_short(latest, cap):
                break
            tasks = [asyncio.ensure_future(_next_batch(access, b, cleaned, size)) for b in more]
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def search(
    access: PlatformAccess,
    query: str,
    platform: Platform | None = None,
    *,
    limit: int | None = None,
    on_batch: Callable[[PlatformBatch], None] | None = None,
) -> SearchOutcome:
    """Every batch, merged fairly, de-duplicated and capped (``[search] limit`` by default).

    ``on_batch`` sees each platform's batch as it lands (for progress).
    """
    cap = limit or access.settings.search.limit
    outcome = SearchOutcome()
    per_platform: dict[Platform, list[Media]] = {}
    # A single-platform search asks that platform for the whole cap.
    single = platform is not None and (platform is not Platform.URL or is_url_query(query))
    per_platform_count = max(cap, access.settings.search.per_platform) if single else None
    async for batch in search_all(access, query, platform, per_platform=per_platform_count, limit=cap):
        outcome.statuses[batch.platform] = batch.status
        per_platform[batch.platform] = batch.media
        if on_batch is not None:
            on_batch(batch)
    outcome.media = merge_results(per_platform, cap)
    return outcome
