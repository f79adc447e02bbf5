"""forward / forward_backward: request bodies and the result."""

from __future__ import annotations

from typing import TypeAlias

from tinker_ext_raw.public import (
    ForwardBackwardInput,
    ForwardBackwardOutput,
    ForwardBackwardRequest,
    ForwardRequest,
)

from .tensor_data import TensorData

__all__ = [
    "ForwardBackwardInput",
    "ForwardBackwardOutput",
    "ForwardBackwardRequest",
    "ForwardRequest",
    "LossFnOutput",
]

LossFnOutput: TypeAlias = dict[str, TensorData]
