"""`tinker.lib.retry_handler` path: `RetryConfig` and the retryable-status rule."""

from tinker_ext._wire.retry import is_retryable_status as is_retryable_status_code
from tinker_ext._wire.retry_config import RetryConfig

__all__ = ["RetryConfig", "is_retryable_status_code"]
