"""`tinker.types.loss_fn_type` path."""

from .loss import LossFnType

__all__ = ["LossFnType"]
