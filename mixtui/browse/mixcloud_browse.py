"""Browse Mixcloud the way its public API allows: lists, genres, users, shows, search, paging, oEmbed.

:class:`MixcloudBrowser` turns a key or URL (see :mod:`mixtui.browse.addresses`) into a
:class:`~mixtui.browse.shapes.Page` or a :class:`~mixtui.browse.shapes.ShowDetail`, pages on
with the API's ``next``/``previous`` links (offset-style, or ``since``/``until`` for a
user's date-ordered lists), and honours rate limits through a :class:`RateGate`: once
Mixcloud has answered 403 + ``Retry-After``, nothing is sent until the wait is over.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from mixtui.browse.addresses import BrowseTarget, TargetKind, parse_target
from mixtui.browse.rate_gate import RateGate
from mixtui.browse.shapes import (
    OEmbed,
    Page,
    ShowDetail,
    Tag,
    User,
    parse_connections,
    parse_oembed,
    parse_page,
    parse_show_detail,
)
from mixtui.errors import BadInput, NotFound, PlatformError, RateLimited
from mixtui.links.mixcloud_keys import page_url_for_key
from mixtui.models import Platform
from mixtui.platforms.base import get_json
from mixtui.platforms.mixcloud import MixcloudClient, parse_user

if TYPE_CHECKING:
    import httpx

    from mixtui.config import Settings

PLATFORM = Platform.MIXCLOUD.value
DISPLAY_NAME = "Mixcloud"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# ``since``/``until`` take Unix timestamps or UTC date times (the API's two forms).
_DATE_PARAM = re.compile(r"\d{1,10}|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


class PagedLists:
    """The pages around a Mixcloud list page, through the API's ``next`` / ``previous`` links."""

    async def more(self, page: Page) -> Page:
        """The page after this one (the API's ``next`` link); BadInput on the last page."""
        if page.next is None:
            raise BadInput(f"{page.title}: there is nothing more")
        return await self._follow(page, page.next)

    async def previous(self, page: Page) -> Page:
        """The page before this one (the API's ``previous`` link); BadInput on the first page."""
        if page.previous is None:
            raise BadInput(f"{page.title}: this is the first page")
        return await self._follow(page, page.previous)

    async def _follow(self, page: Page, link: str) -> Page:
        """The list page behind a paging ``link`` of ``page``."""
        raise NotImplementedError


