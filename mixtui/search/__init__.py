"""Search across platforms: streaming fan-out, fair merge, per-platform status."""

from mixtui.search.fanout import (
    MAX_RESULTS,
    clean_query,
    is_url_query,
    search,
    search_all,
    search_page,
    search_platform,
)
from mixtui.search.merge import merge_results
from mixtui.search.models import PlatformBatch, PlatformStatus, SearchOutcome, StatusKind

__all__ = [
    "MAX_RESULTS",
    "PlatformBatch",
    "PlatformStatus",
    "SearchOutcome",
    "StatusKind",
    "clean_query",
    "is_url_query",
    "merge_results",
    "search",
    "search_all",
    "search_page",
    "search_platform",
]
