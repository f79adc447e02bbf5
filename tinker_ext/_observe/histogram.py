"""A fixed-size latency histogram: log-spaced buckets (about 4 % wide), so memory is bounded whatever the
number of samples and a quantile is read to within one bucket's width."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["Histogram"]

_GROWTH = 1.04
_LOG_GROWTH = math.log(_GROWTH)
_MIN_MS = 0.01  # everything faster lands in bucket 0
# 0.01 ms .. about 10 hours: enough for any wait of the SDK; slower lands in the last bucket
_BUCKETS = int(math.log(36_000_000.0 / _MIN_MS) / _LOG_GROWTH) + 2


class Histogram:
    """Counts of durations (milliseconds) per log-spaced bucket, plus exact count, sum and max."""

    __slots__ = ("buckets", "count", "max_ms", "sum_ms")

    def __init__(self) -> None:
        self.buckets = [0] * _BUCKETS
        self.count = 0
        self.sum_ms = 0.0
        self.max_ms = 0.0

    def add(self, ms: float) -> None:
        """One duration (the rare series: queue-state durations; the hot records come in batches)."""
        self.add_many(np.array([ms], dtype=np.float64))

    def add_many(self, values: np.ndarray[Any, np.dtype[np.float64]]) -> None:
        """Count each of `values` (ms): bucket 0 holds everything up to `_MIN_MS`, bucket i >= 1 from
        `_MIN_MS * _GROWTH**(i - 1)`, the last one everything slower (`Metrics.flush` passes a batch)."""
        if not len(values):
            return
        index = np.log(np.maximum(values, _MIN_MS) / _MIN_MS) / _LOG_GROWTH + 1.0
        index[values <= _MIN_MS] = 0.0
        counts = np.bincount(np.minimum(index, _BUCKETS - 1).astype(np.intp), minlength=_BUCKETS)
        buckets = self.buckets
        for bucket in np.flatnonzero(counts).tolist():
            buckets[bucket] += int(counts[bucket])
        self.count += len(values)
        self.sum_ms += float(values.sum())
        top = float(values.max())
        if top > self.max_ms:
            self.max_ms = top

    def copy(self) -> Histogram:
        other = Histogram()
        other.buckets = list(self.buckets)
        other.count, other.sum_ms, other.max_ms = self.count, self.sum_ms, self.max_ms
        return other

    def quantile(self, q: float) -> float | None:
        """The q-quantile (0 < q <= 1) in ms: the upper edge of the bucket holding it, capped by the max
        seen (None when empty)."""
        if self.count == 0:
            return None
        rank = max(1, math.ceil(q * self.count))
        seen = 0
        for index, n in enumerate(self.buckets):
            seen += n
            if seen >= rank:
                # the last bucket holds everything slower: its edge is the max seen
                return self.max_ms if index == _BUCKETS - 1 else min(upper_edge(index), self.max_ms)
        return self.max_ms


def upper_edge(index: int) -> float:
    """The largest duration (ms) bucket `index` holds."""
    return _MIN_MS * _GROWTH**index
