"""A raw-socket HTTP server on 127.0.0.1 for hostile-server tests (trickling, silent, bombs, redirects).

Each connection is served on its own thread: the request head and body are read and recorded, then the
test's `handler(conn, request)` writes whatever bytes it likes (a well-formed answer or not). `sent`
counts the body bytes handlers managed to write, so tests can bound how much the client read.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import attrs
import httpx


@attrs.define
class RawRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Handler = Callable[[socket.socket, RawRequest], None]


class RawServer:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[RawRequest] = []
        self.sent = 0
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = int(self._sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed.set()
        self._sock.close()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        try:
            request = _read_request(conn)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
            self.handler(conn, request)
        except OSError:
            pass
        finally:
            conn.close()

    def send(self, conn: socket.socket, data: bytes) -> None:
        """Write `data`, counting what the peer accepted (raises OSError once the client hung up)."""
        conn.sendall(data)
        with self._lock:
            self.sent += len(data)


def _read_request(conn: socket.socket) -> RawRequest | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return RawRequest(method, path, headers, rest[:length])


def response_head(status: int = 200, headers: dict[str, str] | None = None) -> bytes:
    # One request per connection: say so, or the client would reuse a socket the server closes.
    all_headers = {"Connection": "close", **(headers or {})}
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def json_answer(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> bytes:
    all_headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), **(headers or {})}
    return response_head(status, all_headers) + body


def chunked(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """HTTP/1.1 chunked framing of `pieces` (no terminating chunk: an endless body until we stop)."""
    for piece in pieces:
        yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


class Serving:
    """A handler answering each request with `handle` (e.g. a FakeTinker's): its whole answer, framed by
    Content-Length or, with `chunked_framing`, in 1 MB chunks (no length known in advance). `sent`
    counts the body bytes the client accepted."""

    def __init__(
        self, handle: Callable[[httpx.Request], httpx.Response], *, chunked_framing: bool = False
    ) -> None:
        self.handle = handle
        self.chunked_framing = chunked_framing
        self.sent = 0
        self._lock = threading.Lock()

    def __call__(self, conn: socket.socket, raw: RawRequest) -> None:
        request = httpx.Request(
            raw.method, f"http://127.0.0.1{raw.path}", headers=raw.headers, content=raw.body
        )
        response = self.handle(request)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        content = b"".join(response.stream)  # as given: still gzip-encoded when it says so
        step = 1 << 20
        pieces = (content[i : i + step] for i in range(0, len(content), step))
        if not self.chunked_framing:
            conn.sendall(
                response_head(response.status_code, {**headers, "Content-Length": str(len(content))})
            )
            for piece in pieces:
                self._send(conn, piece, len(piece))
            return
        conn.sendall(response_head(response.status_code, {**headers, "Transfer-Encoding": "chunked"}))
        for piece in pieces:
            self._send(conn, f"{len(piece):x}\r\n".encode() + piece + b"\r\n", len(piece))
        conn.sendall(b"0\r\n\r\n")

    def _send(self, conn: socket.socket, data: bytes, body_bytes: int) -> None:
        conn.sendall(data)
        with self._lock:
            self.sent += body_bytes
