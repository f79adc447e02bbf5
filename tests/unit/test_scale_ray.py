"""`tinker_ext.ray` without a Ray cluster (issue 23 part 3): the shared sampling dispatch of a fleet of
workers (`_scale/shared_dispatch.py`, desk and workers on one loop here; over Ray actors in
tests/integration/test_e2e_ray.py), pickled clients, and the refusals that come before any worker starts."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Awaitable

import pytest
import ray
from _fault_server import FakeTiming, FakeTinker
from test_sampling_dispatch import SamplingServer
from test_surface_drop_in import loopback

import tinker_ext as tinker
from tinker_ext._scale.shared_dispatch import AdmissionDesk, SharedDispatcher, install_shared_dispatcher
from tinker_ext.ray import SamplingWorkerPool, sample_many

KEY = "tml-ray-scale-secret-4242"


class DirectLink:
    """A `DeskLink` to a desk on the same loop (over Ray it is an actor handle)."""

    def __init__(self, desk: AdmissionDesk) -> None:
        self.desk = desk

    def acquire(self, ticket: str, worker: int, nbytes: int) -> Awaitable[None]:
        return self.desk.acquire(ticket, worker, nbytes)

    def cancel(self, ticket: str) -> None:
        self.desk.cancel(ticket)

    def release(self, nbytes: int) -> None:
        self.desk.release(nbytes)

    def on_throttled(self, nbytes: int) -> None:
        self.desk.on_throttled(nbytes)

    def on_accepted(self) -> None:
        self.desk.on_accepted()

    def wait_out_backoff(self) -> Awaitable[None]:
        return self.desk.wait_out_backoff()


def _fleet(max_in_flight: int) -> tuple[AdmissionDesk, FakeTiming, list[SharedDispatcher]]:
    clock = FakeTiming()
    dispatch = tinker.SamplingDispatch(max_in_flight=max_in_flight, min_in_flight=1, backoff=1.0)
    desk = AdmissionDesk(dispatch, clock.timing())
    workers = [SharedDispatcher(DirectLink(desk), i, dispatch, clock.timing()) for i in range(2)]
    return desk, clock, workers


def test_workers_share_one_in_flight_bound_and_one_backoff() -> None:
    desk, clock, (a, b) = _fleet(max_in_flight=2)

    async def scenario() -> None:
        await a.acquire("client", 10)
        await b.acquire("client", 10)
        third = asyncio.ensure_future(a.acquire("client", 10))
        for _ in range(5):
            await asyncio.sleep(0)
        assert not third.done()  # the fleet's bound, though worker a holds only one sample
        b.release(10)
        await third
        assert (desk.dispatcher.in_flight, desk.dispatcher.max_seen_in_flight) == (2, 2)
        assert (a.in_flight, b.in_flight, a.max_seen_in_flight) == (2, 0, 2)

        a.on_throttled(10)  # a 429 seen by worker a ...
        assert desk.dispatcher.limit == 1 and desk.dispatcher.throttled == 1 and a.throttled == 1
        await b.wait_out_backoff()  # ... pauses worker b's next POST too
        assert clock.sleeps == [1.0]
        a.release(10)
        a.release(10)
        assert desk.dispatcher.in_flight == 0 and desk.dispatcher.in_flight_bytes == 0

    asyncio.run(scenario())


def test_a_cancelled_wait_leaves_no_slot_taken() -> None:
    desk, _, (a, b) = _fleet(max_in_flight=1)

    async def scenario() -> None:
        await a.acquire("client", 5)
        waiting = asyncio.ensure_future(b.acquire("client", 5))
        await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        a.release(5)
        assert desk.dispatcher.in_flight == 0
        await desk.acquire("granted", 1, 5)  # granted, then its worker gave up: the slot comes back
        desk.cancel("granted")
        desk.cancel("early")  # a cancel that overtook its acquire: the acquire takes nothing
        await desk.acquire("early", 1, 5)
        assert desk.dispatcher.in_flight == 0 and desk.dispatcher.in_flight_bytes == 0

    asyncio.run(scenario())


def test_a_client_copy_samples_through_the_desk() -> None:
    server = FakeTinker()
    service = tinker.ServiceClient(api_key=KEY, base_url="http://t", _transport=server.transport())
    sampler = service.create_sampling_client(base_model="tiny/model")
    own = sampler._ctx.sample_dispatcher
    desk = AdmissionDesk(tinker.SamplingDispatch(max_in_flight=4, min_in_flight=1))
    install_shared_dispatcher(sampler, DirectLink(desk), worker=0)
    params = tinker.SamplingParams(max_tokens=2)
    results = [sampler.sample(tinker.ModelInput.from_ints([1]), 1, params) for _ in range(3)]
    assert [list(r.result(timeout=60).sequences[0].tokens) for r in results] == [[1, 2]] * 3
    assert 1 <= desk.dispatcher.max_seen_in_flight <= 3 and desk.dispatcher.in_flight == 0
    assert own.max_seen_in_flight == 0  # the copy's own dispatcher no longer decides
    service.close()


@pytest.mark.timeout(240)
def test_two_workers_contexts_throttled_by_the_server_keep_the_fleet_bound() -> None:
    """Two contexts (as two workers' copies would have), each allowing 128 samples in flight, linked to
    one desk of 8, against a server that answers every 7th asample with 429."""
    server = SamplingServer(throttle_every=7)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fleet = tinker.SamplingDispatch(max_in_flight=8, min_in_flight=2, backoff=0.002)
    desk = AdmissionDesk(fleet)
    services = [tinker.ServiceClient(api_key=KEY, base_url=server.url, wire="json") for _ in range(2)]
    try:
        samplers = [s.create_sampling_client(base_model="tiny/model") for s in services]
        workers = [install_shared_dispatcher(c, DirectLink(desk), i) for i, c in enumerate(samplers)]
        params = tinker.SamplingParams(max_tokens=3)
        futures = [
            samplers[i % 2].sample(tinker.ModelInput.from_ints([i, i + 1]), 1, params) for i in range(300)
        ]
        tokens = [list(f.result(timeout=200).sequences[0].tokens) for f in futures]
    finally:
        for service in services:
            service.close()
        server.shutdown()
        server.server_close()
    assert tokens == [[i, i + 1] for i in range(300)]  # each its own answer
    assert server.throttled > 10 and len(server.accepted) == 300
    assert desk.dispatcher.throttled == server.throttled == sum(w.throttled for w in workers)
    assert 1 < server.max_outstanding <= fleet.max_in_flight  # the fleet's bound, as the server saw it
    assert desk.dispatcher.in_flight == 0 and all(w.max_seen_in_flight >= 1 for w in workers)


def test_pickled_copies_hold_no_key_share_one_context_and_never_reuse_seq_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeTinker()
    with loopback(fake) as url:
        monkeypatch.setenv("TINKER_BASE_URL", url)
        monkeypatch.setenv("TINKER_API_KEY", KEY)
        service = tinker.ServiceClient(api_key=KEY, base_url=url)
        sampler = service.create_sampling_client(base_model="tiny/model")
        blobs = [pickle.dumps(sampler), ray.cloudpickle.dumps(sampler)]
        digest = hashlib.sha256(KEY.encode()).hexdigest()
        for blob in blobs:
            for secret in (KEY, digest[:16], base64.b64encode(KEY.encode()).decode()):
                assert secret.encode() not in blob
        copies = [pickle.loads(blobs[0]), ray.cloudpickle.loads(blobs[1])]
        assert copies[0]._ctx is copies[1]._ctx  # one HTTP pool and dispatch per process, as 0.38
        prompt, params = tinker.ModelInput.from_ints([1]), tinker.SamplingParams(max_tokens=2)
        for client in [sampler, *copies]:
            client.sample(prompt, 1, params).result(timeout=60)
        service.close()
    seq_ids = [body["seq_id"] for body in fake.bodies("/api/v1/asample")]
    assert seq_ids[0] == 0
    clone_ids = [seq_id // 1_000_000_000 for seq_id in seq_ids[1:]]
    assert all(1 <= c <= 1_000_000_000 for c in clone_ids) and len(set(clone_ids)) == 2
    headers = [r.headers["X-API-Key"] for r in fake.requests if r.path == "/api/v1/asample"]
    assert headers == [KEY] * 3  # the copies authenticated with this process's TINKER_API_KEY


def test_bad_arguments_are_refused_before_any_worker_starts() -> None:
    server = FakeTinker()
    service = tinker.ServiceClient(api_key=KEY, base_url="http://t", _transport=server.transport())
    sampler = service.create_sampling_client(base_model="tiny/model")
    prompt, params = tinker.ModelInput.from_ints([1]), tinker.SamplingParams(max_tokens=2)
    refused = [
        lambda: SamplingWorkerPool(object(), 2),  # type: ignore[arg-type]
        lambda: SamplingWorkerPool(sampler, 0),
        lambda: SamplingWorkerPool(sampler, True),
        lambda: SamplingWorkerPool(sampler, 2, per_worker_in_flight=0),
        lambda: SamplingWorkerPool(sampler, 2, dispatch="fast"),  # type: ignore[arg-type]
        lambda: SamplingWorkerPool(sampler, 2, ready_timeout=-1),
        lambda: SamplingWorkerPool(sampler, 2, actor_options=[("num_cpus", 1)]),  # type: ignore[arg-type]
        lambda: sample_many(sampler, prompt, params),  # type: ignore[arg-type]
        lambda: sample_many(sampler, [prompt, [1, 2]], params),  # type: ignore[list-item]
        lambda: sample_many(sampler, [prompt, prompt], [params]),
        lambda: sample_many(sampler, [prompt], {"max_tokens": 2}),  # type: ignore[arg-type]
    ]
    for call in refused:
        with pytest.raises(tinker.InvalidInputError):
            call()
    assert not ray.is_initialized()  # nothing was started
    assert server.bodies("/api/v1/asample") == []
    service.close()


def test_import_tinker_ext_does_not_import_ray() -> None:
    code = "import sys, tinker_ext; tinker_ext.ServiceClient; tinker_ext.SamplingClient; print('ray' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
