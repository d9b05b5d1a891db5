"""The HTTP API: the Mixider API's two endpoints, the library and the player, and MCP.

Documented endpoints (the Mixider API, bodies exactly as documented)::

    POST /api/v1/media/search        {"platform"?, "query"}             -> [Media] (at most 30)
    POST /api/v1/playlists/generate  {"query", "mode"?, "mainPlatform"?} -> {"title", "description", "items"}

mixtui's own, under the same keys::

    GET  /api/v1/openapi.json
    GET  /api/v1/playlists                       POST /api/v1/playlists {"name", "description"?, "tags"?, "items"?}
    GET  /api/v1/playlists/{playlist}            POST /api/v1/playlists/{playlist}/items {"items": [Media]} | {"url"}
    GET  …/{playlist}/reviews?page=&per_page=    POST …/reviews {"body", "author"?, "parent_id"?}
    GET  /api/v1/history?page=&per_page=
    GET  /api/v1/player                          POST /api/v1/player/{play,pause,resume,next,previous,queue}
    POST /mcp                                    the MCP tools (streamable HTTP)

Errors are JSON: ``{"error", "status", "message", "hint"?}`` with the document's statuses
(400, 401, 404, 422, 429, 500), plus 405, 408 and 413 for the request itself. A platform or
model failure is a 500 whose body says which; an unexpected one never carries a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mixtui import __version__
from mixtui.errors import BadInput, LLMError, MixtuiError, NotFound, PlatformError, RateLimited
from mixtui.models import Media, Platform
from mixtui.serve.core import ServeCore, parse_generate, parse_search, search_failure
from mixtui.serve.guard import Guard, RateLimiter
from mixtui.serve.keys import KeyRing
from mixtui.serve.mcp_route import LazyMcpApp

if TYPE_CHECKING:
    from starlette.types import ASGIApp

log = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Response]]


class Unprocessable(MixtuiError):
    """A well-formed request that cannot be followed (the document's 422)."""

    status = 422
    kind = "unprocessable"


def http_status(error: MixtuiError) -> int:
    """The status a MixtuiError is answered with: a platform or model failure is the server's (500)."""
    if isinstance(error, PlatformError | LLMError):
        return 500
    return error.status


def error_response(error: MixtuiError, status: int | None = None) -> JSONResponse:
    code = status or http_status(error)
    headers = {}
    retry_after = getattr(error, "retry_after", None)
    if code == 429 and retry_after is not None:
        headers["Retry-After"] = str(max(1, int(-(-retry_after // 1))))
    elif code == 429:
        headers["Retry-After"] = "60"
    return JSONResponse({**error.to_json(), "status": code}, status_code=code, headers=headers)


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise BadInput("the request body is empty", hint="send a JSON object")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadInput(f"the request body is not valid JSON: {error}") from None


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadInput("the request body must be a JSON object")
    return body


def _media_list(value: Any, field: str = "items") -> list[Media]:
    if not isinstance(value, list):
        raise BadInput(f"field {field!r} must be an array of Media")
    media = []
    for index, item in enumerate(value, 1):
        try:
            media.append(Media.from_json(item))
        except BadInput as error:
            raise BadInput(f"{field}[{index}]: {error.message}") from None
    return media


def _page_argument(request: Request, name: str, default: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit():
        raise BadInput(f"query parameter {name!r} must be a positive whole number")
    return int(text)


class Api:
    """The routes, over one :class:`ServeCore`."""

    def __init__(self, core: ServeCore) -> None:
        self.core = core

    # -- the Mixider API ----------------------------------------------------------------------
    async def search(self, request: Request) -> Response:
        search = parse_search(await read_json(request))
        outcome = await self.core.search(search)
        failure = search_failure(outcome)
        if failure is not None:
            raise failure
        failed = [s.platform.value for s in outcome.statuses.values() if s.kind.value != "ok"]
        headers = {"X-Mixtui-Failed-Platforms": ",".join(failed)} if failed else None
        return JSONResponse([media.to_json() for media in outcome.media], headers=headers)

    async def generate(self, request: Request) -> Response:
        from mixtui.planner.plan import NothingMatched

        generate = parse_generate(await read_json(request))
        try:
            playlist = await self.core.generate(generate)
        except NothingMatched as error:
            if error.rate_limits:  # nothing came back because we were asked to wait: say when to retry
                waits = [w for w in (getattr(e, "retry_after", None) for e in error.rate_limits) if w is not None]
                reasons = "; ".join(e.message for e in error.rate_limits)
                raise RateLimited(
                    f"{error.message} (rate-limited: {reasons})", retry_after=min(waits, default=None)
                ) from None
            raise Unprocessable(error.message, hint=error.hint) from None
        body = playlist.to_json()
        planner = body.pop("planner")
        return JSONResponse(body, headers={"X-Mixtui-Planner": str(planner)})

    # -- the library --------------------------------------------------------------------------
    async def list_playlists(self, request: Request) -> Response:
        def listed(store: Any) -> list[dict[str, Any]]:
            return [{**p.to_json(), "liked": store.likes.is_liked(p.id)} for p in store.playlists.all()]

        return JSONResponse(await self.core.library(listed))

    async def show_playlist(self, request: Request) -> Response:
        name = request.path_params["playlist"]

        def shown(store: Any) -> dict[str, Any]:
            playlist = store.playlists.get(name)
            return {**playlist.to_json(), "liked": store.likes.is_liked(playlist.id)}

        return JSONResponse(await self.core.library(shown))

    async def create_playlist(self, request: Request) -> Response:
        body = _object(await read_json(request))
        name = body.get("name")
        if not isinstance(name, str):
            raise BadInput("missing required field 'name' (a string)")
        description = body.get("description", "")
        if not isinstance(description, str):
            raise BadInput("field 'description' must be a string")
        tags = body.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise BadInput("field 'tags' must be an array of strings")
        items = _media_list(body.get("items", []))
        created = await self.core.library(
            lambda store: store.playlists.create(name, items=items, description=description, tags=tags),
            changes="playlists",
        )
        return JSONResponse(created.to_json(), status_code=201)

    async def add_items(self, request: Request) -> Response:
        name = request.path_params["playlist"]
        body = _object(await read_json(request))
        if "url" in body:
            url = body["url"]
            if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
                raise BadInput("field 'url' must be an http(s) link")
            items = await self.resolve(url)
        elif "items" in body:
            items = _media_list(body["items"])
        else:
            raise BadInput("send 'items' (an array of Media) or 'url' (a link to resolve)")
        updated = await self.core.library(lambda store: store.playlists.add_items(name, items), changes="playlists")
        return JSONResponse(updated.to_json())

    async def resolve(self, url: str) -> list[Media]:
        from mixtui.search import search_platform

        return await search_platform(self.core.root, Platform.URL, url, 1)

    async def list_reviews(self, request: Request) -> Response:
        name = request.path_params["playlist"]
        page = _page_argument(request, "page", 1)
        per_page = _page_argument(request, "per_page", 0) or None
        reviews = await self.core.library(lambda store: store.reviews.of_playlist(name, page, per_page))
        return JSONResponse([review.to_json() for review in reviews])

    async def add_review(self, request: Request) -> Response:
        name = request.path_params["playlist"]
        body = _object(await read_json(request))
        text = body.get("body")
        if not isinstance(text, str):
            raise BadInput("missing required field 'body' (a string)")
        author = body.get("author")
        parent = body.get("parent_id")
        if author is not None and not isinstance(author, str):
            raise BadInput("field 'author' must be a string")
        if parent is not None and not isinstance(parent, str):
            raise BadInput("field 'parent_id' must be a string")
        review = await self.core.library(
            lambda store: store.reviews.add(name, text, author=author, parent_id=parent), changes="reviews"
        )
        return JSONResponse(review.to_json(), status_code=201)

    async def history(self, request: Request) -> Response:
        page = _page_argument(request, "page", 1)
        per_page = _page_argument(request, "per_page", 50)
        plays = await self.core.library(lambda store: store.plays.history(page, per_page))
        return JSONResponse([play.to_json() for play in plays])

    # -- the player ---------------------------------------------------------------------------
    async def now_playing(self, request: Request) -> Response:
        from mixtui.serve.player_state import player_state

        return JSONResponse(player_state(await self.core.player()))

    async def player_command(self, request: Request) -> Response:
        from mixtui.serve.player_state import player_state, run_command

        command = request.path_params["command"]
        body = _object(await read_json(request)) if (await request.body()).strip() else {}
        player = await run_command(self.core, command, body)
        self.core.changed("queue")
        return JSONResponse(player_state(player))

    # -- description --------------------------------------------------------------------------
    async def openapi(self, request: Request) -> Response:
        from mixtui.serve.openapi import openapi_document

        return JSONResponse(openapi_document(__version__))


def _wrap(handler: Handler) -> Handler:
    """Every route answers a MixtuiError as JSON; anything else is logged and a bare 500."""

    async def route(request: Request) -> Response:
        try:
            return await handler(request)
        except RateLimited as error:
            return error_response(error, 429)
        except MixtuiError as error:
            return error_response(error)

    route.__name__ = handler.__name__
    return route


async def _not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error_response(MixtuiError(f"{request.method} is not allowed on {request.url.path}"), 405)
    if exc.status_code == 404:
        return error_response(NotFound(f"no such endpoint: {request.url.path}", hint="see /api/v1/openapi.json"))
    return error_response(MixtuiError(str(exc.detail)), exc.status_code)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(MixtuiError("internal error; see mixtui's log for details"), 500)


def build_app(
    core: ServeCore,
    keys: KeyRing,
    *,
    mcp: bool = True,
    host: str = "127.0.0.1",
    lifespan: Callable[[Starlette], contextlib.AbstractAsyncContextManager[None]] | None = None,
) -> ASGIApp:
    """The whole server as one ASGI app, guarded by API keys, the rate limit and request limits."""
    api = Api(core)
    routes = [
        Route("/api/v1/media/search", _wrap(api.search), methods=["POST"]),
        Route("/api/v1/playlists/generate", _wrap(api.generate), methods=["POST"]),
        Route("/api/v1/openapi.json", _wrap(api.openapi), methods=["GET"]),
        Route("/api/v1/playlists", _wrap(api.list_playlists), methods=["GET"]),
        Route("/api/v1/playlists", _wrap(api.create_playlist), methods=["POST"]),
        Route("/api/v1/playlists/{playlist}", _wrap(api.show_playlist), methods=["GET"]),
        Route("/api/v1/playlists/{playlist}/items", _wrap(api.add_items), methods=["POST"]),
        Route("/api/v1/playlists/{playlist}/reviews", _wrap(api.list_reviews), methods=["GET"]),
        Route("/api/v1/playlists/{playlist}/reviews", _wrap(api.add_review), methods=["POST"]),
        Route("/api/v1/history", _wrap(api.history), methods=["GET"]),
        Route("/api/v1/player", _wrap(api.now_playing), methods=["GET"]),
        Route("/api/v1/player/{command}", _wrap(api.player_command), methods=["POST"]),
    ]
    mcp_app: LazyMcpApp | None = None
    if mcp:
        mcp_app = LazyMcpApp(core, host=host)
        routes.append(Route("/mcp", endpoint=mcp_app))

    @contextlib.asynccontextmanager
    async def lifespan_all(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            if mcp_app is not None:
                stack.push_async_callback(mcp_app.aclose)
            if lifespan is not None:
                await stack.enter_async_context(lifespan(app))
            yield

    settings = core.root.settings.serve
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _not_found, Exception: _unexpected},
        lifespan=lifespan_all,
    )
    return Guard(
        app,
        keys=keys,
        limiter=RateLimiter(settings.rate_limit),
        max_body_bytes=settings.max_body_bytes,
        request_timeout=settings.request_timeout,
    )
