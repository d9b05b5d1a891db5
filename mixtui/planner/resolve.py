"""Find each suggested track on the platforms, concurrently, and rank the versions found.

One :class:`Resolver` serves one generation run: it searches every (platform, query) once
(a per-run cache shared by concurrent callers), bounds the requests in flight per platform,
and stops asking a platform that rate-limited us. A platform that fails only loses its own
candidates; its error is kept for the summary.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from mixtui.errors import MixtuiError, PlatformError, RateLimited
from mixtui.models import Media, Platform
from mixtui.planner.matching import Match, fold, rank_candidates
from mixtui.planner.plan import MAX_TRACKS, SuggestedTrack
from mixtui.search import search_page
from mixtui.search.access import PlatformAccess

log = logging.getLogger(__name__)

# Requests in flight per platform: enough for a whole plan at once, never more.
PER_PLATFORM_CONCURRENCY = MAX_TRACKS
# Results asked of a platform for one suggested track (its whole first page is ranked).
RESULTS_PER_TRACK = 8
# YouTube Music songs asked for one suggested track (one shelf holds about 20).
MUSIC_SONGS = 20


@dataclass
class TrackResolution:
    """The versions of one suggested track found on each platform, best first."""

    index: int
    suggestion: SuggestedTrack
    matches: dict[Platform, list[Match]] = field(default_factory=dict)

    def best(self) -> Match | None:
        firsts = self.per_platform_best()
        return firsts[0] if firsts else None

    def best_on(self, platform: Platform) -> Match | None:
        ranked = self.matches.get(platform) or []
        return ranked[0] if ranked else None

    def per_platform_best(self) -> list[Match]:
        """The best version on each platform, best first (ties keep platform order)."""
        firsts = [ranked[0] for ranked in self.matches.values() if ranked]
        return sorted(firsts, key=lambda m: -m.score)


class Resolver:
    def __init__(
        self,
        access: PlatformAccess,
        platforms: Sequence[Platform],
        prompt: str = "",
        *,
        concurrency: int = PER_PLATFORM_CONCURRENCY,
        results_per_track: int = RESULTS_PER_TRACK,
    ) -> None:
        self.access = access
        self.platforms = list(platforms)
        self.prompt = prompt
        self.results_per_track = results_per_track
        self.failures: dict[Platform, MixtuiError] = {}
        self.request_count = 0
        self._limits = {platform: asyncio.Semaphore(concurrency) for platform in self.platforms}
        self._cache: dict[tuple[Platform, str], asyncio.Task[list[Media]]] = {}
        self._rate_limited: set[Platform] = set()

    async def candidates(self, platform: Platform, query: str) -> list[Media]:
        """A platform's results for a query; each (platform, query) is searched once per run."""
        key = (platform, fold(query))
        task = self._cache.get(key)
        if task is None:
            task = asyncio.ensure_future(self._search(platform, query))
            self._cache[key] = task
        # Shielded: one cancelled caller must not cancel a search other callers share.
        return await asyncio.shield(task)

    async def _search(self, platform: Platform, query: str) -> list[Media]:
        async with self._limits[platform]:
            if platform in self._rate_limited:
                return []
            self.request_count += 1
            try:
                # Every result of the first page is ranked: a page already fetched costs nothing.
                if platform is Platform.YOUTUBE:
                    return await self._youtube_candidates(query)
                return (await search_page(self.access, platform, query, self.results_per_track)).media
            except RateLimited as error:
                self._rate_limited.add(platform)
                self.failures[platform] = error
            except MixtuiError as error:
                self.failures[platform] = error
            except Exception as error:  # a parser meeting a changed page must not stop the run
                self.failures[platform] = PlatformError(
                    f"{platform.value} sent an unexpected answer ({type(error).__name__})", platform=platform.value
                )
            return []

    async def _youtube_candidates(self, query: str) -> list[Media]:
        """YouTube's videos and YouTube Music's songs, asked at once; the songs come first.

        A failing songs search only loses the songs; the videos' failure is YouTube's.
        """
        from mixtui.platforms.youtube import YouTubeClient

        self.access.rate_gate(Platform.YOUTUBE.value).check()  # no songs search while YouTube's wait lasts
        client = self.access.platform_client(Platform.YOUTUBE)
        videos_task = asyncio.ensure_future(search_page(self.access, Platform.YOUTUBE, query, self.results_per_track))
        if not isinstance(client, YouTubeClient):
            return (await videos_task).media
        songs: list[Media] = []
        try:
            songs = await client.search_music(query, MUSIC_SONGS)
        except MixtuiError as error:
            log.info("youtube music: no songs for %r (%s)", query, error.message)
        except BaseException:
            videos_task.cancel()
            raise
        videos = await videos_task
        seen = {media.id for media in songs}
        return [*songs, *(media for media in videos.media if media.id not in seen)]

    async def resolve(self, index: int, suggestion: SuggestedTrack) -> TrackResolution:
        """Search every platform for one suggestion and rank what each one found."""
        found = await asyncio.gather(*(self.candidates(p, suggestion.query) for p in self.platforms))
        resolution = TrackResolution(index, suggestion)
        for platform, media in zip(self.platforms, found, strict=True):
            pool = list(media)
            origin = suggestion.origin
            if origin is not None and origin.platform is platform and all(m.id != origin.id for m in pool):
                pool.insert(0, origin)
            resolution.matches[platform] = rank_candidates(suggestion, pool, self.prompt)
        if suggestion.origin is not None and suggestion.origin.platform not in resolution.matches:
            resolution.matches[suggestion.origin.platform] = rank_candidates(
                suggestion, [suggestion.origin], self.prompt
            )
        return resolution

    async def aclose(self) -> None:
        """Cancel searches still running (a cancelled or finished run)."""
        pending = [task for task in self._cache.values() if not task.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
