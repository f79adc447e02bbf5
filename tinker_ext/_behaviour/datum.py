"""Behaviour of Datum: friendly loss_fn_inputs (numpy, torch, lists) and 0.38's provenance spans."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, cast

from tinker_ext._exceptions import InvalidInputError

if TYPE_CHECKING:
    from tinker_ext.types.model_input import ModelInput
    from tinker_ext.types.provenance import ProvenanceSpans
    from tinker_ext.types.tensor_data import TensorData

__all__ = ["DatumBehaviour"]


_COERCE: list[Any] = []


def _coerce_input() -> Any:
    if not _COERCE:  # not at import: tinker_ext.types imports the generated Datum, which imports us
        from tinker_ext.types.datum import coerce_loss_fn_input

        _COERCE.append(coerce_loss_fn_input)
    return _COERCE[0]


class DatumBehaviour:
    __slots__ = ()
    model_input: ModelInput
    loss_fn_inputs: dict[str, TensorData]
    model_input_spans: Any
    loss_fn_input_spans: Any

    def _coerce(self) -> None:
        coerce_loss_fn_input = _coerce_input()
        inputs = self.loss_fn_inputs
        if not isinstance(inputs, Mapping):
            raise InvalidInputError("Datum.loss_fn_inputs must be a mapping of name -> tensor")
        object.__setattr__(
            self, "loss_fn_inputs", {str(k): coerce_loss_fn_input(str(k), v) for k, v in inputs.items()}
        )

    def _validate(self) -> None:
        if (self.model_input_spans is None) != (self.loss_fn_input_spans is None):
            raise InvalidInputError("model_input_spans and loss_fn_input_spans must be set together")

    def with_provenance(self, model_input: ProvenanceSpans, loss_fn_inputs: ProvenanceSpans) -> Self:
        """A copy carrying provenance spans: `model_input` spans tile the input tokens,
        `loss_fn_inputs` spans tile a 1-D `target_tokens` (checked here)."""
        from tinker_ext.types.provenance import check_tiling

        check_tiling("model_input", model_input, self.model_input.length)
        targets = self.loss_fn_inputs.get("target_tokens")
        if targets is not None and targets.shape is not None and len(targets.shape) == 1:
            check_tiling("loss_fn_inputs", loss_fn_inputs, targets.shape[0])
        copy = dataclasses.replace(
            cast(Any, self), model_input_spans=list(model_input), loss_fn_input_spans=list(loss_fn_inputs)
        )
        return cast(Self, copy)

    def to_json(self) -> dict[str, Any]:
        # the official body's key order
        return {
            "loss_fn_inputs": {name: tensor.to_json() for name, tensor in self.loss_fn_inputs.items()},
            "model_input": self.model_input.to_json(),
        }

    def _request_json(self) -> dict[str, Any]:
        """`to_json()` with the tensors' values as numpy arrays, for the JSON request encoder (orjson with
        OPT_SERIALIZE_NUMPY writes the same bytes, faster; see TensorData._request_json)."""
        return {
            "loss_fn_inputs": {name: tensor._request_json() for name, tensor in self.loss_fn_inputs.items()},
            "model_input": self.model_input.to_json(),
        }
