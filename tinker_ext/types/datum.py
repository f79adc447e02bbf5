"""Datum: one training example (model input + named loss-function input tensors)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs
import numpy as np

from .._exceptions import InvalidInputError
from ._wire import expect_mapping, req, req_dict
from .model_input import ModelInput
from .provenance import ProvenanceSpans, check_tiling
from .tensor_data import TensorData
from .tensor_dtype import TensorDtype

__all__ = ["LOSS_FN_INPUT_DTYPES", "Datum", "LossFnInputs", "coerce_loss_fn_input"]

LossFnInputs: TypeAlias = dict[str, TensorData]
# What a caller may pass per key: converted to TensorData at construction (see coerce_loss_fn_input).
LossFnInputValue: TypeAlias = "TensorData | np.ndarray[Any, Any] | list[Any] | tuple[Any, ...] | Any"

# Known loss_fn_inputs keys and the wire dtype a raw Python list under that key is cast to.
LOSS_FN_INPUT_DTYPES: dict[str, TensorDtype] = {
    "target_tokens": "int64",
    "weights": "float32",
    "advantages": "float32",
    "logprobs": "float32",
    "clip_low_threshold": "float32",
    "clip_high_threshold": "float32",
    "sequence_ratio_mask": "float32",
}

# 2-D torch tensors under these keys are CSR-encoded when that is smaller (as the official SDK does).
_SPARSE_ELIGIBLE_KEYS = frozenset({"target_tokens", "weights"})


def _is_torch_tensor(value: Any) -> bool:
    module = type(value).__module__
    return module.startswith("torch") and hasattr(value, "detach")


def coerce_loss_fn_input(key: str, value: Any) -> TensorData:
    """Turn a TensorData / numpy array / torch tensor / list into TensorData.

    numpy and torch keep their own dtype (float -> float32, int -> int64); a plain list is cast
    to the dtype its key requires, so a list under an unknown key is an error.
    """
    if isinstance(value, TensorData):
        return value
    if isinstance(value, np.ndarray):
        return TensorData.from_numpy(value)
    if _is_torch_tensor(value):
        if key in _SPARSE_ELIGIBLE_KEYS and value.ndim == 2:
            return TensorData.from_torch_sparse(value)
        return TensorData.from_torch(value)
    if isinstance(value, list | tuple):
        dtype = LOSS_FN_INPUT_DTYPES.get(key)
        if dtype is None:
            raise InvalidInputError(
                f"loss_fn_inputs[{key!r}] is a plain list but {key!r} is not a known key, so its dtype is "
                f"unknown; pass a numpy array, a torch tensor or a TensorData instead"
            )
        try:
            array = np.asarray(value)
        except ValueError as exc:
            raise InvalidInputError(f"loss_fn_inputs[{key!r}] must be a rectangular numeric array") from exc
        if array.dtype.kind not in "biuf":
            raise InvalidInputError(
                f"loss_fn_inputs[{key!r}] must be a rectangular numeric array, got numpy dtype {array.dtype}"
            )
        # Cast like the official SDK, but never silently: 1.0 -> 1 is fine, 1.5 or True is not a token id.
        if dtype == "int64" and array.size and not _integral(array):
            raise InvalidInputError(
                f"loss_fn_inputs[{key!r}] must hold integers (token ids), got {array.dtype} values"
            )
        return TensorData(data=array, dtype=dtype, shape=list(array.shape))
    raise InvalidInputError(f"unsupported loss_fn_inputs value for {key!r}: {type(value).__name__}")


def _integral(array: np.ndarray[Any, Any]) -> bool:
    if array.dtype.kind in "iu":
        return True
    if array.dtype.kind == "b":
        return False
    return bool(np.all(np.isfinite(array) & (array == np.round(array))))


def _coerce_loss_fn_inputs(value: Mapping[str, LossFnInputValue]) -> LossFnInputs:
    if not isinstance(value, Mapping):
        raise InvalidInputError("Datum.loss_fn_inputs must be a mapping of name -> tensor")
    return {str(k): coerce_loss_fn_input(str(k), v) for k, v in value.items()}


@attrs.frozen
class Datum:
    """JSON: `{"loss_fn_inputs": {name: TensorData}, "model_input": ModelInput}`."""

    model_input: ModelInput
    loss_fn_inputs: LossFnInputs = attrs.field(factory=dict, converter=_coerce_loss_fn_inputs)
    # 0.38 provenance (client-side only, never in the JSON); set both or neither.
    model_input_spans: ProvenanceSpans | None = None
    loss_fn_input_spans: ProvenanceSpans | None = None

    def __attrs_post_init__(self) -> None:
        if (self.model_input_spans is None) != (self.loss_fn_input_spans is None):
            raise InvalidInputError("model_input_spans and loss_fn_input_spans must be set together")
        if not isinstance(self.model_input, ModelInput):
            raise InvalidInputError(
                f"Datum.model_input must be a ModelInput, got {type(self.model_input).__name__}"
            )

    def with_provenance(self, model_input: ProvenanceSpans, loss_fn_inputs: ProvenanceSpans) -> Datum:
        """A copy carrying provenance spans: `model_input` spans tile the input tokens,
        `loss_fn_inputs` spans tile a 1-D `target_tokens` (checked here)."""
        check_tiling("model_input", model_input, self.model_input.length)
        targets = self.loss_fn_inputs.get("target_tokens")
        if targets is not None and targets.shape is not None and len(targets.shape) == 1:
            check_tiling("loss_fn_inputs", loss_fn_inputs, targets.shape[0])
        return attrs.evolve(
            self, model_input_spans=list(model_input), loss_fn_input_spans=list(loss_fn_inputs)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "loss_fn_inputs": {name: tensor.to_json() for name, tensor in self.loss_fn_inputs.items()},
            "model_input": self.model_input.to_json(),
        }

    @classmethod
    def from_json(cls, data: Any) -> Datum:
        body = expect_mapping(data, "Datum")
        inputs = req_dict(body, "loss_fn_inputs", "Datum")
        return cls(
            model_input=ModelInput.from_json(req(body, "model_input", "Datum")),
            loss_fn_inputs={name: TensorData.from_json(td) for name, td in inputs.items()},
        )
