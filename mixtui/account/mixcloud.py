"""The signed-in half of Mixcloud: ``/me/`` and its lists, follow/favourite/repost/Listen Later, object state.

:class:`MixcloudAccount` sends every request with the saved access token as the
``access_token`` query parameter (as the API document says) through the same rate gate as
browsing: after a 403 + ``Retry-After`` nothing is sent until the wait is over. A token that
Mixcloud rejects is deleted at once and the error says to log in again. Paging links in
answers carry the token; it is removed before a link is kept or shown.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from mixtui.account.tokens import TokenStore
from mixtui.browse.addresses import BrowseTarget, ItemType, TargetKind, parse_target, user_key
from mixtui.browse.mixcloud_browse import PagedLists, paging_params
from mixtui.browse.rate_gate import RateGate
from mixtui.browse.shapes import Page, Tag, User, parse_connections, parse_page
from mixtui.errors import BadInput, MixtuiError, NotFound, PlatformAuthError, PlatformError, RateLimited
from mixtui.links.mixcloud_keys import page_url_for_key
from mixtui.platforms.base import decode_json, send
from mixtui.platforms.mixcloud import MixcloudClient, parse_user
from mixtui.text import load_json

if TYPE_CHECKING:
    from mixtui.config import Settings

PLATFORM = "mixcloud"
DISPLAY_NAME = "Mixcloud"
LOGIN_HINT = "run `mixtui mixcloud login`"
# /me/'s lists in the order they are shown, and what their items are.
ME_LISTS: dict[str, ItemType] = {
    "cloudcasts": ItemType.SHOW,
    "favorites": ItemType.SHOW,
    "listen-later": ItemType.SHOW,
    "listens": ItemType.SHOW,
    "following": ItemType.USER,
    "followers": ItemType.USER,
}
ME_LIST_ALIASES = {
    "uploads": "cloudcasts",
    "shows": "cloudcasts",
    "listen_later": "listen-later",
    "later": "listen-later",
}


class Action(enum.StrEnum):
    """What a signed-in user can do to a user (follow) or a show (the others); the value is the URL's last part."""

    FOLLOW = "follow"
    FAVORITE = "favorite"
    REPOST = "repost"
    LISTEN_LATER = "listen-later"

    @property
    def on_user(self) -> bool:
        return self is Action.FOLLOW

    def done_text(self, undo: bool) -> str:
        return {
            Action.FOLLOW: ("Following", "No longer following"),
            Action.FAVORITE: ("Favourited", "No longer favourited"),
            Action.REPOST: ("Reposted", "No longer reposted"),
            Action.LISTEN_LATER: ("Added to Listen Later", "Removed from Listen Later"),
        }[self][1 if undo else 0]


class AccountRejected(PlatformAuthError):
    """Mixcloud no longer accepts the saved token; it has been forgotten."""


@dataclass(frozen=True)
class Me:
    """The signed-in user, whether they have a Pro account (when Mixcloud says), and their lists."""

    user: User
    is_pro: bool | None = None
    connections: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "me",
            "user": self.user.to_json(),
            "is_pro": self.is_pro,
            "lists": [name for name in ME_LISTS if not self.connections or name in self.connections],
        }


@dataclass(frozen=True)
class ObjectState:
    """What the signed-in user has done to a show or user (None: Mixcloud did not say)."""

    key: str
    following: bool | None = None
    favorited: bool | None = None
    reposted: bool | None = None
    listen_later: bool | None = None

    def get(self, action: Action) -> bool | None:
        return {
            Action.FOLLOW: self.following,
            Action.FAVORITE: self.favorited,
            Action.REPOST: self.reposted,
            Action.LISTEN_LATER: self.listen_later,
        }[action]

    def changed(self, action: Action, value: bool) -> ObjectState:
        """This state after ``action`` was done (True) or undone (False)."""
        if action is Action.FOLLOW:
            return replace(self, following=value)
        if action is Action.FAVORITE:
            return replace(self, favorited=value)
        if action is Action.REPOST:
            return replace(self, reposted=value)
        return replace(self, listen_later=value)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "following": self.following,
            "favorited": self.favorited,
            "reposted": self.reposted,
            "listen_later": self.listen_later,
        }


@dataclass(frozen=True)
class ActionResult:
    action: Action
    key: str
    undo: bool
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action.value, "key": self.key, "undo": self.undo, "message": self.message}


