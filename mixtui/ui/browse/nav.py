"""The Browse screen's left column: Mixcloud's lists, the genre and user opened last, and the boxes to type in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from mixtui.ui.common.plain import shown

if TYPE_CHECKING:
    from mixtui.browse import Tag, User

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
# Your own lists once signed in to Mixcloud (``me:<list>`` entries), and the upload dialog.
ME_ENTRIES = (
    ("cloudcasts", "My shows"),
    ("favorites", "My favorites"),
    ("listen-later", "My Listen Later"),
    ("following", "I follow"),
    ("followers", "My followers"),
)
ME_UPLOAD = "me:upload"
ME_LOGIN = "me:login"


class BrowseNav(VerticalScroll, can_focus=False):
    """The entry list grows a section for the genre and one for the user opened last.

    Not a Tab stop itself; ``↓`` in one of its boxes goes to the screen's list (not a scroll).
    """

    BINDINGS = [Binding("down", "screen.to_list", "List", show=False, id="browse.box_to_list")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._user: User | None = None
        self._user_connections: dict[str, str] = {}
        self._genre: Tag | None = None
        # The signed-in Mixcloud user's name ("" when signed in but not yet known), None when signed out.
        self._me: str | None = None
        # Signed out, with a Mixcloud app configured: offer to sign in.
        self._can_sign_in = False

    def compose(self) -> ComposeResult:
        yield Label("Mixcloud")
        yield OptionList(*self._entry_options(), id="entries")
        yield Label("Genre")
        yield Input(placeholder="funk+city:athens", id="genre")
        yield Label("User, key or URL")
        yield Input(placeholder="spartacus", id="open")
        yield Label("Search Mixcloud")
        yield Input(placeholder="party time", id="mc-query")
        yield Select(SEARCH_TYPES, value="cloudcast", allow_blank=False, id="mc-type")

    def _entry_options(self) -> list[Option | None]:
        options: list[Option | None] = [Option(label, id=key) for label, key in FIXED_ENTRIES]
        if self._me is not None:
            options.append(None)
            title = f"Me · {self._me}" if self._me else "Me"
            options.append(Option(Text(shown(title), style="bold"), id="me:", disabled=True))
            options.extend(Option(f"  {label}", id=f"me:{name}") for name, label in ME_ENTRIES)
            options.append(Option("  Upload a show…", id=ME_UPLOAD))
        elif self._can_sign_in:
            options.append(None)
            options.append(Option("Sign in to Mixcloud…", id=ME_LOGIN))
        if self._genre is not None:
            options.append(None)
            heading = Text(shown(self._genre.name), style="bold")
            options.append(Option(heading, id=f"genre:{self._genre.key}", disabled=True))
            for order in ("popular", "latest"):
                options.append(Option(f"  {order.capitalize()}", id=f"{self._genre.genre_key}{order}/"))
        if self._user is not None:
            options.append(None)
            heading = Text(shown(self._user.name), style="bold")
            options.append(Option(heading, id=f"user:{self._user.key}", disabled=True))
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

    def set_user(self, user: User, connections: dict[str, str]) -> None:
        """List ``user``'s lists (those in ``connections``; a repeat of the same user keeps the ones known)."""
        if self._user is None or self._user.key != user.key or connections:
            self._user_connections = connections
        self._user = user
        self._refresh_entries()

    def set_signed_in(self, name: str | None, *, can_sign_in: bool = False) -> None:
        """Show (a name, or "" while it is unknown) or hide (None) the "Me" entries; else maybe "Sign in"."""
        if name != self._me or can_sign_in != self._can_sign_in:
            self._me = name
            self._can_sign_in = can_sign_in
            self._refresh_entries()

    def set_genre(self, genre: Tag) -> None:
        self._genre = genre
        self._refresh_entries()

    def entry_title(self, key: str, option: Option) -> str:
        """The centre's title for an entry: its label, after the user's or genre's name when it is theirs."""
        prompt = str(option.prompt).strip()
        if key.startswith("me:"):
            return f"Me — {prompt.lower()}"
        if self._user is not None and key.startswith(self._user.key):
            return f"{self._user.name} — {prompt.lower()}"
        if self._genre is not None and key.startswith(self._genre.genre_key):
            return f"{self._genre.name} — {prompt.lower()}"
        return prompt

    def search_type(self) -> tuple[str, str]:
        """The kind of search chosen (``cloudcast``, ``user`` or ``tag``) and its label."""
        kind = str(self.query_one("#mc-type", Select).value)
        return kind, dict((value, name) for name, value in SEARCH_TYPES).get(kind, "Shows")
