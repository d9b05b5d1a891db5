"""Smart ids (8tracks): one string that names a set of playlists and its order.

Grammar: ``TYPE[:ARGUMENT][:SORT][:safe]``

* ``all`` every playlist; ``liked`` the liked ones;
* ``tags:chill+hip_hop`` playlists tagged with every tag (``+`` joins tags, ``_`` is a space);
* ``artist:Radiohead`` playlists with a track by that artist;
* ``keyword:ocarina`` playlists whose name, description, tags or tracks mention the text;
* ``similar:<playlist id>`` playlists sharing tags or artists with that one, most similar first;
* ``SORT`` is ``recent`` (newest first) or ``popular`` (most played first); without one the most
  recently active (updated or played) come first; ``safe`` hides NSFW playlists.

Arguments may be percent-escaped (``artist:AC%2FDC``). Private playlists (Listen Later) are in
no selection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, unquote

from mixtui.errors import BadInput, NotFound
from mixtui.store.models import Playlist

KINDS_WITH_ARGUMENT = ("tags", "artist", "keyword", "similar")
KINDS_WITHOUT_ARGUMENT = ("all", "liked")
SORTS = ("recent", "popular")
SAFE = "safe"
MAX_ARGUMENT_LENGTH = 200

EXPECTED = (
    "expected all, liked, tags:<tag>+<tag>, artist:<name>, keyword:<text> or similar:<playlist id>, "
    "optionally followed by :recent or :popular and :safe (e.g. tags:chill+hip_hop:recent:safe)"
)


def normalize_tag(tag: str) -> str:
    """Tags compare case-blind with single spaces; ``_`` stands for a space."""
    return " ".join(tag.replace("_", " ").split()).casefold()


@dataclass(frozen=True)
class SmartId:
    kind: str
    terms: tuple[str, ...] = ()
    sort: str | None = None
    safe: bool = False

    def __str__(self) -> str:
        parts = [self.kind]
        if self.kind == "tags":
            parts.append("+".join(_escape(term) for term in self.terms))
        elif self.kind == "similar":
            parts.append(quote(self.terms[0], safe=""))
        elif self.terms:
            parts.append(_escape(self.terms[0]))
        if self.sort:
            parts.append(self.sort)
        if self.safe:
            parts.append(SAFE)
        return ":".join(parts)


def _escape(term: str) -> str:
    return quote(term, safe=" ").replace(" ", "_")


def _bad(text: str, reason: str) -> BadInput:
    return BadInput(f"bad smart id {text!r}: {reason}", hint=EXPECTED)


def parse_smart_id(text: str) -> SmartId:
    """Read a smart id; BadInput (saying what was expected) when it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise _bad(str(text), "it is empty")
    cleaned = text.strip()
    parts = cleaned.split(":")
    kind = parts[0].strip().lower()
    if kind in KINDS_WITH_ARGUMENT:
        if len(parts) < 2 or not parts[1].strip():
            raise _bad(cleaned, f"{kind} needs an argument after the colon")
        terms = _terms(cleaned, kind, parts[1])
        modifiers = parts[2:]
    elif kind in KINDS_WITHOUT_ARGUMENT:
        terms = ()
        modifiers = parts[1:]
    else:
        raise _bad(cleaned, f"unknown type {parts[0]!r}")
    sort: str | None = None
    safe = False
    for raw in modifiers:
        modifier = raw.strip().lower()
        if modifier in SORTS:
            if sort is not None:
                raise _bad(cleaned, f"two sort orders ({sort} and {modifier})")
            sort = modifier
        elif modifier == SAFE:
            if safe:
                raise _bad(cleaned, "safe is given twice")
            safe = True
        else:
            raise _bad(cleaned, f"unknown modifier {raw!r} (modifiers are recent, popular and safe)")
    return SmartId(kind, terms, sort, safe)


