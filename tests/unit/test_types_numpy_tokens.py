"""`ModelInput.from_numpy` / `EncodedTextChunk.from_numpy`: token ids held as a read-only numpy view (no
copy, no Python ints), sent exactly as the same ids given as a list, checked like them before sending."""

from __future__ import annotations

import numpy as np
import pytest
from _fault_server import FakeTinker

import tinker_ext as tinker
from tinker_ext._wire.proto import encode_forward_backward_request


def test_from_numpy_holds_a_read_only_view_of_the_callers_array() -> None:
    tokens = np.arange(10, 20, dtype=np.int64)
    chunk = tinker.ModelInput.from_numpy(tokens).chunks[0]
    assert isinstance(chunk, tinker.EncodedTextChunk)
    assert isinstance(chunk.tokens, np.ndarray) and np.shares_memory(chunk.tokens, tokens)
    assert not chunk.tokens.flags.writeable and tokens.flags.writeable  # the caller's array is untouched
    with pytest.raises(ValueError):
        chunk.tokens[0] = 1


def test_numpy_tokens_behave_like_the_same_list() -> None:
    ids = [5, 6, 7, 151_000]
    for dtype in (np.int64, np.int32, np.uint32):
        from_numpy = tinker.ModelInput.from_numpy(np.array(ids, dtype=dtype))
        from_list = tinker.ModelInput.from_ints(ids)
        assert from_numpy == from_list
        assert from_numpy.length == 4
        assert from_numpy.to_ints() == ids and all(type(t) is int for t in from_numpy.to_ints())
        assert from_numpy.to_json() == from_list.to_json()
        assert all(type(t) is int for t in from_numpy.chunks[0].to_json()["tokens"])
    assert tinker.ModelInput.from_numpy(np.array([1, 2])) != tinker.ModelInput.from_ints([1, 3])


@pytest.mark.parametrize(
    "bad",
    [np.array([[1, 2]]), np.array([1.0, 2.0]), np.array([True]), [1, 2], np.array(["a"])],
    ids=["2-D", "float", "bool", "list", "str"],
)
def test_from_numpy_refuses_what_is_not_a_1d_integer_array(bad: object) -> None:
    with pytest.raises(tinker.InvalidInputError):
        tinker.ModelInput.from_numpy(bad)  # type: ignore[arg-type]


def datum(model_input: tinker.ModelInput) -> tinker.Datum:
    n = model_input.length
    return tinker.Datum(
        model_input=model_input,
        loss_fn_inputs={
            "target_tokens": tinker.TensorData.from_numpy(np.arange(1, n + 1, dtype=np.int64)),
            "weights": tinker.TensorData.from_numpy(np.ones(n, dtype=np.float32)),
        },
    )


def test_protobuf_and_json_bodies_are_the_same_as_from_a_list() -> None:
    ids = [3, 1, 4, 1, 5, 9, 2, 6]
    as_list, as_numpy = (
        datum(tinker.ModelInput.from_ints(ids)),
        datum(tinker.ModelInput.from_numpy(np.array(ids))),
    )
    bodies = [
        encode_forward_backward_request(model_id="m", seq_id=3, data=[d], loss_fn="cross_entropy")
        for d in (as_list, as_numpy)
    ]
    assert bodies[0] == bodies[1]
    assert as_list.to_json() == as_numpy.to_json()


def test_protobuf_body_refuses_token_ids_beyond_int32() -> None:
    big = datum(tinker.ModelInput.from_numpy(np.array([1, 2**31], dtype=np.int64)))
    with pytest.raises(tinker.InvalidInputError, match="int32"):
        encode_forward_backward_request(model_id="m", seq_id=1, data=[big], loss_fn="cross_entropy")


@pytest.mark.parametrize("ids", [[1, -2, 3], [1, 2**40]], ids=["negative", "huge"])
def test_bad_numpy_token_ids_are_refused_before_anything_is_sent(
    server: FakeTinker, service: tinker.ServiceClient, ids: list[int]
) -> None:
    training = service.create_lora_training_client("tiny/model")
    sent = len(server.requests)
    with pytest.raises(tinker.InvalidInputError, match="token id"):
        training.forward_backward([datum(tinker.ModelInput.from_numpy(np.array(ids)))], "cross_entropy")
    assert len(server.requests) == sent


def test_a_numpy_prompt_is_sent_as_the_same_json_as_a_list(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    sampler = service.create_sampling_client(base_model="tiny/model")
    params = tinker.SamplingParams(max_tokens=2)
    sampler.sample(tinker.ModelInput.from_ints([4, 5, 6]), 1, params).result(timeout=30)
    sampler.sample(tinker.ModelInput.from_numpy(np.array([4, 5, 6], dtype=np.int32)), 1, params).result(
        timeout=30
    )
    prompts = [body["prompt"] for body in server.bodies("/api/v1/asample")]
    assert len(prompts) == 2 and prompts[0] == prompts[1]
