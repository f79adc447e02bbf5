"""TensorDtype: the two element types on the public wire."""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = ["TensorDtype"]

TensorDtype: TypeAlias = Literal["int64", "float32"]
