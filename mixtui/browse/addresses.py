"""What a Mixcloud key or URL points at, without any network.

The API addresses every object by its key, the site URL's path ("take the site URL and
change the host"): ``/popular/hot/``, ``/discover/funk+city:athens/``, ``/spartacus/``,
``/spartacus/favorites/``, ``/spartacus/party-time/``. :func:`parse_target` accepts a key,
a path without slashes (``popular/hot``), a site URL (www., m., beta.), an API URL (paging
links included) or a player-widget link, and answers a :class:`BrowseTarget`: the kind of
object, its canonical key, the query that matters (paging, search) and a human title.
Anything it cannot browse is a :class:`BadInput` that says what the address is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from mixtui.errors import BadInput
from mixtui.links.mixcloud_keys import KEY_HOSTS, SEGMENT_SAFE, WIDGET_HOST, key_from_url

# Site/API hosts whose path is a key; the player widget names a show in its ``feed``.
SITE_HOSTS = KEY_HOSTS
# Genre lists live under ``/discover/``, the form the API's own answers use; ``/genres/``
# (the developer page's form) and the old ``/tag/`` are accepted and mapped onto it.
GENRE_ROOT = "discover"
GENRE_ROOTS = frozenset({"discover", "genres", "tag"})
GENRE_ORDERS = ("popular", "latest")
# Query parameters that change what a list answers; everything else (``callback``,
# ``metadata``, ``access_token``, tracking) is dropped.
KEPT_PARAMS = ("q", "type", "limit", "offset", "since", "until")
# A user's lists: the connection name in the API and what its items are.
USER_LISTS: dict[str, str] = {
    "cloudcasts": "show",
    "favorites": "show",
    "listens": "show",
    "followers": "user",
    "following": "user",
}
# The site calls a user's shows "uploads"; the API calls them "cloudcasts".
USER_LIST_ALIASES = {"uploads": "cloudcasts", "shows": "cloudcasts"}
# A show's lists.
SHOW_LISTS: dict[str, str] = {"similar": "show", "favorites": "user", "listeners": "user", "reposts": "user"}
SEARCH_TYPES: dict[str, str] = {"cloudcast": "show", "upload": "show", "user": "user", "tag": "tag"}
# First path segments that are site sections, with what to tell the user.
UNBROWSABLE_SECTIONS: dict[str, str] = {
    "me": "your own account (it needs a Mixcloud login, which mixtui does not ask for)",
    "live": "a live stream page",
    "select": "a Mixcloud Select page",
    "upload": "the upload page",
    "dashboard": "an account page",
    "settings": "an account page",
    "categories": "a category page",
    "artist": "an artist page (the public API lists no shows there)",
    "track": "a track page (the public API lists no shows there)",
}
FIXED_LISTS = {("popular",): "Popular", ("popular", "hot"): "Hot", ("new",): "New"}
EXAMPLES = "/popular/hot/, /genres/funk+city:athens/, /spartacus/ or a mixcloud.com link"


class TargetKind(enum.StrEnum):
    LIST = "list"
    SHOW = "show"
    USER = "user"
    TAG = "tag"


class ItemType(enum.StrEnum):
    """What the items of a list are."""

    SHOW = "show"
    USER = "user"
    TAG = "tag"


@dataclass(frozen=True)
class BrowseTarget:
    """One browsable Mixcloud object: ``key`` is canonical (no query), ``params`` the query kept."""

    kind: TargetKind
    key: str
    title: str
    item_type: ItemType = ItemType.SHOW
    params: dict[str, str] = field(default_factory=dict, compare=False)
    # The user or genre a list belongs to (``/spartacus/``, ``/discover/funk/``).
    owner_key: str | None = None

    @property
    def address(self) -> str:
        """The key with its query: what a user can paste back into ``mixtui browse mixcloud``."""
        return f"{self.key}?{urlencode(self.params)}" if self.params else self.key

    @property
    def is_date_ordered(self) -> bool:
        """A user's lists page by date (``since``/``until``) unless asked for an offset."""
        parts = self.key.strip("/").split("/")
        return self.kind is TargetKind.LIST and len(parts) == 2 and parts[1] in ("cloudcasts", "favorites", "listens")


