"""Search: a query and a platform; results stream in as each platform answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Select, Static

from mixtui.errors import MixtuiError
from mixtui.platform_names import SEARCHABLE_PLATFORMS, Platform
from mixtui.ui.common.base_screen import MediaScreen
from mixtui.ui.common.media_details import MediaDetails
from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.common.messages import SearchBatchArrived, SearchFinished, SearchStarted
from mixtui.ui.common.plain import plain
from mixtui.ui.common.screen_tabs import ScreenTabs
from mixtui.ui.player.now_playing import NowPlayingBar
from mixtui.ui.search.status_chips import StatusChips

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.search.history import HistoryWalk

ALL = "all"
CLEAR_TIP = "Forget the earlier searches (↑ in the box recalls them)"
PLATFORM_CHOICES = [("All platforms", ALL)] + [(p.display_name, p.value) for p in (*SEARCHABLE_PLATFORMS, Platform.URL)]


class SearchScreen(MediaScreen):
    BINDINGS = [
        *MediaScreen.BINDINGS,
        Binding("escape", "cancel", "Cancel", id="search.cancel", tooltip="Cancel the search"),
        Binding("ctrl+s", "save_preset", "Save", id="search.save_preset", tooltip="Save this search as a preset"),
        Binding("P", "presets", "Presets", show=False, id="search.presets", tooltip="Run a saved preset…"),
        Binding("up", "history_older", "Earlier", show=False, id="search.history", tooltip="An earlier search"),
        Binding("ctrl+l", "clear_history", "Forget", show=False, id="search.clear_history", tooltip=CLEAR_TIP),
    ]
    FIND_INPUT = "#query"
    MAIN_LISTS = ("#results",)

    def __init__(self) -> None:
        super().__init__()
        self._results: dict[Platform, list[Media]] = {}
        self._query = ""
        self._offered = [value for _label, value in PLATFORM_CHOICES]
        # Bumped by every search: messages of a replaced search are ignored.
        self._token = 0
        self._searching = False
        # ↑/↓ through earlier searches in the box (set once the app is ready).
        self._walk: HistoryWalk | None = None
        # What the box shows from the history: a change to anything else is the user typing.
        self._recalled: str | None = None

    def compose(self) -> ComposeResult:
        yield ScreenTabs("search")
        with Horizontal(id="search-bar"):
            yield Input(placeholder="Search every platform, or paste a URL", id="query")
            yield Select(PLATFORM_CHOICES, value=ALL, allow_blank=False, id="platform")
        yield StatusChips(id="chips")
        with Horizontal(id="search-body"):
            with Vertical(id="results-pane"):
                yield MediaTable(id="results")
                yield Static("Type a search and press Enter.", id="empty-state", classes="empty-state")
            yield MediaDetails(id="details")
        yield NowPlayingBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.query_one("#results", MediaTable).display = False
        self.offer_enabled_platforms()
        self.show_last_query()

    @work(group="search-restore", exit_on_error=False)
    async def show_last_query(self) -> None:
        """The last run's query (and platform) in the box, unless the user typed already; Enter runs it."""
        await self.mixtui.wait_ready()
        continuity = self.mixtui.continuity
        await continuity.ready.wait()
        restored = continuity.restored
        box = self.query_one("#query", Input)
        if not restored.query or box.value:
            return
        if restored.platform and restored.platform in self._offered:
            self.query_one("#platform", Select).value = restored.platform
        box.value = restored.query
        self._query = restored.query
        self._recalled = restored.query

    # -- earlier searches (↑ / ↓ in the box) --------------------------------------------------
    def _history_walk(self) -> HistoryWalk | None:
        if not self.mixtui.is_ready:
            return None
        if self._walk is None or self._walk.history is not self.mixtui.continuity.history:
            from mixtui.search.history import HistoryWalk

            self._walk = HistoryWalk(self.mixtui.continuity.history)
        return self._walk

    def _show_recalled(self, query: str) -> None:
        box = self.query_one("#query", Input)
        self._recalled = query
        box.value = query
        box.cursor_position = len(query)

    def action_history_older(self) -> None:
        box = self.query_one("#query", Input)
        walk = self._history_walk()
        if not box.has_focus or walk is None:
            return
        query = walk.older(box.value)
        if query is None:
            if not walk.history.queries:
                self.notify("No earlier searches yet", timeout=2)
            return
        self._show_recalled(query)

    def action_to_list(self) -> None:
        """``↓`` in the box: a newer search while going through earlier ones, else down to the results."""
        walk = self._walk
        if walk is not None and walk.walking and self.query_one("#query", Input).has_focus:
            newer = walk.newer()
            if newer is not None:
                self._show_recalled(newer)
                return
        super().action_to_list()

    @on(Input.Changed, "#query")
    def typed(self, event: Input.Changed) -> None:
        if event.value != self._recalled and self._walk is not None:
            self._walk.stop()  # typing: the next ↑ starts from the newest search again
        self._recalled = None

    def action_clear_history(self) -> None:
        if not self.mixtui.is_ready:
            return
        from mixtui.ui.common.confirm import ConfirmDialog

        count = len(self.mixtui.continuity.history)
        if not count:
            self.notify("No earlier searches to forget", timeout=2)
            return

        def forget(answer: bool | None) -> None:
            if answer:
                self.mixtui.continuity.clear_history()
                if self._walk is not None:
                    self._walk.stop()
                self.notify(f"Forgot {count} earlier search{'es' if count != 1 else ''}")

        searches = f"{count} earlier search{'es' if count != 1 else ''}"
        self.app.push_screen(
            ConfirmDialog(f"Forget {searches}?", "↑ in the search box will recall nothing.", yes_label="Forget"),
            forget,
        )

    def on_screen_resume(self) -> None:
        if self.mixtui.is_ready:
            self.offer_enabled_platforms()

    @work(group="search-platforms", exit_on_error=False)
    async def offer_enabled_platforms(self) -> None:
        """The selector offers the enabled platforms only (Settings can turn one off at any time)."""
        await self.mixtui.wait_ready()
        enabled = self.mixtui.settings.platforms.enabled_searchable()
        choices = [("All platforms", ALL)] + [(p.display_name, p.value) for p in (*enabled, Platform.URL)]
        offered = [value for _label, value in choices]
        if offered == self._offered:
            return
        self._offered = offered
        select = self.query_one("#platform", Select)
        current = select.value
        select.set_options(choices)
        select.value = current if any(value == current for _label, value in choices) else ALL

    # -- searching -------------------------------------------------------------------------
    @on(Input.Submitted, "#query")
    def submit(self, event: Input.Submitted) -> None:
        self.start_search(event.value)

    def start_search(self, query: str, platform: str | None = None) -> None:
        if platform is not None:
            self.query_one("#platform", Select).value = platform
            self.query_one("#query", Input).value = query
        choice = self.query_one("#platform", Select).value
        cleaned = " ".join(query.split())
        if not cleaned:
            self.notify("Type something to search for, or paste a URL", title="Empty query", severity="warning")
            return
        try:
            chosen = None if choice in (ALL, Select.NULL) else Platform.parse(str(choice))
        except MixtuiError as error:
            self.notify(str(error), title="Search", severity="error")
            return
        self._token += 1
        if self.mixtui.is_ready:
            self.mixtui.continuity.searched(cleaned, None if chosen is None else chosen.value)
        if self._walk is not None:
            self._walk.stop()
        self.run_search(cleaned, chosen, self._token)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(self, query: str, platform: Platform | None, token: int = 0) -> None:
        await self.mixtui.wait_ready()
        from mixtui.search import is_url_query, search_all
        from mixtui.search.fanout import target_platforms

        services = self.mixtui.services
        problem = None
        try:
            names = [p.value for p in target_platforms(services, query, platform)]
        except MixtuiError as error:  # a refused link, a disabled platform: its chip says so
            problem = str(error)
            names = [Platform.URL.value] if is_url_query(query) else [platform.value] if platform else []
        self.post_message(SearchStarted(query, names, token))
        if problem is None:
            try:
                async for batch in search_all(services, query, platform):
                    self.post_message(SearchBatchArrived(batch, token))
            except MixtuiError as error:
                problem = str(error)
        if problem is not None:
            self.notify(problem, title="Search", severity="error")
        self.post_message(SearchFinished(query, token=token, problem=problem))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":  # Escape is in the footer only while there is a search to cancel
            return any(worker.group == "search" and worker.is_running for worker in self.workers)
        return super().check_action(action, parameters)

    def on_search_started(self, message: SearchStarted) -> None:
        self.refresh_bindings()
        if message.token != self._token:
            return
        self._query = message.query
        self._results.clear()
        self._searching = True
        self.query_one("#chips", StatusChips).start(message.platforms)
        self._show_results()

    def on_search_batch_arrived(self, message: SearchBatchArrived) -> None:
        from mixtui.search import StatusKind

        if message.token != self._token or not self._searching:
            return
        batch = message.batch
        first_results = not any(self._results.values()) and bool(batch.media)
        self._results[batch.platform] = batch.media
        self.query_one("#chips", StatusChips).update_status(batch.status)
        if batch.status.kind is StatusKind.RATE_LIMITED:
            name = batch.platform.display_name
            self.notify(batch.status.label, title=f"{name} rate-limited us", severity="warning")
        elif batch.status.kind is StatusKind.FAILED:
            name = batch.platform.display_name
            self.notify(batch.status.reason or "failed", title=f"{name} failed", severity="error")
        self._show_results()
        query = self.query_one("#query", Input)
        # Enter, then results: the cursor goes to them, unless the user is already typing another search.
        if first_results and query.has_focus and " ".join(query.value.split()) == self._query:
            self.query_one("#results", MediaTable).focus()

    def on_search_finished(self, message: SearchFinished) -> None:
        self.call_after_refresh(self.refresh_bindings)
        if message.token != self._token:
            return
        self._searching = False
        self.query_one("#chips", StatusChips).finish_pending("refused" if message.problem else "no answer")
        if not any(self._results.values()):
            empty = self.query_one("#empty-state", Static)
            empty.update(plain(message.problem or f"No results for “{message.query}”."))

    def _show_results(self) -> None:
        from mixtui.search import merge_results

        limit = self.mixtui.services.settings.search.limit
        merged = merge_results(self._results, limit)
        table = self.query_one("#results", MediaTable)
        table.set_media(merged)
        table.display = bool(merged)
        # The side panel follows the list: nothing left from a previous search.
        self.query_one("#details", MediaDetails).media = table.media_at_cursor
        empty = self.query_one("#empty-state", Static)
        empty.display = not merged
        if not merged:
            empty.update("Searching…" if self._searching else "Type a search and press Enter.")

    def action_cancel(self) -> None:
        cancelled = self.workers.cancel_group(self, "search")
        if cancelled and self._searching:
            self._searching = False
            self._token += 1  # batches already on their way are dropped
            self.query_one("#chips", StatusChips).cancel_pending()
            found = sum(len(media) for media in self._results.values())
            if not found:
                self.query_one("#empty-state", Static).update("Search cancelled.")
            self.notify(f"Search cancelled — keeping the {found} results that arrived" if found else "Search cancelled")

    # -- media ------------------------------------------------------------------------------
    def highlighted_media(self) -> Media | None:
        return self.query_one("#results", MediaTable).media_at_cursor

    def media_context(self) -> tuple[list[Media], int, str | None]:
        table = self.query_one("#results", MediaTable)
        media = table.media
        return media, max(0, table.cursor_row), None

    def media_origin(self) -> str | None:
        return f"search '{self._query}'" if self._query else "search"

    @on(DataTable.RowSelected, "#results")
    def play_selected(self) -> None:
        self.action_play()

    @on(DataTable.RowHighlighted, "#results")
    def show_details(self) -> None:
        self.query_one("#details", MediaDetails).media = self.highlighted_media()

    # -- presets ----------------------------------------------------------------------------
    def action_save_preset(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        if not query:
            self.notify("Type a search first", severity="warning")
            return
        platform = self.query_one("#platform", Select).value
        self.mixtui.media_actions.save_search_preset(query, None if platform == ALL else str(platform))

    def action_presets(self) -> None:
        self.mixtui.media_actions.choose_preset()
