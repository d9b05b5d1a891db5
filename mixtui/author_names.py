"""How authors compare (a follow of "Henry  Mancini" is a follow of "henry mancini"); no heavy imports."""

from __future__ import annotations


def author_key(author: str) -> str:
    """An author's name with spaces collapsed and case folded."""
    return " ".join(author.split()).casefold()
