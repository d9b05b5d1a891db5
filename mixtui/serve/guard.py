"""What every request passes before a route sees it: the API key, the rate limit, the body's size and time.

:class:`Guard` is plain ASGI middleware around the whole app (the MCP transport included):

- ``Authorization: Bearer <key>`` is checked against the key ring once a key is configured
  (401 otherwise, with ``WWW-Authenticate: Bearer``); revoking every key closes the server
  rather than opening it; an open server (loopback, no key yet) still refuses web pages
  (a foreign ``Origin``) and other host names (DNS rebinding);
- each key (or, on an open loopback server, each client address) gets ``rate_limit`` requests a
  minute from a token bucket; past it, 429 with ``Retry-After``;
- a body larger than ``max_body_bytes`` is refused (413), whether announced by ``Content-Length``
  or found while reading;
- the body must arrive within ``request_timeout`` seconds of the request (408), so a client
  trickling bytes cannot hold a connection; slow headers are cut by :mod:`mixtui.serve.runner`.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mixtui.errors import BadInput, MixtuiError
from mixtui.serve.keys import KeyRing

# Buckets kept for this many identities at most (oldest forgotten first).
MAX_TRACKED_CLIENTS = 10_000


class Unauthorized(MixtuiError):
    status = 401
    kind = "unauthorized"


class RequestTooLarge(BadInput):
    status = 413
    kind = "request_too_large"


class RequestTimedOut(BadInput):
    status = 408
    kind = "request_timeout"


class TooManyRequests(MixtuiError):
    status = 429
    kind = "rate_limited"

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def to_json(self) -> dict[str, object]:
        return {**super().to_json(), "retry_after": math.ceil(self.retry_after)}


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per identity: ``per_minute`` requests a minute, bursts up to that many."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def wait_for(self, identity: str) -> float:
        """0 when the request may go (a token is taken), else the seconds until one is free."""
        now = time.monotonic()
        bucket = self._buckets.get(identity)
        if bucket is None:
            bucket = self._buckets[identity] = _Bucket(self.capacity, now)
            if len(self._buckets) > MAX_TRACKED_CLIENTS:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(identity)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.refill)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.refill


LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


def _is_local(authority: str) -> bool:
    host = authority.rsplit("@", 1)[-1]
    host = host[: host.find("]") + 1] if host.startswith("[") else host.split(":", 1)[0]
    return host.lower() in LOCAL_NAMES


def check_local_caller(headers: Headers) -> None:
    """An open server serves programs on this computer, not web pages (cross-site requests, DNS rebinding).

    Unauthorized unless the Host is a loopback name and any Origin is a loopback page.
    """
    origin = headers.get("origin")
    origin_host = origin.split("://", 1)[-1] if origin else None
    if not _is_local(headers.get("host", "")) or (origin_host is not None and not _is_local(origin_host)):
        raise Unauthorized(
            "a request from a web page or by another name than 127.0.0.1 needs an API key",
            hint="create one with: mixtui serve keys add NAME",
        )


def bearer_token(headers: Headers) -> str | None:
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def send_error(send: Send, error: MixtuiError, status: int | None = None) -> None:
    """An error as the API's JSON body (``error``, ``status``, ``message``, ``hint``)."""
    code = status or error.status
    payload = {**error.to_json(), "status": code}
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    retry_after = getattr(error, "retry_after", None)
    if code == 429 and retry_after is not None:
        headers.append((b"retry-after", str(max(1, math.ceil(retry_after))).encode()))
    if code == 401:
        headers.append((b"www-authenticate", b'Bearer realm="mixtui"'))
    await send({"type": "http.response.start", "status": code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        keys: KeyRing,
        limiter: RateLimiter,
        max_body_bytes: int,
        request_timeout: float,
    ) -> None:
        self.app = app
        self.keys = keys
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes
        self.request_timeout = request_timeout
        # Once a key has been seen, every request needs one, even after the last is revoked:
        # revoking keys must never open the server.
        self.locked = keys.configured

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            identity = self._identify(scope, headers)
        except MixtuiError as error:
            await send_error(send, error)
            return
        wait = self.limiter.wait_for(identity)
        if wait > 0:
            await send_error(send, TooManyRequests(f"too many requests; retry after {math.ceil(wait)} s", wait))
            return
        announced = headers.get("content-length", "")
        if announced.isdigit() and int(announced) > self.max_body_bytes:
            await send_error(send, self._too_large())
            return
        await self._run(scope, receive, send)

    def _identify(self, scope: Scope, headers: Headers) -> str:
        if not self.locked and self.keys.configured:
            self.locked = True
        if not self.locked:
            check_local_caller(headers)
            client = scope.get("client")
            return f"address:{client[0] if client else '?'}"
        token = bearer_token(headers)
        if token is None:
            raise Unauthorized("missing API key", hint="send Authorization: Bearer <key>")
        key = self.keys.verify(token)
        if key is None:
            raise Unauthorized("invalid API key", hint="mixtui serve keys list shows the configured keys")
        scope.setdefault("state", {})["api_key"] = key.name
        return f"key:{key.name}"

    def _too_large(self) -> RequestTooLarge:
        return RequestTooLarge(f"request body too large (at most {self.max_body_bytes} bytes)")

    async def _run(self, scope: Scope, receive: Receive, send: Send) -> None:
        deadline = time.monotonic() + self.request_timeout
        received = 0
        body_done = False
        started = False
        failure: MixtuiError | None = None

        async def guarded_receive() -> Message:
            nonlocal received, body_done, failure
            if body_done:
                return await receive()
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    message = await receive()
            except TimeoutError:
                failure = RequestTimedOut(f"the request body did not arrive within {self.request_timeout:g} s")
                raise failure from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    failure = self._too_large()
                    raise failure
                body_done = not message.get("more_body", False)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, guarded_receive, tracked_send)
        except (RequestTimedOut, RequestTooLarge) as error:
            if not started:
                await send_error(send, error)
        except Exception:
            if failure is None:
                raise
            if not started:
                await send_error(send, failure)
