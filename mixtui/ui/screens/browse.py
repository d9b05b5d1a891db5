"""Browse Mixcloud: lists and genres on the left, shows in the centre, a show's tracklist on the right.

Workers call :mod:`mixtui.browse` and post the small messages below; the handlers own every
widget. A page's "load more" (key ``m`` or the last row) follows the API's ``next`` link;
a rate limit is shown with its wait, and nothing is sent to Mixcloud until it has passed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from mixtui.durations import format_duration
from mixtui.errors import MixtuiError, RateLimited
from mixtui.ui.screens.base import MediaScreen
from mixtui.ui.widgets.list_table import ListTable
from mixtui.ui.widgets.media_details import MediaDetails
from mixtui.ui.widgets.media_table import MediaTable
from mixtui.ui.widgets.now_playing import NowPlayingBar

if TYPE_CHECKING:
    from rich.console import RenderableType

    from mixtui.browse import Item, MixcloudBrowser, Page, ShowDetail, Tag, User
    from mixtui.models import Media

LOAD_MORE = "__load_more__"
# Entry points that are always there: (label, key).
FIXED_ENTRIES = (("Popular", "/popular/"), ("Hot", "/popular/hot/"), ("New", "/new/"))
# A user's lists, in the order shown, with their labels (the API names them in ``connections``).
USER_ENTRIES = (
    ("cloudcasts", "Shows"),
    ("favorites", "Favorites"),
    ("listens", "Listens"),
    ("followers", "Followers"),
    ("following", "Following"),
)
SEARCH_TYPES = [("Shows", "cloudcast"), ("Users", "user"), ("Tags", "tag")]
EMPTY_HINT = (
    "Pick Popular, Hot or New on the left, type a genre (funk, funk+city:athens) or a user "
    "and press Enter, or search Mixcloud."
)
DETAILS_HINT = "Highlight a show to see its tracklist."
# j/k through a list fetches only the show the cursor stops on.
DETAILS_DELAY = 0.15


# -- messages: workers report, handlers own the widgets ---------------------------------------
@dataclass
class BrowseStarted(Message):
    run: int
    title: str
    appending: bool


@dataclass
class BrowseLoaded(Message):
    run: int
    result: Page | ShowDetail
    appending: bool


@dataclass
class BrowseFailed(Message):
    run: int
    title: str
    error: MixtuiError


@dataclass
class ShowDetailsLoaded(Message):
    detail: ShowDetail


@dataclass
class ShowDetailsFailed(Message):
    key: str
    reason: str


@dataclass
class _View:
    """What the centre shows: a title, its items and the pages they came from (for "load more")."""

    title: str
    item_type: str = "show"
    items: list[Item] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    @property
    def last_page(self) -> Page | None:
        return self.pages[-1] if self.pages else None


class BrowseTable(MediaTable):
    """Shows with a "load more" row at the end when the list has more."""

    def add_media_columns(self) -> None:
        self.add_column("", key="mark", width=2)
        self.add_column("", key="platform", width=3)
        self.add_column("Title", key="title", width=30)
        self.add_column("Author", key="author", width=16)
        self.add_column("Length", key="length", width=7)

    def show_items(self, shows: list[Media], more: bool) -> None:
        self.set_media(shows)
        if more:
            self.add_row(Text(""), Text(""), Text("▾ Load more (m)", style="bold"), Text(""), Text(""), key=LOAD_MORE)


class PeopleTable(ListTable):
    """Users or tags of a list: Enter opens their shows."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: dict[str, User | Tag] = {}

    def show_items(self, items: list[User | Tag], more: bool) -> None:
        from mixtui.browse import User

        self.clear(columns=True)
        self.items = {item.key: item for item in items}
        if items and isinstance(items[0], User):
            for label, width in (("Name", 20), ("User", 14), ("Place", 16), ("Followers", 9)):
                self.add_column(label, width=width)
        else:
            for label, width in (("Tag", 26), ("Key", 34)):
                self.add_column(label, width=width)
        for item in items:
            if isinstance(item, User):
                followers = "—" if item.follower_count is None else f"{item.follower_count:,}"
                self.add_row(Text(item.name, style="bold"), item.username, item.place, followers, key=item.key)
            else:
                self.add_row(Text(item.name, style="bold"), item.genre_key, key=item.key)
        if more:
            cells = [Text("▾ Load more (m)", style="bold")] + [Text("")] * (len(self.columns) - 1)
            self.add_row(*cells, key=LOAD_MORE)

    @property
    def item_at_cursor(self) -> User | Tag | None:
        if not self.items or not 0 <= self.cursor_row < self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        return self.items.get(str(row_key.value))


