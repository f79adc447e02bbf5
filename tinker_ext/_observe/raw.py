"""Raw HTTP responses in the official SDK's shape: `APIResponse` (and `AsyncAPIResponse`, the same with
awaitable readers). They wrap a response the SDK already read (whole body in memory, key header and any
echoed key removed): status, headers, URL, method, time taken, retries taken, the body, and `parse()`,
the typed answer of the call (or the decoded JSON for a response that was not the call's last)."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Generic, TypeVar

import httpx
import orjson

__all__ = ["APIResponse", "AsyncAPIResponse", "BaseAPIResponse"]

R = TypeVar("R")


class BaseAPIResponse(Generic[R]):
    """What both kinds share: the HTTP metadata of one response."""

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        retries_taken: int,
        elapsed: float,
        operation: str | None,
        parse: Callable[[], R] | None = None,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self.operation = operation
        self._elapsed = elapsed
        self._parse = parse

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        """Time of the attempt that got this response (sending to the end of the body)."""
        return datetime.timedelta(seconds=self._elapsed)

    @property
    def is_closed(self) -> bool:
        return True  # the SDK reads every body whole before anything sees it

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def _set_parsed(self, value: R) -> None:
        """`parse()` returns `value` (the result of the call this response ended)."""
        self._parse = _Constant(value)

    def _parsed(self) -> R:
        if self._parse is not None:
            return self._parse()
        return self._json()  # type: ignore[return-value]

    def _json(self) -> object:
        return orjson.loads(self.http_response.content)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} [{self.status_code} {self.http_response.reason_phrase}] "
            f"{self.method} {self.url.path} retries_taken={self.retries_taken}>"
        )


class _Constant(Generic[R]):
    __slots__ = ("value",)

    def __init__(self, value: R) -> None:
        self.value = value

    def __call__(self) -> R:
        return self.value


class APIResponse(BaseAPIResponse[R]):
    def parse(self) -> R:
        """The answer of the call this response ended (typed); else its JSON body decoded."""
        return self._parsed()

    def read(self) -> bytes:
        return self.content

    def text(self) -> str:
        return self.http_response.text

    def json(self) -> object:
        return self._json()

    def close(self) -> None:
        """Nothing to release: the body was read whole."""

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield from self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        yield from self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        yield from self.http_response.iter_lines()


class AsyncAPIResponse(BaseAPIResponse[R]):
    async def parse(self) -> R:
        return self._parsed()

    async def read(self) -> bytes:
        return self.content

    async def text(self) -> str:
        return self.http_response.text

    async def json(self) -> object:
        return self._json()

    async def close(self) -> None:
        """Nothing to release: the body was read whole."""

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        for chunk in self.http_response.iter_bytes(chunk_size):
            yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        for chunk in self.http_response.iter_text(chunk_size):
            yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        for line in self.http_response.iter_lines():
            yield line


def as_async(response: APIResponse[Any]) -> AsyncAPIResponse[Any]:
    return AsyncAPIResponse(
        response.http_response,
        retries_taken=response.retries_taken,
        elapsed=response._elapsed,
        operation=response.operation,
        parse=response._parse,
    )
