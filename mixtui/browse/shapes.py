"""What browsing Mixcloud answers: pages of shows/users/tags, a show's details, oEmbed; pure parsers.

Shows are the Mixider API's :class:`~mixtui.models.Media` (parsed by the Mixcloud platform module);
users and tags are small frozen dataclasses built on that module's parsers, with ``to_json()``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mixtui.browse.addresses import GENRE_ROOT, BrowseTarget, ItemType, genre_label
from mixtui.errors import PlatformError
from mixtui.links.mixcloud_keys import page_url_for_key
from mixtui.models import Media, Platform
from mixtui.platforms.mixcloud import (
    MixcloudTag,
    MixcloudUser,
    parse_cloudcast,
    parse_paging,
    parse_tag,
    parse_user,
)

PLATFORM = Platform.MIXCLOUD.value


@dataclass(frozen=True)
class User(MixcloudUser):
    """A Mixcloud user (a DJ, a radio): opening one lists their shows."""

    @classmethod
    def of(cls, user: MixcloudUser) -> User:
        return cls(**asdict(user))

    @property
    def shows_key(self) -> str:
        return f"{self.key}cloudcasts/"

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.country) if part)

    def to_json(self) -> dict[str, Any]:
        return {"type": "user", **asdict(self)}


@dataclass(frozen=True)
class Tag(MixcloudTag):
    """A Mixcloud tag (genre), possibly with a city: ``/discover/funk+city:athens/``."""

    @classmethod
    def of(cls, tag: MixcloudTag) -> Tag:
        return cls(**asdict(tag))

    @classmethod
    def from_key(cls, key: str) -> Tag:
        """A tag known only by its key (the API's tag object adds nothing but a name)."""
        slug = key.strip("/").rsplit("/", 1)[-1]
        return cls(key=key, name=genre_label(slug), url=page_url_for_key(key))

    @property
    def genre_key(self) -> str:
        """The tag's key under ``/discover/`` (answers still carry the old ``/tag/`` form)."""
        return f"/{GENRE_ROOT}/{self.slug}/"

    @property
    def shows_key(self) -> str:
        return f"{self.genre_key}popular/"

    @property
    def city(self) -> str | None:
        cities = [part[len("city:") :] for part in self.slug.split("+") if part.startswith("city:")]
        return cities[0] if cities else None

    def to_json(self) -> dict[str, Any]:
        return {"type": "tag", **asdict(self), "city": self.city}


Item = Media | User | Tag


@dataclass(frozen=True)
class TracklistEntry:
    """One section of a show: a track (artist + song) or a chapter, with its start when known."""

    position: int
    title: str
    artist: str | None = None
    start_time: int | None = None
    section_type: str = "track"

    @property
    def label(self) -> str:
        return f"{self.artist} — {self.title}" if self.artist else self.title

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ShowDetail:
    """A show with what only its own object has: description, tags, tracklist, counts, connections."""

    key: str
    media: Media
    description: str = ""
    tags: tuple[Tag, ...] = ()
    tracklist: tuple[TracklistEntry, ...] = ()
    user: User | None = None
    created_time: str | None = None
    # None when unknown or hidden by the uploader (``hidden_stats`` reports 0s that are not real).
    play_count: int | None = None
    favorite_count: int | None = None
    listener_count: int | None = None
    connections: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "show",
            "key": self.key,
            "media": self.media.to_json(),
            "description": self.description,
            "tags": [tag.to_json() for tag in self.tags],
            "tracklist": [entry.to_json() for entry in self.tracklist],
            "user": self.user.to_json() if self.user else None,
            "created_time": self.created_time,
            "play_count": self.play_count,
            "favorite_count": self.favorite_count,
            "listener_count": self.listener_count,
            "connections": dict(self.connections),
        }


@dataclass(frozen=True)
class Page:
    """One page of a list, with the API's links to the pages around it (absent on the last page)."""

    key: str
    title: str
    item_type: ItemType
    items: tuple[Item, ...]
    next: str | None = None
    previous: str | None = None
    offset: int | None = None
    limit: int | None = None
    # The user or tag the list belongs to, and that object's connections when they were asked for.
    owner: User | Tag | None = None
    connections: dict[str, str] = field(default_factory=dict)

    @property
    def has_more(self) -> bool:
        return self.next is not None

    @property
    def shows(self) -> list[Media]:
        return [item for item in self.items if isinstance(item, Media)]

    @property
    def users(self) -> list[User]:
        return [item for item in self.items if isinstance(item, User)]

    @property
    def tags(self) -> list[Tag]:
        return [item for item in self.items if isinstance(item, Tag)]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "page",
            "key": self.key,
            "title": self.title,
            "item_type": self.item_type.value,
            "items": [item.to_json() for item in self.items],
            "next": self.next,
            "previous": self.previous,
            "offset": self.offset,
            "limit": self.limit,
            "owner": self.owner.to_json() if self.owner else None,
            "connections": dict(self.connections),
        }


@dataclass(frozen=True)
class OEmbed:
    """oEmbed for a show page: what to call it, who made it, and the player's embed HTML."""

    url: str
    title: str
    author_name: str | None = None
    author_url: str | None = None
    html: str | None = None
    thumbnail_url: str | None = None
    width: int | None = None
    height: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": "oembed", **asdict(self)}


# -- parsers ------------------------------------------------------------------------------------