def parse_state(key: str, payload: Any) -> ObjectState:
    """The ``following`` / ``favorited`` / ``reposted`` / ``listen_later`` flags of an object fetched with a token."""
    obj = payload if isinstance(payload, dict) else {}

    def flag(*names: str) -> bool | None:
        for name in names:
            value = obj.get(name)
            if isinstance(value, bool):
                return value
        return None

    return ObjectState(
        key=key,
        following=flag("following"),
        favorited=flag("favorited", "favorite"),
        reposted=flag("reposted", "repost"),
        listen_later=flag("listen_later", "in_listen_later"),
    )


def without_token(link: str) -> str:
    """A link as it may be kept or shown: the ``access_token`` parameter removed."""
    parts = urlsplit(link)
    if not parts.query:
        return link
    kept = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name != "access_token"]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def show_key_of(text: str) -> str:
    """A show's key from a key or any Mixcloud link (the Browse link recogniser); BadInput otherwise."""
    target = parse_target(text)
    if target.kind is not TargetKind.SHOW:
        raise BadInput(
            f"{text.strip()!r} is not a single Mixcloud show", hint="give a show's key (/user/show/) or its link"
        )
    return target.key


def user_key_of(text: str) -> str:
    """A user's key from a name (``spartacus``), a key or a profile link; BadInput otherwise."""
    value = text.strip()
    if "/" not in value:
        return user_key(value)
    target = parse_target(value)
    if target.kind is not TargetKind.USER:
        raise BadInput(
            f"{value!r} is not a Mixcloud user", hint="give a user name (spartacus), /spartacus/ or their link"
        )
    return target.key


def me_list_name(text: str) -> str:
    name = ME_LIST_ALIASES.get(text.strip().strip("/").lower(), text.strip().strip("/").lower())
    if name not in ME_LISTS:
        raise BadInput(f"your Mixcloud lists are {', '.join(ME_LISTS)}; not {text!r}")
    return name


