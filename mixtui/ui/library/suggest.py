"""Autocomplete for the Library's smart-id box and tag fields: kinds, sorts and the library's own tags.

The completion rules are plain functions over the typed text and a tag lookup, so they are tested
without a terminal; the ``Suggester`` classes only connect them to Textual's ``Input``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import quote

from textual.suggester import Suggester

TagLookup = Callable[[str], Awaitable[list[str]]]

KIND_WORDS = ("all", "liked", "tags:", "artist:", "keyword:", "similar:")
KINDS_WITHOUT_ARGUMENT = ("all", "liked")
MODIFIER_WORDS = ("recent", "popular", "safe")


def smart_id_term(tag: str) -> str:
    """A tag as a smart id writes it: ``_`` for spaces, other separators percent-escaped."""
    return quote(tag, safe=" ").replace(" ", "_")


def complete_word(typed: str, words: Iterable[str]) -> str | None:
    """The first word that ``typed`` starts (case-blind), or None; never ``typed`` itself."""
    folded = typed.casefold()
    for word in words:
        if word.casefold().startswith(folded) and len(word) > len(typed):
            return word
    return None


def completed(value: str, typed: str, word: str | None) -> str | None:
    """``value`` (which ends with ``typed``) with ``word``'s missing tail added."""
    if word is None:
        return None
    return value + word[len(typed) :]


async def complete_smart_id(value: str, tags_starting: TagLookup) -> str | None:
    """A longer smart id for ``value``: a kind, a tag from the library, or a sort/safe modifier."""
    if not value.strip():
        return None
    parts = value.split(":")
    last = parts[-1]
    if len(parts) == 1:
        return completed(value, last, complete_word(last, KIND_WORDS))
    kind = parts[0].strip().casefold()
    if not last:
        return None
    if len(parts) == 2 and kind == "tags":
        term = last.rpartition("+")[2]
        if not term:
            return None
        for tag in await tags_starting(term):
            word = smart_id_term(tag)
            if word.casefold().startswith(term.casefold()) and len(word) > len(term):
                return value + word[len(term) :]
        return None
    if len(parts) >= 3 or kind in KINDS_WITHOUT_ARGUMENT:
        return completed(value, last, complete_word(last, MODIFIER_WORDS))
    return None


async def complete_tag_list(value: str, tags_starting: TagLookup) -> str | None:
    """``chill, be`` → ``chill, beach``: the last comma-separated tag, completed from the library."""
    head, comma, last = value.rpartition(",")
    term = last.lstrip()
    if not term:
        return None
    taken = {tag.strip().casefold() for tag in head.split(",")} if comma else set()
    for tag in await tags_starting(term):
        if tag.casefold().startswith(term.casefold()) and len(tag) > len(term) and tag.casefold() not in taken:
            return value + tag[len(term) :]
    return None


class SmartIdSuggester(Suggester):
    def __init__(self, tags_starting: TagLookup) -> None:
        # Tags change as the library does: nothing cached. Case kept: artist names are typed as meant.
        super().__init__(use_cache=False, case_sensitive=True)
        self._tags_starting = tags_starting

    async def get_suggestion(self, value: str) -> str | None:
        return await complete_smart_id(value, self._tags_starting)


class TagListSuggester(Suggester):
    def __init__(self, tags_starting: TagLookup) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._tags_starting = tags_starting

    async def get_suggestion(self, value: str) -> str | None:
        return await complete_tag_list(value, self._tags_starting)
