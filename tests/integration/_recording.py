"""A real-HTTP transport that remembers what went over the wire, on either wire generation.

Each POST is recorded as a `Sent` (path, seq_id, number of datums, content type, forward_only), read from
a JSON body or from a protobuf `ForwardBackwardRequest` (zstd-compressed or not).
"""

from __future__ import annotations

import json

import attrs
import httpx
import zstandard
from tinker_ext_raw.proto import tinker_public_pb2 as pb


@attrs.frozen
class Sent:
    path: str
    seq_id: int | None
    datums: int
    content_type: str
    forward_only: bool | None = None

    @property
    def endpoint(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def _read(request: httpx.Request) -> Sent:
    content_type = request.headers.get("content-type", "")
    path = request.url.path
    if request.method != "POST" or not request.content:
        return Sent(path, None, 0, content_type)
    if "application/x-protobuf" in content_type:
        content = request.content
        if request.headers.get("content-encoding") == "zstd":
            content = zstandard.ZstdDecompressor().decompress(content)
        message = pb.ForwardBackwardRequest.FromString(content)
        return Sent(path, message.seq_id, len(message.data), content_type, message.forward_only)
    body = json.loads(request.content)
    if not isinstance(body, dict):
        return Sent(path, None, 0, content_type)
    inner = body.get("forward_input") or body.get("forward_backward_input") or {}
    forward_only = None if not inner else path.endswith("/forward")
    return Sent(path, body.get("seq_id"), len(inner.get("data", [])), content_type, forward_only)


class RecordingTransport(httpx.AsyncBaseTransport):
    """Real HTTP; `sent` lists every request in the order it hit the wire."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.sent: list[Sent] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(_read(request))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def passes(self, *, forward_only: bool) -> list[Sent]:
        """The forward (or forward_backward) requests, on whichever route and wire they went."""
        return [s for s in self.sent if s.forward_only is forward_only and s.datums]
