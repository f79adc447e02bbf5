"""Datum: one training example (model input + named loss-function input tensors)."""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
from tinker_ext_raw.public import Datum

from tinker_ext._types.datum import LOSS_FN_INPUT_DTYPES, coerce_loss_fn_input

from .tensor_data import TensorData

__all__ = ["LOSS_FN_INPUT_DTYPES", "Datum", "LossFnInputs", "coerce_loss_fn_input"]

LossFnInputs: TypeAlias = dict[str, TensorData]
# What a caller may pass per key: converted to TensorData at construction (see coerce_loss_fn_input).
LossFnInputValue: TypeAlias = "TensorData | np.ndarray[Any, Any] | list[Any] | tuple[Any, ...] | Any"
