"""Schema 1 → 2: one id per track in a library written before links had one identity.

Libraries of schema 1 may hold the same track under two ids: ``souncloud-40644970`` beside
``soundcloud-40644970`` (the Mixider API's spelling kept as it came in), and links of the url
platform named by the way they entered (``mixtui play``'s fallback hashed the link as typed,
tracking parameters and all; pages described by yt-dlp carried the extractor's own id). This
step renames every such id to the one :mod:`mixtui.links` gives today (and such a link to
its canonical URL), everywhere an id is kept (the media table, playlist items, plays,
favourites), then merges what became the same:

* a playlist keeps the first of its items that share an id (its order otherwise unchanged);
* the media table keeps one document per id (the one seen last: the freshest description);
* favourites keep one entry per track (the earliest ``faved_at``);
* plays are all kept, now counted for the one track.

Ids that only a platform's API can tell (SoundCloud and Bandcamp tracks, a YouTube video…)
are kept as they are; so are local files and streams, whose rule did not change. Likes,
follows, presets and reviews name playlists and authors, not tracks: nothing to rewrite,
except a preset's platform given in an alias's spelling.
"""

from __future__ import annotations

from typing import Any

from mixtui.errors import BadInput
from mixtui.links import UrlKind, canonical_url, link_native_id, link_platform, recognise
from mixtui.platform_names import PLATFORM_ALIASES, Platform, canonical_media_id
from mixtui.store.storage import Tables
from mixtui.store.tables import FAVS, MEDIA, PLAYLISTS, PLAYS, PRESETS

# Kinds of link whose id the link alone decides on the url platform.
_URL_KINDS = frozenset({UrlKind.MEDIA_FILE, UrlKind.WEB_PAGE, UrlKind.EXTRACTOR_ONLY})


def current_identity(document: dict[str, Any]) -> tuple[str, str | None]:
    """The id a Media document's track has today (its own when nothing changed), and the
    canonical URL to store with it when that changed too (else None)."""
    media_id = canonical_media_id(str(document.get("id", "")))
    platform = PLATFORM_ALIASES.get(str(document.get("platform")), str(document.get("platform")))
    url = document.get("url")
    if platform != Platform.URL.value or not isinstance(url, str) or not url.lower().startswith("http"):
        return media_id, None
    try:
        recognised = recognise(url)
        canonical = canonical_url(recognised.platform, recognised.url)
    except BadInput:
        return media_id, None
    if recognised.kind not in _URL_KINDS or link_platform(recognised) is not Platform.URL:
        return media_id, None  # a page of a known platform's item: its platform gave the id
    return f"{Platform.URL.value}-{link_native_id(recognised)}", canonical if canonical != url else None


def one_id_per_track(data: Tables) -> None:
    """Rewrite old ids to today's and merge the duplicates they made, in place."""
    renames: dict[str, str] = {}

    def renamed(document: Any) -> Any:
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            return document
        new_id, new_url = current_identity(document)
        if new_id == document["id"] and new_url is None:
            return document
        renames[document["id"]] = new_id
        platform = document.get("platform")
        fixed = {**document, "id": new_id}
        if new_url is not None:
            fixed["url"] = new_url
        if isinstance(platform, str) and platform in PLATFORM_ALIASES:
            fixed["platform"] = PLATFORM_ALIASES[platform]
        return fixed

    media = data.get(MEDIA, {})
    by_id: dict[str, str] = {}
    for key in list(media):
        document = media[key] = renamed(media[key])
        media_id = document.get("id") if isinstance(document, dict) else None
        if not isinstance(media_id, str):
            continue
        earlier = by_id.get(media_id)
        if earlier is not None:
            del media[earlier]  # the later document describes the track as last seen
        by_id[media_id] = key

    for playlist in data.get(PLAYLISTS, {}).values():
        items = playlist.get("items") if isinstance(playlist, dict) else None
        if not isinstance(items, list):
            continue
        seen: set[str] = set()
        kept: list[Any] = []
        for item in map(renamed, items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(item_id, str):
                if item_id in seen:
                    continue
                seen.add(item_id)
            kept.append(item)
        playlist["items"] = kept

    for play in data.get(PLAYS, {}).values():
        if not isinstance(play, dict):
            continue
        if isinstance(play.get("media"), dict):
            play["media"] = renamed(play["media"])
        media_id = play.get("media_id")
        if isinstance(media_id, str):
            play["media_id"] = renames.get(media_id, canonical_media_id(media_id))

    favs = data.get(FAVS, {})
    earliest: dict[str, str] = {}
    for key in sorted(favs, key=lambda k: str(favs[k].get("faved_at", "")) if isinstance(favs[k], dict) else ""):
        fav = favs[key]
        if not isinstance(fav, dict) or not isinstance(fav.get("media_id"), str):
            continue
        fav["media_id"] = renames.get(fav["media_id"], canonical_media_id(fav["media_id"]))
        if fav["media_id"] in earliest:
            del favs[key]
        else:
            earliest[fav["media_id"]] = key

    for preset in data.get(PRESETS, {}).values():
        if isinstance(preset, dict) and preset.get("platform") in PLATFORM_ALIASES:
            preset["platform"] = PLATFORM_ALIASES[preset["platform"]]
