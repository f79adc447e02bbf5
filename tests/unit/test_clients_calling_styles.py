"""Client creation in every calling style: the 0.25 one (the method returns the client; `*_async` twins
are coroutines) and the 0.38 ones (`.result()`, `await`, `.result_async()`, `.coroutine()`, `.future()`
on what the method returns). Each style must give the created client and send exactly one creation."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from typing import Any

import pytest
from _fault_server import FakeTinker, Recorded, json_response

import tinker_ext as tinker

RUN_PATH = "tinker://run-7/weights/step-3"
SAMPLER_PATH = "tinker://run-7/sampler_weights/s-1"


@pytest.fixture
def server() -> FakeTinker:
    fake = FakeTinker()

    def weights_info(rec: Recorded) -> Any:
        return json_response(
            200,
            {
                "base_model": "ckpt/base",
                "is_lora": True,
                "lora_rank": 8,
                "train_mlp": False,
                "train_attn": True,
                "train_unembed": None,
            },
        )

    fake.handlers["/api/v1/weights_info"] = weights_info
    fake.handlers["/api/v1/samplers/samp0"] = lambda rec: json_response(
        200, {"sampler_id": "samp0", "base_model": "sampler/base"}
    )
    return fake


# Each creation: (sync call, async twin, expected class, endpoint whose POST count = number of creations).
Creation = tuple[Callable[[Any], Any], Callable[[Any], Any], type, str]


def _train(service: tinker.ServiceClient) -> tinker.TrainingClient:
    return service.create_lora_training_client("tiny/model", rank=4)


CREATIONS: dict[str, Creation] = {
    "create_lora_training_client": (
        lambda s: s.create_lora_training_client("tiny/model", rank=4),
        lambda s: s.create_lora_training_client_async("tiny/model", rank=4),
        tinker.TrainingClient,
        "/api/v1/create_model",
    ),
    "create_training_client_from_state": (
        lambda s: s.create_training_client_from_state(RUN_PATH),
        lambda s: s.create_training_client_from_state_async(RUN_PATH),
        tinker.TrainingClient,
        "/api/v1/load_weights",
    ),
    "create_training_client_from_state_with_optimizer": (
        lambda s: s.create_training_client_from_state_with_optimizer(RUN_PATH),
        lambda s: s.create_training_client_from_state_with_optimizer_async(RUN_PATH),
        tinker.TrainingClient,
        "/api/v1/load_weights",
    ),
    "create_sampling_client": (
        lambda s: s.create_sampling_client(base_model="tiny/model"),
        lambda s: s.create_sampling_client_async(base_model="tiny/model"),
        tinker.SamplingClient,
        "/api/v1/create_sampling_session",
    ),
    "TrainingClient.save_weights_and_get_sampling_client": (
        lambda s: _train(s).save_weights_and_get_sampling_client(),
        lambda s: _train(s).save_weights_and_get_sampling_client_async(),
        tinker.SamplingClient,
        "/api/v1/save_weights_for_sampler",
    ),
    "TrainingClient.create_sampling_client": (
        lambda s: _train(s).create_sampling_client(SAMPLER_PATH),
        lambda s: _train(s).create_sampling_client_async(SAMPLER_PATH),
        tinker.SamplingClient,
        "/api/v1/create_sampling_session",
    ),
}


def _sync_styles(make: Callable[[], Any]) -> dict[str, Any]:
    direct = make()
    # The returned client is its own finished future.
    assert direct.done() and direct.result() is direct and direct.future().result() is direct
    return {
        "direct": direct,
        "result()": make().result(),
        "result(timeout)": make().result(timeout=5),
        "future().result()": make().future().result(timeout=5),
    }


async def _async_styles(make: Callable[[], Any], make_async: Callable[[], Any]) -> dict[str, Any]:
    return {
        "await": await make(),
        "result_async()": await make().result_async(),
        "result_async(timeout)": await make().result_async(timeout=5),
        "coroutine()": await make().coroutine(),
        "wrap_future(future())": await asyncio.wrap_future(make().future()),
        "await *_async": await make_async(),
        "gather *_async": (await asyncio.gather(make_async()))[0],
    }


@pytest.mark.parametrize("name", list(CREATIONS))
def test_every_calling_style_returns_the_created_client(
    name: str, server: FakeTinker, service: tinker.ServiceClient
) -> None:
    sync_call, async_call, expected, endpoint = CREATIONS[name]
    results = _sync_styles(lambda: sync_call(service))
    results.update(asyncio.run(_async_styles(lambda: sync_call(service), lambda: async_call(service))))

    for style, client in results.items():
        assert isinstance(client, expected), style
    # One creation per style call (the 0.38 methods must not create a second client): 4 sync + 7 async.
    assert len([r for r in server.requests if r.path == endpoint]) == 11
    # Every style returned its own client.
    ids = {getattr(c, "model_id", None) or c.sampling_session_id for c in results.values()}
    assert len(ids) == len(results) == 11


def test_created_clients_work_in_the_025_style(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model")
    assert isinstance(tc, tinker.TrainingClient)
    assert tc.forward_backward([_datum()], "cross_entropy").result().metrics["loss:sum"] == 1.0
    sc = tc.save_weights_and_get_sampling_client()
    assert isinstance(sc, tinker.SamplingClient) and sc.get_base_model() == "tiny/model"
    resp = sc.sample(tinker.ModelInput.from_ints([1]), 1, tinker.SamplingParams(max_tokens=2)).result()
    assert resp.sequences[0].tokens == [1, 2]


def test_created_clients_work_in_the_038_async_style(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    async def main() -> tuple[float, list[int]]:
        tc = await service.create_lora_training_client("tiny/model")
        out = await tc.forward_backward([_datum()], "cross_entropy")
        sc = await tc.save_weights_and_get_sampling_client()
        resp = await sc.sample(tinker.ModelInput.from_ints([1]), 1, tinker.SamplingParams(max_tokens=2))
        return out.metrics["loss:sum"], resp.sequences[0].tokens

    assert asyncio.run(main()) == (1.0, [1, 2])


def test_future_of_a_client_is_a_concurrent_future(service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model")
    fut = tc.future()
    assert isinstance(fut, concurrent.futures.Future) and fut.done()
    done, _ = concurrent.futures.wait([fut], timeout=1)
    assert done == {fut}


def test_from_state_uses_the_checkpoint_config_and_loads_it(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    tc = service.create_training_client_from_state_with_optimizer(RUN_PATH).result()
    create = server.bodies("/api/v1/create_model")[-1]
    assert create["base_model"] == "ckpt/base"
    assert create["lora_config"] == {"rank": 8, "train_unembed": True, "train_mlp": False, "train_attn": True}
    load = server.bodies("/api/v1/load_weights")[-1]
    assert (load["path"], load["optimizer"], load["model_id"], load["seq_id"]) == (
        RUN_PATH,
        True,
        tc.model_id,
        1,
    )
    # The official signature: base_model is the second positional parameter (an override).
    service.create_training_client_from_state(RUN_PATH, "override/base", {"k": "v"})
    create = server.bodies("/api/v1/create_model")[-1]
    assert (create["base_model"], create["user_metadata"]) == ("override/base", {"k": "v"})
    assert server.bodies("/api/v1/load_weights")[-1]["optimizer"] is False


def test_training_create_sampling_client_learns_the_base_model(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    sc = service.create_lora_training_client("tiny/model").create_sampling_client(SAMPLER_PATH)
    assert sc.get_base_model() == "sampler/base"
    assert server.bodies("/api/v1/create_sampling_session")[-1]["model_path"] == SAMPLER_PATH


def test_creation_errors_raise_in_every_style(server: FakeTinker, service: tinker.ServiceClient) -> None:
    with pytest.raises(tinker.InvalidInputError):
        service.create_lora_training_client("tiny/model", rank=0)

    async def main() -> None:
        with pytest.raises(tinker.InvalidInputError):
            await service.create_lora_training_client_async("tiny/model", rank=0)
        with pytest.raises(tinker.InvalidInputError):
            await service.create_sampling_client_async(model_path="not-a-tinker-path")

    asyncio.run(main())
    assert server.bodies("/api/v1/create_model") == []


def _datum() -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints([0, 1, 2]),
        loss_fn_inputs={"target_tokens": [1, 2, 3], "weights": [1.0, 1.0, 1.0]},
    )
