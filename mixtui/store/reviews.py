"""The library's reviews of playlists, with replies, as 8tracks models them.

A review has an author, a body and a created time; a reply is a review with a ``parent_id``.
Listed as 8tracks lists them: reviews newest first, each followed directly by its replies
(oldest first), so a reply always comes right after its parent. Replies hang under a review,
one level deep: a reply to a reply goes under that reply's review.

Reviews live in their own ``reviews`` table; a document that does not validate is left out of
listings (and logged), never taking the others down.
"""

from __future__ import annotations

import getpass
import logging
import secrets
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mixtui.errors import BadInput, NotFound
from mixtui.store.library_tables import LibraryTables
from mixtui.store.models import check_paging, timestamp, utc_now
from mixtui.store.playlists import Playlists
from mixtui.store.tables import REVIEWS
from mixtui.text import valid_unicode

log = logging.getLogger(__name__)

MAX_BODY_LENGTH = 4000
MAX_AUTHOR_LENGTH = 80


def clean_body(body: str) -> str:
    # Kept as written (valid Unicode); whoever shows it makes it inert (mixtui.text.terminal_safe).
    cleaned = valid_unicode(str(body)).replace("\r\n", "\n").strip()
    if not cleaned:
        raise BadInput("a review needs some text")
    if len(cleaned) > MAX_BODY_LENGTH:
        raise BadInput(f"review too long ({len(cleaned)} characters; at most {MAX_BODY_LENGTH})")
    return cleaned


def clean_author(author: str | None) -> str:
    if author is None:
        try:
            author = getpass.getuser()
        except (OSError, KeyError):
            author = "me"
    cleaned = " ".join(valid_unicode(author).split())
    if not cleaned:
        raise BadInput("a review's author cannot be empty")
    if len(cleaned) > MAX_AUTHOR_LENGTH:
        raise BadInput(f"author name too long ({len(cleaned)} characters; at most {MAX_AUTHOR_LENGTH})")
    return cleaned


class Review(BaseModel):
    """One review (``parent_id`` None) or reply of a playlist."""

    model_config = ConfigDict(frozen=True)

    id: str
    playlist_id: str
    author: str = Field(min_length=1, max_length=MAX_AUTHOR_LENGTH)
    body: str = Field(min_length=1, max_length=MAX_BODY_LENGTH)
    created_at: datetime = Field(default_factory=utc_now)
    parent_id: str | None = None

    @field_validator("id", "playlist_id")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "playlist_id": self.playlist_id,
            "parent_id": self.parent_id,
            "author": self.author,
            "body": self.body,
            "created_at": self.created_at.isoformat(),
        }


def thread_order(reviews: list[Review]) -> list[Review]:
    """Reviews newest first, each followed by its replies oldest first (8tracks' order)."""
    tops = sorted((r for r in reviews if r.parent_id is None), key=lambda r: r.created_at, reverse=True)
    replies: dict[str, list[Review]] = {}
    for review in reviews:
        if review.parent_id is not None:
            replies.setdefault(review.parent_id, []).append(review)
    ordered: list[Review] = []
    for top in tops:
        ordered.append(top)
        ordered += sorted(replies.get(top.id, []), key=lambda r: r.created_at)
    return ordered


class Reviews:
    """Reviews and replies, per playlist."""

    def __init__(self, tables: LibraryTables, playlists: Playlists) -> None:
        self._tables = tables
        self._playlists = playlists

    def of_playlist(self, name_or_id: str, page: int = 1, per_page: int | None = None) -> list[Review]:
        """A playlist's reviews in 8tracks' order; NotFound for an unknown playlist.

        With ``per_page``, one page of reviews, each with all its replies: as in 8tracks, replies
        are not counted in the page size.
        """
        if per_page is not None:
            check_paging(page, per_page)
        with self._tables.reading():
            _, playlist = self._playlists.playlist_document(name_or_id)
            ordered = thread_order(self._reviews_of(playlist["id"]))
        if per_page is None:
            return ordered
        first, last = (page - 1) * per_page, page * per_page
        shown: list[Review] = []
        top_index = -1
        for review in ordered:
            if not review.is_reply:
                top_index += 1
            if first <= top_index < last:
                shown.append(review)
        return shown

    def add(self, name_or_id: str, body: str, *, author: str | None = None, parent_id: str | None = None) -> Review:
        """Add a review to a playlist, or a reply under review ``parent_id`` of the same playlist."""
        text = clean_body(body)
        name = clean_author(author)
        with self._tables.writing():
            _, playlist = self._playlists.playlist_document(name_or_id)
            parent = None
            if parent_id is not None:
                parent = next((r for r in self._reviews_of(playlist["id"]) if r.id == parent_id.strip()), None)
                if parent is None:
                    raise NotFound(
                        f"playlist {playlist['name']!r} has no review {parent_id!r}",
                        hint=f"mixtui playlist reviews {playlist['id']} shows their ids",
                    )
            review = Review(
                id=f"rv-{secrets.token_hex(5)}",
                playlist_id=playlist["id"],
                author=name,
                body=text,
                parent_id=(parent.parent_id or parent.id) if parent is not None else None,
            )
            document = review.model_dump(mode="json")
            document["created_at"] = timestamp(review.created_at)
            self._tables.main.table(REVIEWS).insert(document)
        return review

    def _reviews_of(self, playlist_id: str) -> list[Review]:
        found = []
        for key, document in self._tables.main.raw(REVIEWS).items():
            if document.get("playlist_id") != playlist_id:
                continue
            try:
                found.append(Review.model_validate(document))
            except ValidationError as error:
                log.warning("review %s of %s is malformed and left out: %s", key, playlist_id, error)
        return found