def _terms(text: str, kind: str, argument: str) -> tuple[str, ...]:
    if kind == "similar":
        playlist_id = unquote(argument).strip()
        _check_length(text, playlist_id)
        return (playlist_id,)
    if kind == "tags":
        tags: list[str] = []
        for raw in argument.split("+"):
            tag = normalize_tag(unquote(raw))
            if not tag:
                raise _bad(text, "an empty tag (tags are joined by +, with _ for spaces)")
            _check_length(text, tag)
            if tag not in tags:
                tags.append(tag)
        return tuple(tags)
    term = " ".join(unquote(argument).replace("_", " ").split())
    if not term:
        raise _bad(text, f"{kind} needs an argument after the colon")
    _check_length(text, term)
    return (term,)


def _check_length(text: str, term: str) -> None:
    if len(term) > MAX_ARGUMENT_LENGTH:
        raise _bad(text[:60] + "…", f"an argument longer than {MAX_ARGUMENT_LENGTH} characters")


@dataclass(frozen=True)
class LibraryFacts:
    """What a selection needs beyond the playlists themselves."""

    liked_ids: Set[str]
    play_counts: Mapping[str, int]  # playlist id -> plays
    last_played: Mapping[str, datetime]  # playlist id -> last play


def select_playlists(smart: SmartId, playlists: Sequence[Playlist], facts: LibraryFacts) -> list[Playlist]:
    """The playlists a smart id names, in its order (all of them; the caller pages)."""
    public = [p for p in playlists if not p.private]
    scores: dict[str, float] = {}
    if smart.kind == "all":
        chosen = public
    elif smart.kind == "liked":
        chosen = [p for p in public if p.id in facts.liked_ids]
    elif smart.kind == "tags":
        wanted = set(smart.terms)
        chosen = [p for p in public if wanted <= {normalize_tag(tag) for tag in p.tags}]
    elif smart.kind == "artist":
        artist = smart.terms[0].casefold()
        chosen = [p for p in public if any(artist in author for author in p.authors())]
    elif smart.kind == "keyword":
        keyword = smart.terms[0].casefold()
        chosen = [p for p in public if keyword in _searchable_text(p)]
    else:
        source = _find_source(smart.terms[0], playlists)
        for playlist in public:
            if playlist.id != source.id:
                score = similarity(source, playlist)
                if score > 0:
                    scores[playlist.id] = score
        chosen = [p for p in public if p.id in scores]
    if smart.safe:
        chosen = [p for p in chosen if not p.nsfw]
    return _ordered(chosen, smart, facts, scores)


def similarity(one: Playlist, other: Playlist) -> float:
    """Shared tags and artists, relative to how many each has (Jaccard over both)."""
    tags_one = {normalize_tag(tag) for tag in one.tags}
    tags_other = {normalize_tag(tag) for tag in other.tags}
    artists_one, artists_other = one.authors(), other.authors()
    shared = len(tags_one & tags_other) + len(artists_one & artists_other)
    if not shared:
        return 0.0
    return shared / len(tags_one | tags_other | {f"artist:{a}" for a in artists_one | artists_other})


def _find_source(playlist_id: str, playlists: Sequence[Playlist]) -> Playlist:
    for playlist in playlists:
        if playlist.id == playlist_id:
            return playlist
    raise NotFound(f"no playlist with id {playlist_id!r} for similar:", hint="mixtui playlist list shows the ids")


def _searchable_text(playlist: Playlist) -> str:
    pieces = [playlist.name, playlist.description, *playlist.tags, playlist.prompt or ""]
    for item in playlist.items:
        pieces += (item.title, item.author)
    return "\n".join(pieces).casefold()


def _ordered(
    chosen: list[Playlist], smart: SmartId, facts: LibraryFacts, scores: Mapping[str, float]
) -> list[Playlist]:
    def activity(playlist: Playlist) -> datetime:
        played = facts.last_played.get(playlist.id)
        return max(playlist.updated_at, played) if played else playlist.updated_at

    # Stable sorts from the weakest key to the strongest.
    ordered = sorted(chosen, key=lambda p: p.name.casefold())
    ordered.sort(key=activity, reverse=True)
    if smart.sort == "recent":
        ordered.sort(key=lambda p: p.created_at, reverse=True)
    elif smart.sort == "popular":
        ordered.sort(key=lambda p: facts.play_counts.get(p.id, 0), reverse=True)
    elif scores:
        ordered.sort(key=lambda p: scores[p.id], reverse=True)
    return ordered
