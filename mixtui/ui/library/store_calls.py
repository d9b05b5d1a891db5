"""The Library screen's store calls: each runs in a thread inside a worker and reports with a message."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from textual.message import Message

from mixtui.errors import MixtuiError

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.worker import WorkType

    from mixtui.models import Media
    from mixtui.store import Library
    from mixtui.store.models import Play, Playlist, Preset
    from mixtui.store.reviews import Review
    from mixtui.ui.app import MixtuiApp

HISTORY_PAGE = 50
SMART_ID_LIMIT = 500
TAG_SUGGESTIONS = 10

T = TypeVar("T")


# -- messages: workers report, handlers own the widgets ----------------------------------------
@dataclass
class PlaysLoaded(Message):
    """The tracks already played in a playlist (its ✓ marks)."""

    playlist_id: str
    played_ids: set[str]


@dataclass
class ReviewsLoaded(Message):
    """The reviews of a playlist, with replies (8tracks' order)."""

    playlist_id: str
    reviews: list[Review]


@dataclass
class HistoryPageLoaded(Message):
    page: int
    plays: list[Play]


@dataclass
class SmartIdSelected(Message):
    smart_id: str
    playlists: list[Playlist]


@dataclass
class SmartIdRejected(Message):
    smart_id: str
    reason: str


@dataclass
class LibraryWritten(Message):
    what: str
    done: str | None
    select_id: str | None


@dataclass
class LibraryWriteFailed(Message):
    what: str
    reason: str


@dataclass
class LibraryRead:
    """Everything the screen shows, read in one thread call."""

    playlists: list[Playlist]
    liked_ids: frozenset[str]
    presets: list[Preset]
    history: list[Play]
    history_complete: bool
    selection: list[Playlist] | None
    selection_error: str | None
    faved: list[Media] = field(default_factory=list)
    followed: list[str] = field(default_factory=list)


@dataclass
class LibraryLoaded(Message):
    read: LibraryRead


def read_library(store: Library, history_pages: int, smart_id: str | None) -> LibraryRead:
    """Playlists, likes, presets, the history pages already shown and the smart id's selection."""
    playlists = store.playlists.all()
    liked_ids = frozenset(p.id for p in store.likes.liked_playlists())
    history: list[Play] = []
    complete = False
    for page in range(1, max(1, history_pages) + 1):
        plays = store.plays.history(page, HISTORY_PAGE)
        history.extend(plays)
        if len(plays) < HISTORY_PAGE:
            complete = True
            break
    selection: list[Playlist] | None = None
    selection_error = None
    if smart_id is not None:
        try:
            selection = store.smart.select(smart_id, 1, SMART_ID_LIMIT)
        except MixtuiError as error:
            selection, selection_error = [], str(error)
    return LibraryRead(
        playlists,
        liked_ids,
        store.presets.all(),
        history,
        complete,
        selection,
        selection_error,
        store.likes.faved_media(),
        store.likes.followed_authors(),
    )


def playlist_order(playlist: Playlist) -> tuple[bool, str]:
    """The store's order: Listen Later first, then by name."""
    return (not playlist.is_listen_later, playlist.name.casefold())


class LatestWish(Generic[T]):
    """Runs ``read`` for the latest wish, one round at a time in one worker; wishes made meanwhile fold into one.

    ``read`` returns False to end the rounds early; the next wish starts them again.
    """

    def __init__(self, start: Callable[[WorkType[None]], None], read: Callable[[T], Awaitable[bool]]) -> None:
        self._start = start
        self._read = read
        self._wanted: T | None = None
        self._running = False

    def want(self, wish: T) -> None:
        self._wanted = wish
        if not self._running:
            self._running = True
            self._start(self._rounds)

    async def _rounds(self) -> None:
        try:
            while self._wanted is not None:
                wish, self._wanted = self._wanted, None
                if not await self._read(wish):
                    return
        finally:
            self._running = False


class LibraryIO:
    """Runs the store calls of ``screen`` in its workers; the messages above go to ``screen``.

    A library read asks ``shown`` for the history pages shown and the smart id applied; a read asked
    for while one runs folds into one more read after it, and writes run one after the other.
    """

    def __init__(self, screen: Screen[Any], shown: Callable[[], tuple[int, str | None]]) -> None:
        self._screen = screen
        self._shown = shown
        self._library = LatestWish[bool](lambda work: self._run(work, "library-load"), self._read_library)
        self._played = LatestWish[str](lambda work: self._run(work, "library-played"), self._read_played)
        self._write_lock = asyncio.Lock()
        self.pending_writes = 0

    @property
    def _app(self) -> MixtuiApp:
        return cast("MixtuiApp", self._screen.app)

    def _run(self, work: WorkType[None], group: str) -> None:
        self._screen.run_worker(work, group=group, exit_on_error=False)

    async def store(self) -> Library:
        await self._app.wait_ready()
        store: Library = await self._app.media_actions.store()
        return store

    async def tags_starting(self, prefix: str) -> list[str]:
        if not self._app.is_ready:
            return []
        store = await self.store()
        try:
            return await asyncio.to_thread(store.playlists.search_tags, prefix, TAG_SUGGESTIONS)
        except MixtuiError:
            return []

    # -- reading -------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the library again; calls while a read runs fold into one more read after it."""
        self._library.want(True)

    async def _read_library(self, _wanted: bool) -> bool:
        try:
            store = await self.store()
            read = await asyncio.to_thread(read_library, store, *self._shown())
        except MixtuiError as error:
            self._screen.notify(str(error), title="Library", severity="error", timeout=10)
            return False
        self._screen.post_message(LibraryLoaded(read))
        return True

    def load_played(self, playlist_id: str) -> None:
        """Fetch the ✓ marks of ``playlist_id``; while a fetch runs, only the latest wish is kept."""
        self._played.want(playlist_id)

    async def _read_played(self, playlist_id: str) -> bool:
        try:
            store = await self.store()
            played = await asyncio.to_thread(store.plays.played_media_ids, playlist_id)
            reviews = await asyncio.to_thread(store.reviews.of_playlist, playlist_id)
        except MixtuiError:
            return True
        self._screen.post_message(PlaysLoaded(playlist_id, played))
        self._screen.post_message(ReviewsLoaded(playlist_id, reviews))
        return True

    def load_history_page(self, page: int) -> None:
        self._run(partial(self._read_history_page, page), "library-history")

    async def _read_history_page(self, page: int) -> None:
        try:
            store = await self.store()
            plays = await asyncio.to_thread(store.plays.history, page, HISTORY_PAGE)
        except MixtuiError as error:
            self._screen.notify(str(error), title="History", severity="error")
            return
        self._screen.post_message(HistoryPageLoaded(page, plays))

    def select_smart_id(self, smart_id: str) -> None:
        self._run(partial(self._select, smart_id), "library-smart-id")

    async def _select(self, smart_id: str) -> None:
        try:
            store = await self.store()
            playlists = await asyncio.to_thread(store.smart.select, smart_id, 1, SMART_ID_LIMIT)
        except MixtuiError as error:
            self._screen.post_message(SmartIdRejected(smart_id, str(error)))
            return
        self._screen.post_message(SmartIdSelected(smart_id, playlists))

    # -- writing -------------------------------------------------------------------------------
    def write(
        self,
        what: str,
        change: Callable[[Library], Any],
        done: str | Callable[[Any], str] | None = None,
        select: Callable[[Any], str | None] | None = None,
    ) -> None:
        """Run ``change(store)`` in a thread after the writes before it; report ``done`` or the error."""
        if not self._app.is_ready:
            self._screen.notify("Still starting up: try again in a moment", title="Library", severity="warning")
            return
        self.pending_writes += 1
        self._run(partial(self._write, what, change, done, select), "library-write")

    async def _write(
        self,
        what: str,
        change: Callable[[Library], Any],
        done: str | Callable[[Any], str] | None,
        select: Callable[[Any], str | None] | None,
    ) -> None:
        try:
            async with self._write_lock:
                store = await self.store()
                try:
                    result = await asyncio.to_thread(change, store)
                except MixtuiError as error:
                    self._screen.post_message(LibraryWriteFailed(what, str(error)))
                    return
        finally:
            self.pending_writes -= 1
        message = done(result) if callable(done) else done
        self._screen.post_message(LibraryWritten(what, message, select(result) if select else None))
