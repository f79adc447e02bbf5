"""Optimizer parameters and the optim_step request/response (generated from openapi.yaml; checks in
tinker_ext._types.optim, the open family and OptimStepRequest's keyed field in
tinker_ext._types.families)."""

from __future__ import annotations

from typing import TypeAlias

from tinker_ext_raw.public import (
    AdamOptimizerConfig,
    AdamParams,
    DimuonOptimizerConfig,
    DimuonParams,
    OptimizerConfigBase,
    OptimParamsBase,
    OptimStepRequest,
    OptimStepResponse,
)

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
]

OptimParams: TypeAlias = AdamParams | OptimParamsBase
OptimizerConfig: TypeAlias = AdamOptimizerConfig | OptimizerConfigBase
