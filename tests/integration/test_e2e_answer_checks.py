"""Legitimate answers of the real servers pass the checks of answers against their request (issue 18, item 3):
sequence counts, token counts within max_tokens (with and without stop sequences, several samples), token
ids within the vocabulary, prompt/top-k logprob lengths, one forward/forward_backward output per datum with
per-token arrays of the datum's length."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import tinker_ext as tinker

pytestmark = pytest.mark.integration

PROMPT_TOKENS = [int(t) for t in np.random.default_rng(5).integers(1, 1000, size=12)]


@pytest.fixture(scope="module")
def service(tinker_server) -> Iterator[tinker.ServiceClient]:
    with tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key) as client:
        yield client


def test_real_answers_pass_the_request_checks(service, tinker_server):
    training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=3)
    lengths = [5, 11, 8]
    data = [
        tinker.Datum(
            model_input=tinker.ModelInput.from_ints(PROMPT_TOKENS[:n]),
            loss_fn_inputs={"target_tokens": PROMPT_TOKENS[1 : n + 1], "weights": [1.0] * n},
        )
        for n in lengths
    ]
    fb = training.forward_backward(data, loss_fn="cross_entropy").result()
    fwd = training.forward(data, loss_fn="cross_entropy").result()
    for output in (fb, fwd):
        assert len(output.loss_fn_outputs) == len(data)
        for n, record in zip(lengths, output.loss_fn_outputs, strict=True):
            assert record["logprobs"].shape == [n]
            assert {tuple(t.shape or []) for t in record.values()} == {(n,)}
    sampler = training.save_weights_and_get_sampling_client("answer-checks")
    if tinker_server.tokenizer_file is not None:
        sampler.get_tokenizer()  # the token ids of the answers below are then checked against its vocabulary
    prompt = tinker.ModelInput.from_ints(PROMPT_TOKENS)
    seen = []
    for max_tokens, stop in ((1, None), (3, None), (6, [PROMPT_TOKENS[0], PROMPT_TOKENS[1]])):
        params = tinker.SamplingParams(max_tokens=max_tokens, seed=7, temperature=1.0, stop=stop)
        response = sampler.sample(prompt, 3, params, include_prompt_logprobs=True).result()
        assert len(response.sequences) == 3
        assert response.prompt_logprobs is not None and len(response.prompt_logprobs) == len(PROMPT_TOKENS)
        for sequence in response.sequences:
            seen.append((max_tokens, len(sequence.tokens), sequence.stop_reason))
            assert 1 <= len(sequence.tokens) <= max_tokens
            assert sequence.logprobs is None or len(sequence.logprobs) == len(sequence.tokens)
            assert all(t >= 0 for t in sequence.tokens)
    # A stop token the seeded sampler is known to produce: it is counted within max_tokens (no +1).
    params = tinker.SamplingParams(max_tokens=4, seed=11, temperature=1.0)
    free = sampler.sample(prompt, 1, params).result().sequences[0].tokens
    stopped = sampler.sample(prompt, 1, params.model_copy(update={"stop": [free[1]]})).result().sequences[0]
    assert len(stopped.tokens) <= 4
    print(tinker_server.kind, seen, free, stopped.tokens, stopped.stop_reason)