def parse_item(obj: Any, expected: ItemType) -> Item:
    """One list item; its own ``type`` wins over what the list is expected to hold."""
    declared = obj.get("type") if isinstance(obj, dict) else None
    kind = {"cloudcast": ItemType.SHOW, "user": ItemType.USER, "tag": ItemType.TAG}.get(str(declared), expected)
    if kind is ItemType.USER:
        return User.of(parse_user(obj))
    if kind is ItemType.TAG:
        return Tag.of(parse_tag(obj))
    return parse_cloudcast(obj)


def parse_page(payload: Any, target: BrowseTarget, *, owner: User | Tag | None = None) -> Page:
    """A list answer as a Page; malformed items are skipped, a missing ``paging`` means no more pages."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise PlatformError("mixcloud sent an unexpected answer (no data list)", platform=PLATFORM)
    items: list[Item] = []
    seen: set[str] = set()
    for obj in payload["data"]:
        try:
            item = parse_item(obj, target.item_type)
        except PlatformError:
            continue
        identity = item_identity(item)
        if identity in seen:
            continue
        seen.add(identity)
        items.append(item)
    paging = parse_paging(payload)
    name = payload.get("name")
    return Page(
        key=target.key,
        title=name.strip() if isinstance(name, str) and name.strip() else target.title,
        item_type=target.item_type,
        items=tuple(items),
        next=paging.next,
        previous=paging.previous,
        offset=_int_param(target.params, "offset"),
        limit=_int_param(target.params, "limit"),
        owner=owner,
    )


def item_identity(item: Item) -> str:
    """What makes an item unique in a list: a show's Media id, a user's or tag's key."""
    return item.id if isinstance(item, Media) else item.key


def parse_show_detail(payload: Any) -> ShowDetail:
    """A show's own object (``/<user>/<slug>/``, with ``metadata=1`` its connections too)."""
    media = parse_cloudcast(payload)
    hidden = bool(payload.get("hidden_stats"))
    user = payload.get("user")
    parsed_user = None
    if isinstance(user, dict):
        try:
            parsed_user = User.of(parse_user(user))
        except PlatformError:
            parsed_user = None
    tags = []
    for tag in payload.get("tags") or []:
        try:
            tags.append(Tag.of(parse_tag(tag)))
        except PlatformError:
            continue
    description = payload.get("description")
    created = payload.get("created_time")
    return ShowDetail(
        key=payload["key"].strip(),
        media=media,
        description=description.strip() if isinstance(description, str) else "",
        tags=tuple(tags),
        tracklist=parse_tracklist(payload.get("sections")),
        user=parsed_user,
        created_time=created if isinstance(created, str) and created else None,
        play_count=None if hidden else _count(payload.get("play_count")),
        favorite_count=None if hidden else _count(payload.get("favorite_count")),
        listener_count=None if hidden else _count(payload.get("listener_count")),
        connections=parse_connections(payload),
    )


def parse_tracklist(sections: Any) -> tuple[TracklistEntry, ...]:
    """A show's ``sections``: tracks (artist + song) and chapters, in position order."""
    if not isinstance(sections, list):
        return ()
    entries: list[TracklistEntry] = []
    for index, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        kind = _text(section.get("section_type")) or "track"
        track = _dict(section.get("track"))
        artist = _dict(track.get("artist"))
        title = _text(track.get("name")) or _text(section.get("chapter")) or _text(section.get("song"))
        if not title:
            continue
        position = section.get("position")
        entries.append(
            TracklistEntry(
                position=position if isinstance(position, int) and not isinstance(position, bool) else index,
                title=title,
                artist=_text(artist.get("name")) or _text(section.get("artist")) or None,
                start_time=section["start_time"] if _is_int(section.get("start_time")) else None,
                section_type=kind,
            )
        )
    return tuple(sorted(entries, key=lambda entry: entry.position))


def parse_connections(payload: Any) -> dict[str, str]:
    """An object's ``metadata.connections`` (present when asked with ``metadata=1``)."""
    metadata = payload.get("metadata") if isinstance(payload, dict) else None
    connections = metadata.get("connections") if isinstance(metadata, dict) else None
    if not isinstance(connections, dict):
        return {}
    return {str(name): link.strip() for name, link in connections.items() if isinstance(link, str) and link.strip()}


def connection_key(link: str) -> str:
    """A connection's API link as a key (``…/spartacus/favorites/`` → ``/spartacus/favorites/``)."""
    parts = urlsplit(link)
    return parts.path if parts.scheme else link


def parse_oembed(payload: Any, url: str) -> OEmbed:
    if not isinstance(payload, dict) or not _text(payload.get("title")):
        raise PlatformError("mixcloud sent an oEmbed answer without a title", platform=PLATFORM)
    return OEmbed(
        url=url,
        title=_text(payload.get("title")),
        author_name=_text(payload.get("author_name")) or None,
        author_url=_text(payload.get("author_url")) or None,
        html=_text(payload.get("html")) or None,
        # Mixcloud's oEmbed carries the cover as ``image``; other providers say ``thumbnail_url``.
        thumbnail_url=_text(payload.get("thumbnail_url")) or _text(payload.get("image")) or None,
        width=_count(payload.get("width")),
        height=_count(payload.get("height")),
    )


def params_of_link(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query))


def _int_param(params: dict[str, str], name: str) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return int(value)
    return None