def parse_target(text: str) -> BrowseTarget:
    """The object a key, path or Mixcloud URL points at; BadInput for anything else."""
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        raise BadInput("give a Mixcloud key or URL", hint=f"for example {EXAMPLES}")
    if any(ord(character) < 32 for character in value):
        raise BadInput(f"not a Mixcloud key: {value!r}")
    if value.lower().startswith(("http://", "https://")):
        path, query = _path_of_url(value)
    elif "://" in value:
        raise BadInput(f"not a web address: {value!r}", hint=f"for example {EXAMPLES}")
    else:
        path, _, query = value.partition("?")
    segments = [_segment(part) for part in path.split("/") if part]
    params = {name: item for name, item in parse_qsl(query, keep_blank_values=False) if name in KEPT_PARAMS}
    return _classify(segments, params, value)


def _path_of_url(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise BadInput(f"malformed address: {url!r}") from None
    if host == WIDGET_HOST or (host in SITE_HOSTS and parts.path.startswith("/widget/")):
        return key_from_url(url), ""
    if host not in SITE_HOSTS:
        raise BadInput(f"not a Mixcloud address: {url!r}", hint=f"for example {EXAMPLES}")
    return parts.path, parts.query


def _segment(part: str) -> str:
    return quote(unquote(part), safe=SEGMENT_SAFE)


def _classify(segments: list[str], params: dict[str, str], shown: str) -> BrowseTarget:
    if not segments:
        raise BadInput("that is Mixcloud's home page, not a list", hint=f"try {EXAMPLES}")
    first = segments[0].lower()
    fixed = FIXED_LISTS.get(tuple(s.lower() for s in segments))
    if fixed is not None:
        key = "/" + "/".join(s.lower() for s in segments) + "/"
        return BrowseTarget(TargetKind.LIST, key, fixed, params=params)
    if first in GENRE_ROOTS:
        return _genre(segments, params)
    if first == "search":
        return _search(segments, params)
    if first in UNBROWSABLE_SECTIONS:
        raise BadInput(f"{shown!r} is {UNBROWSABLE_SECTIONS[first]}, not something mixtui can browse")
    if first == "popular":
        raise BadInput(f"{shown!r} is not a Mixcloud list", hint="the lists are /popular/, /popular/hot/ and /new/")
    return _user_or_show(segments, params, shown)


def _genre(segments: list[str], params: dict[str, str]) -> BrowseTarget:
    if len(segments) < 2:
        raise BadInput("name a genre: /genres/<tag>/, e.g. /genres/funk/ or /genres/funk+city:athens/")
    tag = segments[1].lower()
    check_genre_slug(tag)
    tag_key = f"/{GENRE_ROOT}/{tag}/"
    label = genre_label(tag)
    if len(segments) == 2:
        return BrowseTarget(TargetKind.TAG, tag_key, label, params=params)
    order = segments[2].lower()
    if len(segments) > 3 or order not in GENRE_ORDERS:
        raise BadInput(f"a genre has two lists: {tag_key}popular/ and {tag_key}latest/")
    return BrowseTarget(TargetKind.LIST, f"{tag_key}{order}/", f"{label} — {order}", params=params, owner_key=tag_key)


def _search(segments: list[str], params: dict[str, str]) -> BrowseTarget:
    if len(segments) > 1:
        raise BadInput("a Mixcloud search is /search/?q=<words>&type=cloudcast|user|tag")
    query = " ".join(params.get("q", "").split())
    if not query:
        raise BadInput("a Mixcloud search needs words to look for (q=…)", hint="/search/?q=party+time&type=user")
    kind = params.get("type", "cloudcast").lower()
    if kind not in SEARCH_TYPES:
        raise BadInput(f"unknown Mixcloud search type {kind!r}", hint="use type=cloudcast, user or tag")
    api_type = "cloudcast" if kind == "upload" else kind
    item_type = ItemType(SEARCH_TYPES[kind])
    title = f"Search {item_type.value}s: {query}"
    return BrowseTarget(TargetKind.LIST, "/search/", title, item_type, params | {"q": query, "type": api_type})


def _user_or_show(segments: list[str], params: dict[str, str], shown: str) -> BrowseTarget:
    user = segments[0]
    user_key = f"/{user}/"
    name = unquote(user)
    if len(segments) == 1:
        return BrowseTarget(TargetKind.USER, user_key, name, params=params)
    second = segments[1]
    connection = USER_LIST_ALIASES.get(second.lower(), second.lower())
    if len(segments) == 2 and connection in USER_LISTS:
        item_type = ItemType(USER_LISTS[connection])
        return BrowseTarget(
            TargetKind.LIST, f"{user_key}{connection}/", f"{name} — {connection}", item_type, params, user_key
        )
    if second.lower() == "playlists":
        raise BadInput(f"{shown!r} is a Mixcloud playlist, which mixtui cannot browse yet")
    if second.lower() == "stream":
        raise BadInput(f"{shown!r} is {name}'s stream, which needs their Mixcloud login")
    show_key = f"/{user}/{second}/"
    if len(segments) == 2:
        return BrowseTarget(TargetKind.SHOW, show_key, unquote(second), params=params)
    show_list = segments[2].lower()
    if len(segments) == 3 and show_list in SHOW_LISTS:
        item_type = ItemType(SHOW_LISTS[show_list])
        title = f"{unquote(second)} — {show_list}"
        return BrowseTarget(TargetKind.LIST, f"{show_key}{show_list}/", title, item_type, params, show_key)
    raise BadInput(f"{shown!r} is not a Mixcloud object mixtui can browse", hint=f"try {EXAMPLES}")


# -- genres -------------------------------------------------------------------------------------


def check_genre_slug(tag: str) -> None:
    """A genre key segment: ``funk``, ``deep-house``, ``city:athens`` or ``funk+city:athens``."""
    parts = tag.split("+")
    if not tag or any(not part or (part.startswith("city:") and len(part) == len("city:")) for part in parts):
        raise BadInput(f"not a genre: {tag!r}", hint="e.g. funk, deep-house, city:athens or funk+city:athens")
    if sum(part.startswith("city:") for part in parts) > 1:
        raise BadInput(f"a genre names at most one city: {tag!r}")


def genre_slug(text: str) -> str:
    """What a user types in a genre box as a key segment: ``Deep House + city:London`` → ``deep-house+city:london``."""
    parts = [" ".join(part.split()).lower() for part in text.strip().strip("/").split("+")]
    slug = "+".join(
        ("city:" + "-".join(part[5:].strip().split())) if part.startswith("city:") else "-".join(part.split())
        for part in parts
    )
    if "/" in slug or "?" in slug or "#" in slug:
        raise BadInput(f"not a genre: {text.strip()!r}", hint="e.g. funk or funk+city:athens")
    check_genre_slug(slug)
    return quote(slug, safe=SEGMENT_SAFE)


def genre_key(text: str, order: str = "popular") -> str:
    """A genre list's key from what a user typed: ``funk+city:athens`` → ``/discover/funk+city:athens/popular/``."""
    if order not in GENRE_ORDERS:
        raise BadInput(f"a genre's lists are {' and '.join(GENRE_ORDERS)}, not {order!r}")
    return f"/{GENRE_ROOT}/{genre_slug(text)}/{order}/"


def genre_label(tag: str) -> str:
    """``funk+city:athens`` → ``Funk · Athens``; ``deep-house`` → ``Deep House``."""
    words = []
    for part in unquote(tag).split("+"):
        name = part[len("city:") :] if part.startswith("city:") else part
        words.append(" ".join(word.capitalize() for word in name.replace("-", " ").split()))
    return " · ".join(words)


def user_key(text: str) -> str:
    """A user's key from a name typed in a box (``spartacus`` → ``/spartacus/``)."""
    name = text.strip().strip("/")
    if not name or any(character in name for character in "/?#") or any(character.isspace() for character in name):
        raise BadInput(f"not a Mixcloud user name: {text.strip()!r}", hint="user names have no spaces, e.g. spartacus")
    return f"/{_segment(name)}/"
