"""Optimizer parameters and the optim_step request/response."""

from __future__ import annotations

import math
from typing import Any, Literal

import attrs

from .._exceptions import InvalidInputError
from ._wire import WireModel, expect_mapping, float_dict, opt_dict

__all__ = ["AdamParams", "OptimStepRequest", "OptimStepResponse"]


def _finite_float(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(f"AdamParams.{name} must be a finite number, got {value!r}")
    return float(value)


@attrs.frozen
class AdamParams(WireModel):
    """AdamW hyper-parameters (no `type` on the wire). Validated at construction."""

    learning_rate: float = 1e-4
    beta1: float = 0.9
    beta2: float = 0.95
    eps: float = 1e-12
    weight_decay: float = 0.0
    grad_clip_norm: float = 0.0  # 0 = no clipping

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(AdamParams):
            object.__setattr__(self, field.name, _finite_float(field.name, getattr(self, field.name)))
        if self.learning_rate < 0:
            raise InvalidInputError(f"learning_rate must be >= 0, got {self.learning_rate}")
        for name in ("beta1", "beta2"):
            beta = getattr(self, name)
            if not 0 <= beta < 1:
                raise InvalidInputError(f"{name} must be in [0, 1), got {beta}")
        if self.eps <= 0:
            raise InvalidInputError(f"eps must be > 0, got {self.eps}")
        if self.weight_decay < 0:
            raise InvalidInputError(f"weight_decay must be >= 0, got {self.weight_decay}")
        if self.grad_clip_norm < 0:
            raise InvalidInputError(
                f"grad_clip_norm must be >= 0 (0 disables clipping), got {self.grad_clip_norm}"
            )

    @classmethod
    def from_json(cls, data: Any) -> AdamParams:
        body = expect_mapping(data, "AdamParams")
        known = {f.name for f in attrs.fields(cls)}
        return cls(**{k: v for k, v in body.items() if k in known})


@attrs.frozen
class OptimStepRequest(WireModel):
    """JSON: `{"adam_params": {...}, "model_id": ..., "seq_id"?: ..., "type": "optim_step"}`."""

    adam_params: AdamParams
    model_id: str
    seq_id: int | None = None
    type: Literal["optim_step"] = "optim_step"


@attrs.frozen
class OptimStepResponse(WireModel):
    metrics: dict[str, float] | None = None

    @classmethod
    def from_json(cls, data: Any) -> OptimStepResponse:
        body = expect_mapping(data, "OptimStepResponse")
        metrics = opt_dict(body, "metrics", "OptimStepResponse")
        return cls(metrics=None if metrics is None else float_dict(metrics, "OptimStepResponse", "metrics"))
