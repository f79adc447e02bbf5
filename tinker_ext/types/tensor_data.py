"""TensorData: a numpy-backed tensor with the official wire shape (generated from openapi.yaml; behaviour
in tinker_ext._types.tensor_data)."""

from __future__ import annotations

from tinker_ext_raw.public import TensorData

__all__ = ["TensorData"]
