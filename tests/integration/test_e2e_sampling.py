"""Sampling from saved sampler weights: seeded determinism, prompt logprobs vs training logprobs."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import numpy as np
import pytest

import tinker_ext as tinker

pytestmark = pytest.mark.integration

PROMPT_TOKENS = [int(t) for t in np.random.default_rng(3).integers(1, 1000, size=16)]
PROMPT = tinker.ModelInput.from_ints(PROMPT_TOKENS)


@attrs.frozen
class Trained:
    training: tinker.TrainingClient
    sampler_path: str
    sampler: tinker.SamplingClient


@pytest.fixture(scope="module")
def service(tinker_server) -> Iterator[tinker.ServiceClient]:
    with tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key) as client:
        yield client


@pytest.fixture(scope="module")
def trained(service, tinker_server) -> Trained:
    """A model trained 2 steps on the prompt (so its weights differ from the base model), saved for sampling."""
    training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=21)
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints(PROMPT_TOKENS[:-1]),
        loss_fn_inputs={"target_tokens": PROMPT_TOKENS[1:], "weights": [1.0] * (len(PROMPT_TOKENS) - 1)},
    )
    for _ in range(2):
        training.forward_backward([datum], loss_fn="cross_entropy").result()
        training.optim_step(tinker.AdamParams(learning_rate=1e-2)).result()
    path = training.save_weights_for_sampler("e2e-sampler").result().path
    return Trained(training, path, service.create_sampling_client(model_path=path))


def training_logprobs(training: tinker.TrainingClient) -> np.ndarray:
    """logprob of PROMPT_TOKENS[1:] given their prefixes, from the training forward pass."""
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints(PROMPT_TOKENS[:-1]),
        loss_fn_inputs={"target_tokens": PROMPT_TOKENS[1:]},
    )
    output = training.forward([datum], loss_fn="cross_entropy").result()
    return output.loss_fn_outputs[0]["logprobs"].to_numpy().astype(np.float64)


def test_sampler_path_is_a_tinker_path(trained):
    assert trained.sampler_path.startswith(f"tinker://{trained.training.model_id}/")
    assert trained.sampler_path.endswith("/e2e-sampler")


def test_sampler_from_a_path_knows_its_base_model(trained):
    """Needed by SamplingClient.get_tokenizer(). skyrl-tx has no GET /samplers/{id} and its
    weights_info only takes training paths, but GET /training_runs/{run id} names the base model."""
    assert trained.sampler.get_base_model() == trained.training.get_info().model_data.model_name


def test_same_seed_gives_the_same_tokens(trained):
    params = tinker.SamplingParams(max_tokens=8, temperature=1.0, seed=1234)
    first = trained.sampler.sample(PROMPT, num_samples=1, sampling_params=params).result()
    again = trained.sampler.sample(PROMPT, num_samples=1, sampling_params=params).result()
    assert len(first.sequences) == 1
    sequence = first.sequences[0]
    assert len(sequence.tokens) == 8 and sequence.stop_reason == "length"
    assert all(0 <= t < 1024 for t in sequence.tokens)
    assert again.sequences[0].tokens == sequence.tokens
    if sequence.logprobs is not None:
        assert len(sequence.logprobs) == 8
        np.testing.assert_allclose(again.sequences[0].logprobs, sequence.logprobs, rtol=1e-6)
    # The seed is what fixes them: other seeds give other samples (8 tokens from a near-uniform model).
    others = [
        trained.sampler.sample(PROMPT, 1, tinker.SamplingParams(max_tokens=8, temperature=1.0, seed=s))
        for s in (1, 2)
    ]
    assert any(f.result().sequences[0].tokens != sequence.tokens for f in others)


def test_prompt_logprobs_match_training_forward(trained):
    response = trained.sampler.sample(
        PROMPT,
        num_samples=1,
        sampling_params=tinker.SamplingParams(max_tokens=1),
        include_prompt_logprobs=True,
    ).result()
    prompt_logprobs = response.prompt_logprobs
    assert prompt_logprobs is not None
    # Tinker: one entry per prompt token, the first None. skyrl-tx 0.3.0 leaves out that first entry.
    assert len(prompt_logprobs) in (len(PROMPT_TOKENS), len(PROMPT_TOKENS) - 1)
    if len(prompt_logprobs) == len(PROMPT_TOKENS):
        assert prompt_logprobs[0] is None
        prompt_logprobs = prompt_logprobs[1:]
    np.testing.assert_allclose(
        np.array(prompt_logprobs, dtype=np.float64), training_logprobs(trained.training), rtol=0, atol=2e-3
    )


def test_compute_logprobs_has_one_entry_per_prompt_token(trained):
    """The documented contract: entry i is logprob(token i | tokens < i), entry 0 is None."""
    logprobs = trained.sampler.compute_logprobs(PROMPT).result()
    assert len(logprobs) == len(PROMPT_TOKENS), (
        f"{len(logprobs)} logprobs for {len(PROMPT_TOKENS)} prompt tokens"
    )
    assert logprobs[0] is None
    np.testing.assert_allclose(
        np.array(logprobs[1:], dtype=np.float64), training_logprobs(trained.training), rtol=0, atol=2e-3
    )


def test_save_weights_and_get_sampling_client_samples_the_current_weights(trained):
    sampler = trained.training.save_weights_and_get_sampling_client()
    expected = trained.sampler.sample(
        PROMPT, 1, tinker.SamplingParams(max_tokens=1), include_prompt_logprobs=True
    ).result()
    got = sampler.sample(
        PROMPT, 1, tinker.SamplingParams(max_tokens=1), include_prompt_logprobs=True
    ).result()
    assert got.prompt_logprobs is not None and expected.prompt_logprobs is not None
    np.testing.assert_allclose(
        [x for x in got.prompt_logprobs if x is not None],
        [x for x in expected.prompt_logprobs if x is not None],
        rtol=0,
        atol=1e-5,
    )
