"""A small HTTP server on 127.0.0.1 that replays payloads and scripts faults.

Tests and benchmarks point mixtui's configurable base URLs at it. Routes are keyed on
method + path; a handler gets the parsed request and returns a :class:`Reply`. Faults
(status codes, ``Retry-After``, latency, truncated bodies, a connection that stalls) are
either returned by handlers or forced for the next requests with :meth:`ReplayServer.force`.

The server stops by itself after ``lifetime`` seconds or ``max_requests`` requests, so a
test that forgets it can never leave a server running.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    # Seconds to wait before answering (injected latency or a timeout when long enough).
    delay: float = 0.0
    # Send only the first N bytes of the body but announce its full length (a torn answer).
    truncate: int | None = None
    # Send the body one byte every ``trickle`` seconds (a server that never trips a read timeout).
    trickle: float | None = None
    # Send the body this many times over, with no Content-Length (a huge or endless answer).
    repeat: int | None = None

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode(), self.content_type or "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), self.content_type or "text/html; charset=utf-8"
        return self.body, self.content_type or "application/octet-stream"


Handler = Callable[[Request], Reply]


def file_reply(path: Path, *, status: int = 200, content_type: str | None = None) -> Reply:
    """A reply whose body is a file's bytes; the type follows the extension."""
    if content_type is None:
        content_type = "application/json" if path.suffix == ".json" else "text/html; charset=utf-8"
    return Reply(status=status, body=path.read_bytes(), content_type=content_type)


class QuietHandler(BaseHTTPRequestHandler):
    """A keep-alive HTTP/1.1 handler for loopback test servers: silent, and without Nagle's stall."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm
        # and the client's delayed ACK add ~40 ms to every answer on loopback.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class ReplayServer:
    """One loopback HTTP server; use as a context manager or call start()/stop()."""

    def __init__(self, name: str = "replay", *, lifetime: float = 300.0, max_requests: int = 20_000) -> None:
        self.name = name
        self.lifetime = lifetime
        self.max_requests = max_requests
        self.requests: list[Request] = []
        # Latency added to every reply (benchmarks inject per-platform latency with it).
        self.delay = 0.0
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._forced: list[tuple[Reply, int | None, str | None]] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._deadline_timer: threading.Timer | None = None
        self._address: tuple[str, int] | None = None

    # -- routing -------------------------------------------------------------------------
    def route(self, method: str, path: str, handler: Handler | Reply, *, first: bool = False) -> None:
        """Answer ``method path`` (a regex matched against the whole path) with a handler.

        Routes are tried in order; ``first`` puts this one before those already installed.
        """
        fn: Handler = handler if callable(handler) else (lambda _request, _reply=handler: _reply)
        entry = (method.upper(), re.compile(path), fn)
        if first:
            self._routes.insert(0, entry)
        else:
            self._routes.append(entry)

    def force(self, reply: Reply, *, times: int | None = 1, path: str | None = None) -> None:
        """Answer the next ``times`` requests (all, if None) with ``reply``, whatever the route."""
        with self._lock:
            self._forced.append((reply, times, path))

    def clear_forced(self) -> None:
        with self._lock:
            self._forced.clear()

    def _forced_reply(self, path: str) -> Reply | None:
        with self._lock:
            for index, (reply, times, only_path) in enumerate(self._forced):
                if only_path is not None and not re.fullmatch(only_path, path):
                    continue
                if times is not None:
                    if times <= 1:
                        del self._forced[index]
                    else:
                        self._forced[index] = (reply, times - 1, only_path)
                return reply
        return None

    def dispatch(self, request: Request) -> Reply:
        forced = self._forced_reply(request.path)
        if forced is not None:
            return forced
        for method, pattern, handler in self._routes:
            if method == request.method and pattern.fullmatch(request.path):
                return handler(request)
        return Reply(status=404, body={"error": {"message": f"no route for {request.method} {request.path}"}})

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._address is not None, "server not started"
        host, port = self._address
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        server = self

        class _Handler(QuietHandler):
            def _handle(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    method=self.command,
                    path=parsed.path,
                    query=dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                with server._lock:
                    server.requests.append(request)
                    over_budget = len(server.requests) > server.max_requests
                reply = Reply(status=503, body=b"request budget spent") if over_budget else server.dispatch(request)
                wait = reply.delay + server.delay
                if wait:
                    time.sleep(min(wait, server.lifetime))
                payload, content_type = reply.encoded()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", content_type)
                    if reply.repeat is None:
                        self.send_header("Content-Length", str(len(payload)))
                    else:
                        self.send_header("Connection", "close")
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    if self.command == "HEAD":
                        pass
                    elif reply.trickle is not None:
                        self._trickle(payload if reply.truncate is None else payload[: reply.truncate], reply.trickle)
                    elif reply.repeat is not None:
                        self._repeat(payload, reply.repeat)
                    else:
                        self.wfile.write(payload if reply.truncate is None else payload[: reply.truncate])
                    if reply.truncate is not None or reply.repeat is not None:
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def _trickle(self, payload: bytes, interval: float) -> None:
                """One byte per ``interval`` until the body, or the server's life, ends."""
                stop_at = time.monotonic() + server.lifetime
                for index in range(len(payload)):
                    if server._httpd is None or time.monotonic() > stop_at:
                        break
                    self.wfile.write(payload[index : index + 1])
                    self.wfile.flush()
                    time.sleep(interval)

            def _repeat(self, payload: bytes, times: int) -> None:
                stop_at = time.monotonic() + server.lifetime
                for _ in range(times):
                    if server._httpd is None or time.monotonic() > stop_at:
                        break
                    self.wfile.write(payload)

            do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _handle

        class _Server(ThreadingHTTPServer):
            # A real service accepts many connections at once; socketserver's default backlog
            # of 5 drops the SYNs of a burst (a generation opens ten at once) for a retry later.
            request_queue_size = 128

            def handle_error(self, request: Any, client_address: Any) -> None:
                # A client that hangs up early (a cancelled search, yt-dlp probing) is not news.
                return

        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        host, port = self._httpd.server_address[:2]
        self._address = (str(host), int(port))
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        self._deadline_timer = threading.Timer(self.lifetime, self.stop)
        self._deadline_timer.daemon = True
        self._deadline_timer.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if self._deadline_timer is not None:
            self._deadline_timer.cancel()
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
