"""Datum: one training example (model input + named loss-function input tensors)."""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
from tinker_ext_raw.public import Datum

from .._exceptions import InvalidInputError
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
