"""Signing in to Mixcloud: OAuth2's authorization-code flow as the Mixcloud API document describes it.

1. The browser goes to ``<base_url>/oauth/authorize?client_id=…&redirect_uri=…``.
2. Mixcloud sends it back to ``redirect_uri?code=…``; mixtui serves that one redirect itself
   on ``http://127.0.0.1:<redirect_port>/mixcloud/callback`` (:class:`LoopbackRedirect`).
3. The code goes to ``<base_url>/oauth/access_token`` with the client secret, which answers
   the access token (JSON ``{"access_token": …}`` or the form ``access_token=…``).

The client id is ``[platforms.mixcloud] client_id``; the secret is read from the environment
variable ``MIXCLOUD_CLIENT_SECRET`` when it is needed and never stored or shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import httpx

from mixtui.config import Settings
from mixtui.errors import BadInput, PlatformAuthError, PlatformError, PlatformTimeout
from mixtui.platforms.base import send
from mixtui.text import load_json

if TYPE_CHECKING:
    from mixtui.account.mixcloud import Me, MixcloudAccount

PLATFORM = "mixcloud"
SECRET_ENV = "MIXCLOUD_CLIENT_SECRET"
CALLBACK_PATH = "/mixcloud/callback"
LOGIN_TIMEOUT = 300.0
REGISTER_HINT = (
    "register an app at https://www.mixcloud.com/developers/create/ (see the README, 'Your Mixcloud account')"
)
# Requests the loopback listener answers before giving up on a confused browser (favicons, retries).
MAX_LOOPBACK_REQUESTS = 20


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self.client_id!r}, client_secret='***')"


def client_credentials(settings: Settings) -> ClientCredentials:
    """The registered app's id (config) and secret (environment); BadInput naming what is missing."""
    client_id = (settings.platforms.mixcloud.client_id or "").strip()
    secret = os.environ.get(SECRET_ENV, "").strip()
    if not client_id:
        raise BadInput("no Mixcloud app is configured: set [platforms.mixcloud] client_id", hint=REGISTER_HINT)
    if not secret:
        raise BadInput(
            f"the Mixcloud app's secret is missing: set the environment variable {SECRET_ENV}", hint=REGISTER_HINT
        )
    return ClientCredentials(client_id, secret)


def redirect_uri_for(port: int) -> str:
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


def authorize_url(settings: Settings, client_id: str, redirect_uri: str) -> str:
    base = settings.platforms.mixcloud.base_url.rstrip("/")
    return f"{base}/oauth/authorize?{urlencode({'client_id': client_id, 'redirect_uri': redirect_uri})}"


async def exchange_code(
    http: httpx.AsyncClient, settings: Settings, credentials: ClientCredentials, code: str, redirect_uri: str
) -> str:
    """The access token for an authorization code; PlatformAuthError when Mixcloud refuses it."""
    code = code.strip()
    if not code or any(character.isspace() for character in code):
        raise BadInput("paste the code exactly as Mixcloud showed it (one word, no spaces)")
    base = settings.platforms.mixcloud.base_url.rstrip("/")
    params = {
        "client_id": credentials.client_id,
        "redirect_uri": redirect_uri,
        "client_secret": credentials.client_secret,
        "code": code,
    }
    try:
        response = await send(http, PLATFORM, "GET", f"{base}/oauth/access_token", params=params)
    except PlatformError as error:
        # OAuth answers a bad, used or expired code with 400 (invalid_grant) or 401.
        if not isinstance(error, PlatformAuthError) and "HTTP 400" not in error.message:
            raise
        raise PlatformAuthError(
            f"Mixcloud refused the login code ({_reason(error.message)})",
            platform=PLATFORM,
            hint="codes work once and expire quickly: run `mixtui mixcloud login` again",
        ) from None
    token, problem = parse_token_answer(response.text)
    if token is None:
        raise PlatformAuthError(
            f"Mixcloud did not give an access token: {problem}",
            platform=PLATFORM,
            hint="check client_id, MIXCLOUD_CLIENT_SECRET and the app's redirect URI, then log in again",
        )
    return token


def parse_token_answer(text: str) -> tuple[str | None, str]:
    """``(token, "")`` from a JSON or form-encoded answer, else ``(None, reason)``."""
    body = text.strip()
    values: dict[str, object] = {}
    with contextlib.suppress(ValueError):
        parsed = load_json(body)
        if isinstance(parsed, dict):
            values = parsed
    if not values:
        values = dict(parse_qsl(body))
    token = values.get("access_token")
    if isinstance(token, str) and token.strip() and not any(c.isspace() for c in token.strip()):
        return token.strip(), ""
    error = values.get("error")
    if isinstance(error, dict):
        error = error.get("message") or error.get("type")
    reason = values.get("error_description") or error or "the answer had no access_token"
    return None, str(reason)[:200]


def _reason(message: str) -> str:
    return message.split(": ", 1)[1] if ": " in message else message


# -- the loopback redirect ---------------------------------------------------------------------

