"""Browse Mixcloud: lists and genres on the left, shows in the centre, a show's tracklist on the right.

Workers call :mod:`mixtui.browse` and post the small messages of :mod:`mixtui.ui.browse.requests`;
the handlers own every widget. A page's "load more" (key ``m`` or the last row) follows the API's
``next`` link; a rate limit is shown with its wait, and nothing is sent to Mixcloud until it has passed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, OptionList, Static

from mixtui.errors import MixtuiError, RateLimited
from mixtui.ui.browse.account import (
    AccountActed,
    AccountActionFailed,
    AccountStateLoaded,
    SignedInChecked,
    SignInWaiting,
)
from mixtui.ui.browse.details import BrowseDetails
from mixtui.ui.browse.nav import ME_LOGIN, ME_UPLOAD, BrowseNav
from mixtui.ui.browse.requests import (
    BrowseFailed,
    BrowseLoaded,
    BrowseStarted,
    ShowDetailsFailed,
    ShowDetailsLoaded,
    address_for,
    show_key,
)
from mixtui.ui.browse.tables import LOAD_MORE, BrowseTable, PeopleTable
from mixtui.ui.common.base_screen import MediaScreen
from mixtui.ui.common.plain import plain, shown
from mixtui.ui.common.screen_tabs import ScreenTabs
from mixtui.ui.player.now_playing import NowPlayingBar

if TYPE_CHECKING:
    from mixtui.account.mixcloud import Action, MixcloudAccount, ObjectState
    from mixtui.browse import Item, MixcloudBrowser, Page, ShowDetail
    from mixtui.models import Media

EMPTY_HINT = (
    "Pick Popular, Hot or New on the left, type a genre (funk, funk+city:athens) or a user "
    "and press Enter, or search Mixcloud."
)
# j/k through a list fetches only the show the cursor stops on.
DETAILS_DELAY = 0.15


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


class BrowseScreen(MediaScreen):
    FIND_INPUT = "#genre"
    MAIN_LISTS = ("#shows", "#people", "#entries")
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
        Binding("R", "mixcloud_repost", "Repost", show=False, id="browse.mixcloud_repost"),
        Binding("U", "mixcloud_upload", "Upload", show=False, id="browse.mixcloud_upload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._run = 0
        self._view = _View(title="")
        self._history: list[_View] = []
        self._details: dict[str, ShowDetail] = {}
        # The show whose details are being fetched (a second highlight of it asks nothing more).
        self._details_pending: str | None = None
        # What "retry" repeats: ("browse", address, title) or ("more", page).
        self._last_request: tuple[Any, ...] | None = None
        self._submitted: tuple[str | None, str] | None = None
        # Signed in to Mixcloud: f / F / l / R act on Mixcloud for its shows and users.
        self._signed_in = False
        self._me_name: str | None = None
        self._states: dict[str, ObjectState] = {}

    def compose(self) -> ComposeResult:
        yield ScreenTabs("browse")
        with Horizontal(id="browse-body"):
            yield BrowseNav(id="browse-nav")
            with Vertical(id="browse-centre"):
                yield Static("", id="browse-title")
                yield BrowseTable(id="shows")
                yield PeopleTable(id="people")
                yield Static(EMPTY_HINT, id="browse-empty", classes="empty-state")
            yield BrowseDetails(id="browse-details")
        yield NowPlayingBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#shows", BrowseTable).display = False
        self.query_one("#people", PeopleTable).display = False
        self.query_one("#entries", OptionList).focus()
        self.check_signed_in()

    def on_screen_resume(self) -> None:
        self.check_signed_in()

    # -- the left: entry points --------------------------------------------------------------
    @on(OptionList.OptionSelected, "#entries")
    def entry_selected(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        if key is None:
            return
        if key == ME_UPLOAD:
            self.action_mixcloud_upload()
            return
        if key == ME_LOGIN:
            self.sign_in()
            return
        if key.startswith("me:"):
            title = self.query_one(BrowseNav).entry_title(key, event.option)
            self.run_browse(key.removeprefix("me:"), title, kind="me")
            return
        self.open_address(key, self.query_one(BrowseNav).entry_title(key, event.option))

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
        kind, label = self.query_one(BrowseNav).search_type()
        self.run_browse(words, f"Search {label.lower()}: {words}", kind=f"search:{kind}")

    def open_address(self, address: str, title: str) -> None:
        self.run_browse(address, title, kind="address")

    # -- workers -------------------------------------------------------------------------------
    async def _browser(self) -> MixcloudBrowser:
        await self.mixtui.wait_ready()
        return self.mixtui.services.mixcloud_browser

    @work(exclusive=True, group="browse", exit_on_error=False)
    async def run_browse(self, text: str, title: str, kind: str = "address") -> None:
        """Open what was asked for: an entry's key, a genre, a user/key/URL, or a search."""
        self._run += 1
        run = self._run
        self._last_request = ("browse", text, title, kind)
        self.post_message(BrowseStarted(run, title, appending=False))
        try:
            if kind == "me":
                result: Page | ShowDetail = await (await self._account()).me_page(text)
            else:
                browser = await self._browser()
                result = await browser.browse(address_for(text, kind))
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
            if page.key.startswith("/me/"):
                result = await (await self._account()).more(page)
            else:
                result = await (await self._browser()).more(page)
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
        self._set_title(Text.assemble(("Loading ", "italic"), (shown(message.title), "bold"), "…"))
        self.query_one("#browse-centre").loading = not message.appending

    def on_browse_failed(self, message: BrowseFailed) -> None:
        if message.run != self._run:
            return
        self.query_one("#browse-centre").loading = False
        error = message.error
        if isinstance(error, RateLimited):
            self.notify(error.message, title="Mixcloud", severity="warning", timeout=10)
            self._set_title(Text.assemble((shown(error.message), "bold"), " — press r to retry after that"))
        else:
            self.notify(str(error), title=f"Mixcloud: {message.title}", severity="error", timeout=10)
            self._set_title(Text.assemble((shown(message.title), "bold"), f" — {shown(error.message)}"))
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
                self.query_one(BrowseNav).set_user(result.user, {})
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
                self.query_one(BrowseNav).set_user(result.owner, result.connections)
            elif isinstance(result.owner, Tag):
                self.query_one(BrowseNav).set_genre(result.owner)
        self._render_view(cursor=0, focus=True)

    def on_show_details_loaded(self, message: ShowDetailsLoaded) -> None:
        self._details[message.detail.key] = message.detail
        if self._details_pending == message.detail.key:
            self._details_pending = None
        current = self.highlighted_media()
        if current is not None and show_key(current) == message.detail.key:
            self.query_one(BrowseDetails).show_detail(message.detail)

    def on_show_details_failed(self, message: ShowDetailsFailed) -> None:
        if self._details_pending == message.key:
            self._details_pending = None
        current = self.highlighted_media()
        if current is not None and show_key(current) == message.key:
            self.query_one(BrowseDetails).failed(message.reason)

    # -- the centre ----------------------------------------------------------------------------
    def _push_view(self, view: _View) -> None:
        if self._view.items:
            self._history.append(self._view)
        self._view = view

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
            Text.assemble((shown(view.title), "bold"), f" · {summary}", (" · m: load more" if more else "", "dim"))
        )
        if not view.items:
            shows.display = people.display = False
            self._show_empty("Nothing here.")
            self.query_one(BrowseDetails).clear()
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
        if focus and not self._typing_elsewhere():
            table.focus()
        self._highlight_changed()

    @on(Input.Submitted)
    def remember_submitted(self, event: Input.Submitted) -> None:
        self._submitted = (event.input.id, event.value)

    def _typing_elsewhere(self) -> bool:
        """A box has the focus with text typed since its Enter: a list arriving must not take the keys."""
        focused = self.focused
        return isinstance(focused, Input) and (focused.id, focused.value) != self._submitted

    def _show_empty(self, text: str) -> None:
        empty = self.query_one("#browse-empty", Static)
        empty.update(plain(text))
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
        details = self.query_one(BrowseDetails)
        details.clear_account_state()
        if people.display:
            details.show_person(people.item_at_cursor)
            self._show_state(getattr(people.item_at_cursor, "key", None), user=True)
            return
        media = self.highlighted_media()
        if media is None:
            details.clear()
            return
        details.show_media(media)
        key = show_key(media)
        self._show_state(key)
        cached = self._details.get(key) if key else None
        if cached is not None:
            details.show_detail(cached)
            return
        details.show_loading()
        if key and key != self._details_pending:
            self._details_pending = key
            self.load_details(key)

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
        key = show_key(media) if media else None
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
        if self.workers.cancel_group(self, "account-login"):
            self.notify("Stopped waiting for the Mixcloud sign-in", title="Mixcloud")
        cancelled = self.workers.cancel_group(self, "browse")
        self.workers.cancel_group(self, "details")
        self._details_pending = None
        if cancelled:
            self._run += 1
            self.query_one("#browse-centre").loading = False
            self._set_title(Text("Cancelled", style="italic"))
            self.notify("Browsing cancelled")

    # -- your Mixcloud account ---------------------------------------------------------------------
    async def _account(self) -> MixcloudAccount:
        await self.mixtui.wait_ready()
        return self.mixtui.services.mixcloud_account

    @work(exclusive=True, group="account-check", exit_on_error=False)
    async def check_signed_in(self) -> None:
        """Signed in (a token is kept)? The nav's "Me" entries follow; the name comes from /me/."""
        account = await self._account()
        if not account.signed_in:
            self.post_message(SignedInChecked(None, can_sign_in=bool(account.settings.platforms.mixcloud.client_id)))
            return
        if self._me_name:
            return  # still signed in, and already known: coming back to Browse asks Mixcloud nothing
        self.post_message(SignedInChecked(""))
        try:
            me = await account.me()
        except MixtuiError as error:
            self.post_message(AccountActionFailed(error))
            return
        self.post_message(SignedInChecked(me.user.name))

    def on_signed_in_checked(self, message: SignedInChecked) -> None:
        self._signed_in = message.name is not None
        self._me_name = message.name
        self.refresh_bindings()
        if not self._signed_in:
            self._states.clear()
        self.query_one(BrowseNav).set_signed_in(message.name, can_sign_in=message.can_sign_in)

    @work(exclusive=True, group="account-login", exit_on_error=False)
    async def sign_in(self) -> None:
        """The browser sign-in of ``mixtui mixcloud login``, from the app; Escape stops waiting."""
        import webbrowser

        from mixtui.account.oauth import login_in_browser

        def announce(url: str, opened: bool) -> None:
            self.post_message(SignInWaiting(url, opened))

        try:
            account = await self._account()
            me = await login_in_browser(account, open_browser=webbrowser.open, announce=announce)
        except MixtuiError as error:
            self.post_message(AccountActionFailed(error))
            return
        self._me_name = None
        self.post_message(SignedInChecked(me.user.name))
        self.notify(f"Signed in to Mixcloud as {me.user.name}", title="Mixcloud")

    def on_sign_in_waiting(self, message: SignInWaiting) -> None:
        where = "in your browser" if message.opened else f"at {message.url}"
        self.notify(f"Allow mixtui {where}; Escape stops waiting", title="Mixcloud sign-in", timeout=30)

    def _show_state(self, key: str | None, *, user: bool = False) -> None:
        """The highlighted show's (or user's) state on Mixcloud, fetched with the token once."""
        if not self._signed_in or not key or (user and key.count("/") != 2):
            return
        state = self._states.get(key)
        if state is not None:
            self.query_one(BrowseDetails).show_account_state(state)
        else:
            self.load_state(key)

    @work(exclusive=True, group="account-state", exit_on_error=False)
    async def load_state(self, key: str) -> None:
        await asyncio.sleep(DETAILS_DELAY)
        try:
            state = await (await self._account()).state(key)
        except MixtuiError:
            return  # the details panel already says what failed; a missing state is not worth a toast
        self.post_message(AccountStateLoaded(state))

    def on_account_state_loaded(self, message: AccountStateLoaded) -> None:
        self._states[message.state.key] = message.state
        if message.state.key == self._highlighted_key():
            self.query_one(BrowseDetails).show_account_state(message.state)

    def _highlighted_key(self) -> str | None:
        people = self.query_one("#people", PeopleTable)
        if people.display:
            return getattr(people.item_at_cursor, "key", None)
        media = self.highlighted_media()
        return show_key(media) if media else None

    def _mixcloud_target(self, action: Action) -> tuple[str, str] | None:
        """The key and label an action applies to on Mixcloud, or None when it is not for Mixcloud."""
        from mixtui.browse import User

        if not self._signed_in:
            return None
        people = self.query_one("#people", PeopleTable)
        if people.display:
            item = people.item_at_cursor
            return (item.key, item.name) if isinstance(item, User) and action.on_user else None
        media = self.highlighted_media()
        key = show_key(media) if media else None
        if media is None or key is None:
            return None
        if action.on_user:
            return "/" + key.strip("/").split("/")[0] + "/", media.author
        return key, media.title

    def _act_on_mixcloud(self, action_name: str) -> bool:
        from mixtui.account.mixcloud import Action

        action = Action(action_name)
        target = self._mixcloud_target(action)
        if target is None:
            return False
        self.mixcloud_act(action, *target)
        return True

    @work(group="account-action", exit_on_error=False)
    async def mixcloud_act(self, action: Action, key: str, label: str) -> None:
        """Do (or undo, when it is already done) an action on Mixcloud, from what Mixcloud says now."""
        try:
            account = await self._account()
            state = self._states.get(key) or await account.state(key)
            undo = state.get(action) is True
            await account.act(action, key, undo=undo)
        except MixtuiError as error:
            self.post_message(AccountActionFailed(error))
            return
        text = f"{action.done_text(undo)} on Mixcloud: {label}"
        self.post_message(AccountActed(state.changed(action, not undo), text))

    def on_account_acted(self, message: AccountActed) -> None:
        self._states[message.state.key] = message.state
        self.notify(message.text, title="Mixcloud")
        if message.state.key == self._highlighted_key():
            self.query_one(BrowseDetails).show_account_state(message.state)

    def on_account_action_failed(self, message: AccountActionFailed) -> None:
        from mixtui.account.mixcloud import AccountRejected

        error = message.error
        if isinstance(error, AccountRejected):
            can_sign_in = bool(self.mixtui.settings.platforms.mixcloud.client_id)
            self.on_signed_in_checked(SignedInChecked(None, can_sign_in=can_sign_in))
        if isinstance(error, RateLimited):
            self.notify(str(error), title="Mixcloud", severity="warning", timeout=10)
        else:
            self.notify(str(error), title="Mixcloud", severity="error", timeout=10)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Signed in, the media keys also work on what only Mixcloud knows (a user in the people list)."""
        mixcloud_action = {"fav": "favorite", "follow": "follow", "listen_later": "listen-later"}.get(action)
        if mixcloud_action and self._signed_in and self.is_mounted:
            from mixtui.account.mixcloud import Action

            if self._mixcloud_target(Action(mixcloud_action)) is not None:
                return True
        return super().check_action(action, parameters)

    def action_fav(self) -> None:
        if not self._act_on_mixcloud("favorite"):
            super().action_fav()

    def action_follow(self) -> None:
        if not self._act_on_mixcloud("follow"):
            super().action_follow()

    def action_listen_later(self) -> None:
        if not self._act_on_mixcloud("listen-later"):
            super().action_listen_later()

    def action_mixcloud_repost(self) -> None:
        if not self._signed_in:
            self.notify("Sign in with `mixtui mixcloud login` to repost on Mixcloud", severity="warning")
        elif not self._act_on_mixcloud("repost"):
            self.notify("Highlight a Mixcloud show to repost it", severity="warning")

    def action_mixcloud_upload(self) -> None:
        if not self._signed_in:
            self.notify("Sign in with `mixtui mixcloud login` to upload to Mixcloud", severity="warning")
            return

        async def open_dialog() -> None:
            from mixtui.ui.browse.upload_dialog import MixcloudUpload

            self.app.push_screen(MixcloudUpload(await self._account()), self._uploaded)

        self.run_worker(open_dialog(), group="account-upload", exit_on_error=False)

    def _uploaded(self, key: str | None) -> None:
        if key:
            self.notify(f"Uploaded to Mixcloud: {key}", title="Mixcloud")

    # -- media ------------------------------------------------------------------------------------
    def highlighted_media(self) -> Media | None:
        shows = self.query_one("#shows", BrowseTable)
        return shows.media_at_cursor if shows.display else None

    def media_context(self) -> tuple[list[Media], int, str | None]:
        shows = self.query_one("#shows", BrowseTable)
        media = shows.media if shows.display else []
        return media, min(max(0, shows.cursor_row), max(0, len(media) - 1)), None

    def media_origin(self) -> str | None:
        return f"browse '{self._view.title}'" if self._view.title else "browse"

    def action_play(self) -> None:
        shows = self.query_one("#shows", BrowseTable)
        if shows.display and shows.media and shows.cursor_row >= len(shows.media):
            self.action_load_more()
            return
        super().action_play()
