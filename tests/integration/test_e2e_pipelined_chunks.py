"""Pipelined chunks on the real servers: with a byte budget that lets every chunk be in flight at once, a
forward_backward gives the same result as with one that forces one chunk at a time, the seq_ids reach
the server in order (the servers refuse or reorder otherwise) and the numpy token path
(`ModelInput.from_numpy`) gives what token lists give.

The budget lives on the ServiceClient's shared context (`_ctx.fwdbwd_budget`, from
`Limits.max_fwdbwd_bytes_in_flight`); the test swaps it on one client, as test_e2e_chunking does with the
chunk limits. No optim_step runs, so the weights (and thus the logprobs) are the same for every call.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from _recording import RecordingTransport

import tinker_ext as tinker
from tinker_ext._session.byte_budget import ByteBudget
from tinker_ext._training.chunking import ChunkLimits

pytestmark = pytest.mark.integration

N_DATUMS = 6


class PeakBudget(ByteBudget):
    """Remembers the most chunks it ever had in flight."""

    peak = 0

    def _take(self, nbytes: int) -> None:
        super()._take(nbytes)
        self.peak = max(self.peak, self.holders)


def make_data(numpy_tokens: bool, length: int = 12) -> list[tinker.Datum]:
    rng = np.random.default_rng(11)
    data = []
    for i in range(N_DATUMS):
        seq = rng.integers(1, 1000, size=length + 1, dtype=np.int64)
        model_input = (
            tinker.ModelInput.from_numpy(seq[:-1])
            if numpy_tokens
            else tinker.ModelInput.from_ints(seq[:-1].tolist())
        )
        data.append(
            tinker.Datum(
                model_input=model_input,
                loss_fn_inputs={
                    "target_tokens": tinker.TensorData.from_numpy(seq[1:].copy()),
                    "weights": tinker.TensorData.from_numpy(np.full(length, 1.0 + (i % 3), dtype=np.float32)),
                },
            )
        )
    return data


@pytest.fixture(scope="module")
def training(tinker_server) -> Iterator[tuple[tinker.TrainingClient, RecordingTransport]]:
    transport = RecordingTransport()
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, _transport=transport
    ) as service:
        client = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=3)
        client._ctx.chunk_limits = ChunkLimits(max_datums=2)  # 3 chunks per call
        yield client, transport


def test_pipelined_forward_backward_equals_one_chunk_at_a_time(training):
    client, transport = training
    results = {}
    for name, capacity, numpy_tokens in [("sequential", 1, False), ("pipelined", 10**9, True)]:
        budget = PeakBudget(capacity)
        client._ctx.fwdbwd_budget = budget
        before = len(transport.passes(forward_only=False))
        results[name] = client.forward_backward(make_data(numpy_tokens), "cross_entropy").result(timeout=600)
        sent = transport.passes(forward_only=False)[before:]
        assert [s.datums for s in sent] == [2, 2, 2]
        first = sent[0].seq_id
        assert first is not None and [s.seq_id for s in sent] == [first, first + 1, first + 2]  # wire order
        assert budget.in_flight == 0 and budget.holders == 0
        if name == "sequential":
            assert budget.peak == 1
    sequential, pipelined = results["sequential"], results["pipelined"]
    assert len(pipelined.loss_fn_outputs) == N_DATUMS
    for a, b in zip(sequential.loss_fn_outputs, pipelined.loss_fn_outputs, strict=True):
        np.testing.assert_allclose(a["logprobs"].to_numpy(), b["logprobs"].to_numpy(), rtol=1e-5, atol=1e-5)
    assert set(pipelined.metrics) == set(sequential.metrics)
    for key, value in sequential.metrics.items():
        if key.endswith(":sum"):
            assert pipelined.metrics[key] == pytest.approx(value, rel=1e-5), key
