"""The Browse screen's requests: the address of what was typed, a show's key, and the messages its workers post."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from mixtui.errors import MixtuiError

if TYPE_CHECKING:
    from mixtui.browse import Page, ShowDetail
    from mixtui.models import Media


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


def address_for(text: str, kind: str) -> str:
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


def show_key(media: Media) -> str | None:
    """The Mixcloud key of a show (``/user/show/``); None for media from elsewhere or an id that does not decode."""
    from mixtui.links import mixcloud_key

    if media.platform.value != "mixcloud":
        return None
    try:
        return mixcloud_key(media.id)
    except MixtuiError:
        return None
