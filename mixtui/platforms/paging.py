"""One page of a platform's search results, and the clients that can fetch pages one at a time.

A search asks each platform for its first page only; the fan-out asks for a further page
(with the page's ``cursor``) only when the merged list would fall short of its limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from mixtui.models import Media, Platform


@dataclass(frozen=True)
class SearchPage:
    """The Media of one result page and the platform's opaque cursor to the next (None at the end)."""

    media: list[Media] = field(default_factory=list)
    cursor: str | None = None


@runtime_checkable
class PagedSearchClient(Protocol):
    platform: Platform

    async def search_page(self, query: str, size: int, cursor: str | None = None) -> SearchPage:
        """One page of results: the first for ``cursor=None``, else the page the cursor names.

        ``size`` is how many results the caller can use; platforms with a fixed page size
        (YouTube, Bandcamp) ignore it. Raises a MixtuiError subclass on failure.
        """
        ...
