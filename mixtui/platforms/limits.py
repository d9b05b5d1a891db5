"""Bounded time and memory for every platform request: one deadline, one size cap per answer.

httpx's timeouts bound each read, so a server that trickles one byte every half second
never trips them. :class:`LimitedTransport` wraps the shared client's transport and gives
every request a total deadline (``[search] timeout``: connect, headers and the whole body)
and a cap on the body read for the kind of answer (pages, JSON, images), counted after
gzip/deflate decoding, so a small compressed answer cannot expand past it. Exceeding either
raises an ``httpx`` error, so every caller's existing error mapping turns it into a clear
``PlatformTimeout`` / ``PlatformError``.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator
from types import MappingProxyType

import httpx

MB = 1024 * 1024
# The most mixtui reads of one answer, by what the answer is (its Content-Type).
BODY_LIMITS = MappingProxyType(
    {
        "page": 16 * MB,  # HTML and scripts: a YouTube results page is about 1 MB
        "json": 16 * MB,  # API answers: a full Mixcloud or SoundCloud page is well under 1 MB
        "image": 5 * MB,  # cover art
        "other": 16 * MB,
    }
)


ACCEPTED_ENCODINGS = "gzip, deflate"


def _decoder_for(encoding: str) -> zlib._Decompress | None:
    """A zlib decompressor for a Content-Encoding this module decodes, else None."""
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    return None


def answer_kind(content_type: str | None) -> str:
    """``page``, ``json``, ``image`` or ``other`` for a Content-Type header."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type.endswith(("/json", "+json")):
        return "json"
    if media_type.startswith("image/"):
        return "image"
    if media_type.startswith("text/") or media_type.endswith(("javascript", "xhtml+xml", "/xml")):
        return "page"
    return "other"


class DeadlineExceeded(httpx.TimeoutException):
    """The whole request (connect, headers, body) took longer than its deadline."""


class AnswerTooLarge(httpx.TransportError):
    """The answer's body is larger than mixtui reads for its kind."""


def _too_large(kind: str, request: httpx.Request) -> AnswerTooLarge:
    limit = BODY_LIMITS[kind]
    noun = {"page": "page", "json": "JSON answer", "image": "image"}.get(kind, "answer")
    return AnswerTooLarge(f"the {noun} is larger than {limit // MB} MB; mixtui reads no more", request=request)


class _LimitedStream(httpx.AsyncByteStream):
    """The body as it arrives, within the deadline; gzip/deflate decoded here, so the cap
    counts what the answer becomes (a small compressed bomb cannot expand past it)."""

    def __init__(
        self,
        inner: httpx.AsyncByteStream,
        *,
        deadline: float,
        seconds: float,
        kind: str,
        encoding: str,
        request: httpx.Request,
    ) -> None:
        self._inner = inner
        self._deadline = deadline
        self._seconds = seconds
        self._kind = kind
        self._request = request
        self._encoding = encoding
        self._decoder = _decoder_for(encoding)
        self._raw_deflate_untried = True

    async def __aiter__(self) -> AsyncIterator[bytes]:
        limit = BODY_LIMITS[self._kind]
        received = 0
        chunks = self._inner.__aiter__()
        while True:
            try:
                async with asyncio.timeout_at(self._deadline):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise DeadlineExceeded(
                    f"the answer was still incomplete after {self._seconds:g} s", request=self._request
                ) from None
            chunk = self._decoded(chunk, limit - received)
            received += len(chunk)
            if received > limit:
                raise _too_large(self._kind, self._request)
            if chunk:
                yield chunk
        if self._decoder is not None:
            rest = self._decoder.flush()
            if received + len(rest) > limit:
                raise _too_large(self._kind, self._request)
            if rest:
                yield rest

    def _decoded(self, chunk: bytes, room: int) -> bytes:
        """``chunk`` decoded, never more than ``room`` + 1 bytes of it (enough to see the cap passed)."""
        if self._decoder is None:
            return chunk
        try:
            data = self._decoder.decompress(chunk, room + 1)
        except zlib.error as error:
            if self._encoding == "deflate" and not self._decoder.eof and self._raw_deflate_untried:
                # Some servers send raw deflate without the zlib header: read it again as that.
                self._raw_deflate_untried = False
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                return self._decoded(chunk, room)
            raise httpx.DecodingError(
                f"the {self._encoding} answer is damaged ({error})", request=self._request
            ) from None
        self._raw_deflate_untried = False
        return data  # room + 1 bytes when more was waiting: the caller sees the cap passed

    async def aclose(self) -> None:
        await self._inner.aclose()


class LimitedTransport(httpx.AsyncBaseTransport):
    """Wraps a transport: a total deadline per request and a body cap per kind of answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, seconds: float) -> None:
        self._inner = inner
        self.seconds = seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        deadline = asyncio.get_running_loop().time() + self.seconds
        # Only encodings the stream can decode within the cap (httpx would add br when installed).
        request.headers["Accept-Encoding"] = ACCEPTED_ENCODINGS
        try:
            async with asyncio.timeout_at(deadline):
                response = await self._inner.handle_async_request(request)
        except TimeoutError:
            raise DeadlineExceeded(f"nothing within {self.seconds:g} s", request=request) from None
        kind = answer_kind(response.headers.get("content-type"))
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > BODY_LIMITS[kind]:
            await response.aclose()
            raise _too_large(kind, request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        headers = response.headers.copy()
        encoding = headers.get("content-encoding", "").strip().lower()
        if _decoder_for(encoding) is not None:
            del headers["content-encoding"]  # decoded by the stream below, not by httpx
            headers.pop("content-length", None)
        stream = _LimitedStream(
            response.stream, deadline=deadline, seconds=self.seconds, kind=kind, encoding=encoding, request=request
        )
        return httpx.Response(
            status_code=response.status_code, headers=headers, stream=stream, extensions=response.extensions
        )

    async def aclose(self) -> None:
        await self._inner.aclose()
