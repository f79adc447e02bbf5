"""Size and time limits of a client, and the bounded reading of response bodies.

Every response (JSON or binary) is read as a stream by `read_body`: the bytes on the wire count against
`max_response_bytes`, and a gzip/deflate body is inflated here in bounded steps, counting against
`max_decompressed_bytes` and `max_decompression_ratio`, so a compression bomb stops after a few MB. Each
attempt (connect, send, headers and the whole body, redirects included) runs under `attempt_timeout`, so
a server that trickles bytes or headers cannot hold a call forever. A breach is a `LimitExceededError`
naming the limit and how to raise it; it is not retried.

What a result answer decodes into is bounded by its request (`_wire.answer_checks`) and by
`max_answer_values`, checked on the answer's counts before any value is converted.

The input caps bound what a call may send; they are checked before anything is sent (`_wire.validation`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

import attrs
import httpx

from tinker_ext._core.exceptions import APIResponseValidationError, InvalidInputError, LimitExceededError
from tinker_ext.types.session import ClientConfigResponse

__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_MAX_CHUNK_DATUMS",
    "DEFAULT_MAX_CHUNK_NUMBERS",
    "ChunkLimits",
    "Limits",
    "check_declared_length",
    "read_body",
    "read_stream",
    "result_bytes_cap",
    "within_attempt_timeout",
]

T = TypeVar("T")

MiB = 1 << 20
ACCEPT_ENCODING = "gzip, deflate"  # what read_body can inflate; nothing else is advertised
_RATIO_FLOOR = 8 * MiB  # small bodies may compress extremely well (e.g. all-zero arrays): no ratio check
_STEP = 1 * MiB  # inflate at most this much per step


def _positive(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidInputError(f"Limits.{attribute.name} must be a positive number, got {value!r}")


@attrs.frozen
class Limits:
    """Limits of one client. Pass `ServiceClient(limits=Limits(...))` (also RestClient/AdminClient).

    The defaults fit real training traffic (a forward_backward result of tens of MB, long prompts,
    large sample batches) and stop hostile or broken servers and runaway inputs.
    """

    # -- responses
    max_response_bytes: int = attrs.field(default=256 * MiB, validator=_positive)  # bytes on the wire
    max_decompressed_bytes: int = attrs.field(default=512 * MiB, validator=_positive)
    max_decompression_ratio: float = attrs.field(default=200.0, validator=_positive)  # past 8 MiB
    attempt_timeout: float = attrs.field(default=300.0, validator=_positive)  # seconds per HTTP attempt
    # values (tokens, logprobs, top-k entries, tensor elements) one result answer may decode into, on top
    # of the budget its request implies (`_wire.answer_checks`); counted before anything is converted
    max_answer_values: int = attrs.field(default=1 << 25, validator=_positive)
    # -- inputs (checked at the call, before anything is sent)
    max_input_tokens: int = attrs.field(default=1 << 20, validator=_positive)  # per datum / prompt
    max_sample_tokens: int = attrs.field(default=1 << 20, validator=_positive)  # SamplingParams.max_tokens
    max_num_samples: int = attrs.field(default=4096, validator=_positive)
    max_topk_prompt_logprobs: int = attrs.field(default=1024, validator=_positive)
    # -- pipelining: estimated bytes of forward/forward_backward chunks sent and not yet answered, per
    # ServiceClient (0.38's dispatch budget is 50 MB too). One chunk larger than this still goes, alone.
    max_fwdbwd_bytes_in_flight: int = attrs.field(default=50_000_000, validator=_positive)

    def breach(self, limit: str, detail: str) -> LimitExceededError:
        """The error for a breach of `limit` (no request attached: it would carry the key header)."""
        value = getattr(self, limit)
        return LimitExceededError(
            f"{detail}: limit {limit}={value} exceeded. If this is expected, raise it with "
            f"ServiceClient(limits=tinker_ext.Limits({limit}=...)).",
            limit=limit,
        )


def _what(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"


def _inflater(encoding: str, what: str) -> zlib._Decompress | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()  # zlib-wrapped (RFC 9110); a raw stream is detected below
    raise APIResponseValidationError(
        message=f"The response to {what} uses Content-Encoding {encoding!r}, which was not "
        f"requested (we accept {ACCEPT_ENCODING})",
        expected=ACCEPT_ENCODING,
    )


# The most bytes a result body may have in this context: set around a result poll by `result_bytes_cap`
# (the request's budget, `_wire.answer_checks`), None elsewhere.
_RESULT_CAP: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "tinker_ext_result_cap", default=None
)


@contextlib.contextmanager
def result_bytes_cap(cap: int | None) -> Iterator[None]:
    """2xx bodies read in this context longer than `cap` bytes (on the wire or inflated) are refused as
    they arrive: a result larger than its request can produce is never held whole."""
    token = _RESULT_CAP.set(cap)
    try:
        yield
    finally:
        _RESULT_CAP.reset(token)


def _result_cap(status_code: int) -> int | None:
    """The cap of this body: only a 2xx answer is a result (an error page is read as before)."""
    return _RESULT_CAP.get() if 200 <= status_code < 300 else None


def _check_result_cap(size: int, cap: int | None, what: str) -> None:
    if cap is not None and size > cap:
        raise LimitExceededError(
            f"The response to {what} is larger than its request can produce ({cap} bytes); "
            "refused before decoding it.",
            limit="request_budget",
        )


class _Inflated:
    """Bounded inflation of one body."""

    def __init__(self, limits: Limits, what: str, status_code: int, encoding: str) -> None:
        self.limits = limits
        self.what = what
        self.encoding = encoding
        self.inflater = _inflater(encoding, what)
        self.cap = _result_cap(status_code)
        self.raw = 0
        self.size = 0
        self.parts: list[bytes] = []

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        _check_result_cap(self.size, self.cap, self.what)
        limits = self.limits
        if self.size > limits.max_decompressed_bytes:
            raise limits.breach(
                "max_decompressed_bytes",
                f"The {self.encoding} response to {self.what} inflates past "
                f"{limits.max_decompressed_bytes} bytes",
            )
        if self.size > _RATIO_FLOOR and self.size > limits.max_decompression_ratio * max(self.raw, 1):
            raise limits.breach(
                "max_decompression_ratio",
                f"The {self.encoding} response to {self.what} inflated {self.raw} bytes to "
                f"more than {self.size} (a compression bomb?)",
            )
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        self.raw += len(chunk)
        if self.raw > self.limits.max_response_bytes:
            raise self.limits.breach(
                "max_response_bytes",
                f"The response to {self.what} is larger than {self.limits.max_response_bytes} bytes",
            )
        if self.inflater is None:
            self.parts.append(chunk)
            self.size += len(chunk)
            _check_result_cap(self.size, self.cap, self.what)
            return
        data = chunk
        while data:
            try:
                out = self.inflater.decompress(data, _STEP)
            except zlib.error:
                if self.encoding == "deflate" and self.size == 0 and not self.parts:
                    self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
                    out = self.inflater.decompress(data, _STEP)
                else:
                    raise
            self._add(out)
            data = self.inflater.unconsumed_tail

    def finish(self) -> bytes:
        if self.inflater is not None:
            while True:
                out = self.inflater.flush(_STEP) if not self.inflater.eof else b""
                if not out:
                    break
                self._add(out)
        return b"".join(self.parts)


def check_declared_length(status_code: int, headers: Any, limits: Limits, what: str) -> None:
    """Refuse a body by its Content-Length before reading it (too big for the limits or for the request's
    budget). `headers`: a case-insensitive mapping (httpx's or aiohttp's)."""
    declared = headers.get("Content-Length", "")
    if not declared.isdigit():
        return
    if int(declared) > limits.max_response_bytes:
        raise limits.breach("max_response_bytes", f"The response to {what} announces {declared} bytes")
    if headers.get("Content-Encoding", "").strip().lower() in ("", "identity"):
        _check_result_cap(int(declared), _result_cap(status_code), what)


async def read_stream(
    chunks: AsyncIterator[bytes], status_code: int, encoding: str, limits: Limits, what: str
) -> bytes:
    """The body of `chunks` (raw bytes on the wire, `encoding` = its Content-Encoding) within the limits,
    inflated; the shared reader of `read_body` and the direct path of `_wire.http`."""
    encoding = encoding.strip().lower()
    try:
        body = _Inflated(limits, what, status_code, encoding)
        async for chunk in chunks:
            body.feed(chunk)
        return body.finish()
    except zlib.error as exc:
        raise APIResponseValidationError(
            message=f"The {encoding} response to {what} is corrupt: {exc}",
            expected=f"a valid {encoding} stream",
        ) from None


async def read_body(response: httpx.Response, limits: Limits) -> httpx.Response:
    """Read a streamed response within the limits; return a plain response holding the decoded body
    (Content-Encoding removed, since the body is decoded)."""
    what = _what(response.request)
    try:
        check_declared_length(response.status_code, response.headers, limits, what)
    except LimitExceededError:
        await response.aclose()
        raise
    if response.is_stream_consumed:  # an in-memory response (e.g. httpx.MockTransport): already decoded
        size = len(response.content)
        _check_result_cap(size, _result_cap(response.status_code), what)
        if size > limits.max_response_bytes:
            raise limits.breach(
                "max_response_bytes",
                f"The response to {what} is larger than {limits.max_response_bytes} bytes",
            )
        return response
    encoding = response.headers.get("Content-Encoding", "")
    try:
        content = await read_stream(response.aiter_raw(), response.status_code, encoding, limits, what)
    finally:
        await response.aclose()
    dropped = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in dropped]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=content,
        request=response.request,
        extensions=response.extensions,
    )


async def within_attempt_timeout(limits: Limits, what: str, attempt: Callable[[], Awaitable[T]]) -> T:
    """Run one attempt (`what`: "METHOD /path") under `limits.attempt_timeout` (connect, send, headers and
    body together)."""
    try:
        async with asyncio.timeout(limits.attempt_timeout):
            return await attempt()
    except TimeoutError:
        raise limits.breach(
            "attempt_timeout",
            f"{what} did not complete (connect, headers and body) within {limits.attempt_timeout} s",
        ) from None


# forward/forward_backward chunking (planned by _training.chunking); the session keeps the limits its
# server publishes in client/config
DEFAULT_MAX_CHUNK_DATUMS = 128
DEFAULT_MAX_CHUNK_NUMBERS = 500_000


@attrs.frozen
class ChunkLimits:
    """Per-request limits. `max_bytes` is only set when a server publishes a byte budget."""

    max_datums: int = DEFAULT_MAX_CHUNK_DATUMS
    max_numbers: int = DEFAULT_MAX_CHUNK_NUMBERS
    max_bytes: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.max_datums < 1 or self.max_numbers < 1 or (self.max_bytes is not None and self.max_bytes < 1):
            raise InvalidInputError(f"chunk limits must be positive: {self}")

    @classmethod
    def from_client_config(cls, config: ClientConfigResponse | None) -> ChunkLimits:
        """Mission defaults, overridden by the limits a server publishes in `client/config`."""
        if config is None:
            return cls()
        published = config.model_fields_set  # the spec's defaults (0.38's) are not a server's limits
        return cls(
            max_datums=config.fwdbwd_max_chunk_len
            if "fwdbwd_max_chunk_len" in published
            else DEFAULT_MAX_CHUNK_DATUMS,
            max_bytes=config.fwdbwd_max_chunk_bytes_count
            if "fwdbwd_max_chunk_bytes_count" in published
            else None,
        )