class MixcloudAccount(PagedLists):
    """The signed-in user's Mixcloud, on the shared HTTP client and the browsing rate gate."""

    def __init__(
        self,
        settings: Settings,
        http: httpx.AsyncClient,
        *,
        store: TokenStore | None = None,
        gate: RateGate | None = None,
        client: MixcloudClient | None = None,
    ) -> None:
        self.settings = settings
        self.http = http
        self.store = store or TokenStore()
        self.gate = gate or RateGate(PLATFORM, DISPLAY_NAME)
        self.client = client or MixcloudClient(settings, http)

    # -- the token ---------------------------------------------------------------------------------
    @property
    def signed_in(self) -> bool:
        try:
            return self.store.load() is not None
        except MixtuiError:
            return False

    def token(self) -> str:
        stored = self.store.load()
        if stored is None:
            raise BadInput("you are not signed in to Mixcloud", hint=LOGIN_HINT)
        return stored.access_token

    def logout(self) -> bool:
        return self.store.clear()

    # -- requests ------------------------------------------------------------------------------------
    async def request(
        self, method: str, key_or_url: str, *, params: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """One signed request through the gate; rate limits are remembered, a rejected token is dropped."""
        token = self.token()
        self.gate.check()
        url = httpx.URL(self.client.api_url(key_or_url)).copy_merge_params({**(params or {}), "access_token": token})
        try:
            return await send(self.http, PLATFORM, method, str(url), **kwargs)
        except RateLimited as error:
            raise self.gate.note(error) from None
        except PlatformError as error:
            raise self.refused(error) from None

    def refused(self, error: PlatformError) -> PlatformError:
        """The error to show for a refusal; a rejected token is forgotten on the way."""
        if not is_token_rejection(error):
            return error
        self.store.clear()
        return AccountRejected(
            "Mixcloud no longer accepts your login (the access token was revoked or expired); mixtui has forgotten it",
            platform=PLATFORM,
            hint="log in again with `mixtui mixcloud login`",
        )

    async def get(self, key_or_url: str, params: dict[str, str] | None = None) -> Any:
        return decode_json(await self.request("GET", key_or_url, params=params), PLATFORM)

    # -- /me/ ----------------------------------------------------------------------------------------
    async def me(self) -> Me:
        payload = await self.get("/me/", {"metadata": "1"})
        pro = payload.get("is_pro") if isinstance(payload, dict) else None
        connections = {name: without_token(link) for name, link in parse_connections(payload).items()}
        return Me(User.of(parse_user(payload)), pro if isinstance(pro, bool) else None, connections)

    async def me_page(
        self,
        name: str,
        *,
        limit: int | None = None,
        offset: int | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Page:
        """One page of one of your lists (``favorites``, ``following``, ``listen-later`` …)."""
        connection = me_list_name(name)
        params = paging_params({}, limit=limit, offset=offset, since=since, until=until)
        target = BrowseTarget(TargetKind.LIST, f"/me/{connection}/", f"Me — {connection}", ME_LISTS[connection], params)
        return await self._list(target)

    async def _follow(self, page: Page, link: str) -> Page:
        parts = urlsplit(link)
        path = parts.path[len(urlsplit(self.client.api_base_url).path.rstrip("/")) :] if parts.scheme else parts.path
        if not path.startswith("/me/") and path != page.key:
            raise PlatformError(
                f"mixcloud sent a paging link to somewhere else: {without_token(link)}", platform=PLATFORM
            )
        params = {name: value for name, value in parse_qsl(parts.query) if name != "access_token"}
        target = BrowseTarget(TargetKind.LIST, page.key, page.title, page.item_type, params)
        return await self._list(target, owner=page.owner)

    async def _list(self, target: BrowseTarget, *, owner: User | Tag | None = None) -> Page:
        try:
            payload = await self.get(target.key, target.params)
        except NotFound:
            raise NotFound(f"Mixcloud has no list at {target.key}") from None
        page = parse_page(payload, target, owner=owner)
        return replace(
            page,
            next=without_token(page.next) if page.next else None,
            previous=without_token(page.previous) if page.previous else None,
        )

    # -- actions -------------------------------------------------------------------------------------
    async def act(self, action: Action, key_or_url: str, *, undo: bool = False) -> ActionResult:
        """Follow a user, or favourite / repost / Listen-Later a show; ``undo`` reverses it.

        POST does it and DELETE undoes it; when DELETE itself is refused (405, as some proxies
        do) the documented ``method=delete`` POST is sent instead.
        """
        key = user_key_of(key_or_url) if action.on_user else show_key_of(key_or_url)
        address = f"{key}{action.value}/"
        try:
            if not undo:
                response = await self.request("POST", address)
            else:
                try:
                    response = await self.request("DELETE", address)
                except PlatformError as error:
                    if "HTTP 405" not in error.message:
                        raise
                    response = await self.request("POST", address, data={"method": "delete"})
        except NotFound:
            what = "user" if action.on_user else "show"
            raise NotFound(f"Mixcloud has no {what} at {key} ({page_url_for_key(key)})") from None
        return ActionResult(action, key, undo, _action_message(response, action, key, undo))

    async def state(self, key_or_url: str) -> ObjectState:
        """Your following / favourited / reposted / Listen Later state of a user or show."""
        target = parse_target(key_or_url) if "/" in key_or_url else parse_target(user_key(key_or_url))
        if target.kind not in (TargetKind.USER, TargetKind.SHOW):
            raise BadInput(f"{key_or_url!r} is neither a Mixcloud user nor a show")
        return parse_state(target.key, await self.get(target.key))


def _action_message(response: httpx.Response, action: Action, key: str, undo: bool) -> str:
    """Mixcloud's ``{"result": {"success": …, "message": …}}``; a refusal there is an error."""
    try:
        payload = load_json(response.content)
    except ValueError:
        payload = None
    result = payload.get("result") if isinstance(payload, dict) else None
    if isinstance(result, dict) and result.get("success") is False:
        reason = str(result.get("message") or "no reason given")
        raise PlatformError(f"Mixcloud did not do it: {reason}", platform=PLATFORM)
    message = result.get("message") if isinstance(result, dict) else None
    return str(message) if isinstance(message, str) and message.strip() else f"{action.done_text(undo)}: {key}"


def is_token_rejection(error: PlatformError) -> bool:
    """A refusal that means the token is no good (not a rate limit, not a missing object)."""
    text = error.message.lower()
    if isinstance(error, PlatformAuthError):
        return "http 401" in text or "access token" in text or "oauth" in text
    return "access token" in text or "oauthexception" in text
