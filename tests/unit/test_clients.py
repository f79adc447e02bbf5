"""The four clients against the in-process fake server: wire bodies, idempotency, bad input, NotGiven."""

from __future__ import annotations

from typing import Any

import pytest
from _fault_server import FakeTiming, FakeTinker, Fault

import tinker_ext as tinker


def datum(n: int = 3) -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(list(range(n))),
        loss_fn_inputs={"target_tokens": list(range(1, n + 1)), "weights": [1.0] * n},
    )


def test_service_client_is_lazy(server: FakeTinker, service: tinker.ServiceClient) -> None:
    assert server.requests == []


def test_missing_api_key_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.delenv("TINKER_API_KEY", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.tinker/credentials.json either
    with pytest.raises(tinker.TinkerError):
        tinker.ServiceClient(base_url="http://t")


def test_create_and_train_wire(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model", rank=4)
    create = server.bodies("/api/v1/create_model")[0]
    assert create["lora_config"] == {"rank": 4, "train_unembed": True, "train_mlp": True, "train_attn": True}
    assert create["model_seq_id"] == 0 and "user_metadata" not in create
    tc.forward_backward([datum()], "cross_entropy").result()
    tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result()
    fb = server.bodies("/api/v1/forward_backward")[0]
    assert fb["seq_id"] == 1 and fb["model_id"] == tc.model_id
    assert fb["forward_backward_input"]["loss_fn"] == "cross_entropy"
    assert "loss_fn_config" not in fb["forward_backward_input"]
    opt = server.bodies("/api/v1/optim_step")[0]
    assert opt["seq_id"] == 2 and opt["type"] == "optim_step"
    assert opt["adam_params"]["learning_rate"] == 1e-3


def test_forward_uses_legacy_forward_endpoint(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model")
    out = tc.forward([datum()], "cross_entropy").result()
    assert len(out.loss_fn_outputs) == 1
    assert server.bodies("/api/v1/forward")[0]["forward_input"]["data"][0]["model_input"]


def test_chunking_consecutive_seq_ids_and_merge(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model")
    out = tc.forward_backward([datum() for _ in range(300)], "cross_entropy").result()
    bodies = server.bodies("/api/v1/forward_backward")
    assert [len(b["forward_backward_input"]["data"]) for b in bodies] == [128, 128, 44]
    assert [b["seq_id"] for b in bodies] == [1, 2, 3]
    assert len(out.loss_fn_outputs) == 300
    assert out.metrics["loss:sum"] == 300.0


@pytest.mark.parametrize(
    "call",
    [
        lambda tc: tc.forward_backward([], "cross_entropy"),
        lambda tc: tc.forward_backward([datum()], "not_a_loss"),
        lambda tc: tc.forward_backward(
            [
                tinker.Datum(
                    model_input=tinker.ModelInput.from_ints([1, 2]),
                    loss_fn_inputs={"target_tokens": [1, 2, 3]},
                )
            ],
            "cross_entropy",
        ),
        lambda tc: tc.optim_step(tinker.AdamParams(learning_rate=-1.0)),
        lambda tc: tc.optim_step({"learning_rate": 1e-4}),
        lambda tc: tc.forward_backward(
            [
                tinker.Datum(
                    model_input=tinker.ModelInput.from_ints([1]),
                    loss_fn_inputs={"target_tokens": [1], "weights": [float("nan")]},
                )
            ],
            "cross_entropy",
        ),
        lambda tc: tc.save_state(""),
    ],
)
def test_bad_input_sends_nothing(server: FakeTinker, service: tinker.ServiceClient, call: Any) -> None:
    tc = service.create_lora_training_client("tiny/model")
    before = len(server.requests)
    with pytest.raises((tinker.InvalidInputError, ValueError)):
        call(tc)
    assert len(server.requests) == before
    # the client still works afterwards (no reserved id left dangling)
    tc.optim_step(tinker.AdamParams()).result(timeout=10)


def test_retried_submission_reuses_idempotency_key(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model")
    server.inject("/api/v1/optim_step", Fault(status=500, body={"detail": "boom"}, after_apply=True))
    tc.optim_step(tinker.AdamParams()).result()
    attempts = [r for r in server.requests if r.path == "/api/v1/optim_step"]
    assert len(attempts) == 2
    assert attempts[0].headers["x-idempotency-key"] == attempts[1].headers["x-idempotency-key"]
    assert attempts[0].body == attempts[1].body  # same seq_id too
    tc.optim_step(tinker.AdamParams()).result()
    third = [r for r in server.requests if r.path == "/api/v1/optim_step"][2]
    assert third.headers["x-idempotency-key"] != attempts[0].headers["x-idempotency-key"]


def test_dropped_connection_on_submit_is_retried(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model")
    server.inject("/api/v1/forward_backward", Fault(status=None))
    assert tc.forward_backward([datum()], "cross_entropy").result().metrics["loss:sum"] == 1.0


def test_request_failed_surfaces(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model")
    server.result_for["/api/v1/optim_step"] = lambda rec: {"error": "lr too high", "category": "user"}
    with pytest.raises(tinker.RequestFailedError) as info:
        tc.optim_step(tinker.AdamParams()).result()
    assert info.value.category == tinker.RequestErrorCategory.USER


def test_not_given_vs_none_on_the_wire(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model")
    tc.save_state("a").result()
    tc.save_state("b", ttl_seconds=None).result()
    tc.save_state("c", ttl_seconds=7200).result()
    a, b, c = server.bodies("/api/v1/save_weights")
    # 0.38 semantics: the default is None (never expires) and None is left out of the body (exclude_none).
    assert "ttl_seconds" not in a
    assert "ttl_seconds" not in b
    assert c["ttl_seconds"] == 7200
    assert tinker.NOT_GIVEN is tinker.NotGiven() and not tinker.NOT_GIVEN


def test_sampling_client_and_compute_logprobs(server: FakeTinker, service: tinker.ServiceClient) -> None:
    sc = service.create_sampling_client(base_model="tiny/model")
    assert sc.get_base_model() == "tiny/model"
    resp = sc.sample(tinker.ModelInput.from_ints([1, 2]), 2, tinker.SamplingParams(max_tokens=2)).result()
    assert len(resp.sequences) == 2
    body = server.bodies("/api/v1/asample")[0]
    assert body["sampling_session_id"] == "samp0" and body["seq_id"] == 0 and body["prompt_logprobs"] is False
    server.result_for["/api/v1/asample"] = lambda rec: {
        "sequences": [{"tokens": [3], "stop_reason": "length"}],
        "prompt_logprobs": [None, -0.5],
    }
    assert sc.compute_logprobs(tinker.ModelInput.from_ints([1, 2])).result() == [None, -0.5]
    assert server.bodies("/api/v1/asample")[1]["seq_id"] == 1


def test_sample_resubmitted_after_promise_expired(server: FakeTinker, service: tinker.ServiceClient) -> None:
    sc = service.create_sampling_client(base_model="tiny/model")
    server.inject("/api/v1/retrieve_future", Fault(status=410, body={"detail": "expired"}))
    resp = sc.sample(tinker.ModelInput.from_ints([1]), 1, tinker.SamplingParams(max_tokens=2)).result()
    assert len(resp.sequences) == 1
    assert [b["seq_id"] for b in server.bodies("/api/v1/asample")] == [0, 1]


def test_rest_client_paths(server: FakeTinker, service: tinker.ServiceClient) -> None:
    from _fault_server import json_response

    server.handlers["/api/v1/training_runs"] = lambda rec: json_response(
        200, {"training_runs": [], "cursor": {"offset": 0, "limit": 5, "total_count": 0}}
    )
    server.handlers["/api/v1/training_runs/run1/checkpoints/weights/c1/ttl"] = lambda rec: json_response(
        200, {}
    )
    rc = service.create_rest_client()
    runs = rc.list_training_runs(limit=5, offset=0).result()
    assert runs.training_runs == []
    assert server.requests[-1].params == {"limit": "5", "offset": "0"}
    rc.set_checkpoint_ttl_from_tinker_path("tinker://run1/weights/c1", None).result()
    last = server.requests[-1]
    assert (last.method, last.body) == ("PUT", {"ttl_seconds": None})


def test_future_timeout_at_client_level(server: FakeTinker) -> None:
    server.try_again_default = 10**9
    sc = tinker.ServiceClient(
        api_key="k",
        base_url="http://t",
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
        future_timeout=30.0,
    )
    with pytest.raises(tinker.FutureTimeoutError):
        sc.create_lora_training_client("tiny/model")
    sc.close()


def test_async_style(server: FakeTinker, service: tinker.ServiceClient) -> None:
    import asyncio

    async def main() -> float:
        tc = await service.create_lora_training_client_async("tiny/model")
        fut = await tc.forward_backward_async([datum()], "cross_entropy")
        out = await fut.result_async()
        return out.metrics["loss:sum"]

    assert asyncio.run(main()) == 1.0
