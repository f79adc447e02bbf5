"""`tinker.types.sampling_params` path."""

from .sampling import SamplingParams

__all__ = ["SamplingParams"]
