"""The generated sample types: the field kinds of the sample result, the SampleRequest body, and the
decoder's unchecked construction paths (`_trusted`, `_replaced`)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tinker_ext import types as t
from tinker_ext._core.exceptions import InvalidInputError, ResponseFormatError
from tinker_ext.types.topk_logprobs import MASK_LOGPROB, topk_to_lists


def test_a_sample_answer_parses_once_with_pairs_as_tuples_and_checked_values() -> None:
    response = t.SampleResponse.from_wire(
        {
            "sequences": [{"stop_reason": "length", "tokens": [1, 2], "logprobs": [-0.5, 0]}],
            "prompt_logprobs": [None, -1.0],
            "topk_prompt_logprobs": [None, [[3, -0.25], [4.0, -1]]],
            "unknown_key": 1,
        }
    )
    assert response.sequences[0].logprobs == [-0.5, 0]
    assert response.topk_prompt_logprobs == [None, [(3, -0.25), (4, -1.0)]]
    assert [type(token) for token, _ in response.topk_prompt_logprobs[1]] == [int, int]
    topk = response.topk_prompt_logprobs_np  # 0.38's TopkLogprobs: int32 ids, 0 / MASK_LOGPROB padding
    assert topk.token_ids.dtype == np.int32 and topk.logprobs.dtype == np.float32
    assert topk.token_ids.tolist() == [[0, 0], [3, 4]] and topk.logprobs[0, 0] == MASK_LOGPROB
    assert topk_to_lists(topk) == response.topk_prompt_logprobs
    assert np.isnan(response.prompt_logprobs_np[0]) and response.prompt_logprobs_np[1] == -1.0


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        (
            {"sequences": [{"stop_reason": "stop", "tokens": [1], "logprobs": [-1.0, "x"]}]},
            "/sequences/0/logprobs/1",
        ),
        (
            {"sequences": [{"stop_reason": "stop", "tokens": [1], "logprobs": [None]}]},
            "/sequences/0/logprobs/0",
        ),
        ({"sequences": [], "prompt_logprobs": [True]}, "/prompt_logprobs/0"),
        ({"sequences": [], "topk_prompt_logprobs": [[[1, -0.5, 3]]]}, "/topk_prompt_logprobs/0"),
        ({"sequences": [], "topk_prompt_logprobs": [[[1.5, -0.5]]]}, "/topk_prompt_logprobs/0"),
        ({"sequences": [], "topk_prompt_logprobs": [["ab"]]}, "/topk_prompt_logprobs/0"),
        ({"sequences": [{"stop_reason": "eos", "tokens": [1]}]}, "/sequences/0/stop_reason"),
    ],
)
def test_a_malformed_sample_answer_is_refused_with_its_pointer(body: dict[str, object], pointer: str) -> None:
    with pytest.raises(ResponseFormatError) as caught:
        t.SampleResponse.from_wire(body)
    assert caught.value.pointer == pointer


def test_the_sample_request_body_sends_the_038_options_only_when_set() -> None:
    prompt = t.ModelInput.from_ints([1, 2])
    plain = t.SampleRequest(prompt=prompt, sampling_params=t.SamplingParams(max_tokens=3), seq_id=1).to_json()
    assert "topk_sample_logprobs" not in plain and "prompt_alt_tokens_k" not in plain
    assert plain["topk_prompt_logprobs"] == 0 and plain["type"] == "sample" and "base_model" not in plain
    assert plain["prompt"] == prompt.to_json() and plain["sampling_params"]["max_tokens"] == 3
    target = t.TensorData(data=[1, 2], dtype="int64", shape=[1, 2])
    full = t.SampleRequest(
        prompt=prompt,
        sampling_params=t.SamplingParams(),
        topk_sample_logprobs=2,
        prompt_alt_tokens_k=1,
        target_prompt_logprobs=target,
    ).to_json()
    assert full["topk_sample_logprobs"] == 2 and full["prompt_alt_tokens_k"] == 1
    assert full["target_prompt_logprobs"] == {"data": [1, 2], "dtype": "int64", "shape": [1, 2]}
    with pytest.raises(InvalidInputError):
        t.SampleRequest(prompt=prompt, sampling_params=t.SamplingParams(), num_samples="2")  # type: ignore[arg-type]


def test_trusted_and_replaced_skip_the_checks_but_keep_defaults_and_fields() -> None:
    sequence = t.SampledSequence._trusted(stop_reason="stop", tokens=[1, 2])
    assert sequence.logprobs is None and sequence.sequence_id is None and sequence.tokens == [1, 2]
    assert sequence.tokens_np.dtype == np.int32  # list names given to the decoder path become the arrays
    stamped = sequence._replaced(sequence_id="s-1")
    assert (
        stamped.sequence_id == "s-1"
        and stamped.tokens_np is sequence.tokens_np
        and sequence.sequence_id is None
    )
    assert dataclasses.replace(stamped, stop_reason="length").sequence_id == "s-1"
    response = t.SampleResponse._trusted(sequences=[stamped])
    assert response.prompt_cache_hit_tokens == 0 and response.type == "sample"
    assert response.sequences == [stamped]
    assert response.to_json()["sequences"] == [{"stop_reason": "stop", "tokens": [1, 2]}]
    request = t.SampleRequest._trusted(prompt=t.ModelInput.from_ints([1]), sampling_params=t.SamplingParams())
    assert request.model_fields_set == {"prompt", "sampling_params"} and request.num_samples == 1


def test_list_names_are_converted_once_and_only_when_read() -> None:
    tokens = np.array([5, 6, 7], np.int32)
    sequence = t.SampledSequence("stop", "s", tokens_np=tokens)
    assert "tokens" not in sequence.__dict__  # nothing converted by building it
    first = sequence.tokens
    assert first == [5, 6, 7] and sequence.tokens is first  # cached
    assert sequence.tokens_np is tokens  # the caller's array kept, as 0.38


def test_the_constructors_take_0_38s_numpy_first_layout() -> None:
    from tinker_ext.types.topk_logprobs import TopkLogprobs

    topk = TopkLogprobs(
        np.array([[7, 0], [8, 9]], np.int32), np.array([[-1, MASK_LOGPROB], [-2, -3]], np.float32)
    )
    sequence = t.SampledSequence(
        "stop", "seq-1", np.array([7, 8], np.int32), np.array([-1.0, -2.0], np.float32), topk
    )
    assert sequence.tokens == [7, 8] and sequence.logprobs == [-1.0, -2.0] and sequence.sequence_id == "seq-1"
    assert sequence.topk_logprobs == [[(7, -1.0)], [(8, -2.0), (9, -3.0)]]
    assert sequence.tokens_np.tolist() == [7, 8]
    assert t.SampledSequence(stop_reason="length", sequence_id="s").tokens == []  # 0.38: no tokens -> []
    with pytest.raises(TypeError):
        t.SampledSequence(stop_reason="stop", tokens_np=np.array([1]))  # type: ignore[call-arg]  # sequence_id required
    with pytest.raises(TypeError):
        t.SampledSequence("stop", "s", tokens=[1])  # type: ignore[call-arg]  # 0.38: no `tokens` keyword
    listed = t.SampledSequence("stop", "s", _tokens_list=[1, 2])  # 0.38's list path
    assert listed.tokens == [1, 2] and listed.tokens_np is None
    response = t.SampleResponse([sequence], prompt_logprobs_np=np.array([np.nan, -0.5], np.float32))
    assert response.prompt_logprobs == [None, -0.5] and response.sequences[0] is sequence
    assert response.prompt_logprobs_np[1] == -0.5 and np.isnan(response.prompt_logprobs_np[0])
    replaced = dataclasses.replace(response, prompt_cache_hit_tokens=2)
    assert replaced.prompt_cache_hit_tokens == 2 and replaced.prompt_logprobs == [None, -0.5]
