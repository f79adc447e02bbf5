"""Optimizer parameters and the optim_step request/response."""

from __future__ import annotations

import math
from typing import Any, Literal

import attrs
from tinker_ext_raw.public import OptimStepResponse

from .._exceptions import InvalidInputError
from ._wire import ResponseFormatError, WireModel, expect_mapping

__all__ = [
    "AdamOptimizerConfig",
    "AdamParams",
    "DimuonOptimizerConfig",
    "DimuonParams",
    "OptimParams",
    "OptimParamsBase",
    "OptimStepRequest",
    "OptimStepResponse",
    "OptimizerConfig",
    "OptimizerConfigBase",
    "optim_params_body",
]


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
class _FamilyAndFields(WireModel):
    """`type` names an optimizer family, `extra` holds its fields; JSON is flat: `{**extra, "type"}`."""

    type: str
    extra: dict[str, Any] = attrs.field(factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {**self.extra, "type": self.type}


@attrs.frozen
class OptimParamsBase(_FamilyAndFields):
    """Parameters of an optimizer family other than Adam (sent as `optimizer_params` of optim_step)."""


@attrs.frozen
class DimuonParams(WireModel):
    """Dimuon hyper-parameters (tinker 0.38); the model must have been created with
    `optimizer=DimuonOptimizerConfig()`. JSON: `{"type": "dimuon", "learning_rate", "grad_clip_norm", "beta1"}`."""

    learning_rate: float
    grad_clip_norm: float = 0.0  # <= 0 disables clipping
    beta1: float = 0.9
    type: Literal["dimuon"] = "dimuon"

    def __attrs_post_init__(self) -> None:
        for name in ("learning_rate", "grad_clip_norm", "beta1"):
            object.__setattr__(self, name, _finite_float(name, getattr(self, name)))
        if self.learning_rate < 0:
            raise InvalidInputError(f"learning_rate must be >= 0, got {self.learning_rate}")
        if not 0 <= self.beta1 < 1:
            raise InvalidInputError(f"beta1 must be in [0, 1), got {self.beta1}")


OptimParams = AdamParams | DimuonParams | OptimParamsBase


def optim_params_body(params: Any) -> dict[str, Any]:
    """The optim_step body entry of `params`: `{"adam_params": ...}` for Adam, else
    `{"optimizer_params": {"type": ..., ...}}` (WIRE.md §2.3)."""
    if isinstance(params, AdamParams):
        return {"adam_params": params.to_json()}
    if isinstance(params, DimuonParams | OptimParamsBase):
        return {"optimizer_params": params.to_json()}
    raise InvalidInputError(
        f"optim_params must be AdamParams, DimuonParams or OptimParamsBase, got {type(params).__name__}"
    )


@attrs.frozen
class OptimizerConfigBase(_FamilyAndFields):
    """The optimizer a model is created with, for a family without a class of its own here."""


@attrs.frozen
class AdamOptimizerConfig(WireModel):
    type: Literal["adamw"] = "adamw"


@attrs.frozen
class DimuonOptimizerConfig(WireModel):
    type: Literal["dimuon"] = "dimuon"
    version: int = 1


OptimizerConfig = AdamOptimizerConfig | DimuonOptimizerConfig | OptimizerConfigBase


def optimizer_config_json(config: Any) -> dict[str, Any]:
    if not isinstance(config, AdamOptimizerConfig | DimuonOptimizerConfig | OptimizerConfigBase):
        raise InvalidInputError(
            "optimizer must be AdamOptimizerConfig, DimuonOptimizerConfig or OptimizerConfigBase, "
            f"got {type(config).__name__}"
        )
    return config.to_json()


def optimizer_config_from_json(data: Any, what: str) -> OptimizerConfig:
    """The optimizer config of a GetInfo / WeightsInfo answer (0.38; absent from older servers)."""
    body = expect_mapping(data, what)
    kind = body.get("type")
    if not isinstance(kind, str):
        raise ResponseFormatError(f"{what}.type: expected a string, got {kind!r}")
    if kind == "adamw":
        return AdamOptimizerConfig()
    if kind == "dimuon" and set(body) <= {"type", "version"} and isinstance(body.get("version", 1), int):
        return DimuonOptimizerConfig(version=int(body.get("version", 1)))
    return OptimizerConfigBase(type=kind, extra={k: v for k, v in body.items() if k != "type"})


@attrs.frozen(init=False)
class OptimStepRequest(WireModel):
    """JSON: `{"adam_params"|"optimizer_params": {...}, "model_id": ..., "seq_id"?: ..., "type": "optim_step"}`.

    The parameters may be given as `optim_params`, `adam_params` or `optimizer_params` (0.38's aliases)."""

    optim_params: OptimParams
    model_id: str
    seq_id: int | None = None
    type: Literal["optim_step"] = "optim_step"

    def __init__(
        self,
        *,
        model_id: str,
        optim_params: OptimParams | None = None,
        adam_params: AdamParams | None = None,
        optimizer_params: DimuonParams | OptimParamsBase | None = None,
        seq_id: int | None = None,
        type: Literal["optim_step"] = "optim_step",
    ) -> None:
        given = [p for p in (optim_params, adam_params, optimizer_params) if p is not None]
        if len(given) != 1:
            raise InvalidInputError("Pass exactly one of optim_params, adam_params or optimizer_params")
        optim_params_body(given[0])  # type check
        self.__attrs_init__(given[0], model_id, seq_id, type)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {**optim_params_body(self.optim_params), "model_id": self.model_id}
        if self.seq_id is not None:
            body["seq_id"] = self.seq_id
        body["type"] = self.type
        return body
