"""Concurrent search over every enabled platform, yielding each platform's batch as it lands."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

from mixtui.errors import BadInput, MixtuiError, PlatformTimeout
from mixtui.models import Media, Platform
from mixtui.search.merge import merge_results
from mixtui.search.models import PlatformBatch, PlatformStatus, SearchOutcome, StatusKind
from mixtui.services import Services

MAX_QUERY_LENGTH = 500

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
    """A link to resolve rather than words to search: ``http(s)://…`` (the seed's rule) or ``file://…``."""
    return query.lower().startswith(("http", "file://"))


def target_platforms(services: Services, query: str, platform: Platform | None) -> list[Platform]:
    """Which platforms a query goes to: the URL resolver, one platform, or every enabled one."""
    if platform is not None:
        services.platform_client(platform)  # raises BadInput when disabled
        return [platform]
    if is_url_query(query):
        from mixtui.platforms.urls import identify

        if not query.lower().startswith("file://"):
            identify(query)  # a malformed link, or one that is not a single item, is bad input
        return [Platform.URL]
    enabled = services.settings.platforms.enabled_searchable()
    if not enabled:
        raise BadInput("every platform is disabled", hint="enable one under [platforms.<name>] in the config")
    return enabled


async def search_platform(services: Services, platform: Platform, query: str, limit: int) -> list[Media]:
    """One platform's Media for a query (a URL query is resolved); raises a MixtuiError."""
    client = services.platform_client(platform)
    timeout = services.settings.search.timeout
    try:
        async with asyncio.timeout(timeout):
            if platform is Platform.URL or is_url_query(query):
                return [await client.resolve(query)]
            return (await client.search(query, limit))[:limit]
    except TimeoutError:
        raise PlatformTimeout(
            f"{_answering(platform, query)} did not answer within {timeout:g} s", platform=platform.value
        ) from None


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


async def _batch_for(services: Services, platform: Platform, query: str, limit: int) -> PlatformBatch:
    started = time.perf_counter()
    try:
        media = await search_platform(services, platform, query, limit)
    except MixtuiError as error:
        log.warning("search %s failed: %s", platform.value, error)
        return PlatformBatch(platform, [], PlatformStatus.from_error(platform, error, time.perf_counter() - started))
    except Exception as error:  # a parser meeting a changed page must not take the others down
        log.exception("search %s failed unexpectedly", platform.value)
        reason = f"unexpected answer ({type(error).__name__}: {error})"
        status = PlatformStatus(platform, StatusKind.FAILED, reason=reason, elapsed=time.perf_counter() - started)
        return PlatformBatch(platform, [], status)
    status = PlatformStatus(platform, StatusKind.OK, count=len(media), elapsed=time.perf_counter() - started)
    return PlatformBatch(platform, media, status)


async def search_all(
    services: Services, query: str, platform: Platform | None = None, *, per_platform: int | None = None
) -> AsyncIterator[PlatformBatch]:
    """Yield one batch per platform, fastest first; closing the iterator cancels the rest."""
    cleaned = clean_query(query)
    platforms = target_platforms(services, cleaned, platform)
    count = per_platform or services.settings.search.per_platform
    tasks = [asyncio.ensure_future(_batch_for(services, p, cleaned, count)) for p in platforms]
    try:
        for next_done in asyncio.as_completed(tasks):
            yield await next_done
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def search(
    services: Services,
    query: str,
    platform: Platform | None = None,
    *,
    limit: int | None = None,
    on_batch: Callable[[PlatformBatch], None] | None = None,
) -> SearchOutcome:
    """Every batch, merged fairly, de-duplicated and capped (``[search] limit`` by default).

    ``on_batch`` sees each platform's batch as it lands (for progress).
    """
    cap = limit or services.settings.search.limit
    outcome = SearchOutcome()
    per_platform: dict[Platform, list[Media]] = {}
    # A single-platform search asks that platform for the whole cap.
    per_platform_count = max(cap, services.settings.search.per_platform) if platform else None
    async for batch in search_all(services, query, platform, per_platform=per_platform_count):
        outcome.statuses[batch.platform] = batch.status
        per_platform[batch.platform] = batch.media
        if on_batch is not None:
            on_batch(batch)
    outcome.media = merge_results(per_platform, cap)
    return outcome
