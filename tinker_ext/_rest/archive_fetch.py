"""Resumable, verified download of one archive URL into a `.part` file.

`fetch_resumable` GETs the archive into `part` (appending to the bytes already there):

- **Resume.** After a connection reset, a body that ends before its announced size, or a stalled read,
  the next attempt sends `Range: bytes=<size of .part>-` (with `If-Range: <ETag>` when the server gave a
  strong ETag). A `206` whose `Content-Range` starts at that offset is appended; a `200` means the server
  ignored the range (or the object changed): the `.part` is truncated and the download starts over; a
  `416` whose `Content-Range: bytes */N` equals the bytes on disk means the `.part` is already complete.
  Attempts are bounded (`max_retries`, exponential backoff from `retry_delay`, capped at 30 s).
- **Expired URL.** A signed archive URL may expire mid-download: a `403` or `410` from the archive URL
  (or a `400` whose body says "expired") makes `fetch_resumable` ask `refresh_url()` for a new one (the
  API's `get_checkpoint_archive_url` again) and continue from the bytes on disk; at most
  `max_url_refreshes` times.
- **Verification.** The final size must equal the size the server announced (`Content-Length` of a `200`,
  the total of `Content-Range`). A checksum is verified when the server gives one for the whole object:
  `Content-MD5` (on a 200), `x-amz-checksum-sha256|sha1|crc32` (on a 200), `x-goog-hash: md5=`,
  `Digest`/`Repr-Digest` (`sha-256`, `sha-512`, `md5`), and the `ETag` as an MD5 only for S3-compatible
  storage (a response carrying `x-amz-*` headers, a 32-hex ETag without a `-`: other servers' ETags are not
  content hashes; Starlette's, for one, hashes mtime and size). A mismatch raises `ChecksumMismatchError`
  and removes the `.part` (its bytes are wrong; resuming them would only repeat the mismatch).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import json
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tinker_ext._core.exceptions import TinkerError
from tinker_ext._wire.http_errors import status_error
from tinker_ext._wire.origin import is_redirect, redirect_target

__all__ = [
    "ArchiveDownload",
    "CheckpointDownloadError",
    "ChecksumMismatchError",
    "FetchPolicy",
    "ProgressCallback",
    "StallGuard",
    "discard_partial",
    "fetch_resumable",
    "sanitised",
    "state_path",
]

# (bytes received so far, total bytes or None when the server did not say)
ProgressCallback = Callable[[int, int | None], None]

MAX_BACKOFF = 30.0
_EXPIRED_STATUSES = (403, 410)


class CheckpointDownloadError(TinkerError):
    """The checkpoint archive could not be obtained or is not a readable tar archive."""


class ChecksumMismatchError(CheckpointDownloadError):
    """The downloaded archive's checksum differs from the one the server announced (the `.part` file is
    removed). `algorithm`, `expected` and `actual` say which."""

    def __init__(self, message: str, *, algorithm: str = "", expected: str = "", actual: str = "") -> None:
        super().__init__(message)
        self.algorithm = algorithm
        self.expected = expected
        self.actual = actual

    def __reduce__(self) -> Any:
        return (_rebuild_mismatch, (str(self), self.algorithm, self.expected, self.actual))


def _rebuild_mismatch(message: str, algorithm: str, expected: str, actual: str) -> ChecksumMismatchError:
    return ChecksumMismatchError(message, algorithm=algorithm, expected=expected, actual=actual)


@dataclass(frozen=True)
class FetchPolicy:
    """Bounds of one resumable download (all configurable through `download_checkpoint`)."""

    max_retries: int = 5  # attempts after a reset / truncated body / stall, each resuming from the .part
    retry_delay: float = 1.0  # first backoff, doubled per retry, capped at MAX_BACKOFF
    max_url_refreshes: int = 3  # new archive URLs asked for after an expired one
    stall_min_bytes: int = 64 * 1024
    stall_window: float = 60.0


@dataclass
class ArchiveDownload:
    """What a finished download did: final size, the checksums verified (`"md5"`, `"sha256"`, ...),
    the offsets attempts resumed from (empty: one attempt), and how many times the URL was re-asked."""

    path: Path
    size: int
    verified: tuple[str, ...] = ()
    resumed_from: list[int] = field(default_factory=list)
    url_refreshes: int = 0
    restarts: int = 0  # attempts that had to start over from byte 0 (no Range support, object changed)


class StallGuard:
    """A download that receives fewer than `min_bytes` in any `window` seconds has stalled (a server
    trickling bytes defeats the per-read timeout)."""

    def __init__(self, min_bytes: int, window: float) -> None:
        self.min_bytes = min_bytes
        self.window = window
        self._since = time.monotonic()
        self._received_then = 0

    def check(self, received: int) -> None:
        now = time.monotonic()
        if now - self._since < self.window:
            return
        if received - self._received_then < self.min_bytes:
            raise _Retryable(
                f"the archive download stalled: fewer than {self.min_bytes} bytes in {self.window:g} s "
                "(lower stall_min_bytes or raise stall_window of download_checkpoint for a slow link)"
            )
        self._since, self._received_then = now, received


class _Retryable(Exception):
    """An attempt ended early (truncated body, stall); the next one resumes from the .part."""


class _Expired(Exception):
    """The archive URL was refused as expired; `response` is the refusal."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def sanitised(response: httpx.Response) -> httpx.Response:
    """The response with a request that no longer carries the key (it ends up inside exceptions)."""
    request = response.request
    headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "x-api-key"]
    response.request = httpx.Request(request.method, request.url, headers=headers)
    return response


