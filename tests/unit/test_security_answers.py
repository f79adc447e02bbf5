"""Issue 9, finding 5: every answer the SDK cannot use is an APIResponseValidationError with the JSON
pointer of the offending value and what was expected; never a bare KeyError/TypeError/AttributeError,
never a wrong value (a null request_id polled as "None")."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import pytest
from _fault_server import FakeTiming, FakeTinker, json_response

import tinker_ext as tinker

CHECKPOINTS = "/api/v1/training_runs/r/checkpoints"


def sampler(sc: tinker.ServiceClient) -> Any:
    return sc.create_sampling_client(base_model="m")


def trainer(sc: tinker.ServiceClient) -> Any:
    return sc.create_lora_training_client("m")


def answer(path: str, body: Any) -> Callable[[FakeTinker], None]:
    def setup(server: FakeTinker) -> None:
        server.handlers[path] = lambda rec: json_response(200, body)

    return setup


def result(path: str, body: Any) -> Callable[[FakeTinker], None]:
    def setup(server: FakeTinker) -> None:
        server.result_for[path] = lambda rec: body

    return setup


def sample(sc: tinker.ServiceClient) -> Any:
    prompt = tinker.ModelInput.from_ints([1, 2])
    return sampler(sc).sample(prompt, 1, tinker.SamplingParams(max_tokens=1)).result()


_CHECKPOINT_NULL_TIME = {
    "checkpoints": [
        {
            "checkpoint_id": "weights/a",
            "checkpoint_type": "training",
            "time": None,
            "tinker_path": "tinker://r/weights/a",
        }
    ]
}

CASES = [
    # (id, server setup, action, pointer, expected substring)
    (
        "create_session_without_session_id",
        answer("/api/v1/create_session", {"type": "create_session"}),
        sampler,
        "/session_id",
        "a required key",
    ),
    ("create_session_null_body", answer("/api/v1/create_session", None), sampler, "", "JSON object"),
    ("create_session_list_body", answer("/api/v1/create_session", []), sampler, "", "JSON object"),
    (
        "create_session_null_session_id",
        answer("/api/v1/create_session", {"session_id": None}),
        sampler,
        "/session_id",
        "a string",
    ),
    (
        "get_info_model_data_null",
        answer("/api/v1/get_info", {"model_id": "m", "model_data": None}),
        trainer,
        "/model_data",
        "ModelData object",
    ),
    ("get_info_empty_object", answer("/api/v1/get_info", {}), trainer, "/model_data", "required key"),
    (
        "create_session_empty_session_id",
        answer("/api/v1/create_session", {"session_id": ""}),
        sampler,
        "/session_id",
        "at least 1 characters",  # the spec's minLength
    ),
    (
        "get_info_model_data_empty",
        answer("/api/v1/get_info", {"model_id": "m", "model_data": {}}),
        lambda sc: trainer(sc).get_tokenizer(),
        "/model_data/model_name",
        "model name",
    ),
    (
        "create_sampling_session_answers_a_future",
        answer("/api/v1/create_sampling_session", {"request_id": "9"}),
        sampler,
        "/sampling_session_id",
        "a required key",
    ),
    (
        "checkpoint_time_null",
        answer(CHECKPOINTS, _CHECKPOINT_NULL_TIME),
        lambda sc: sc.create_rest_client().list_checkpoints("r").result(),
        "/checkpoints/0/time",
        "datetime",
    ),
    (
        "request_id_null",
        answer("/api/v1/create_model", {"request_id": None}),
        trainer,
        "/request_id",
        "a string",
    ),
    ("asample_promise_list", answer("/api/v1/asample", []), sample, "", "JSON object"),
    ("sample_result_list", result("/api/v1/asample", []), sample, "", "JSON object"),
    (
        "sample_result_bad_stop_reason",
        result("/api/v1/asample", {"sequences": [{"tokens": [1], "stop_reason": "x"}]}),
        sample,
        None,
        None,
    ),
    (
        "weights_info_rank_not_int",
        answer("/api/v1/weights_info", {"base_model": "m", "is_lora": True, "lora_rank": "x"}),
        lambda sc: sc.create_training_client_from_state("tinker://r/weights/a"),
        "/lora_rank",
        "an int",
    ),
    (
        "save_for_sampler_neither",
        result("/api/v1/save_weights_for_sampler", {"path": None}),
        lambda sc: trainer(sc).save_weights_and_get_sampling_client(),
        "",
        "a path or a sampling_session_id",
    ),
]


@pytest.mark.parametrize(
    ("setup", "action", "pointer", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_finding5_unusable_answers_are_typed_with_a_pointer(
    setup: Callable[[FakeTinker], None],
    action: Callable[[tinker.ServiceClient], Any],
    pointer: str | None,
    expected: str | None,
) -> None:
    server = FakeTinker()
    setup(server)
    sc = tinker.ServiceClient(
        api_key="tml-k", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    try:
        with pytest.raises(tinker.APIResponseValidationError) as info:
            action(sc)
    finally:
        sc.close()
    error = info.value
    assert isinstance(error, tinker.TinkerError)
    if pointer is not None:
        assert error.pointer == pointer
        assert expected is not None and expected in (error.expected or "")
        assert f"at {pointer or '/'}" in str(error)
    # bounded: the bad answer is not retried or polled forever
    assert len(server.requests) < 12
    # no request was polled with a request_id that is not the server's string
    assert all(b and b.get("request_id") != "None" for b in server.bodies("/api/v1/retrieve_future"))
    clone = pickle.loads(pickle.dumps(error))
    assert str(clone) == str(error) and clone.pointer == error.pointer


def test_finding5_session_id_null_is_not_used_as_the_string_none() -> None:
    server = FakeTinker()
    answer("/api/v1/create_session", {"session_id": None})(server)
    sc = tinker.ServiceClient(
        api_key="tml-k", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    try:
        with pytest.raises(tinker.APIResponseValidationError):
            sampler(sc)
        assert sc.session_id is None
        assert server.paths() == ["/api/v1/create_session"]
    finally:
        sc.close()