DONE_PAGE = (
    "<!doctype html><meta charset=utf-8><title>mixtui</title>"
    "<body style='font-family:sans-serif;margin:3em'><h1>{title}</h1><p>{text}</p></body>"
)


class LoopbackRedirect:
    """Serves the one redirect back from Mixcloud on 127.0.0.1 and hands over its code.

    Use as ``async with LoopbackRedirect(port) as redirect: … code = await redirect.code(timeout)``.
    Port 0 picks a free port (``redirect.uri`` then names it).
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self._server: asyncio.Server | None = None
        self._result: asyncio.Future[str] | None = None
        self._requests = 0

    @property
    def uri(self) -> str:
        return redirect_uri_for(self.port)

    async def __aenter__(self) -> LoopbackRedirect:
        self._result = asyncio.get_running_loop().create_future()
        try:
            self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        except OSError as error:
            raise BadInput(
                f"cannot listen on 127.0.0.1:{self.port} for Mixcloud's redirect ({error.strerror})",
                hint="close what uses that port, or log in with `mixtui mixcloud login --code CODE`",
            ) from None
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
        if self._result is not None and not self._result.done():
            self._result.cancel()

    async def code(self, timeout: float = LOGIN_TIMEOUT) -> str:
        """The code Mixcloud sent back; PlatformAuthError when the user said no, timeout after ``timeout``."""
        assert self._result is not None, "use LoopbackRedirect as an async context manager"
        try:
            return await asyncio.wait_for(asyncio.shield(self._result), timeout)
        except TimeoutError:
            raise PlatformTimeout(
                f"no answer from the browser within {timeout:g} s; nothing was changed",
                platform=PLATFORM,
                hint="run `mixtui mixcloud login` again, or paste the code with --code",
            ) from None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._requests += 1
        try:
            request_line = await asyncio.wait_for(reader.readline(), 10)
            while (await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b"\n", b""):
                pass
            status, title, text = self._answer(request_line.decode("latin-1"))
            page = DONE_PAGE.format(title=html.escape(title), text=html.escape(text)).encode("utf-8")
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"Content-Length: {len(page)}\r\nConnection: close\r\n\r\n".encode("ascii")
                + page
            )
            await writer.drain()
        except (TimeoutError, ConnectionError, UnicodeDecodeError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    def _answer(self, request_line: str) -> tuple[str, str, str]:
        parts = request_line.split()
        target = parts[1] if len(parts) >= 2 else "/"
        url = urlsplit(target)
        result = self._result
        if url.path != CALLBACK_PATH or result is None:
            self._give_up_if_confused()
            return "404 Not Found", "Not here", "This address only takes Mixcloud's answer for mixtui."
        query = parse_qs(url.query)
        code = (query.get("code") or [""])[0].strip()
        if code and not result.done():
            result.set_result(code)
            return "200 OK", "Signed in", "mixtui has your Mixcloud answer. You can close this tab."
        error = (query.get("error") or [""])[0] or "no code in the answer"
        if not result.done():
            result.set_exception(
                PlatformAuthError(
                    f"Mixcloud did not sign you in: {error}",
                    platform=PLATFORM,
                    hint="run `mixtui mixcloud login` again",
                )
            )
        return "400 Bad Request", "Not signed in", f"Mixcloud did not give mixtui access ({error})."

    def _give_up_if_confused(self) -> None:
        result = self._result
        if self._requests >= MAX_LOOPBACK_REQUESTS and result is not None and not result.done():
            result.set_exception(
                PlatformError("the login page was called too often without an answer", platform=PLATFORM)
            )


# -- the whole sign-in -------------------------------------------------------------------------------


async def login_in_browser(
    account: MixcloudAccount,
    *,
    open_browser: Callable[[str], bool],
    announce: Callable[[str, bool], None],
    timeout: float = LOGIN_TIMEOUT,
) -> Me:
    """Open Mixcloud's authorize page, take the one redirect on 127.0.0.1, exchange the code, save the token.

    ``open_browser(url)`` says whether a browser was opened; ``announce(url, opened)`` tells the
    user where to go (the URL in full when no browser could be opened).
    """
    credentials = client_credentials(account.settings)
    async with LoopbackRedirect(account.settings.platforms.mixcloud.redirect_port) as redirect:
        url = authorize_url(account.settings, credentials.client_id, redirect.uri)
        opened = await asyncio.to_thread(open_browser, url)
        announce(url, opened)
        code = await redirect.code(timeout)
    return await finish_login(account, credentials, code, redirect.uri)


async def login_with_code(account: MixcloudAccount, code: str) -> Me:
    """Exchange a code obtained by hand (the redirect URI is the configured loopback one)."""
    credentials = client_credentials(account.settings)
    port = account.settings.platforms.mixcloud.redirect_port
    return await finish_login(account, credentials, code, redirect_uri_for(port))


async def finish_login(account: MixcloudAccount, credentials: ClientCredentials, code: str, redirect_uri: str) -> Me:
    token = await exchange_code(account.http, account.settings, credentials, code, redirect_uri)
    account.store.save(token)
    return await account.me()
