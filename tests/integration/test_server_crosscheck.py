"""The official `tinker` SDK (0.24.1) against the same server our SDK is tested on.

These tests use no tinker_ext code: they show what the server itself does, so that when a
tinker_ext integration test fails, this file tells whether the server or our SDK is at fault.

skyrl-tx has no `/api/v1/client/config`, which tinker 0.24.1 fetches (without a 404 fallback) when
a client is built; for the local server the SDK is handed its default feature flags instead
(`_client_config={}`: JSON wire everywhere), which is exactly what it would have received.

0.24.1 speaks the JSON wire, so this runs against skyrl-tx 0.3.0 only; the same cross-check for skyrl
0.4.0 drives it with the official 0.25 SDK of its own venv (test_localserver_skyrl.py).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

tinker = pytest.importorskip("tinker", reason="the official tinker SDK (0.24.1) is a test dependency")
from tinker import types  # noqa: E402

pytestmark = [pytest.mark.timeout(300), pytest.mark.local_server_kinds("skyrl-tx")]

# Token ids valid for any vocabulary of at least 200 tokens (the local tiny model has 1024).
TOKENS = list(range(101, 141))
OTHER_TOKENS = list(range(150, 170))
LEARNING_RATE = 1e-2


def _datum(tokens: list[int]) -> Any:
    return types.Datum(
        model_input=types.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={"target_tokens": tokens[1:], "weights": [1.0] * (len(tokens) - 1)},
    )


def _mean_loss(output: Any) -> float:
    total = count = 0.0
    for record in output.loss_fn_outputs:
        losses = record["elementwise_loss"].tolist()
        total += sum(losses)
        count += len(losses)
    return total / count


def _logprobs(output: Any) -> list[float]:
    return [x for record in output.loss_fn_outputs for x in record["logprobs"].tolist()]


def _assert_close(a: list[float], b: list[float], tol: float = 1e-4) -> None:
    assert len(a) == len(b)
    worst = max(abs(x - y) for x, y in zip(a, b, strict=True))
    assert worst <= tol, f"max abs difference {worst} > {tol}"


@pytest.fixture(scope="module")
def service(tinker_server):
    extra = {"_client_config": {}} if tinker_server.is_local else {}
    return tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key, **extra)


@pytest.fixture(scope="module")
def trained(service, tinker_server):
    """A LoRA training client after five steps on one fixed batch, with the losses seen."""
    client = service.create_lora_training_client(base_model=tinker_server.base_model, rank=8, seed=0)
    batch = [_datum(TOKENS), _datum(OTHER_TOKENS)]
    losses = []
    for _ in range(5):
        output = client.forward_backward(batch, "cross_entropy").result()
        losses.append(_mean_loss(output))
        client.optim_step(types.AdamParams(learning_rate=LEARNING_RATE)).result()
    return client, batch, losses


def test_capabilities_list_the_base_model(service, tinker_server):
    capabilities = service.get_server_capabilities()
    assert tinker_server.base_model in [m.model_name for m in capabilities.supported_models]


def test_training_steps_reduce_loss(trained):
    _, _, losses = trained
    assert all(math.isfinite(x) for x in losses)
    assert losses[-1] < losses[0] - 0.05, losses
    # The first step starts from the untrained adapter: loss near ln(vocab) for a random tiny model.
    assert losses[0] > 1.0


def test_forward_backward_outputs_per_token_logprobs(trained):
    client, batch, _ = trained
    output = client.forward(batch, "cross_entropy").result()
    assert len(output.loss_fn_outputs) == len(batch)
    for datum, record in zip(batch, output.loss_fn_outputs, strict=True):
        logprobs = record["logprobs"].tolist()
        assert len(logprobs) == len(datum.model_input.to_ints())
        assert all(lp <= 0.0 for lp in logprobs)
        # cross_entropy with unit weights: the per-token loss is the negative logprob.
        _assert_close(record["elementwise_loss"].tolist(), [-lp for lp in logprobs], tol=1e-5)


def test_sampler_weights_match_the_trainer_and_sampling_is_seeded(service, trained):
    client, batch, _ = trained
    sampler_path = client.save_weights_for_sampler("crosscheck-sampler").result().path
    assert sampler_path and sampler_path.startswith("tinker://")
    sampling = service.create_sampling_client(model_path=sampler_path)

    params = types.SamplingParams(max_tokens=8, seed=11, temperature=1.0)
    prompt = types.ModelInput.from_ints(TOKENS[:5])
    first = sampling.sample(prompt=prompt, num_samples=2, sampling_params=params).result()
    again = sampling.sample(prompt=prompt, num_samples=2, sampling_params=params).result()
    assert len(first.sequences) == 2
    for seq in first.sequences:
        assert 1 <= len(seq.tokens) <= 8
        assert seq.logprobs is not None and len(seq.logprobs) == len(seq.tokens)
    assert [s.tokens for s in first.sequences] == [s.tokens for s in again.sequences]

    # The sampler computes the same prompt logprobs as the trainer's forward pass on these weights.
    sampler_logprobs = sampling.compute_logprobs(types.ModelInput.from_ints(TOKENS)).result()
    scored = [lp for lp in sampler_logprobs if lp is not None]
    # Forward the whole fixture batch (a shape already compiled) and keep the TOKENS datum.
    trainer_output = client.forward(batch, "cross_entropy").result()
    trainer_logprobs = trainer_output.loss_fn_outputs[0]["logprobs"].tolist()
    _assert_close(scored[-len(trainer_logprobs) :], trainer_logprobs, tol=1e-3)


def test_save_state_then_load_state_restores_weights_and_adam_state(service, trained, tinker_server):
    source, batch, _ = trained
    state_path = source.save_state("crosscheck-state").result().path
    assert state_path.startswith("tinker://") and "/weights/" in state_path

    restored = service.create_lora_training_client(base_model=tinker_server.base_model, rank=8, seed=99)
    restored.load_state_with_optimizer(state_path).result()
    _assert_close(
        _logprobs(restored.forward(batch, "cross_entropy").result()),
        _logprobs(source.forward(batch, "cross_entropy").result()),
    )

    # Same gradient + same Adam moments => the same next step on both.
    for client in (source, restored):
        client.forward_backward(batch, "cross_entropy").result()
        client.optim_step(types.AdamParams(learning_rate=LEARNING_RATE)).result()
    _assert_close(
        _logprobs(restored.forward(batch, "cross_entropy").result()),
        _logprobs(source.forward(batch, "cross_entropy").result()),
    )
