"""`RetryConfig`: the official SDK's per-sampling-client retry settings (`tinker.lib.retry_handler`).

tinker-ext retries every request with its own `RetryPolicy` (HTTP layer, `ServiceClient(retry_policy=...)`).
A RetryConfig is accepted where 0.38 accepts one; settings tinker-ext cannot honour per client are refused
with a clear error instead of being dropped.
"""

from __future__ import annotations

from typing import Any

import attrs

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["RetryConfig", "check_retry_config"]


@attrs.frozen
class RetryConfig:
    max_connections: int = 1000
    progress_timeout: float = 7200
    retry_delay_base: float = 0.5
    retry_delay_max: float = 10.0
    jitter_factor: float = 0.25
    enable_retry_logic: bool = True
    enable_stuck_detection: bool = True
    retryable_exceptions: tuple[type[BaseException], ...] | None = None


def check_retry_config(config: Any) -> RetryConfig | None:
    """`config` if it only holds settings tinker-ext applies (its defaults match our policy); else a
    typed error naming the settings it cannot honour."""
    if config is None:
        return None
    if not isinstance(config, RetryConfig):
        raise InvalidInputError(f"retry_config must be a RetryConfig, got {type(config).__name__}")
    default = RetryConfig()
    changed = sorted(
        f.name for f in attrs.fields(RetryConfig) if getattr(config, f.name) != getattr(default, f.name)
    )
    if changed:
        raise InvalidInputError(
            f"retry_config: {', '.join(changed)} cannot be set per sampling client in tinker-ext; configure "
            "retries with ServiceClient(retry_policy=RetryPolicy(...)) and deadlines with future_timeout"
        )
    return config
