"""Model lifecycle: LoRA config, create_model, get_info, save/load weights, unload.

Generated from openapi.yaml (tinker_ext_raw.public) except CreateModelRequest, GetInfoResponse and
LoadWeightsRequest, which hold an optimizer config (still hand-written in types/optim.py)."""

from __future__ import annotations

from typing import Any, Literal

import attrs
from tinker_ext_raw.public import (
    CreateModelResponse,
    GetInfoRequest,
    LoadWeightsResponse,
    LoraConfig,
    ModelData,
    SaveWeightsExternalRequest,
    SaveWeightsExternalResponse,
    SaveWeightsExternalResponseInternal,
    SaveWeightsForSamplerRequest,
    SaveWeightsForSamplerResponse,
    SaveWeightsForSamplerResponseInternal,
    SaveWeightsRequest,
    SaveWeightsResponse,
    UnloadModelRequest,
    UnloadModelResponse,
)

from ._wire import WireModel, expect_mapping, opt_bool, opt_int, opt_str, req, req_str
from .optim import OptimizerConfig, optimizer_config_from_json

__all__ = [
    "CreateModelRequest",
    "CreateModelResponse",
    "GetInfoRequest",
    "GetInfoResponse",
    "LoadWeightsRequest",
    "LoadWeightsResponse",
    "LoraConfig",
    "ModelData",
    "SaveWeightsExternalRequest",
    "SaveWeightsExternalResponse",
    "SaveWeightsExternalResponseInternal",
    "SaveWeightsForSamplerRequest",
    "SaveWeightsForSamplerResponse",
    "SaveWeightsForSamplerResponseInternal",
    "SaveWeightsRequest",
    "SaveWeightsResponse",
    "UnloadModelRequest",
    "UnloadModelResponse",
]


@attrs.frozen
class CreateModelRequest(WireModel):
    session_id: str
    model_seq_id: int
    base_model: str
    user_metadata: dict[str, Any] | None = None
    lora_config: LoraConfig | None = None
    optimizer_config: OptimizerConfig | None = None  # 0.38; None = the server's default (adamw)
    type: Literal["create_model"] = "create_model"


@attrs.frozen
class GetInfoResponse(WireModel):
    model_data: ModelData
    model_id: str
    is_lora: bool | None = None
    lora_rank: int | None = None
    model_name: str | None = None
    type: Literal["get_info"] | None = None
    optimizer_config: OptimizerConfig | None = None  # 0.38 servers only

    @classmethod
    def from_json(cls, data: Any) -> GetInfoResponse:
        what = "GetInfoResponse"
        body = expect_mapping(data, what)
        return cls(
            model_data=ModelData.from_json(req(body, "model_data", what)),
            model_id=req_str(body, "model_id", what),
            is_lora=opt_bool(body, "is_lora", what),
            lora_rank=opt_int(body, "lora_rank", what),
            model_name=opt_str(body, "model_name", what),
            type="get_info" if body.get("type") == "get_info" else None,
            optimizer_config=(
                None
                if body.get("optimizer_config") is None
                else optimizer_config_from_json(body["optimizer_config"], f"{what}.optimizer_config")
            ),
        )


@attrs.frozen
class LoadWeightsRequest(WireModel):
    """Legacy addressing (`model_id` + `seq_id`) or create-via-load (`session_id` + `model_seq_id`)."""

    path: str
    optimizer: bool
    model_id: str | None = None
    seq_id: int | None = None
    session_id: str | None = None
    model_seq_id: int | None = None
    base_model: str | None = None
    user_metadata: dict[str, Any] | None = None
    weights_access_token: str | None = attrs.field(default=None, repr=False)
    optimizer_config: OptimizerConfig | None = None  # 0.38: the new model's optimizer (weights-only load)
    type: Literal["load_weights"] = "load_weights"


# "snapshot": fixed weights; "inflight": a sampler that follows the model's later inflight saves.
SamplingClientKind = Literal["snapshot", "inflight"]
