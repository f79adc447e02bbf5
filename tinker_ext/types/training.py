"""Model lifecycle: LoRA config, create_model, get_info, save/load weights, unload."""

from __future__ import annotations

from typing import Any, Literal

import attrs
from tinker_ext_raw.public import (
    CreateModelResponse,
    LoadWeightsResponse,
    LoraConfig,
    ModelData,
    SaveWeightsResponse,
    UnloadModelResponse,
)

from ._wire import (
    WireModel,
    expect_mapping,
    opt_bool,
    opt_int,
    opt_str,
    req,
    req_str,
)
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
    "SaveWeightsExternalResponse",
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
class GetInfoRequest(WireModel):
    model_id: str
    type: Literal["get_info"] = "get_info"


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


@attrs.frozen
class SaveWeightsRequest(WireModel):
    model_id: str
    path: str | None = None
    seq_id: int | None = None
    ttl_seconds: int | None = None
    overwrite: bool = False
    user_metadata: dict[str, str] | None = None  # 0.38
    type: Literal["save_weights"] = "save_weights"


@attrs.frozen
class SaveWeightsForSamplerRequest(WireModel):
    """Named save (`path`) or ephemeral save that creates a sampling session (`sampling_session_seq_id`)."""

    model_id: str
    path: str | None = None
    sampling_session_seq_id: int | None = None
    seq_id: int | None = None
    ttl_seconds: int | None = None
    user_metadata: dict[str, str] | None = None  # 0.38
    kind: Literal["snapshot", "inflight"] | None = None  # 0.38; None = the server's default (snapshot)
    type: Literal["save_weights_for_sampler"] = "save_weights_for_sampler"


@attrs.frozen
class SaveWeightsForSamplerResponseInternal(WireModel):
    """What the save_weights_for_sampler future decodes to (either field may be absent)."""

    path: str | None = None
    sampling_session_id: str | None = None
    type: Literal["save_weights_for_sampler"] | None = None

    @classmethod
    def from_json(cls, data: Any) -> SaveWeightsForSamplerResponseInternal:
        what = "SaveWeightsForSamplerResponse"
        body = expect_mapping(data, what)
        return cls(
            path=opt_str(body, "path", what), sampling_session_id=opt_str(body, "sampling_session_id", what)
        )


@attrs.frozen
class SaveWeightsForSamplerResponse(WireModel):
    """The public result of `save_weights_for_sampler(name)`."""

    path: str
    type: Literal["save_weights_for_sampler"] | None = None

    @classmethod
    def from_json(cls, data: Any) -> SaveWeightsForSamplerResponse:
        what = "SaveWeightsForSamplerResponse"
        return cls(path=req_str(expect_mapping(data, what), "path", what))

    def get_console_url(self) -> str:
        """The web console page of this checkpoint."""
        from .._console import checkpoint_url

        return checkpoint_url(self.path)

    def get_playground_url(self) -> str:
        """The web playground, set up to sample from this checkpoint."""
        from .._console import playground_url

        return playground_url(self.path)


# "snapshot": fixed weights; "inflight": a sampler that follows the model's later inflight saves.
SamplingClientKind = Literal["snapshot", "inflight"]


@attrs.frozen
class SaveWeightsExternalRequest(WireModel):
    model_id: str
    path: str
    seq_id: int | None = None
    ttl_seconds: int | None = None
    age_encryption_recipients: list[str] | None = None
    type: Literal["save_weights_external"] = "save_weights_external"


@attrs.frozen
class SaveWeightsExternalResponseInternal(WireModel):
    """What the save_weights_external future decodes to on the wire (either field may be absent)."""

    path: str | None = None
    size_bytes: int | None = None
    type: Literal["save_weights_external"] | None = None


@attrs.frozen
class SaveWeightsExternalResponse(WireModel):
    """The public result of `save_weights_external(name)`: `tinker://RUN/external_weights/NAME`.

    The wire result (`SaveWeightsExternalResponseInternal`) may also carry `size_bytes`, kept here."""

    path: str
    size_bytes: int | None = None
    type: Literal["save_weights_external"] | None = None

    @classmethod
    def from_json(cls, data: Any) -> SaveWeightsExternalResponse:
        what = "SaveWeightsExternalResponse"
        body = expect_mapping(data, what)
        return cls(path=req_str(body, "path", what), size_bytes=opt_int(body, "size_bytes", what))


@attrs.frozen
class UnloadModelRequest(WireModel):
    model_id: str
    type: Literal["unload_model"] = "unload_model"
