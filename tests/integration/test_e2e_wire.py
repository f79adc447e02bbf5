"""The wire on real servers: what `wire="auto"` negotiates, and that the paths agree on the numbers.

skyrl-tx 0.3.0 speaks the legacy JSON wire; skyrl 0.4.0 the protobuf one (a JSON forward_backward gets
415, results come as protobuf). On each, the logprobs of one sequence are read three ways and must
agree: a `forward` pass (protobuf request and result on skyrl 0.4.0, JSON on skyrl-tx), the per-token
loss of `forward_backward` (−Σ w·logprob), and the prompt logprobs of the sampler (a JSON request with a
protobuf result on skyrl 0.4.0).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from _recording import RecordingTransport

import tinker_ext as tinker

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def recorded(
    tinker_server,
) -> Iterator[tuple[tinker.ServiceClient, tinker.TrainingClient, RecordingTransport]]:  # type: ignore[no-untyped-def]
    transport = RecordingTransport()
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, _transport=transport
    ) as service:
        training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=3)
        yield service, training, transport


def sequence(length: int = 12, seed: int = 9) -> list[int]:
    return np.random.default_rng(seed).integers(1, 1000, size=length).tolist()


def test_auto_negotiates_the_servers_wire(tinker_server, recorded) -> None:  # type: ignore[no-untyped-def]
    service, training, transport = recorded
    training.forward_backward(
        [
            tinker.Datum(
                model_input=tinker.ModelInput.from_ints(sequence()[:-1]),
                loss_fn_inputs={"target_tokens": sequence()[1:], "weights": [1.0] * 11},
            )
        ],
        "cross_entropy",
    ).result()
    if tinker_server.wire is not None:  # known for the local servers (and a remote one that says)
        assert service.wire == tinker_server.wire
    [sent] = transport.passes(forward_only=False)[-1:]
    expected_type = "application/x-protobuf" if service.wire == "protobuf" else "application/json"
    assert sent.content_type == expected_type
    assert sent.path.endswith("/forward_backward")


def test_forward_forward_backward_and_sampler_agree_on_logprobs(tinker_server, recorded) -> None:  # type: ignore[no-untyped-def]
    service, training, transport = recorded
    tokens = sequence()
    weights = np.linspace(0.25, 1.0, len(tokens) - 1).astype(np.float32)  # non-uniform on purpose
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={"target_tokens": tokens[1:], "weights": weights},
    )
    forward = training.forward([datum], "cross_entropy").result()
    logprobs = forward.loss_fn_outputs[0]["logprobs"].to_numpy()
    assert logprobs.shape == (len(tokens) - 1,) and np.all(logprobs < 0)

    backward = training.forward_backward([datum], "cross_entropy").result()
    np.testing.assert_allclose(
        backward.loss_fn_outputs[0]["logprobs"].to_numpy(), logprobs, rtol=1e-5, atol=1e-5
    )
    if "loss:sum" in backward.metrics:
        assert backward.metrics["loss:sum"] == pytest.approx(-float(np.dot(weights, logprobs)), rel=1e-4)

    # The sampler of the same (untrained: LoRA B starts at zero) weights: the base model.
    sampler = service.create_sampling_client(base_model=tinker_server.base_model)
    prompt_logprobs = sampler.compute_logprobs(tinker.ModelInput.from_ints(tokens)).result()
    assert prompt_logprobs[0] is None and len(prompt_logprobs) == len(tokens)
    np.testing.assert_allclose(
        np.array(prompt_logprobs[1:], dtype=np.float64), logprobs, rtol=1e-3, atol=1e-3
    )

    forward_pass = transport.passes(forward_only=True)[-1]
    if service.wire == "protobuf":
        assert forward_pass.path.endswith("/forward_backward") and forward_pass.forward_only is True
    else:
        assert forward_pass.path.endswith("/forward")


@pytest.mark.local_server_kinds("skyrl")  # skyrl 0.4.0 refuses JSON forward_backward bodies
def test_a_json_only_client_is_refused_cleanly_by_a_protobuf_server(tinker_server) -> None:  # type: ignore[no-untyped-def]
    transport = RecordingTransport()
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, wire="json", _transport=transport
    ) as service:
        training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=3)
        datum = tinker.Datum(
            model_input=tinker.ModelInput.from_ints(sequence()[:-1]),
            loss_fn_inputs={"target_tokens": sequence()[1:], "weights": [1.0] * 11},
        )
        with pytest.raises(tinker.APIStatusError) as caught:
            training.forward_backward([datum], "cross_entropy").result()
        assert caught.value.status_code == 415
        # Nothing was applied and no seq_id was used up: the next request is still seq 1.
        optim = training.optim_step(tinker.AdamParams(learning_rate=1e-3)).result()
        assert isinstance(optim, tinker.OptimStepResponse)
        assert [s.seq_id for s in transport.sent if s.endpoint in ("forward_backward", "optim_step")] == [
            1,
            1,
        ]
