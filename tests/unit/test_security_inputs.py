"""Issue 9, finding 8: bad input is refused at the call, before anything is sent, naming the datum or
field; sizes have configurable caps and a huge datum is refused without touching its tokens."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from _fault_server import FakeTiming, FakeTinker

import tinker_ext as tinker
from tinker_ext.types import TensorData


@pytest.fixture
def clients(server: FakeTinker) -> Iterator[tuple[Any, Any, FakeTinker]]:
    sc = tinker.ServiceClient(
        api_key="tml-k", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    training = sc.create_lora_training_client("tiny/model")
    sampling = sc.create_sampling_client(base_model="tiny/model")
    yield training, sampling, server
    sc.close()


def datum(tokens: Any, targets: Any = None, **inputs: Any) -> tinker.Datum:
    if targets is None:
        targets = np.arange(1, len(tokens) + 1, dtype=np.int64)
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens), loss_fn_inputs={"target_tokens": targets, **inputs}
    )


def refused(server: FakeTinker, action: Callable[[], Any], match: str) -> None:
    before = len(server.requests)
    with pytest.raises(tinker.InvalidInputError, match=match):
        action()
    assert len(server.requests) == before  # nothing was sent


GOOD_PROMPT = tinker.ModelInput.from_ints([1, 2, 3])
PARAMS = tinker.SamplingParams(max_tokens=4)


@pytest.mark.parametrize(
    ("data", "loss", "match"),
    [
        (
            [datum([1, -3, 2])],
            "cross_entropy",
            r"data\[0\]\.model_input\.chunks\[0\]\.tokens\[1\]: token id -3 is negative",
        ),
        (
            [datum([1, 2]), datum([1, True])],
            "cross_entropy",
            r"data\[1\].*tokens\[1\]: token ids must be int, got bool",
        ),
        (
            [datum([1, 2**70])],
            "cross_entropy",
            r"tokens\[1\]: token id 1180591620717411303424 is out of range",
        ),
        ([datum([1, "2"])], "cross_entropy", r"tokens\[1\]: token ids must be int, got str"),
        ([datum([1, 2], targets=np.array([1, -1]))], "cross_entropy", r"target_tokens'\] holds token id -1"),
        ([datum([1, 2], targets=np.array([[1, 2], [3, 4]]))], "cross_entropy", "has shape \\[2, 2\\]"),
        (
            [
                datum(
                    [1, 2],
                    targets=np.array([[1, 2], [3, 4]]),
                    weights=np.ones((2, 2)),
                    advantages=np.ones((2, 2)),
                )
            ],
            "ppo",
            "takes one target per position",
        ),
        ([datum([1, 2], targets=TensorData(data=[1.0, 2.0], dtype="float32"))], "cross_entropy", "int64"),
        (
            [
                tinker.Datum(
                    model_input=tinker.ModelInput.empty(),
                    loss_fn_inputs={"target_tokens": np.array([], np.int64)},
                )
            ],
            "cross_entropy",
            r"data\[0\]\.model_input is empty",
        ),
        (
            [
                tinker.Datum(
                    model_input=tinker.ModelInput.from_ints([]),
                    loss_fn_inputs={"target_tokens": np.array([], np.int64)},
                )
            ],
            "cross_entropy",
            "is empty",
        ),
    ],
    ids=[
        "negative",
        "bool",
        "2**70",
        "str",
        "negative-target",
        "2d-target-no-weights",
        "2d-target-ppo",
        "float-target",
        "empty-input",
        "empty-chunk",
    ],
)
def test_finding8_bad_training_input_is_refused_at_the_call(
    clients: tuple[Any, Any, FakeTinker], data: list[tinker.Datum], loss: str, match: str
) -> None:
    training, _, server = clients
    refused(server, lambda: training.forward_backward(data, loss), match)
    refused(server, lambda: training.forward(data, loss), match)


def test_finding8_float_and_bool_target_lists_are_not_truncated() -> None:
    with pytest.raises(tinker.InvalidInputError, match="must hold integers"):
        datum([1, 2], targets=[1.5, 2.0])
    with pytest.raises(tinker.InvalidInputError, match="must hold integers"):
        datum([1, 2], targets=[True, False])
    assert datum([1, 2], targets=[1.0, 2.0]).loss_fn_inputs["target_tokens"].tolist() == [
        1,
        2,
    ]  # official cast


def test_finding8_token_ids_beyond_the_vocabulary_are_refused_once_it_is_known(
    clients: tuple[Any, Any, FakeTinker], monkeypatch: pytest.MonkeyPatch
) -> None:
    training, sampling, server = clients

    class Tokenizer:
        def get_vocab_size(self, with_added_tokens: bool = True) -> int:
            return 100

    monkeypatch.setattr("tinker_ext._tokenizers.loader.get_tokenizer", lambda *a: Tokenizer())
    training.forward_backward([datum([1, 150])], "cross_entropy").result()  # vocab unknown: sent
    training.get_tokenizer()
    refused(
        server,
        lambda: training.forward_backward([datum([1, 150])], "cross_entropy"),
        "out of range .*vocabulary size 100",
    )
    refused(
        server,
        lambda: training.forward_backward([datum([1, 2], targets=np.array([1, 100]))], "cross_entropy"),
        "holds token id 100",
    )
    sampling.get_tokenizer()
    refused(
        server,
        lambda: sampling.sample(tinker.ModelInput.from_ints([99, 100]), 1, PARAMS),
        r"prompt\.chunks\[0\]\.tokens\[1\].*vocabulary size 100",
    )


def test_finding8_a_ten_million_token_datum_is_refused_quickly_without_memory(
    clients: tuple[Any, Any, FakeTinker],
) -> None:
    training, sampling, server = clients
    n = 10**7
    big = tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1] * n),
        loss_fn_inputs={"target_tokens": np.ones(n, dtype=np.int64)},
    )
    tracemalloc.start()
    started = time.process_time()
    try:
        refused(server, lambda: training.forward_backward([big], "cross_entropy"), "max_input_tokens=1048576")
        refused(server, lambda: sampling.sample(big.model_input, 1, PARAMS), "max_input_tokens")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20  # nothing proportional to the datum was allocated
    assert time.process_time() - started < 5  # hang guard only


def test_finding8_input_caps_are_configurable(server: FakeTinker) -> None:
    sc = tinker.ServiceClient(
        api_key="tml-k",
        base_url="http://t",
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
        limits=tinker.Limits(max_input_tokens=4, max_num_samples=2),
    )
    try:
        sampling = sc.create_sampling_client(base_model="m")
        refused(
            server,
            lambda: sampling.sample(tinker.ModelInput.from_ints([1] * 5), 1, PARAMS),
            "max_input_tokens=4",
        )
        refused(server, lambda: sampling.sample(GOOD_PROMPT, 3, PARAMS), "max_num_samples=2")
        assert sampling.sample(GOOD_PROMPT, 2, PARAMS).result().sequences
    finally:
        sc.close()


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"max_tokens": "8"}, "max_tokens must be an int, got str"),
        ({"max_tokens": -1}, "max_tokens must be >= 0"),
        ({"top_p": 2.0}, r"top_p must be in \(0, 1\]"),
        ({"top_p": 0.0}, r"top_p must be in \(0, 1\]"),
        ({"top_k": -5}, "top_k must be -1"),
        ({"top_k": 0}, "top_k must be -1"),
        ({"top_k": 2.5}, "top_k must be an int"),
        ({"seed": "x"}, "seed must be an int, got str"),
        ({"seed": True}, "seed must be an int, got bool"),
        ({"seed": 2**70}, "seed must fit in a signed 64-bit int"),
        ({"temperature": float("nan")}, "temperature must be a finite number"),
        ({"temperature": "1"}, "temperature must be a number"),
        ({"stop": [-1]}, "non-negative int token ids"),
        ({"stop": "\udcff"}, "not valid UTF-8"),
    ],
)
def test_finding8_sampling_params_are_checked_at_construction(options: dict[str, Any], match: str) -> None:
    with pytest.raises(tinker.InvalidInputError, match=match):
        tinker.SamplingParams(**options)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"include_prompt_logprobs": "yes"}, "include_prompt_logprobs must be a bool"),
        ({"num_samples": 10**9}, "num_samples=1000000000 is more than max_num_samples=4096"),
        ({"num_samples": 0}, "num_samples must be >= 1"),
        ({"num_samples": True}, "num_samples must be an int"),
        ({"sampling_params": tinker.SamplingParams(max_tokens=10**12)}, "more than max_sample_tokens"),
        ({"topk_prompt_logprobs": 10**6}, "more than max_topk_prompt_logprobs"),
        ({"topk_prompt_logprobs": -1}, "topk_prompt_logprobs must be >= 0"),
        ({"prompt": tinker.ModelInput.empty()}, "prompt is empty"),
        ({"prompt": tinker.ModelInput.from_ints([1, -1])}, "token id -1 is negative"),
        ({"sampling_params": {"max_tokens": 1}}, "sampling_params must be a SamplingParams"),
    ],
)
def test_finding8_sample_arguments_are_checked_at_the_call(
    clients: tuple[Any, Any, FakeTinker], kwargs: dict[str, Any], match: str
) -> None:
    _, sampling, server = clients
    args = {"prompt": GOOD_PROMPT, "num_samples": 1, "sampling_params": PARAMS, **kwargs}
    refused(server, lambda: sampling.sample(**args), match)


def test_finding8_unencodable_values_are_refused_at_the_call_naming_the_field(
    clients: tuple[Any, Any, FakeTinker],
) -> None:
    training, _, server = clients
    refused(
        server, lambda: training.save_state("ok", ttl_seconds=2**70), r"body\.ttl_seconds: integer .* 64 bits"
    )
    refused(server, lambda: training.save_state("bad\udcff"), r"body\.path: the string is not valid UTF-8")
    refused(server, lambda: training.save_weights_for_sampler("bad\udcff"), "not valid UTF-8")


def test_finding8_unencodable_creation_arguments_are_refused_before_the_model_is_created(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    refused(
        server,
        lambda: service.create_lora_training_client("m\udcff"),
        r"base_model: the string is not valid UTF-8",
    )
    refused(
        server,
        lambda: service.create_lora_training_client("m", user_metadata={"a": 2**70}),
        r"user_metadata\.a: integer",
    )
    assert not any(p == "/api/v1/create_model" for p in server.paths())


@pytest.mark.parametrize(
    "path", ["tinker://../x", "tinker://run/weights/..", "tinker://run/weights/a/b", "file:///etc"]
)
def test_finding8_checkpoint_paths_use_the_one_strict_parser(
    clients: tuple[Any, Any, FakeTinker], path: str
) -> None:
    training, _, server = clients
    refused(server, lambda: training.load_state(path), "Invalid tinker path")
    refused(server, lambda: training.load_state_with_optimizer(path), "Invalid tinker path")
    refused(server, lambda: training.create_sampling_client(path), "Invalid tinker path")


@pytest.mark.parametrize("path", ["tinker://../x", "tinker://run/../x"])
def test_finding8_service_client_paths_use_the_strict_parser(
    server: FakeTinker, service: tinker.ServiceClient, path: str
) -> None:
    refused(server, lambda: service.create_sampling_client(model_path=path), "Invalid tinker path")
    refused(server, lambda: service.create_training_client_from_state(path), "Invalid tinker path")
    refused(
        server, lambda: service.create_training_client_from_state_with_optimizer(path), "Invalid tinker path"
    )
