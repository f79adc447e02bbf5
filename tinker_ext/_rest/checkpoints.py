"""Checkpoint helpers: tinker:// paths to REST paths, resuming a run, and safe archive download.

Download (`download_checkpoint`):
1. `GET /api/v1/training_runs/{run}/checkpoints/{checkpoint_id}/archive` without following redirects;
   the signed URL comes back as a 302 `Location` or as a 200 JSON `{url, expires}`; 503 means the
   archive is still being built and is retried. skyrl-tx routes only the bare checkpoint name (no
   `kind/` prefix), so a 404 on the official form is retried once with the bare name.
2. The archive is streamed to `.<run>_<kind>_<name>.tar.part` next to the target directory (constant
   memory) by `archive_fetch.fetch_resumable`: resumed with HTTP Range after a reset or a truncated body,
   the URL asked for again when it expired, size and announced checksums verified. Redirects are followed here, one hop at a time (at most `MAX_REDIRECTS`, http(s) only), and the API
   key is added per hop by `OriginKeyAuth`: only a request to the API's own origin carries it, so a
   signed storage URL, or anything a same-origin redirect points to elsewhere, never receives it.
3. Every member is checked before anything is written (no absolute paths, no `..`, no links leaving the
   target, no devices/fifos), then extracted with tarfile's `data` filter into a temporary directory
   that is renamed onto the target. Any failure removes the temporaries, leaving nothing half-written,
   except the `.part` of a download that failed in transit (the next call resumes it).
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import InvalidInputError, RedirectError, TinkerError
from tinker_ext._core.refusal import clears_locals_on_refusal
from tinker_ext._core.tinker_path import TINKER_SCHEME
from tinker_ext._rest.archive_fetch import (
    ArchiveDownload,
    CheckpointDownloadError,
    FetchPolicy,
    ProgressCallback,
    discard_partial,
    fetch_resumable,
    sanitised,
)
from tinker_ext._wire.credentials import ApiKey
from tinker_ext._wire.http import USER_AGENT
from tinker_ext._wire.http_errors import status_error
from tinker_ext._wire.origin import OriginKeyAuth, check_base_url, is_redirect
from tinker_ext.types.checkpoint_path import ParsedCheckpointTinkerPath

__all__ = [
    "CheckpointDownloadError",
    "ProgressCallback",
    "UnsafeArchiveError",
    "archive_rest_paths",
    "checkpoint_dir_name",
    "checkpoint_id_of",
    "download_checkpoint",
    "partial_archive_path",
    "resume",
    "safe_extract",
    "training_run_id_of",
]


class UnsafeArchiveError(TinkerError, ValueError):
    """A checkpoint archive holds a member that could write outside the target directory."""


# ------------------------------------------------------------------------------------------ paths


def training_run_id_of(tinker_path: str) -> str:
    return ParsedCheckpointTinkerPath.from_tinker_path(tinker_path).training_run_id


def checkpoint_id_of(tinker_path: str) -> str:
    return ParsedCheckpointTinkerPath.from_tinker_path(tinker_path).checkpoint_id


def archive_rest_paths(tinker_path: str) -> tuple[str, ...]:
    """The archive endpoints to try, from the endpoint table: the official `kind/name` route, then (for a
    prefixed id) skyrl-tx's / skyrl's by-id route with the bare name."""
    parsed = ParsedCheckpointTinkerPath.from_tinker_path(tinker_path)
    run, kind = parsed.training_run_id, parsed.checkpoint_id.split("/", 1)[0]
    official = endpoints.GET_CHECKPOINT_ARCHIVE_URL.url((run, kind, parsed.checkpoint_name))
    if parsed.checkpoint_name == parsed.checkpoint_id:
        return (official,)
    return official, endpoints.GET_CHECKPOINT_ARCHIVE_URL_BY_ID.url((run, parsed.checkpoint_name))


def checkpoint_dir_name(tinker_path: str) -> str:
    """Directory name a checkpoint downloads into: the path without `tinker://`, `/` replaced by `_`."""
    parsed = ParsedCheckpointTinkerPath.from_tinker_path(tinker_path)
    return parsed.canonical_path[len(TINKER_SCHEME) :].replace("/", "_")


# ------------------------------------------------------------------------------------------ resume


def _resolved(value: Any) -> Any:
    """The value of an APIFuture-like object (anything with `.result()`), else the value itself."""
    result = getattr(value, "result", None)
    return result() if callable(result) else value


def _latest_training_checkpoint(rest_client: Any, run_id: str) -> str:
    listing = _resolved(rest_client.list_checkpoints(run_id))
    states = [c for c in listing.checkpoints if c.checkpoint_type == "training"]
    if not states:
        raise InvalidInputError(f"training run {run_id!r} has no state ('weights') checkpoint to resume from")
    return str(max(states, key=lambda c: c.time).tinker_path)


def resume(service_client: Any, path_or_run_id: str, *, rest_client: Any = None) -> Any:
    """A TrainingClient restored from a state checkpoint, optimizer state included.

    `path_or_run_id` is a `tinker://RUN/weights/NAME` path, or a training run id whose newest state
    checkpoint is used. The LoRA configuration (base model, rank, trained modules) comes from the
    checkpoint's `weights_info`; a new LoRA training client is created with it and the weights and
    optimizer state are loaded into it.
    """
    rest = rest_client if rest_client is not None else service_client.create_rest_client()
    if path_or_run_id.startswith(TINKER_SCHEME):
        parsed = ParsedCheckpointTinkerPath.from_tinker_path(path_or_run_id)
        if parsed.checkpoint_type != "training":
            raise InvalidInputError(
                f"cannot resume from {path_or_run_id!r}: it is a {parsed.checkpoint_type} checkpoint; "
                "resuming needs a state checkpoint (tinker://RUN/weights/NAME, from save_state)"
            )
        path = path_or_run_id
    else:
        if not path_or_run_id or "/" in path_or_run_id:
            raise InvalidInputError(f"{path_or_run_id!r} is neither a tinker:// path nor a training run id")
        path = _latest_training_checkpoint(rest, path_or_run_id)
    info = _resolved(rest.get_weights_info_by_tinker_path(path))
    if info.lora_rank is None:
        raise InvalidInputError(f"checkpoint {path!r} has no LoRA rank in its weights_info; cannot resume")
    options = {
        name: getattr(info, name)
        for name in ("train_mlp", "train_attn", "train_unembed")
        if getattr(info, name, None) is not None
    }
    training_client = _resolved(
        service_client.create_lora_training_client(base_model=info.base_model, rank=info.lora_rank, **options)
    )
    _resolved(training_client.load_state_with_optimizer(path))
    return training_client


# ------------------------------------------------------------------------------------------ extraction


def _is_within(root: str, candidate: str) -> bool:
    root = os.path.realpath(root)
    resolved = os.path.realpath(candidate)
    return resolved == root or resolved.startswith(root + os.sep)


def _check_member(member: tarfile.TarInfo, root: str) -> None:
    name = member.name

    def unsafe(reason: str) -> UnsafeArchiveError:
        return UnsafeArchiveError(f"refusing to extract archive member {name!r}: {reason}")

    if name.startswith(("/", "\\")) or posixpath.isabs(name) or (len(name) > 1 and name[1] == ":"):
        raise unsafe("absolute path")
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        raise unsafe("path contains '..'")
    destination = os.path.join(root, *[p for p in parts if p not in ("", ".")])
    if not _is_within(root, destination):
        raise unsafe("path resolves outside the target directory")
    if member.ischr() or member.isblk():
        raise unsafe("device file")
    if member.isfifo():
        raise unsafe("fifo")
    if not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
        raise unsafe("unsupported member type")
    if member.issym():
        target = member.linkname
        if posixpath.isabs(target):
            raise unsafe(f"symlink to absolute path {target!r}")
        if not _is_within(root, os.path.join(os.path.dirname(destination), target)):
            raise unsafe(f"symlink target {target!r} points outside the target directory")
    if member.islnk():
        target = member.linkname
        if posixpath.isabs(target) or ".." in target.split("/"):
            raise unsafe(f"hard link to {target!r} points outside the target directory")
        if not _is_within(root, os.path.join(root, target)):
            raise unsafe(f"hard link target {target!r} points outside the target directory")


def safe_extract(archive_path: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
    """Extract a .tar or .tar.gz into an existing `destination`, refusing unsafe members.

    All members are validated before the first byte is written; `tarfile`'s `data` filter is applied on
    top as a second line of defence.
    """
    root = os.fspath(destination)
    try:
        with tarfile.open(archive_path, mode="r:*") as archive:
            members = archive.getmembers()
            for member in members:
                _check_member(member, root)
            archive.extractall(root, members=members, filter="data")
    except tarfile.FilterError as exc:
        raise UnsafeArchiveError(f"refusing to extract archive member: {exc}") from exc
    except tarfile.TarError as exc:
        raise CheckpointDownloadError(f"the checkpoint archive is not a readable tar archive: {exc}") from exc


# ------------------------------------------------------------------------------------------ download


def _connection(source: Any, api_key: str | ApiKey | None) -> tuple[str, ApiKey | InvalidInputError]:
    """(base URL, API key or the error to raise) from a base URL string or a client object."""
    if isinstance(source, str | httpx.URL):
        base_url = str(source)
        key: Any = api_key if api_key is not None else os.environ.get("TINKER_API_KEY")
    else:
        holder = source
        context = getattr(source, "_ctx", None)  # RestClient / ServiceClient keep their HttpClient here
        for attribute in ("http", "_http", "_http_client"):
            inner = getattr(context, attribute, None) or getattr(source, attribute, None)
            if inner is not None and hasattr(inner, "base_url"):
                holder = inner
                break
        found_url = getattr(holder, "base_url", None)
        key = api_key if api_key is not None else getattr(holder, "api_key", None)
        if key is None:
            key = getattr(holder, "_api_key", None)
        if not isinstance(found_url, str | httpx.URL):
            raise InvalidInputError(
                f"cannot find the API base URL on {type(source).__name__}: pass a RestClient or a base URL"
            )
        base_url = str(found_url)
    return check_base_url(base_url), ApiKey.parse(key)


def _archive_url(
    client: httpx.Client,
    base_url: str,
    api_key: ApiKey,
    tinker_path: str,
    *,
    busy_retry_delay: float,
    busy_attempts: int,
) -> httpx.URL:
    """The archive's URL: the Location of the API's redirect or the `url` of its JSON answer (not
    fetched here; `_stream_to` follows it hop by hop)."""
    headers = {"Accept": "application/json"}  # the key is added by the client's OriginKeyAuth
    candidates = archive_rest_paths(tinker_path)
    for index, rest_path in enumerate(candidates):
        for attempt in range(busy_attempts):
            response = client.get(base_url + rest_path, headers=headers, follow_redirects=False)
            if response.status_code == 503 and attempt + 1 < busy_attempts:
                time.sleep(busy_retry_delay)  # the server is still building the archive
                continue
            break
        if is_redirect(response):
            location = response.headers.get("Location")
            if not location:
                raise CheckpointDownloadError(
                    f"the archive endpoint for {tinker_path} redirected without a Location"
                )
            return _http_url(response.url.join(location), tinker_path)
        if response.status_code == 200:
            try:
                url = response.json()["url"]
            except (ValueError, KeyError, TypeError) as exc:
                raise CheckpointDownloadError(
                    f"the archive endpoint for {tinker_path} answered 200 without a JSON 'url'"
                ) from exc
            return _http_url(response.url.join(str(url)), tinker_path)
        if response.status_code in (404, 405) and index + 1 < len(candidates):
            # try the bare-name route of skyrl-tx / skyrl (on skyrl 0.4.0 the prefixed path only matches
            # its DELETE route: 405)
            continue
        raise status_error(sanitised(response), api_key)
    raise AssertionError("unreachable")


def _http_url(url: httpx.URL, tinker_path: str) -> httpx.URL:
    if url.scheme not in ("http", "https"):
        raise CheckpointDownloadError(f"the archive URL for {tinker_path} is not an http(s) URL")
    return url


class _HeadDeadlineTransport(httpx.BaseTransport):
    """Bounds the wait for a response head: httpx's read timeout is per read, so a server sending one
    header line at a time (slowloris) would otherwise hold a download forever. The inner transport
    runs in a helper thread; past the deadline its connections are closed (the blocked read then ends
    within one read timeout) and the caller gets a ReadTimeout at once."""

    def __init__(self, inner: httpx.BaseTransport, head_timeout: float) -> None:
        self._inner = inner
        self._head_timeout = head_timeout

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        outcome: list[httpx.Response | BaseException] = []

        def run() -> None:
            try:
                outcome.append(self._inner.handle_request(request))
            except BaseException as exc:  # handed to the caller's thread below
                outcome.append(exc)

        worker = threading.Thread(target=run, name="tinker-ext-download-head", daemon=True)
        worker.start()
        worker.join(self._head_timeout)
        if not outcome:
            self._inner.close()
            raise httpx.ReadTimeout(
                f"no complete response head within head_timeout={self._head_timeout:g} s", request=request
            )
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def close(self) -> None:
        self._inner.close()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def partial_archive_path(output_dir: str | os.PathLike[str], tinker_path: str) -> Path:
    """Where `download_checkpoint` keeps the bytes of an unfinished archive download (resumed next time)."""
    return Path(output_dir) / f".{checkpoint_dir_name(tinker_path)}.tar.part"


@clears_locals_on_refusal
def download_checkpoint(
    rest_client_or_url: Any,
    tinker_path: str,
    output_dir: str | os.PathLike[str],
    *,
    force: bool = False,
    progress: ProgressCallback | None = None,
    api_key: str | ApiKey | None = None,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 60.0,
    busy_retry_delay: float = 30.0,
    busy_attempts: int = 6,
    stall_min_bytes: int = 64 * 1024,
    stall_window: float = 60.0,
    head_timeout: float = 120.0,
    max_retries: int = 5,
    retry_delay: float = 1.0,
    max_url_refreshes: int = 3,
    on_complete: Callable[[ArchiveDownload], None] | None = None,
) -> Path:
    """Download a checkpoint's archive and extract it into `<output_dir>/<run>_<kind>_<name>`.

    `rest_client_or_url` is a RestClient (its base URL and key are used) or a base URL (then `api_key`
    or `TINKER_API_KEY`). `progress(received, total)` is called as bytes arrive (`total` is None when
    the server sends no Content-Length). The archive is written to `partial_archive_path(output_dir,
    tinker_path)` (`.<run>_<kind>_<name>.tar.part`): after a connection reset, a truncated body or a stall
    the download resumes from the bytes on disk with an HTTP Range request (at most `max_retries` times,
    backoff from `retry_delay` s); an expired archive URL (403/410) is asked for again (at most
    `max_url_refreshes` times). If it still fails the `.part` stays (with a `.part.json` sidecar of what
    the server announced), and the next call resumes it. Size and
    any checksum the server announces are verified (`ChecksumMismatchError` removes the `.part`); the
    `.part` is removed once extracted, and also when the archive is not a safe, readable tar. A download
    receiving fewer than `stall_min_bytes` in any `stall_window` seconds, or whose response head takes
    longer than `head_timeout` seconds, counts as a failed attempt. `on_complete` receives what the
    download did (size, checksums verified, offsets resumed from). An existing target is an error unless
    `force=True`, in which case it is replaced only after the new checkpoint extracted successfully.
    Returns the target path.
    """
    ParsedCheckpointTinkerPath.from_tinker_path(tinker_path)
    base_url, parsed_key = _connection(rest_client_or_url, api_key)
    api_key = None  # the raw key leaves this frame's locals (tracebacks with locals) before any raise
    key = ApiKey.unwrap(parsed_key)
    parent = Path(output_dir)
    target = parent / checkpoint_dir_name(tinker_path)
    if target.exists() and not force:
        raise InvalidInputError(f"{target} already exists; pass force=True to overwrite it")
    if not head_timeout > 0:
        raise InvalidInputError(f"head_timeout must be > 0 seconds, got {head_timeout!r}")
    if max_retries < 0 or max_url_refreshes < 0 or retry_delay < 0:
        raise InvalidInputError("max_retries, max_url_refreshes and retry_delay must be >= 0")
    policy = FetchPolicy(max_retries, retry_delay, max_url_refreshes, stall_min_bytes, stall_window)
    parent.mkdir(parents=True, exist_ok=True)
    part = partial_archive_path(parent, tinker_path)
    staging: Path | None = None
    with httpx.Client(
        transport=_HeadDeadlineTransport(transport or httpx.HTTPTransport(), head_timeout),
        timeout=timeout,
        headers={"User-Agent": USER_AGENT},
        auth=OriginKeyAuth(key, base_url),  # the key goes to the API's origin only, on every hop
        follow_redirects=False,
    ) as client:

        def archive_url() -> httpx.URL:
            return _archive_url(
                client,
                base_url,
                key,
                tinker_path,
                busy_retry_delay=busy_retry_delay,
                busy_attempts=busy_attempts,
            )

        try:
            outcome = fetch_resumable(client, archive_url, part, policy=policy, progress=progress)
            staging = Path(tempfile.mkdtemp(dir=parent, prefix=".tinker-extract-"))
            try:
                safe_extract(part, staging)
            except CheckpointDownloadError:
                discard_partial(part)  # complete and verified, but not a tar: resuming cannot help
                raise
            except UnsafeArchiveError:
                discard_partial(part)
                raise
            if target.exists():
                _remove(target)
            staging.rename(target)
            staging = None
            discard_partial(part)
        except RedirectError as exc:
            raise CheckpointDownloadError(f"downloading {tinker_path} failed: {exc}") from None
        except httpx.RequestError as exc:
            raise CheckpointDownloadError(
                key.scrub(f"downloading {tinker_path} failed: {type(exc).__name__}: {exc}")
            ) from None
        finally:
            if staging is not None:
                _remove(staging)
    if on_complete is not None:
        on_complete(outcome)
    return target
