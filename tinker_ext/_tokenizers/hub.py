"""The last resort of `get_tokenizer`: one bounded fetch of a tokenizer's files from the Hugging Face hub.

One attempt, no retry loop: without network it fails within `TINKER_TOKENIZER_HUB_TIMEOUT` seconds
(default 10; `0` disables the hub, as does `HF_HUB_OFFLINE=1`), with one log line saying what it tried.
The files land in `<cache>/tokenizers/<org>--<name>/` so the next run finds them offline. `HF_TOKEN` (for
gated repositories) is sent to the hub endpoint only (`HF_ENDPOINT`, default https://huggingface.co);
httpx drops it on a redirect to another origin (the hub's file storage).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import httpx

__all__ = ["HUB_TIMEOUT_ENV", "fetch_from_hub", "hub_cache_root", "hub_disabled"]

logger = logging.getLogger("tinker_ext")

HUB_TIMEOUT_ENV = "TINKER_TOKENIZER_HUB_TIMEOUT"
_DEFAULT_TIMEOUT = 10.0
# A tokenizer.json is ~1-20 MB; anything far larger is not one.
_MAX_BYTES = 256 * 2**20
_REQUIRED = "tokenizer.json"
_OPTIONAL = ("tokenizer_config.json", "special_tokens_map.json")


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def hub_timeout() -> float:
    raw = os.environ.get(HUB_TIMEOUT_ENV, "").strip()
    try:
        return max(float(raw), 0.0) if raw else _DEFAULT_TIMEOUT
    except ValueError:
        return _DEFAULT_TIMEOUT


def hub_disabled() -> bool:
    return _truthy("HF_HUB_OFFLINE") or _truthy("TRANSFORMERS_OFFLINE") or hub_timeout() == 0


def hub_cache_root() -> Path:
    """Where fetched tokenizers are kept: `$XDG_CACHE_HOME/tinker-ext/tokenizers` (or ~/.cache/...)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "tinker-ext" / "tokenizers"


class HubFetchError(Exception):
    """The hub did not give us the tokenizer (the message says why, briefly)."""


def _download(client: httpx.Client, url: str, target: Path, deadline: float) -> bool:
    """Stream one file to `target`; False on 404 (the file does not exist in that repository)."""
    with client.stream("GET", url) as response:
        if response.status_code == 404:
            return False
        if response.status_code in (401, 403):
            raise HubFetchError(f"HTTP {response.status_code} (gated or private: set HF_TOKEN)")
        if response.status_code != 200:
            raise HubFetchError(f"HTTP {response.status_code}")
        size = 0
        with target.open("wb") as out:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > _MAX_BYTES:
                    raise HubFetchError(f"{target.name} is over {_MAX_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise HubFetchError("timed out")
                out.write(chunk)
    return True


def fetch_from_hub(tokenizer_id: str) -> Path:
    """Fetch `tokenizer.json` (+ its config) of `tokenizer_id`; the local tokenizer.json path."""
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    timeout = hub_timeout()
    logger.warning(
        "tokenizer %r: not found locally (set TINKER_TOKENIZER_DIR); fetching it from %s (one try, %gs)",
        tokenizer_id,
        endpoint,
        timeout,
    )
    headers = {}
    token = os.environ.get("HF_TOKEN", "").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    dest = hub_cache_root() / tokenizer_id.replace("/", "--")
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=dest.parent))
    deadline = time.monotonic() + timeout
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout), headers=headers, follow_redirects=True, max_redirects=5
        ) as client:
            base = f"{endpoint}/{tokenizer_id}/resolve/main/"
            if not _download(client, base + _REQUIRED, staging / _REQUIRED, deadline):
                raise HubFetchError(f"{tokenizer_id} has no {_REQUIRED} on the hub")
            for name in _OPTIONAL:
                _download(client, base + name, staging / name, deadline)
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
    except httpx.HTTPError as exc:
        raise HubFetchError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest / _REQUIRED
