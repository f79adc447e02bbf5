"""Behaviour of the optimizer parameters: checked at construction (typed InvalidInputError), as before.

tinker 0.38 checks only some bounds (pydantic `ge`/`lt`); tinker-ext refuses every value a server would
reject or turn into NaN weights: non-finite numbers, negative rates, betas outside [0, 1), eps <= 0.
"""

from __future__ import annotations

import math

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["AdamParamsBehaviour", "DimuonParamsBehaviour"]


def _check_finite(owner: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(owner, name)
        if not math.isfinite(value):
            raise InvalidInputError(f"{type(owner).__name__}.{name} must be a finite number, got {value!r}")


def _check_beta(name: str, beta: float) -> None:
    if not 0 <= beta < 1:
        raise InvalidInputError(f"{name} must be in [0, 1), got {beta}")


class AdamParamsBehaviour:
    __slots__ = ()
    learning_rate: float
    beta1: float
    beta2: float
    eps: float
    weight_decay: float
    grad_clip_norm: float

    def _validate(self) -> None:
        _check_finite(self, ("learning_rate", "beta1", "beta2", "eps", "weight_decay", "grad_clip_norm"))
        if self.learning_rate < 0:
            raise InvalidInputError(f"learning_rate must be >= 0, got {self.learning_rate}")
        _check_beta("beta1", self.beta1)
        _check_beta("beta2", self.beta2)
        if self.eps <= 0:
            raise InvalidInputError(f"eps must be > 0, got {self.eps}")
        if self.weight_decay < 0:
            raise InvalidInputError(f"weight_decay must be >= 0, got {self.weight_decay}")
        if self.grad_clip_norm < 0:
            raise InvalidInputError(
                f"grad_clip_norm must be >= 0 (0 disables clipping), got {self.grad_clip_norm}"
            )


class DimuonParamsBehaviour:
    __slots__ = ()
    learning_rate: float
    grad_clip_norm: float
    beta1: float

    def _validate(self) -> None:
        _check_finite(self, ("learning_rate", "grad_clip_norm", "beta1"))
        if self.learning_rate < 0:
            raise InvalidInputError(f"learning_rate must be >= 0, got {self.learning_rate}")
        _check_beta("beta1", self.beta1)
