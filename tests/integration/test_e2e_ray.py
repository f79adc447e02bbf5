"""`tinker_ext.ray` on a local Ray cluster (`ray.init(num_cpus=2)`) against the real local servers
(issue 23 part 3).

The workers get the SamplingClient pickled, without credentials: they authenticate with TINKER_API_KEY /
TINKER_BASE_URL from their own environment (set here before `ray.init`, as a cluster's nodes would have
them). A loopback TCP proxy in front of the server counts the connections the server is asked to accept.

- 8 worker actors sampling 32 seeded prompts give exactly the tokens one process gets, in prompt order;
  the fleet never has more samples in flight than its one shared `SamplingDispatch` allows, and opens at
  most `workers x (per-worker bound + 2)` connections (a connection per request would be > 64).
- A pickled client used as an argument of Ray tasks samples like the original; the pickle holds neither
  the key nor its sha256; workers configured for another server fail at start instead of sending
  their key here.
- The example of docs/RAY.md runs as it is.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import pickle
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import ray
from _tcp_proxy import CountingProxy

import tinker_ext as tinker
from tinker_ext.ray import SamplingWorkerPool

pytestmark = [pytest.mark.integration, pytest.mark.ray]

RAY_DOC = Path(__file__).resolve().parents[2] / "docs" / "RAY.md"
NUM_WORKERS = 8
NUM_PROMPTS = 32
DISPATCH = tinker.SamplingDispatch(max_in_flight=16, min_in_flight=4)  # 2 per worker
# per worker: a connection its HTTP pool replaces (the server closed one); the driver's heartbeat
SPARE_CONNECTIONS_PER_WORKER = 2


@pytest.fixture(scope="module")
def cluster(tinker_server) -> Iterator[CountingProxy]:
    """A local Ray cluster whose workers find the server (through the proxy) and the key in their env."""
    proxy = CountingProxy(tinker_server.base_url)
    saved = {name: os.environ.get(name) for name in ("TINKER_BASE_URL", "TINKER_API_KEY")}
    os.environ["TINKER_BASE_URL"] = proxy.base_url
    os.environ["TINKER_API_KEY"] = tinker_server.api_key
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield proxy
    finally:
        ray.shutdown()
        proxy.close()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _prompts() -> list[tinker.ModelInput]:
    return [tinker.ModelInput.from_ints([11 + i % 7, 12 + i % 3, 13, 14]) for i in range(NUM_PROMPTS)]


def _params() -> list[tinker.SamplingParams]:
    return [tinker.SamplingParams(max_tokens=4, temperature=1.0, seed=100 + i) for i in range(NUM_PROMPTS)]


def _tokens(response: tinker.SampleResponse) -> tuple[int, ...]:
    assert len(response.sequences) == 1
    return tuple(int(t) for t in response.sequences[0].tokens)


def test_eight_workers_sample_like_one_process_without_a_connection_storm(tinker_server, cluster):
    proxy = cluster
    proxy.reset()
    with tinker.ServiceClient(base_url=proxy.base_url, api_key=tinker_server.api_key) as service:
        sampler = service.create_sampling_client(base_model=tinker_server.base_model)
        prompts, params = _prompts(), _params()
        futures = [sampler.sample(p, 1, q) for p, q in zip(prompts, params, strict=True)]
        expected = [_tokens(f.result(timeout=600)) for f in futures]
        one_process_connections = proxy.accepted

        proxy.reset()
        with SamplingWorkerPool(sampler, NUM_WORKERS, dispatch=DISPATCH) as pool:
            results = pool.sample_many(prompts, params, timeout=600)
            stats = pool.stats()
            connections = proxy.accepted
            # A failed sample is raised as the SDK's error (here refused in its worker: the token id is
            # beyond the vocabulary the worker finds locally), the other samples of its batch cancelled.
            beyond = [*prompts[:3], tinker.ModelInput.from_ints([10**6])]
            with pytest.raises(tinker.InvalidInputError, match="vocabulary"):
                pool.sample_many(beyond, params[:4], timeout=600)

    assert [_tokens(r) for r in results] == expected  # same tokens, prompt order
    assert len(set(expected)) > 1  # the prompts and seeds really differ
    assert stats.in_flight == 0 and 1 <= stats.max_seen_in_flight <= DISPATCH.max_in_flight
    per_worker = stats.worker_max_seen_in_flight
    assert len(per_worker) == NUM_WORKERS and max(per_worker) <= pool.per_worker_in_flight == 2
    assert min(per_worker) >= 1  # every worker sampled
    bound = NUM_WORKERS * (pool.per_worker_in_flight + SPARE_CONNECTIONS_PER_WORKER)
    print(
        f"[{tinker_server.kind}] {NUM_PROMPTS} prompts on {NUM_WORKERS} Ray workers: {connections} TCP "
        f"connections accepted (bound {bound}; one process: {one_process_connections}); fleet max in flight "
        f"{stats.max_seen_in_flight}, per worker "
        f"{per_worker}, 429s {stats.throttled}"
    )
    assert 1 <= connections <= bound


def test_a_pickled_client_samples_in_ray_tasks_and_holds_no_key(tinker_server, cluster):
    proxy = cluster
    key = tinker_server.api_key
    with tinker.ServiceClient(base_url=proxy.base_url, api_key=key) as service:
        sampler = service.create_sampling_client(base_model=tinker_server.base_model)
        for blob in (pickle.dumps(sampler), ray.cloudpickle.dumps(sampler)):
            for secret in (
                key,
                hashlib.sha256(key.encode()).hexdigest()[:16],
                base64.b64encode(key.encode()).decode(),
                base64.urlsafe_b64encode(key.encode()).decode(),
            ):
                assert secret.encode() not in blob

        @ray.remote(num_cpus=0)
        def sample_in_task(client: tinker.SamplingClient, tokens: list[int]) -> list[int]:
            params = tinker.SamplingParams(max_tokens=4, temperature=0.0)
            response = client.sample(tinker.ModelInput.from_ints(tokens), 1, params).result(timeout=300)
            return [int(t) for t in response.sequences[0].tokens]

        prompts = [[11 + i, 12, 13] for i in range(4)]
        greedy = tinker.SamplingParams(max_tokens=4, temperature=0.0)
        expected = [
            list(_tokens(sampler.sample(tinker.ModelInput.from_ints(p), 1, greedy).result(timeout=300)))
            for p in prompts
        ]
        got = ray.get([sample_in_task.remote(sampler, p) for p in prompts], timeout=300)
        assert got == expected

        # Workers configured for another server never send their key to this one: they fail at start.
        elsewhere = {"runtime_env": {"env_vars": {"TINKER_BASE_URL": "http://127.0.0.1:9"}}}
        with pytest.raises(ray.exceptions.RayActorError, match="TINKER_BASE_URL"):
            SamplingWorkerPool(sampler, 1, actor_options=elsewhere, ready_timeout=60)


def test_the_docs_example_runs(tinker_server, cluster, monkeypatch):
    """The first python block of docs/RAY.md, run as it is (in this process: Ray is already up)."""
    block = re.search(r"```python\n(.*?)```", RAY_DOC.read_text(), re.DOTALL)
    assert block is not None
    monkeypatch.setenv("TINKER_BASE_MODEL", tinker_server.base_model)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block.group(1), str(RAY_DOC), "exec"), {"__name__": "__ray_doc__"})
    lines = out.getvalue().splitlines()
    assert [line.split(" -> ")[0] for line in lines] == ["[11, 12, 13]", "[12, 12, 13]", "[13, 12, 13]"]
    assert all(len(json.loads(line.split(" -> ")[1])) >= 1 for line in lines)
