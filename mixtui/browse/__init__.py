"""Browsing Mixcloud (lists, genres, users, shows, search, paging, oEmbed), shared by the CLI and the app."""

from __future__ import annotations

from mixtui.browse.addresses import BrowseTarget, ItemType, TargetKind, genre_key, parse_target, user_key
from mixtui.browse.mixcloud_browse import DEFAULT_LIMIT, MAX_LIMIT, MixcloudBrowser, paging_params
from mixtui.browse.rate_gate import RateGate, default_gate_path, rate_limit_message
from mixtui.browse.shapes import Item, OEmbed, Page, ShowDetail, Tag, TracklistEntry, User, item_identity

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "BrowseTarget",
    "Item",
    "ItemType",
    "MixcloudBrowser",
    "OEmbed",
    "Page",
    "RateGate",
    "ShowDetail",
    "Tag",
    "TargetKind",
    "TracklistEntry",
    "User",
    "default_gate_path",
    "genre_key",
    "item_identity",
    "paging_params",
    "parse_target",
    "rate_limit_message",
    "user_key",
]
