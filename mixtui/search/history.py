"""Earlier search queries: newest first, each once, bounded; and walking through them from a box.

Pure state (no I/O): the app keeps the list in its state file (:mod:`mixtui.store.state_file`)
and the search box walks it with ``↑`` (older) and ``↓`` (newer, then back to what was being
typed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mixtui.errors import BadInput

DEFAULT_LIMIT = 200


def _normal(query: str) -> str:
    return " ".join(query.split())


class SearchHistory:
    """Queries newest first; a query searched again moves to the front (compared ignoring case and spacing)."""

    def __init__(self, queries: Iterable[str] = (), *, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = max(0, limit)
        self.queries: list[str] = []
        for query in queries:
            cleaned = _normal(query)
            if cleaned and all(cleaned.casefold() != kept.casefold() for kept in self.queries):
                self.queries.append(cleaned)
        del self.queries[self.limit :]

    def __len__(self) -> int:
        return len(self.queries)

    def add(self, query: str) -> bool:
        """Put ``query`` first; False when it is empty or the history keeps none."""
        cleaned = _normal(query)
        if not cleaned or self.limit == 0:
            return False
        folded = cleaned.casefold()
        self.queries = [cleaned, *(kept for kept in self.queries if kept.casefold() != folded)][: self.limit]
        return True

    def clear(self) -> int:
        """Forget every query; returns how many there were."""
        count = len(self.queries)
        self.queries = []
        return count

    def to_json(self) -> list[str]:
        return list(self.queries)

    @classmethod
    def from_json(cls, data: Any, *, limit: int = DEFAULT_LIMIT) -> SearchHistory:
        """From the state file's list of strings; BadInput for anything else."""
        if data is None:
            return cls(limit=limit)
        if not isinstance(data, list) or not all(isinstance(query, str) for query in data):
            raise BadInput("the search history is not a list of queries")
        return cls(data, limit=limit)


class HistoryWalk:
    """``↑``/``↓`` in a box over a :class:`SearchHistory`: older, newer, then back to the draft.

    ``older`` starts a walk (keeping what was typed as the draft); ``newer`` returns None when no
    walk is going on, so the box can give ``↓`` its usual meaning (go to the list).
    """

    def __init__(self, history: SearchHistory) -> None:
        self.history = history
        # Index into history.queries of the query shown; -1 while not walking.
        self.index = -1
        self.draft = ""

    @property
    def walking(self) -> bool:
        return self.index >= 0

    def older(self, typed: str) -> str | None:
        """The next older query (None when there is none; the box keeps what it shows)."""
        if not self.walking:
            self.draft = typed
        if self.index + 1 >= len(self.history.queries):
            return None
        self.index += 1
        return self.history.queries[self.index]

    def newer(self) -> str | None:
        """The next newer query, or the draft after the newest; None when not walking."""
        if not self.walking:
            return None
        self.index -= 1
        return self.history.queries[self.index] if self.index >= 0 else self.draft

    def stop(self) -> None:
        """The user typed, searched or left the box: the next ``↑`` starts from the newest again."""
        self.index = -1
        self.draft = ""
