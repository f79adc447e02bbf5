"""`ServiceClient.create_custom_loss` and LossHandles (tinker 0.38), against the in-process fake server:
checks of the traced function, the client-side run (per-datum graph, summed loss, reduced metrics, the
backward weights = -gradient), and server-side registration (`custom_loss_server_side`) where the loss is
one `forward_backward(data, "custom", {"loss_id"})`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _fault_server import FakeTiming, FakeTinker, json_response
from test_custom_loss_wire import known_logprobs

import tinker_ext as tinker

torch = pytest.importorskip("torch")


def weighted_square(logprobs: Any, advantages: Any) -> tuple[Any, dict[str, Any]]:
    score = (logprobs * advantages).sum()
    return score * score, {"custom/score:mean": score, "custom/count:sum": score * 0 + 1}


def _server(server_side: bool) -> FakeTinker:
    fake = FakeTinker()
    fake.result_for["/api/v1/forward"] = lambda rec: {
        "loss_fn_output_type": "scalar",
        "loss_fn_outputs": [
            {
                "logprobs": {
                    "data": known_logprobs(d["loss_fn_inputs"]["target_tokens"]["data"]),
                    "dtype": "float32",
                }
            }
            for d in rec.body["forward_input"]["data"]
        ],
        "metrics": {},
    }
    if server_side:
        fake.handlers["/api/v1/client/config"] = lambda rec: json_response(
            200, {"custom_loss_server_side": True}
        )
        fake.result_for["/api/v1/create_custom_loss"] = lambda rec: {
            "loss_id": "loss-7",
            "type": "create_custom_loss",
        }
    return fake


def _service(fake: FakeTinker) -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key="tml-test",
        base_url="http://t",
        wire="json",
        _transport=fake.transport(),
        _timing=FakeTiming().timing(),
    )


def _data() -> list[tinker.Datum]:
    out = []
    for i, tokens in enumerate(([3, 5, 8], [2, 9, 4, 6])):
        n = len(tokens)
        out.append(
            tinker.Datum(
                model_input=tinker.ModelInput.from_ints([1] * n),
                loss_fn_inputs={
                    "target_tokens": tinker.TensorData(data=tokens, dtype="int64", shape=[n]),
                    "advantages": tinker.TensorData(
                        data=[0.5 * (i + t) for t in range(n)], dtype="float32", shape=[n]
                    ),
                },
            )
        )
    return out


def test_a_handle_runs_client_side_when_the_server_does_not_register_losses() -> None:
    fake = _server(server_side=False)
    with _service(fake) as sc:
        handle = sc.create_custom_loss(weighted_square, {"logprobs": 1, "advantages": 1}).result()
        assert handle.loss_id is None and handle.input_names == ("advantages",)
        training = sc.create_lora_training_client("tiny/model")
        data = _data()
        out = training.forward_backward_custom(data, handle).result()
        with pytest.raises(tinker.InvalidInputError, match="already created"):
            sc.create_custom_loss(weighted_square, {"logprobs": 1, "advantages": 1}).result()
    assert "/api/v1/create_custom_loss" not in fake.paths()
    # Independent gradient: d/dl (sum l*a)^2 = 2 (sum l*a) a; backward weights are its negation.
    scores, expected_weights = [], []
    for datum in data:
        lp = np.array(known_logprobs(datum.loss_fn_inputs["target_tokens"].tolist()), dtype=np.float32)
        adv = np.array(datum.loss_fn_inputs["advantages"].tolist(), dtype=np.float32)
        score = float((lp * adv).sum())
        scores.append(score)
        expected_weights.append(-2 * score * adv)
    (backward,) = fake.bodies("/api/v1/forward_backward")
    for sent, expected in zip(backward["forward_backward_input"]["data"], expected_weights, strict=True):
        assert np.allclose(sent["loss_fn_inputs"]["weights"]["data"], expected, atol=1e-5)
        assert set(sent["loss_fn_inputs"]) == {"target_tokens", "weights"}
    assert out.metrics["loss:sum"] == pytest.approx(sum(s * s for s in scores), rel=1e-5)
    assert out.metrics["custom/score:mean"] == pytest.approx(sum(scores) / 2, rel=1e-5)
    assert out.metrics["custom/count:sum"] == 2.0


def test_a_registered_handle_is_one_custom_forward_backward() -> None:
    fake = _server(server_side=True)
    with _service(fake) as sc:
        handle = sc.create_custom_loss(weighted_square, {"logprobs": 1, "advantages": 1}).result()
        training = sc.create_lora_training_client("tiny/model")
        training.forward_backward_custom(_data(), handle).result()
    (created,) = fake.bodies("/api/v1/create_custom_loss")
    assert handle.loss_id == "loss-7"
    assert (created["custom_loss_seq_id"], created["name"]) == (0, "weighted_square")
    assert created["inputs"] == [{"name": "logprobs", "rank": 1}, {"name": "advantages", "rank": 1}]
    nodes = created["graph"]["nodes"]
    assert created["graph"]["format"] == 1 and [n["op"] for n in nodes][:2] == ["placeholder", "placeholder"]
    assert nodes[-1]["op"] == "output" and {"ref": nodes[0]["name"]} in nodes[2]["args"]
    assert "/api/v1/forward" not in fake.paths()
    (sent,) = fake.bodies("/api/v1/forward_backward")
    assert sent["forward_backward_input"]["loss_fn"] == "custom"
    assert sent["forward_backward_input"]["loss_fn_config"] == {"loss_id": "loss-7"}
    assert "advantages" in sent["forward_backward_input"]["data"][0]["loss_fn_inputs"]


def _uses_numpy(logprobs: Any) -> tuple[Any, dict[str, Any]]:
    return logprobs.numpy().sum(), {}


def _bad_name(lp: Any) -> tuple[Any, dict[str, Any]]:
    return lp.sum(), {}


@pytest.mark.parametrize(
    ("fn", "ranks", "match"),
    [
        (_bad_name, {"lp": 1}, "logprobs"),
        (weighted_square, {"logprobs": 1}, "one rank per parameter"),
        (weighted_square, {"logprobs": 0, "advantages": 1}, "rank 0"),
        (weighted_square, {"logprobs": 1, "advantages": 3}, "0, 1 or 2"),
        (_uses_numpy, {"logprobs": 1}, "numpy"),
    ],
)
def test_bad_losses_are_refused_before_anything_is_registered(
    fn: Any, ranks: dict[str, int], match: str
) -> None:
    fake = _server(server_side=True)
    with _service(fake) as sc, pytest.raises(tinker.InvalidInputError, match=match):
        sc.create_custom_loss(fn, ranks).result()
    assert "/api/v1/create_custom_loss" not in fake.paths()


def test_data_must_carry_the_declared_inputs() -> None:
    fake = _server(server_side=False)
    with _service(fake) as sc:
        handle = sc.create_custom_loss(weighted_square, {"logprobs": 1, "advantages": 2}).result()
        training = sc.create_lora_training_client("tiny/model")
        with pytest.raises(tinker.InvalidInputError, match="rank 1, declared 2"):
            training.forward_backward_custom(_data(), handle)
    assert "/api/v1/forward" not in fake.paths()


def _captures_a_tensor(logprobs: Any) -> tuple[Any, dict[str, Any]]:
    return (logprobs * torch.ones(())).sum(), {}


def test_captured_tensors_are_refused() -> None:
    fake = _server(server_side=False)
    with _service(fake) as sc, pytest.raises(tinker.InvalidInputError, match="captured tensors"):
        sc.create_custom_loss(_captures_a_tensor, {"logprobs": 1}).result()
