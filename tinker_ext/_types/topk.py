"""0.38's `tinker.types.topk_logprobs`: top-k logprobs as two dense `(length, k)` matrices.

`TopkLogprobs(token_ids, logprobs)` holds int32 token ids and float32 logprobs; positions or slots with
fewer than k entries are padded with token id 0 and `MASK_LOGPROB`. `topk_to_lists` turns the matrices
back into the list form (`[(token_id, logprob), ...]` per position, None for an all-padding position).
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["MASK_LOGPROB", "TopkLogprobs", "topk_to_lists"]

MASK_LOGPROB = -99999.0


@dataclasses.dataclass(frozen=True, slots=True)
class TopkLogprobs:
    """Top-k tokens per position: `token_ids` (int32) and `logprobs` (float32), both `(length, k)`."""

    token_ids: Any
    logprobs: Any


def topk_to_lists(topk: TopkLogprobs) -> list[list[tuple[int, float]] | None]:
    """Per position the `(token_id, logprob)` pairs without trailing padding; None when the position's
    first slot is padding (0.38's rule); [] for an empty matrix (no positions or k == 0)."""
    if 0 in topk.token_ids.shape:
        return []
    ids = topk.token_ids.tolist()
    logprobs = topk.logprobs.tolist()
    rows: list[list[tuple[int, float]] | None] = []
    for id_row, lp_row in zip(ids, logprobs, strict=True):
        pairs = [(int(i), float(lp)) for i, lp in zip(id_row, lp_row, strict=True)]
        if pairs[0] == (0, MASK_LOGPROB):
            rows.append(None)
            continue
        while pairs[-1] == (0, MASK_LOGPROB):
            pairs.pop()
        rows.append(pairs)
    return rows
