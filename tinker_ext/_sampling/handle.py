"""Sampler handles: a SamplingClient passed to another process (pickling, `get_sampler_handle()` /
`SamplingClient.from_sampler_handle(handle)`), never with credentials inside.

A handle is URL-safe base64 of compact JSON, in 0.38's shape: `{session_id, sampling_session_id,
holder: {base_url, default_headers_overrides, api_key: null}, base_model, record_stability_info}`.

The receiving side authenticates with `api_key=` or `TINKER_API_KEY`. Because a handle names the server,
the API key from the environment is only sent to the environment's server: a handle for another base URL
needs an explicit `api_key=` (credentials go only to the origin the user configured).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import threading
from typing import Any

import attrs

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._core.refusal import clears_locals_on_refusal
from tinker_ext._session.context import DEFAULT_BASE_URL, ClientContext
from tinker_ext._session.credentials_file import stored_api_key
from tinker_ext._session.opening import open_context

__all__ = ["MAX_HANDLE_CHARS", "OpenedHandle", "encode_handle", "open_handle"]

MAX_HANDLE_CHARS = 64 * 1024

# The contexts of clients rebuilt from handles (and unpickled) in this process, one per server, headers
# and key (keyed by the key's sha256, never the key), as 0.38's shadow holders: a Ray task that receives a
# pickled client on every call reuses one HTTP pool and one sampling dispatch instead of opening new ones.
_SHARED: dict[tuple[str, tuple[tuple[str, str], ...], str], ClientContext] = {}
_SHARED_LOCK = threading.Lock()


def encode_handle(
    ctx: ClientContext,
    sampling_session_id: str,
    base_model: str | None,
    record_stability_info: bool,
    session_id: str | None,
) -> str:
    http = ctx.http
    state = {
        "session_id": session_id,
        "sampling_session_id": sampling_session_id,
        "holder": {
            "base_url": http.base_url,
            "default_headers_overrides": http.public_default_headers(),
            "api_key": None,
        },
        "base_model": base_model,
        "record_stability_info": record_stability_info,
    }
    raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _decode(handle: Any) -> dict[str, Any]:
    if not isinstance(handle, str) or not handle or len(handle) > MAX_HANDLE_CHARS:
        raise InvalidInputError("a sampler handle is a non-empty string from get_sampler_handle()")
    try:
        state = json.loads(base64.urlsafe_b64decode(handle.encode("ascii") + b"=" * (-len(handle) % 4)))
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidInputError(
            "not a sampler handle (expected base64 JSON from get_sampler_handle())"
        ) from None
    holder = state.get("holder") if isinstance(state, dict) else None
    if not isinstance(holder, dict) or not isinstance(state.get("sampling_session_id"), str):
        raise InvalidInputError("not a sampler handle (no sampling_session_id / holder)")
    base_url = holder.get("base_url")
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise InvalidInputError(f"sampler handle: base_url must be an http(s) URL, got {base_url!r}")
    headers = holder.get("default_headers_overrides") or {}
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise InvalidInputError("sampler handle: default_headers_overrides must map str to str")
    checked: dict[str, Any] = state
    return checked


@attrs.frozen
class OpenedHandle:
    """What a handle rebuilds: the context of a fresh ServiceClient on the handle's server, and the
    sampling session's identity. `SamplingClient.from_sampler_handle` makes the client from it."""

    ctx: ClientContext
    sampling_session_id: str
    base_model: str | None
    record_stability_info: bool
    session_id: str | None


def open_handle(handle: str, api_key: str | None) -> OpenedHandle:
    state = _decode(handle)
    holder = state["holder"]
    base_url = holder["base_url"].rstrip("/")
    if api_key is None:
        configured = (os.environ.get("TINKER_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        if base_url != configured:
            raise InvalidInputError(
                f"The sampler handle points at {base_url}, not at the configured server {configured} "
                "(TINKER_BASE_URL): pass api_key= explicitly to send a key there"
            )
    ctx = _shared_context(base_url, holder.get("default_headers_overrides") or {}, api_key)
    base_model = state.get("base_model")
    session_id = state.get("session_id")
    return OpenedHandle(
        ctx=ctx,
        sampling_session_id=state["sampling_session_id"],
        base_model=base_model if isinstance(base_model, str) else None,
        record_stability_info=bool(state.get("record_stability_info")),
        session_id=session_id if isinstance(session_id, str) else None,
    )


@clears_locals_on_refusal
def _shared_context(base_url: str, headers: dict[str, str], api_key: str | None) -> ClientContext:
    """This process's context for `base_url` with these headers and this key (`api_key`, else resolved as
    `ServiceClient()` does: `TINKER_API_KEY`, then the credentials file); opened on first use."""
    raw = api_key if api_key is not None else (os.environ.get("TINKER_API_KEY") or stored_api_key())
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest() if isinstance(raw, str) else ""
    raw = None
    key = (base_url, tuple(sorted(headers.items())), digest)
    with _SHARED_LOCK:
        ctx = _SHARED.get(key)
        if ctx is None or ctx.closed:
            ctx = open_context(api_key=api_key, base_url=base_url, default_headers_overrides=headers)
            _SHARED[key] = ctx
    return ctx
