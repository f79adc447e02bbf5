"""A training loop written against the official tinker 0.38 API, both calling styles, nothing tinker-ext
specific: tests/unit/test_surface_drop_in.py runs it through `tinker_ext.drop_in` (TINKER_BASE_URL and
TINKER_API_KEY come from the environment). It prints one JSON line of what it observed."""

import asyncio
import json
import os

import tinker
from tinker import types
from tinker.lib.public_interfaces import APIFuture
from tinker.lib.public_interfaces.rest_client import RestClient
from tinker.types.loss_fn_type import LossFnType
from tinker.types.tensor_data import TensorData

BASE_MODEL = os.environ.get("TINKER_BASE_MODEL", "tiny/model")
LOSS: LossFnType = "cross_entropy"


def datum(tokens: list[int]) -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={
            "target_tokens": TensorData.from_numpy(__import__("numpy").array(tokens[1:], dtype="int64")),
            "weights": tinker.TensorData(
                data=[1.0] * (len(tokens) - 1), dtype="float32", shape=[len(tokens) - 1]
            ),
        },
    )


def sync_style(service: tinker.ServiceClient) -> dict:
    training = service.create_lora_training_client(base_model=BASE_MODEL, rank=4).result()
    fwd = training.forward_backward([datum([1, 2, 3, 4])], LOSS)
    assert isinstance(fwd, APIFuture)
    out = fwd.result()
    step = training.optim_step(types.AdamParams(learning_rate=1e-4)).result()
    saved = training.save_state(
        "step-1", ttl_seconds=None, overwrite=False, user_metadata={"k": "v"}
    ).result()
    sampler = training.save_weights_and_get_sampling_client().result()
    sample = sampler.sample(
        prompt=tinker.ModelInput.from_ints([1, 2]),
        num_samples=1,
        sampling_params=tinker.SamplingParams(max_tokens=2),
    ).result()
    return {
        "outputs": len(out.loss_fn_outputs),
        "optim": type(step).__name__,
        "saved": saved.path,
        "tokens": sample.sequences[0].tokens,
    }


async def async_style(service: tinker.ServiceClient) -> dict:
    training = await service.create_lora_training_client_async(BASE_MODEL, rank=4)
    fut = await training.forward_backward_async([datum([5, 6, 7])], LOSS)  # 0.25 style
    first = await fut.result_async()
    second = await training.forward_backward([datum([5, 6, 7])], LOSS)  # 0.38 style
    await training.optim_step(adam_params=tinker.AdamParams()).coroutine()
    return {"async_outputs": len(first.loss_fn_outputs), "awaited": type(second).__name__}


def main() -> None:
    service = tinker.ServiceClient()
    report = sync_style(service)
    report.update(asyncio.run(async_style(service)))
    report["rest"] = type(service.create_rest_client()).__name__ == RestClient.__name__
    report["module"] = tinker.ServiceClient.__module__.split(".")[0]
    report["version"] = tinker.__version__
    report["close"] = service.close("success").result() is None
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
