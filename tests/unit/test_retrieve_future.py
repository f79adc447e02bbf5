"""`APIFuture.request_ids` and `ServiceClient.retrieve_future`: a request re-attached by its id from another
client (as after a process restart), its result decoded as the original call's."""

from __future__ import annotations

import pytest
from _fault_server import FakeTiming, FakeTinker

import tinker_ext as tinker
from tinker_ext._wire.limits import ChunkLimits


def make_service(server: FakeTinker) -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key="k", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )


def datum(length: int) -> tinker.Datum:
    tokens = list(range(1, length + 2))
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]), loss_fn_inputs={"target_tokens": tokens[1:]}
    )


def test_a_request_is_reattached_by_id_from_another_client() -> None:
    server = FakeTinker()
    with make_service(server) as first:
        training = first.create_lora_training_client("tiny/model")
        fwd = training.forward_backward([datum(3)], "cross_entropy")
        opt = training.optim_step(tinker.AdamParams())
        original = fwd.result(timeout=10)
        opt.result(timeout=10)
    (fwd_id,) = fwd.request_ids
    (opt_id,) = opt.request_ids
    assert fwd_id != opt_id
    with make_service(server) as second:  # a new client, as in a restarted process
        again = second.retrieve_future(fwd_id, tinker.ForwardBackwardOutput).result(timeout=10)
        step = second.retrieve_future(opt_id, tinker.OptimStepResponse).result(timeout=10)
    assert isinstance(again, tinker.ForwardBackwardOutput)
    assert again.loss_fn_outputs[0]["logprobs"].tolist() == original.loss_fn_outputs[0]["logprobs"].tolist()
    assert isinstance(step, tinker.OptimStepResponse)
    polls = [
        r for r in server.requests if r.path == "/api/v1/retrieve_future" and r.body["request_id"] == fwd_id
    ]
    assert polls[-1].headers["X-Tinker-Request-Type"] == "ForwardBackward"


def test_every_chunk_of_a_call_is_listed() -> None:
    server = FakeTinker()
    with make_service(server) as service:
        training = service.create_lora_training_client("tiny/model")
        service._ctx.chunk_limits = ChunkLimits(max_datums=1)
        fwd = training.forward([datum(2), datum(3), datum(4)])
        fwd.result(timeout=10)
    assert len(fwd.request_ids) == 3 and len(set(fwd.request_ids)) == 3


def test_bad_arguments_and_unknown_ids() -> None:
    server = FakeTinker()
    with make_service(server) as service:
        for bad_id in ("", None, 5):
            with pytest.raises(tinker.InvalidInputError):
                service.retrieve_future(bad_id, tinker.ForwardBackwardOutput)  # type: ignore[arg-type]
        with pytest.raises(tinker.InvalidInputError):
            service.retrieve_future("1", dict)
        with pytest.raises(tinker.InvalidInputError):
            service.retrieve_future("1", tinker.OptimStepResponse, request_type="")
        assert "/api/v1/retrieve_future" not in server.paths()  # refused before anything was sent
        with pytest.raises(tinker.NotFoundError):
            service.retrieve_future("no-such-id", tinker.OptimStepResponse).result(timeout=10)
