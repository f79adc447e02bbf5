"""forward / forward_backward: request bodies and the result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs

from ._wire import WireModel, expect_mapping, float_dict, opt_dict, req_list, req_str
from .datum import Datum
from .loss import LossFnType
from .tensor_data import TensorData

__all__ = [
    "ForwardBackwardInput",
    "ForwardBackwardOutput",
    "ForwardBackwardRequest",
    "ForwardRequest",
    "LossFnOutput",
]

LossFnOutput: TypeAlias = dict[str, TensorData]


@attrs.frozen
class ForwardBackwardInput(WireModel):
    """JSON: `{"data": [Datum], "loss_fn": ..., "loss_fn_config"?: {...}}` (no `type`)."""

    data: list[Datum]
    loss_fn: LossFnType
    loss_fn_config: Mapping[str, float | str] | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"data": [d.to_json() for d in self.data], "loss_fn": self.loss_fn}
        if self.loss_fn_config is not None:
            body["loss_fn_config"] = dict(self.loss_fn_config)
        return body


@attrs.frozen
class ForwardBackwardRequest(WireModel):
    """POST /api/v1/forward_backward (JSON): `{"forward_backward_input", "model_id", "seq_id"?}`."""

    forward_backward_input: ForwardBackwardInput
    model_id: str
    seq_id: int | None = None


@attrs.frozen
class ForwardRequest(WireModel):
    """POST /api/v1/forward (legacy JSON): same as forward_backward with the key `forward_input`."""

    forward_input: ForwardBackwardInput
    model_id: str
    seq_id: int | None = None


@attrs.frozen
class ForwardBackwardOutput(WireModel):
    """Result of forward/forward_backward: one output dict per datum, and `name:reduction` metrics."""

    loss_fn_output_type: str
    loss_fn_outputs: list[LossFnOutput]
    metrics: dict[str, float] = attrs.field(factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "loss_fn_output_type": self.loss_fn_output_type,
            "loss_fn_outputs": [{k: td.to_json() for k, td in out.items()} for out in self.loss_fn_outputs],
            "metrics": dict(self.metrics),
        }

    @classmethod
    def from_json(cls, data: Any) -> ForwardBackwardOutput:
        what = "ForwardBackwardOutput"
        body = expect_mapping(data, what)
        outputs = [
            {
                k: TensorData.from_json(td)
                for k, td in expect_mapping(out, f"{what}.loss_fn_outputs[]").items()
            }
            for out in req_list(body, "loss_fn_outputs", what)
        ]
        # The JSON mirror requires metrics; tolerate its absence (skyrl-style servers may omit it).
        metrics = opt_dict(body, "metrics", what) or {}
        output_type = req_str(body, "loss_fn_output_type", what)
        return cls(
            loss_fn_output_type=output_type.rsplit(":", 1)[-1],
            loss_fn_outputs=outputs,
            metrics=float_dict(metrics, what, "metrics"),
        )