class BrowseScreen(MediaScreen):
    DEFAULT_CSS = """
    BrowseScreen #browse-body { height: 1fr; }
    BrowseScreen #browse-nav { width: 32; padding: 0 1; border-right: tall $panel; }
    BrowseScreen #browse-nav Label { margin-top: 1; color: $text-muted; }
    BrowseScreen #entries { height: auto; max-height: 14; border: none; padding: 0; }
    BrowseScreen #browse-nav Input { margin: 0; }
    BrowseScreen #browse-centre { width: 1fr; }
    BrowseScreen #browse-title { height: 1; padding: 0 1; color: $accent; }
    BrowseScreen #shows, BrowseScreen #people { height: 1fr; }
    BrowseScreen #browse-details { width: 38; padding: 0 1; border-left: tall $panel; }
    BrowseScreen #browse-details MediaDetails { width: 100%; height: auto; padding: 0; border-left: none; }
    BrowseScreen #show-info { height: auto; margin-top: 1; }
    BrowseScreen #tracklist { height: auto; margin-top: 1; padding: 0; }
    """

    BINDINGS = [
        *MediaScreen.BINDINGS,
        Binding("m", "load_more", "More", id="browse.load_more"),
        Binding("u", "open_author", "User", id="browse.open_author"),
        Binding("backspace", "back", "Back", show=False, id="browse.back"),
        Binding("r", "retry", "Retry", show=False, id="browse.retry"),
        Binding("escape", "cancel", "Cancel", show=False, id="browse.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._run = 0
        self._view = _View(title="")
        self._history: list[_View] = []
        self._details: dict[str, ShowDetail] = {}
        # The show whose details are being fetched (a second highlight of it asks nothing more).
        self._details_pending: str | None = None
        self._user: User | None = None
        self._user_connections: dict[str, str] = {}
        self._genre: Tag | None = None
        # What "retry" repeats: ("browse", address, title) or ("more", page).
        self._last_request: tuple[Any, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="browse-body"):
            with VerticalScroll(id="browse-nav"):
                yield Label("Mixcloud")
                yield OptionList(*self._entry_options(), id="entries")
                yield Label("Genre")
                yield Input(placeholder="funk+city:athens", id="genre")
                yield Label("User, key or URL")
                yield Input(placeholder="spartacus", id="open")
                yield Label("Search Mixcloud")
                yield Input(placeholder="party time", id="mc-query")
                yield Select(SEARCH_TYPES, value="cloudcast", allow_blank=False, id="mc-type")
            with Vertical(id="browse-centre"):
                yield Static("", id="browse-title")
                yield BrowseTable(id="shows")
                yield PeopleTable(id="people")
                yield Static(EMPTY_HINT, id="browse-empty", classes="empty-state")
            with VerticalScroll(id="browse-details"):
                yield MediaDetails(id="details")
                yield Static("", id="show-info")
                yield Static(Text(DETAILS_HINT, style="dim italic"), id="tracklist")
        yield NowPlayingBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#shows", BrowseTable).display = False
        self.query_one("#people", PeopleTable).display = False
        self.query_one("#entries", OptionList).focus()

    # -- the left: entry points --------------------------------------------------------------
    def _entry_options(self) -> list[Option | None]:
        options: list[Option | None] = [Option(label, id=key) for label, key in FIXED_ENTRIES]
        if self._genre is not None:
            options.append(None)
            options.append(Option(Text(self._genre.name, style="bold"), id=f"genre:{self._genre.key}", disabled=True))
            for order in ("popular", "latest"):
                options.append(Option(f"  {order.capitalize()}", id=f"{self._genre.genre_key}{order}/"))
        if self._user is not None:
            options.append(None)
            options.append(Option(Text(self._user.name, style="bold"), id=f"user:{self._user.key}", disabled=True))
            for connection, label in USER_ENTRIES:
                if self._user_connections and connection not in self._user_connections:
                    continue
                options.append(Option(f"  {label}", id=f"{self._user.key}{connection}/"))
        return options

    def _refresh_entries(self) -> None:
        entries = self.query_one("#entries", OptionList)
        highlighted = entries.highlighted_option.id if entries.highlighted_option else None
        entries.clear_options()
        entries.add_options(self._entry_options())
        if highlighted is not None:
            try:
                entries.highlighted = entries.get_option_index(highlighted)
            except Exception:
                entries.highlighted = 0

    @on(OptionList.OptionSelected, "#entries")
    def entry_selected(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        if key is None:
            return
        self.open_address(key, self._entry_title(key, event.option))

    def _entry_title(self, key: str, option: Option) -> str:
        prompt = str(option.prompt).strip()
        if self._user is not None and key.startswith(self._user.key):
            return f"{self._user.name} — {prompt.lower()}"
        if self._genre is not None and key.startswith(self._genre.genre_key):
            return f"{self._genre.name} — {prompt.lower()}"
        return prompt

    @on(Input.Submitted, "#genre")
    def genre_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.notify("Type a genre, e.g. funk or funk+city:athens", title="Genre", severity="warning")
            return
        self.run_browse(text, f"Genre: {text}", kind="genre")

    @on(Input.Submitted, "#open")
    def open_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.notify("Type a user name (spartacus), a key (/popular/hot/) or a Mixcloud link", severity="warning")
            return
        self.run_browse(text, text, kind="open")

    @on(Input.Submitted, "#mc-query")
    def search_submitted(self, event: Input.Submitted) -> None:
        words = " ".join(event.value.split())
        if not words:
            self.notify("Type something to search Mixcloud for", title="Search", severity="warning")
            return
        kind = str(self.query_one("#mc-type", Select).value)
        label = dict((value, name) for name, value in SEARCH_TYPES).get(kind, "Shows")
        self.run_browse(words, f"Search {label.lower()}: {words}", kind=f"search:{kind}")

    def open_address(self, address: str, title: str) -> None:
        self.run_browse(address, title, kind="address")

    # -- workers -------------------------------------------------------------------------------
    async def _browser(self) -> MixcloudBrowser:
        await self.app.wait_ready()  # type: ignore[attr-defined]
        from mixtui.browse import browser_for

        return browser_for(self.app.services)  # type: ignore[attr-defined]

    @work(exclusive=True, group="browse", exit_on_error=False)
    async def run_browse(self, text: str, title: str, kind: str = "address") -> None:
        """Open what was asked for: an entry's key, a genre, a user/key/URL, or a search."""
        self._run += 1
        run = self._run
        self._last_request = ("browse", text, title, kind)
        self.post_message(BrowseStarted(run, title, appending=False))
        try:
            browser = await self._browser()
            address = _address_for(text, kind)
            result = await browser.browse(address)
        except MixtuiError as error:
            self.post_message(BrowseFailed(run, title, error))
            return
        self.post_message(BrowseLoaded(run, result, appending=False))

    @work(exclusive=True, group="browse", exit_on_error=False)
    async def run_load_more(self, page: Page) -> None:
        self._run += 1
        run = self._run
        self._last_request = ("more", page)
        self.post_message(BrowseStarted(run, page.title, appending=True))
        try:
            browser = await self._browser()
            result = await browser.more(page)
        except MixtuiError as error:
            self.post_message(BrowseFailed(run, page.title, error))
            return
        self.post_message(BrowseLoaded(run, result, appending=True))

    @work(exclusive=True, group="details", exit_on_error=False)
    async def load_details(self, key: str) -> None:
        await asyncio.sleep(DETAILS_DELAY)
        try:
            browser = await self._browser()
            detail = await browser.show(key)
        except MixtuiError as error:
            self.post_message(ShowDetailsFailed(key, error.message))
            return
        self.post_message(ShowDetailsLoaded(detail))

    # -- handlers ------------------------------------------------------------------------------
    def on_browse_started(self, message: BrowseStarted) -> None:
        self._set_title(Text.assemble(("Loading ", "italic"), (message.title, "bold"), "…"))
        self.query_one("#browse-centre").loading = not message.appending

    def on_browse_failed(self, message: BrowseFailed) -> None:
        if message.run != self._run:
            return
        self.query_one("#browse-centre").loading = False
        error = message.error
        if isinstance(error, RateLimited):
            self.notify(error.message, title="Mixcloud", severity="warning", timeout=10)
            self._set_title(Text.assemble((error.message, "bold"), " — press r to retry after that"))
        else:
            self.notify(str(error), title=f"Mixcloud: {message.title}", severity="error", timeout=10)
            self._set_title(Text.assemble((message.title, "bold"), f" — {error.message}"))
        if not self._view.items:
            self._show_empty(EMPTY_HINT)

    def on_browse_loaded(self, message: BrowseLoaded) -> None:
        if message.run != self._run:
            return
        from mixtui.browse import Page, ShowDetail, Tag, User, item_identity

        self.query_one("#browse-centre").loading = False
        result = message.result
        if isinstance(result, ShowDetail):
            self._details[result.key] = result
            self._push_view(_View(title=result.media.title, items=[result.media]))
            if result.user is not None:
                self._set_user(result.user, {})
        elif message.appending and isinstance(result, Page):
            seen = {item_identity(item) for item in self._view.items}
            fresh = [item for item in result.items if item_identity(item) not in seen]
            first_new = len(self._view.items)
            self._view.items.extend(fresh)
            self._view.pages.append(result)
            self._render_view(cursor=first_new if fresh else None)
            return
        else:
            self._push_view(_View(result.title, result.item_type.value, list(result.items), [result]))
            if isinstance(result.owner, User):
                self._set_user(result.owner, result.connections)
            elif isinstance(result.owner, Tag):
                self._genre = result.owner
                self._refresh_entries()
        self._render_view(cursor=0, focus=True)

    def on_show_details_loaded(self, message: ShowDetailsLoaded) -> None:
        self._details[message.detail.key] = message.detail
        if self._details_pending == message.detail.key:
            self._details_pending = None
        current = self.highlighted_media()
        if current is not None and _show_key(current) == message.detail.key:
            self._show_detail(message.detail)

    def on_show_details_failed(self, message: ShowDetailsFailed) -> None:
        if self._details_pending == message.key:
            self._details_pending = None
        current = self.highlighted_media()
        if current is not None and _show_key(current) == message.key:
            self.query_one("#tracklist", Static).update(Text(message.reason, style="italic"))

    # -- the centre ----------------------------------------------------------------------------
    def _push_view(self, view: _View) -> None:
        if self._view.items:
            self._history.append(self._view)
        self._view = view

    def _set_user(self, user: User, connections: dict[str, str]) -> None:
        if self._user is None or self._user.key != user.key or connections:
            self._user_connections = connections
        self._user = user
        self._refresh_entries()

    def _render_view(self, *, cursor: int | None = None, focus: bool = False) -> None:
        view = self._view
        page = view.last_page
        more = page is not None and page.has_more
        shows = self.query_one("#shows", BrowseTable)
        people = self.query_one("#people", PeopleTable)
        showing_shows = view.item_type == "show"
        count = len(view.items)
        noun = {"show": "show", "user": "user", "tag": "tag"}.get(view.item_type, "item")
        summary = f"{count} {noun}{'' if count == 1 else 's'}"
        self._set_title(
            Text.assemble((view.title, "bold"), f" · {summary}", (" · m: load more" if more else "", "dim"))
        )
        if not view.items:
            shows.display = people.display = False
            self._show_empty("Nothing here.")
            self._clear_details()
            return
        self.query_one("#browse-empty", Static).display = False
        from mixtui.models import Media

        table: BrowseTable | PeopleTable
        if showing_shows:
            people.display = False
            shows.display = True
            shows.show_items([item for item in view.items if isinstance(item, Media)], more)
            table = shows
        else:
            shows.display = False
            people.display = True
            people.show_items([item for item in view.items if not isinstance(item, Media)], more)
            table = people
        if cursor is not None and table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        if focus:
            table.focus()
        self._highlight_changed()

    def _show_empty(self, text: str) -> None:
        empty = self.query_one("#browse-empty", Static)
        empty.update(text)
        empty.display = True

    def _set_title(self, text: Text) -> None:
        self.query_one("#browse-title", Static).update(text)

    # -- the right: details ----------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#shows")
    @on(DataTable.RowHighlighted, "#people")
    def _row_highlighted(self) -> None:
        self._highlight_changed()

    def _highlight_changed(self) -> None:
        people = self.query_one("#people", PeopleTable)
        if people.display:
            self._show_person(people.item_at_cursor)
            return
        media = self.highlighted_media()
        details = self.query_one("#details", MediaDetails)
        details.media = media
        if media is None:
            self.query_one("#show-info", Static).update("")
            self.query_one("#tracklist", Static).update("")
            return
        key = _show_key(media)
        cached = self._details.get(key) if key else None
        if cached is not None:
            self._show_detail(cached)
            return
        self.query_one("#show-info", Static).update("")
        self.query_one("#tracklist", Static).update(Text("Loading the tracklist…", style="italic"))
        if key and key != self._details_pending:
            self._details_pending = key
            self.load_details(key)

    def _clear_details(self) -> None:
        self.query_one("#details", MediaDetails).media = None
        self.query_one("#show-info", Static).update("")
        self.query_one("#tracklist", Static).update("")

    def _show_detail(self, detail: ShowDetail) -> None:
        facts = [
            _count(detail.play_count, "play"),
            _count(detail.favorite_count, "favourite"),
            detail.created_time[:10] if detail.created_time else "",
        ]
        info = Text()
        line = " · ".join(fact for fact in facts if fact)
        if line:
            info.append(line + "\n", style="dim")
        if detail.tags:
            info.append("Tags: ", style="bold")
            info.append(", ".join(tag.name for tag in detail.tags) + "\n")
        if detail.description:
            info.append("\n" + _shorten(detail.description, 240) + "\n")
        self.query_one("#show-info", Static).update(info)
        self.query_one("#tracklist", Static).update(_tracklist(detail))

    def _show_person(self, item: User | Tag | None) -> None:
        from mixtui.browse import User

        self.query_one("#details", MediaDetails).media = None
        info = Text()
        hint = Text()
        if isinstance(item, User):
            info.append(item.name + "\n", style="bold")
            info.append(item.username + "\n\n", style="italic")
            facts = [item.place, _count(item.follower_count, "follower"), _count(item.cloudcast_count, "show")]
            info.append("\n".join(fact for fact in facts if fact) + "\n\n")
            info.append(item.url, style="dim")
            hint.append("Enter: their shows", style="italic")
        elif item is not None:
            info.append(item.name + "\n", style="bold")
            info.append(item.url, style="dim")
            hint.append("Enter: its popular shows", style="italic")
        self.query_one("#show-info", Static).update(info)
        self.query_one("#tracklist", Static).update(hint)

    # -- keys ------------------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#shows")
    def show_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value == LOAD_MORE:
            self.action_load_more()
        else:
            self.action_play()

    @on(DataTable.RowSelected, "#people")
    def person_selected(self, event: DataTable.RowSelected) -> None:
        from mixtui.browse import User

        if event.row_key.value == LOAD_MORE:
            self.action_load_more()
            return
        item = self.query_one("#people", PeopleTable).item_at_cursor
        if isinstance(item, User):
            self.open_address(item.key, item.name)
        elif item is not None:
            self.open_address(item.shows_key, f"{item.name} — popular")

    def action_load_more(self) -> None:
        page = self._view.last_page
        if page is None or not page.has_more:
            self.notify("Nothing more to load", severity="information")
            return
        self.run_load_more(page)

    def action_open_author(self) -> None:
        media = self.highlighted_media()
        key = _show_key(media) if media else None
        if not key:
            self.notify("Highlight a show first", severity="warning")
            return
        user = "/" + key.strip("/").split("/")[0] + "/"
        self.open_address(user, media.author if media else user)

    def action_back(self) -> None:
        if not self._history:
            self.notify("Nothing to go back to", severity="information")
            return
        self._view = self._history.pop()
        self._render_view(cursor=0, focus=True)

    def action_retry(self) -> None:
        request = self._last_request
        if request is None:
            self.notify("Nothing to retry", severity="information")
        elif request[0] == "more":
            self.run_load_more(request[1])
        else:
            self.run_browse(request[1], request[2], kind=request[3])

    def action_cancel(self) -> None:
        cancelled = self.workers.cancel_group(self, "browse")
        self.workers.cancel_group(self, "details")
        self._details_pending = None
        if cancelled:
            self._run += 1
            self.query_one("#browse-centre").loading = False
            self._set_title(Text("Cancelled", style="italic"))
            self.notify("Browsing cancelled")

    # -- media ------------------------------------------------------------------------------------
    def highlighted_media(self) -> Media | None:
        shows = self.query_one("#shows", BrowseTable)
        return shows.media_at_cursor if shows.display else None

    def media_context(self) -> tuple[list[Media], int, str | None]:
        shows = self.query_one("#shows", BrowseTable)
        media = shows.media if shows.display else []
        return media, min(max(0, shows.cursor_row), max(0, len(media) - 1)), None

    def action_play(self) -> None:
        shows = self.query_one("#shows", BrowseTable)
        if shows.display and shows.media and shows.cursor_row >= len(shows.media):
            self.action_load_more()
            return
        super().action_play()


def _address_for(text: str, kind: str) -> str:
    """The key for what was typed in a box (runs in a worker: it loads the domain)."""
    from urllib.parse import urlencode

    from mixtui.browse import genre_key, user_key

    if kind == "genre":
        return genre_key(text)
    if kind.startswith("search:"):
        return "/search/?" + urlencode({"q": text, "type": kind.removeprefix("search:")})
    if kind == "open" and not text.startswith("/") and "://" not in text:
        return user_key(text)
    return text


def _show_key(media: Media) -> str | None:
    from mixtui.platforms.mixcloud import decode_native_id

    if media.platform.value != "mixcloud":
        return None
    try:
        return decode_native_id(media.id)
    except MixtuiError:
        return None


def _tracklist(detail: ShowDetail) -> RenderableType:
    """Numbered sections with their start times; long names wrap under themselves."""
    from rich.console import Group
    from rich.table import Table

    if not detail.tracklist:
        return Text("No tracklist.", style="italic dim")
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0), expand=True)
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(ratio=1)
    for index, entry in enumerate(detail.tracklist, 1):
        start = format_duration(entry.start_time) if entry.start_time is not None else ""
        style = "italic" if entry.section_type == "chapter" else ""
        table.add_row(str(index), start, Text(entry.label, style=style))
    return Group(Text(f"Tracklist ({len(detail.tracklist)})", style="bold"), table)


def _count(value: int | None, noun: str) -> str:
    if value is None:
        return ""
    return f"{value:,} {noun}{'' if value == 1 else 's'}"


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
