"""A minimal training flow driven by the official tinker 0.25 SDK, run with a local server venv's python.

    <server venv>/bin/python official_sdk025_flow.py BASE_URL BASE_MODEL

skyrl 0.4.0 pins `tinker>=0.25,<0.26`, so its venv holds the SDK generation the server was made for.
test_localserver_skyrl.py runs this script as a subprocess: it shows that the server itself trains and
samples, independent of tinker_ext. It uses only `tinker` and the standard library, and prints one JSON
object on its last stdout line (what the test asserts on).
"""

from __future__ import annotations

import json
import os
import sys

import tinker
from tinker import types

# Token ids valid for any vocabulary of at least 200 tokens (the local tiny model has 1024).
SEQUENCES = [list(range(101, 141)), list(range(150, 170))]
STEPS = 5
LEARNING_RATE = 1e-2


def datum(tokens: list[int]) -> types.Datum:
    return types.Datum(
        model_input=types.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={"target_tokens": tokens[1:], "weights": [1.0] * (len(tokens) - 1)},
    )


def mean_nll(output: types.ForwardBackwardOutput) -> float:
    """Mean negative log-likelihood per target token (all weights are 1)."""
    logprobs = [x for record in output.loss_fn_outputs for x in record["logprobs"].tolist()]
    return -sum(logprobs) / len(logprobs)


def error_facts(error: BaseException) -> dict[str, object]:
    return {
        "type": type(error).__name__,
        "status_code": getattr(error, "status_code", None),
        "message": str(error)[:500],
    }


def main(base_url: str, base_model: str) -> dict[str, object]:
    service = tinker.ServiceClient(base_url=base_url, api_key=os.environ.get("TINKER_API_KEY", "tml-local"))
    training = service.create_lora_training_client(base_model=base_model, rank=8, seed=0)
    batch = [datum(tokens) for tokens in SEQUENCES]
    losses: list[float] = []
    optim_metrics: dict[str, float] = {}
    for _ in range(STEPS):
        losses.append(mean_nll(training.forward_backward(batch, "cross_entropy").result()))
        optim_metrics = dict(
            training.optim_step(types.AdamParams(learning_rate=LEARNING_RATE)).result().metrics or {}
        )

    sampler = training.save_weights_and_get_sampling_client(name="sdk025-sampler")
    prompt = types.ModelInput.from_ints(SEQUENCES[0][:10])
    sample = sampler.sample(
        prompt=prompt,
        num_samples=1,
        sampling_params=types.SamplingParams(max_tokens=8, seed=7, temperature=1.0),
    ).result()

    checkpoint = training.save_state("sdk025-state").result().path
    try:
        training.load_state(checkpoint).result()
        load_into_trained: dict[str, object] | None = None
    except Exception as error:  # the fact under test is which error the server gives
        load_into_trained = error_facts(error)
    restored = service.create_training_client_from_state(checkpoint)
    restored_loss = mean_nll(restored.forward(batch, "cross_entropy").result())
    trained_loss = mean_nll(training.forward(batch, "cross_entropy").result())

    return {
        "sdk_version": tinker.__version__,
        "model_id": training.model_id,
        "losses": losses,
        "optim_metric_keys": sorted(optim_metrics),
        "sample_tokens": list(sample.sequences[0].tokens),
        "sample_stop_reason": str(sample.sequences[0].stop_reason),
        "checkpoint": checkpoint,
        "load_into_trained_error": load_into_trained,
        "trained_forward_loss": trained_loss,
        "restored_forward_loss": restored_loss,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])), flush=True)
