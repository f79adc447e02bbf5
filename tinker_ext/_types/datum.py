"""Behaviour of Datum: friendly loss_fn_inputs (numpy, torch, lists) and 0.38's provenance spans."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, cast

import numpy as np

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._types._generated import generated_class
from tinker_ext._types.provenance import check_tiling
from tinker_ext._types.tensor_data import TensorDataBehaviour

if TYPE_CHECKING:
    from tinker_ext.types.model_input import ModelInput
    from tinker_ext.types.provenance import ProvenanceSpans
    from tinker_ext.types.tensor_data import TensorData
    from tinker_ext.types.tensor_dtype import TensorDtype

__all__ = ["LOSS_FN_INPUT_DTYPES", "DatumBehaviour", "coerce_loss_fn_input"]

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
    if isinstance(value, TensorDataBehaviour):
        return cast("TensorData", value)
    tensor_data = generated_class(TensorDataBehaviour)
    if isinstance(value, np.ndarray):
        return cast("TensorData", tensor_data.from_numpy(value))
    if _is_torch_tensor(value):
        if key in _SPARSE_ELIGIBLE_KEYS and value.ndim == 2:
            return cast("TensorData", tensor_data.from_torch_sparse(value))
        return cast("TensorData", tensor_data.from_torch(value))
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
        return cast("TensorData", tensor_data(data=array, dtype=dtype, shape=list(array.shape)))
    raise InvalidInputError(f"unsupported loss_fn_inputs value for {key!r}: {type(value).__name__}")


def _integral(array: np.ndarray[Any, Any]) -> bool:
    if array.dtype.kind in "iu":
        return True
    if array.dtype.kind == "b":
        return False
    return bool(np.all(np.isfinite(array) & (array == np.round(array))))


class DatumBehaviour:
    __slots__ = ()
    model_input: ModelInput
    loss_fn_inputs: dict[str, TensorData]
    model_input_spans: Any
    loss_fn_input_spans: Any

    def _coerce(self) -> None:
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
