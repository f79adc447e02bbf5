"""Prompt logprobs in the official shape (one entry per prompt token, entry 0 None, NaN -> None),
whether the server sends that shape or skyrl-tx's len(prompt) - 1 entries without the leading None."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _fault_server import FakeTinker, Recorded

import tinker_ext as tinker

PROMPT = [5, 9, 11, 2]
ASAMPLE = "/api/v1/asample"


def answer_prompt_logprobs(server: FakeTinker, prompt_logprobs: list[Any] | None, **extra: Any) -> None:
    def result(rec: Recorded) -> Any:
        return {
            "sequences": [{"tokens": [3], "stop_reason": "length"}],
            "prompt_logprobs": prompt_logprobs,
            **extra,
        }

    server.result_for[ASAMPLE] = result


def sampler(service: tinker.ServiceClient) -> tinker.SamplingClient:
    return service.create_sampling_client(base_model="tiny/model")


def test_skyrl_shape_gets_the_leading_none(server: FakeTinker, service: tinker.ServiceClient) -> None:
    answer_prompt_logprobs(server, [-1.5, -0.25, -3.0])  # len(prompt) - 1, no leading entry
    logprobs = sampler(service).compute_logprobs(tinker.ModelInput.from_ints(PROMPT)).result()
    assert logprobs == [None, -1.5, -0.25, -3.0]
    [body] = server.bodies(ASAMPLE)
    assert body["prompt_logprobs"] is True and body["sampling_params"]["max_tokens"] == 1


def test_official_shape_is_kept(server: FakeTinker, service: tinker.ServiceClient) -> None:
    answer_prompt_logprobs(server, [None, -1.5, -0.5, -3.0])  # len(prompt), first None
    logprobs = sampler(service).compute_logprobs(tinker.ModelInput.from_ints(PROMPT)).result()
    assert logprobs == [None, -1.5, -0.5, -3.0]


def test_nan_entries_become_none() -> None:
    """NaN (not computed) cannot travel in strict JSON, but a decoded response may carry it."""
    from tinker_ext._wire.answer_checks import aligned_to_prompt

    response = tinker.SampleResponse(
        sequences=[], prompt_logprobs_np=np.array([np.nan, -1.0, np.nan, -2.0], np.float32)
    )
    aligned = aligned_to_prompt(response, tinker.ModelInput.from_ints(PROMPT))
    assert aligned.prompt_logprobs == [None, -1.0, None, -2.0]
    short = tinker.SampleResponse(sequences=[], _prompt_logprobs_list=[-1.0, float("nan"), -2.0])
    assert aligned_to_prompt(short, tinker.ModelInput.from_ints(PROMPT)).prompt_logprobs == [
        None,
        -1.0,
        None,
        -2.0,
    ]


def test_sample_with_prompt_logprobs_is_aligned_too(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    answer_prompt_logprobs(
        server,
        [-1.5, -0.25, -3.0],
        topk_prompt_logprobs=[[[7, -0.1]], [[8, -0.2]], [[9, -0.3]]],
    )
    response = (
        sampler(service)
        .sample(
            tinker.ModelInput.from_ints(PROMPT),
            1,
            tinker.SamplingParams(max_tokens=1),
            include_prompt_logprobs=True,
            topk_prompt_logprobs=1,
        )
        .result()
    )
    assert response.prompt_logprobs == [None, -1.5, -0.25, -3.0]
    assert response.topk_prompt_logprobs == [None, [(7, -0.1)], [(8, -0.2)], [(9, -0.3)]]
    assert response.sequences[0].tokens == [3]


def test_other_lengths_and_absent_logprobs_pass_through(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    client = sampler(service)
    answer_prompt_logprobs(server, [-1.0, -2.0])  # neither len(prompt) nor len(prompt) - 1: untouched
    assert client.compute_logprobs(tinker.ModelInput.from_ints(PROMPT)).result() == [-1.0, -2.0]
    answer_prompt_logprobs(server, None)
    plain = client.sample(
        tinker.ModelInput.from_ints(PROMPT), 1, tinker.SamplingParams(max_tokens=1)
    ).result()
    assert plain.prompt_logprobs is None and plain.topk_prompt_logprobs is None
    with pytest.raises(tinker.TinkerError, match="no prompt logprobs"):
        client.compute_logprobs(tinker.ModelInput.from_ints(PROMPT)).result()
