"""Sampling at scale on Ray (`pip install 'tinker-ext[ray]'`; docs/RAY.md).

A `SamplingClient` pickles without credentials (its handle: server URL and session ids) and can be passed
to Ray tasks and actors; each copy authenticates with its process's own credentials. `sample_many` and
`SamplingWorkerPool` fan a batch of prompts over N worker actors that share one sampling dispatch (one
in-flight bound, one backoff on 429), and return the results in prompt order.

Importing this module imports Ray; `import tinker_ext` never does.
"""

from __future__ import annotations

from tinker_ext._scale.ray_pool import DEFAULT_NUM_WORKERS, PoolStats, SamplingWorkerPool, sample_many

__all__ = ["DEFAULT_NUM_WORKERS", "PoolStats", "SamplingWorkerPool", "sample_many"]