# ------------------------------------------------------------------------------------------ checksums


def _b64_hex(value: str) -> str | None:
    try:
        return base64.b64decode(value.strip(), validate=True).hex()
    except (binascii.Error, ValueError):
        return None


_DIGEST_NAMES = {"sha-256": "sha256", "sha-512": "sha512", "md5": "md5"}


def announced_checksums(response: httpx.Response) -> dict[str, str]:
    """{algorithm: lowercase hex} of the whole object, from the headers listed in the module doc."""
    headers = response.headers
    found: dict[str, str] = {}
    whole = response.status_code == 200
    if whole and (md5 := headers.get("Content-MD5")) and (hex_md5 := _b64_hex(md5)):
        found["md5"] = hex_md5
    for name, algorithm in (("sha256", "sha256"), ("sha1", "sha1"), ("crc32", "crc32")):
        value = headers.get(f"x-amz-checksum-{name}")
        if whole and value and (hex_value := _b64_hex(value)):
            found[algorithm] = hex_value
    for part in headers.get("x-goog-hash", "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "md5" and (hex_md5 := _b64_hex(value)):
            found["md5"] = hex_md5
    for header in ("Digest", "Repr-Digest"):
        for part in headers.get(header, "").split(","):
            key, _, value = part.strip().partition("=")
            digest_name = _DIGEST_NAMES.get(key.lower())
            if digest_name and (hex_value := _b64_hex(value.strip(":"))):
                found[digest_name] = hex_value
    etag = headers.get("ETag", "")
    s3_like = any(k.lower().startswith("x-amz-") for k in headers)
    if s3_like and re.fullmatch(r'"[0-9a-fA-F]{32}"', etag):
        found.setdefault("md5", etag.strip('"').lower())
    return found


def _file_digest(path: Path, algorithm: str) -> str:
    if algorithm == "crc32":
        crc = 0
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                crc = zlib.crc32(chunk, crc)
        return f"{crc:08x}"
    hasher = hashlib.new(algorithm)
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def verify_checksums(path: Path, expected: dict[str, str]) -> tuple[str, ...]:
    """Check every announced checksum; on a mismatch remove `path` and raise ChecksumMismatchError."""
    for algorithm, want in sorted(expected.items()):
        got = _file_digest(path, algorithm)
        if got != want:
            discard_partial(path)
            raise ChecksumMismatchError(
                f"the downloaded archive's {algorithm} is {got}, the server announced {want}; "
                f"the partial file {path.name} was removed (download again)",
                algorithm=algorithm,
                expected=want,
                actual=got,
            )
    return tuple(sorted(expected))


# ------------------------------------------------------------------------------------------ .part state


@dataclass
class _State:
    total: int | None = None
    etag: str | None = None
    restarts: int = 0
    checksums: dict[str, str] = field(default_factory=dict)


def state_path(part: Path) -> Path:
    """The `.part`'s sidecar: what the server announced (size, ETag, checksums), so that the next call
    resumes with `If-Range` and still verifies the whole-object checksums of the first response."""
    return part.with_name(part.name + ".json")


def discard_partial(part: Path) -> None:
    part.unlink(missing_ok=True)
    state_path(part).unlink(missing_ok=True)


def _load_state(part: Path) -> _State:
    sidecar = state_path(part)
    if not part.exists():
        sidecar.unlink(missing_ok=True)
        return _State()
    try:
        saved = json.loads(sidecar.read_text())
        checksums = {str(k): str(v) for k, v in dict(saved.get("checksums") or {}).items()}
        total = saved.get("total")
        etag = saved.get("etag")
        return _State(
            total=total if isinstance(total, int) else None,
            etag=etag if isinstance(etag, str) else None,
            checksums=checksums,
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return _State()  # no (readable) sidecar: resume on size alone


def _save_state(part: Path, state: _State) -> None:
    record = {"total": state.total, "etag": state.etag, "checksums": state.checksums}
    state_path(part).write_text(json.dumps(record))


# ------------------------------------------------------------------------------------------ one attempt


_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")


def _body_target(response: httpx.Response, part: Path, offset: int, state: _State) -> int:
    """Where this response's body goes in the .part (the offset to write from); truncates on a restart."""
    if response.status_code == 206:
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if match is None or int(match.group(1)) != offset:
            raise _Retryable(f"the server answered a Range request from {offset} with a different range")
        if match.group(3) != "*":
            state.total = int(match.group(3))
        state.checksums.update(announced_checksums(response))  # whole-object digests only (see there)
        return offset
    # 200: the whole object (the server ignored Range, or If-Range said the object changed)
    if offset:
        state.restarts += 1
    length = response.headers.get("Content-Length")
    state.total = int(length) if length and length.isdigit() else None
    state.checksums = announced_checksums(response)
    return 0


def _attempt(
    client: httpx.Client,
    url: httpx.URL,
    part: Path,
    state: _State,
    progress: ProgressCallback | None,
    guard: StallGuard,
) -> bool:
    """One GET of the archive into `part` from its current size. True when the .part is complete."""
    offset = part.stat().st_size if part.exists() else 0
    headers: dict[str, str] = {}
    if offset:
        headers["Range"] = f"bytes={offset}-"
        if state.etag and not state.etag.startswith("W/"):
            headers["If-Range"] = state.etag
    for hops in itertools.count():
        with client.stream("GET", url, headers=headers, follow_redirects=False) as response:
            if is_redirect(response):
                url = redirect_target(response, allowed_origin=None, hops=hops, what="archive download")
                continue
            return _consume(response, part, offset, state, progress, guard)
    raise AssertionError("unreachable")


def _consume(
    response: httpx.Response,
    part: Path,
    offset: int,
    state: _State,
    progress: ProgressCallback | None,
    guard: StallGuard,
) -> bool:
    status = response.status_code
    if status == 416 and offset:
        match = re.fullmatch(r"bytes\s+\*/(\d+)", response.headers.get("Content-Range", "").strip())
        if match and int(match.group(1)) == offset:
            state.total = offset
            return True
        discard_partial(part)  # the bytes on disk do not fit the object: start over
        raise _Retryable("the server refused the resume range (416); starting over")
    if status not in (200, 206):
        body = response.read()
        if status in _EXPIRED_STATUSES or (status == 400 and b"expired" in body.lower()):
            raise _Expired(response)
        raise status_error(sanitised(response))
    start = _body_target(response, part, offset, state)
    state.etag = response.headers.get("ETag") or state.etag
    _save_state(part, state)  # a later call resumes with the same validator, size and checksums
    received = start
    if progress is not None:
        progress(received, state.total)
    with part.open("r+b" if start and part.exists() else "wb") as file:
        file.seek(start)
        file.truncate()
        for chunk in response.iter_bytes():  # as received (a chunk size would buffer a trickle)
            file.write(chunk)
            received += len(chunk)
            guard.check(received)
            if progress is not None:
                progress(received, state.total)
    if state.total is not None and received != state.total:
        raise _Retryable(f"the archive download ended after {received} of {state.total} bytes")
    return True


# ------------------------------------------------------------------------------------------ the loop


def fetch_resumable(
    client: httpx.Client,
    refresh_url: Callable[[], httpx.URL],
    part: Path,
    *,
    policy: FetchPolicy,
    progress: ProgressCallback | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ArchiveDownload:
    """Download the archive `refresh_url()` points to into `part`, resuming from what is there (see the
    module doc). On a failure other than a checksum mismatch the `.part` is kept for the next call."""
    state = _load_state(part)
    result = ArchiveDownload(path=part, size=0)
    url = refresh_url()
    failures = 0
    last_error = ""
    while True:
        before = part.stat().st_size if part.exists() else 0
        if before:
            result.resumed_from.append(before)
        try:
            _attempt(
                client, url, part, state, progress, StallGuard(policy.stall_min_bytes, policy.stall_window)
            )
            break
        except _Expired as expired:
            if result.url_refreshes >= policy.max_url_refreshes:
                raise status_error(sanitised(expired.response)) from None
            result.url_refreshes += 1
            url = refresh_url()
            continue
        except (_Retryable, httpx.TransportError) as exc:
            last_error = f"{type(exc).__name__}: {exc}" if isinstance(exc, httpx.TransportError) else str(exc)
        failures += 1
        if failures > policy.max_retries:
            kept = part.stat().st_size if part.exists() else 0
            raise CheckpointDownloadError(
                f"{last_error} (gave up after {policy.max_retries} retries; the {kept} bytes received are "
                f"kept in {part.name} and the next download resumes from them)"
            )
        sleep(min(policy.retry_delay * 2 ** (failures - 1), MAX_BACKOFF))
    size = part.stat().st_size
    result.restarts = state.restarts
    if state.total is not None and size != state.total:
        raise CheckpointDownloadError(f"the archive has {size} bytes, the server announced {state.total}")
    result.size = size
    result.verified = verify_checksums(part, state.checksums)
    state_path(part).unlink(missing_ok=True)
    return result
