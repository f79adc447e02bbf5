"""Behaviour of SamplingParams: the range checks 0.38 leaves to the server, done before sending."""

from __future__ import annotations

import math
from typing import Any

from tinker_ext._exceptions import InvalidInputError

__all__ = ["SamplingParamsBehaviour"]


def _check_finite(name: str, value: Any) -> None:
    if not math.isfinite(value):
        raise InvalidInputError(f"SamplingParams.{name} must be a finite number, got {value!r}")


def _check_stop(value: Any) -> None:
    """`stop` is None (EOS), a string, a list of strings or a list of non-negative token ids."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    for item in items:
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise InvalidInputError("SamplingParams.stop: the string is not valid UTF-8") from None
        elif item < 0:
            raise InvalidInputError(
                "SamplingParams.stop must be a str, a list of str or a list of non-negative int token ids"
            )


class SamplingParamsBehaviour:
    __slots__ = ()
    max_tokens: int | None
    seed: int | None
    stop: Any
    temperature: float
    top_k: int
    top_p: float

    def _validate(self) -> None:
        if self.max_tokens is not None and self.max_tokens < 0:
            raise InvalidInputError(f"SamplingParams.max_tokens must be >= 0, got {self.max_tokens}")
        if self.seed is not None and not -(2**63) <= self.seed < 2**63:
            raise InvalidInputError(f"SamplingParams.seed must fit in a signed 64-bit int, got {self.seed}")
        _check_stop(self.stop)
        _check_finite("temperature", self.temperature)
        if self.temperature < 0:
            raise InvalidInputError(f"SamplingParams.temperature must be >= 0, got {self.temperature}")
        if self.top_k != -1 and self.top_k < 1:
            raise InvalidInputError(f"SamplingParams.top_k must be -1 (no limit) or >= 1, got {self.top_k}")
        _check_finite("top_p", self.top_p)
        if not 0.0 < self.top_p <= 1.0:
            raise InvalidInputError(f"SamplingParams.top_p must be in (0, 1], got {self.top_p}")