class MixcloudBrowser(PagedLists):
    """Browsing on the shared HTTP client; one per app (its gate remembers rate limits)."""

    def __init__(
        self,
        settings: Settings,
        http: httpx.AsyncClient,
        *,
        client: MixcloudClient | None = None,
        gate: RateGate | None = None,
    ) -> None:
        self.settings = settings
        self.http = http
        self.client = client or MixcloudClient(settings, http)
        self.gate = gate or RateGate(PLATFORM, DISPLAY_NAME)
        self.oembed_base_url = settings.platforms.mixcloud.oembed_base_url.rstrip("/")

    # -- addresses ------------------------------------------------------------------------------
    def target(self, key_or_url: str | BrowseTarget) -> BrowseTarget:
        """What a key or URL points at; links on the configured API host count as API links."""
        if isinstance(key_or_url, BrowseTarget):
            return key_or_url
        text = key_or_url.strip() if isinstance(key_or_url, str) else ""
        base = self.client.api_base_url
        if base and text.startswith(base + "/"):
            text = text[len(base) :]
        return parse_target(text)

    # -- browsing -------------------------------------------------------------------------------
    async def browse(
        self,
        key_or_url: str | BrowseTarget,
        *,
        limit: int | None = None,
        offset: int | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Page | ShowDetail:
        """A show's details for a show, else a page: a list, a genre's popular shows, a user's shows."""
        target = self.target(key_or_url)
        if target.kind is TargetKind.SHOW:
            if any(value is not None for value in (limit, offset, since, until)):
                raise BadInput("paging options apply to lists, and this is a single show")
            return await self.show(target)
        return await self.page(target, limit=limit, offset=offset, since=since, until=until)

    async def page(
        self,
        key_or_url: str | BrowseTarget,
        *,
        limit: int | None = None,
        offset: int | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Page:
        """The first (or asked-for) page of a list; a user or genre lists their shows."""
        target = self.target(key_or_url)
        params = paging_params(target.params, limit=limit, offset=offset, since=since, until=until)
        if target.kind is TargetKind.SHOW:
            raise BadInput(f"{target.key} is a single show, not a list")
        if target.kind is TargetKind.USER:
            return await self._user_page(target, params)
        if target.kind is TargetKind.TAG:
            tag = Tag.from_key(target.key)
            shows = BrowseTarget(TargetKind.LIST, tag.shows_key, f"{tag.name} — popular", params=params)
            return await self._list(shows, owner=tag)
        listed = replace(target, params=params)
        genre = target.owner_key if target.owner_key and target.owner_key.startswith("/discover/") else None
        owner = Tag.from_key(genre) if genre else None
        return await self._list(listed, owner=owner)

    async def show(self, key_or_url: str | BrowseTarget) -> ShowDetail:
        """A show with its description, tags, tracklist and connections."""
        target = self.target(key_or_url)
        if target.kind is not TargetKind.SHOW:
            raise BadInput(f"{target.key} is not a single show")
        payload = await self._get(target.key, {"metadata": 1}, what="show")
        return parse_show_detail(payload)

    async def user(self, key_or_url: str | BrowseTarget) -> User:
        target = self.target(key_or_url)
        if target.kind is not TargetKind.USER:
            raise BadInput(f"{target.key} is not a Mixcloud user")
        return User.of(parse_user(await self._get(target.key, None, what="user")))

    async def search(self, query: str, kind: str = "cloudcast", *, limit: int | None = None, offset: int = 0) -> Page:
        """Search shows (``cloudcast``), users (``user``) or tags (``tag``)."""
        target = parse_target("/search/?" + urlencode({"q": query, "type": kind}))
        return await self.page(target, limit=limit, offset=offset)

    async def connections(self, key_or_url: str | BrowseTarget) -> dict[str, str]:
        """What an object links to (``metadata=1``): followers, favorites, cloudcasts, similar…"""
        target = self.target(key_or_url)
        return parse_connections(await self._get(target.key, {"metadata": 1}, what=target.kind.value))

    async def oembed(self, key_or_url: str | BrowseTarget) -> OEmbed:
        """oEmbed for a show: title, author and the player's embed HTML."""
        target = self.target(key_or_url)
        if target.kind is not TargetKind.SHOW:
            raise BadInput("oEmbed describes a single show: give a show's key or URL")
        page_url = page_url_for_key(target.key)
        self.gate.check()
        try:
            payload = await get_json(
                self.http, PLATFORM, f"{self.oembed_base_url}/oembed/", params={"url": page_url, "format": "json"}
            )
        except RateLimited as error:
            raise self.gate.note(error) from None
        except NotFound:
            raise NotFound(f"Mixcloud has no show at {page_url}") from None
        return parse_oembed(payload, page_url)

    # -- internals ------------------------------------------------------------------------------
    async def _user_page(self, target: BrowseTarget, params: dict[str, str]) -> Page:
        """A user's profile (with its connections) and their shows, asked at the same time."""
        shows = BrowseTarget(TargetKind.LIST, f"{target.key}cloudcasts/", f"{target.title} — cloudcasts", params=params)
        answers = await asyncio.gather(
            self._get(target.key, {"metadata": 1}, what="user"), self._list(shows), return_exceptions=True
        )
        # The profile's failure says more ("no user at /nobody/") than its list's.
        for outcome in answers:
            if isinstance(outcome, BaseException):
                raise outcome
        profile, shows_page = answers
        assert isinstance(shows_page, Page)
        user = User.of(parse_user(profile))
        return replace(shows_page, owner=user, connections=parse_connections(profile))

    async def _list(self, target: BrowseTarget, *, owner: User | Tag | None = None) -> Page:
        payload = await self._get(target.key, target.params, what="list")
        return parse_page(payload, target, owner=owner)

    async def _follow(self, page: Page, link: str) -> Page:
        linked = self.target(link)
        if linked.kind is not TargetKind.LIST or linked.key != page.key:
            raise PlatformError(f"mixcloud sent a paging link to somewhere else: {link}", platform=PLATFORM)
        target = replace(linked, title=page.title, item_type=page.item_type)
        payload = await self._get(target.key, target.params, what="list")
        return replace(parse_page(payload, target, owner=page.owner), connections=page.connections)

    async def _get(self, key: str, params: dict[str, Any] | None, *, what: str) -> Any:
        """One API request through the gate: refused while a wait lasts; a new wait is remembered."""
        self.gate.check()
        try:
            return await self.client.get(key, params)
        except RateLimited as error:
            raise self.gate.note(error) from None
        except NotFound:
            raise NotFound(
                f"Mixcloud has no {what} at {key} ({page_url_for_key(key)})",
                hint="check the spelling; keys look like /popular/hot/, /<user>/ or /<user>/<show>/",
            ) from None


def paging_params(
    base: dict[str, str],
    *,
    limit: int | None = None,
    offset: int | None = None,
    since: str | None = None,
    until: str | None = None,
) -> dict[str, str]:
    """A list request's query: the address's own paging, overridden by what was asked for.

    ``offset`` (even 0) asks for offset-style paging links; ``since``/``until`` for date-style.
    """
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise BadInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if offset is not None and offset < 0:
        raise BadInput(f"offset must be 0 or more, not {offset}")
    if offset is not None and (since or until):
        raise BadInput("page either by offset or by date (since/until), not both")
    for name, value in (("since", since), ("until", until)):
        if value is not None and not _DATE_PARAM.fullmatch(value.strip()):
            raise BadInput(f"{name} takes a Unix timestamp or a UTC date time 'YYYY-MM-DD HH:MM:SS', not {value!r}")
    params = dict(base)
    if limit is not None:
        params["limit"] = str(limit)
    params.setdefault("limit", str(DEFAULT_LIMIT))
    if offset is not None:
        params.pop("since", None)
        params.pop("until", None)
        params["offset"] = str(offset)
    if since or until:
        params.pop("offset", None)
        params.pop("since", None)
        params.pop("until", None)
        if since:
            params["since"] = since.strip()
        if until:
            params["until"] = until.strip()
    return params
