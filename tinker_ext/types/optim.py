"""Optimizer parameters and the optim_step request/response.

AdamParams, DimuonParams, AdamOptimizerConfig and DimuonOptimizerConfig are generated from openapi.yaml
(checks in tinker_ext._behaviour.optim); OptimParamsBase / OptimizerConfigBase (an open family: `type` plus
any fields, flat on the wire) and OptimStepRequest (0.38's three aliases of one field) are hand-written."""

from __future__ import annotations

from typing import Any, Literal

import attrs
from tinker_ext_raw.public import (
    AdamOptimizerConfig,
    AdamParams,
    DimuonOptimizerConfig,
    DimuonParams,
    OptimStepResponse,
)

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


OptimParams = AdamParams | DimuonParams | OptimParamsBase


def optim_params_body(params: Any) -> dict[str, Any]:
    """The optim_step body entry of `params`: `{"adam_params": ...}` for Adam, else
    `{"optimizer_params": {"type": ..., ...}}` (docs/PROTOCOL.md, JSON bodies)."""
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
