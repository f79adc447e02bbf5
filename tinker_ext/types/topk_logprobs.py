"""0.38's `tinker.types.topk_logprobs`: top-k logprobs as two dense `(length, k)` matrices (defined beside
the sample types' behaviour, which builds and reads them)."""

from __future__ import annotations

from tinker_ext._types.topk import MASK_LOGPROB, TopkLogprobs, topk_to_lists

__all__ = ["MASK_LOGPROB", "TopkLogprobs", "topk_to_lists"]
