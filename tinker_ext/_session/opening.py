"""Opening a `ClientContext` from the keyword options of `ServiceClient`: the API key (argument,
`TINKER_API_KEY`, then the credentials file), the base URL, the HTTP layer and the sample dispatcher.

`ServiceClient`, a standalone `RestClient` and a reopened sampler handle all open their context here, so
the floors below `_service` never need the `ServiceClient` class.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._core.refusal import clears_locals_on_refusal
from tinker_ext._observe.metrics import Metrics, MetricsExporter
from tinker_ext._observe.observer import Observer
from tinker_ext._observe.tracing import Tracing
from tinker_ext._session.context import (
    DEFAULT_BASE_URL,
    DEFAULT_FUTURE_TIMEOUT_S,
    HEARTBEAT_INTERVAL_S,
    ClientContext,
)
from tinker_ext._session.credentials_file import stored_api_key
from tinker_ext._session.polling import QueueStateChange
from tinker_ext._session.sample_dispatch import SamplingDispatch
from tinker_ext._wire.http import ApiKey, HttpClient
from tinker_ext._wire.limits import Limits
from tinker_ext._wire.negotiation import WirePreference
from tinker_ext._wire.retry import RetryPolicy, Timing

__all__ = ["open_context"]

logger = logging.getLogger("tinker_ext")


@clears_locals_on_refusal
def open_context(
    user_metadata: Mapping[str, Any] | None = None,
    project_id: str | None = None,
    *,
    display_name: str | None = None,
    base_url: str | None = None,
    api_key: str | ApiKey | None = None,
    default_headers_overrides: Mapping[str, str] | None = None,
    limits: Limits | None = None,
    future_timeout: float | None = DEFAULT_FUTURE_TIMEOUT_S,
    on_queue_state_change: Callable[[QueueStateChange], None] | None = None,
    retry_policy: RetryPolicy | None = None,
    default_headers: Mapping[str, str] | None = None,
    timeout: httpx.Timeout | None = None,
    wire: WirePreference = "auto",
    sampling_dispatch: SamplingDispatch | None = None,
    metrics_exporter: MetricsExporter | None = None,
    metrics_export_interval: float = 10.0,
    tracing: bool | None = None,
    wait_report_interval: float = 60.0,
    keep_raw_responses: int = 0,
    _transport: httpx.AsyncBaseTransport | None = None,
    _timing: Timing | None = None,
    _heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
    _heartbeat_timing: Timing | None = None,
) -> ClientContext:
    """The context of a new ServiceClient (see `ServiceClient.__init__` for the options)."""
    raw_key = api_key if api_key is not None else (os.environ.get("TINKER_API_KEY") or stored_api_key())
    api_key = None  # the raw key leaves this frame's locals before anything can raise
    if raw_key is None:
        raise InvalidInputError(
            "The api_key client option must be set either by passing api_key to the client, by "
            "setting the TINKER_API_KEY environment variable, or with `tinker-ext auth login`"
        )
    parsed_key = ApiKey.parse(raw_key)
    raw_key = None
    key = ApiKey.unwrap(parsed_key)
    url = base_url or os.environ.get("TINKER_BASE_URL") or DEFAULT_BASE_URL
    if not key.has_issued_form():  # warned, not refused: a self-hosted server may take any key
        logger.warning(
            "The API key is neither `tml-...` nor a JWT, the forms the Tinker service issues: the hosted "
            "service will refuse it (a self-hosted server may accept it)"
        )
    http_kwargs: dict[str, Any] = {}
    if timeout is not None:
        http_kwargs["timeout"] = timeout
    if sampling_dispatch is not None and not isinstance(sampling_dispatch, SamplingDispatch):
        raise InvalidInputError(
            f"sampling_dispatch must be a SamplingDispatch, got {type(sampling_dispatch).__name__}"
        )
    sampling_dispatch = sampling_dispatch or SamplingDispatch()
    http = HttpClient(
        base_url=url,
        api_key=key,
        limits=limits,
        retry_policy=retry_policy,
        timing=_timing,
        transport=_transport,
        default_headers={**(default_headers or {}), **(default_headers_overrides or {})} or None,
        pool_size=sampling_dispatch.pool_size,
        initial_connections=sampling_dispatch.initial_connections,
        connection_grace=sampling_dispatch.connection_grace,
        observer=Observer(
            Metrics(metrics_exporter, metrics_export_interval),
            Tracing(tracing),
            wait_report_interval=wait_report_interval,
            keep_raw_responses=keep_raw_responses,
        ),
        **http_kwargs,
    )
    return ClientContext(
        http,
        user_metadata=user_metadata,
        project_id=project_id or os.environ.get("TINKER_PROJECT_ID") or None,
        future_timeout=future_timeout,
        display_name=display_name,
        on_queue_state_change=on_queue_state_change,
        heartbeat_interval=_heartbeat_interval,
        heartbeat_timing=_heartbeat_timing,
        wire=wire,
        sampling_dispatch=sampling_dispatch,
    )
