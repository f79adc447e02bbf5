"""A one-chunk forward/forward_backward result goes through the same metric reduction as a multi-chunk
one (as in the official SDK): malformed keys raise, unknown reductions are dropped, hash2 is normalised."""

from __future__ import annotations

from typing import Any

import pytest
from _fault_server import FakeTinker, Recorded

import tinker_ext as tinker


def datum() -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2]),
        loss_fn_inputs={"target_tokens": [2, 3], "weights": [1.0, 1.0]},
    )


def answer_metrics(server: FakeTinker, path: str, metrics: dict[str, Any]) -> None:
    key = "forward_input" if path.endswith("/forward") else "forward_backward_input"

    def result(rec: Recorded) -> Any:
        data = rec.body[key]["data"]
        return {
            "loss_fn_output_type": "scalar",
            "loss_fn_outputs": [{"logprobs": {"data": [-0.5, -0.5], "dtype": "float32"}} for _ in data],
            "metrics": metrics,
        }

    server.result_for[path] = result


@pytest.mark.parametrize("path", ["/api/v1/forward_backward", "/api/v1/forward"])
def test_single_chunk_is_reduced(server: FakeTinker, service: tinker.ServiceClient, path: str) -> None:
    answer_metrics(
        server, path, {"loss:sum": 2.5, "tok:mean": 0.25, "h:hash2": -1, "odd:median": 7.0, "u:unique": 3.0}
    )
    tc = service.create_lora_training_client("tiny/model")
    call = tc.forward if path.endswith("/forward") else tc.forward_backward
    out = call([datum()], "cross_entropy").result()
    assert len(server.bodies(path)) == 1  # one chunk
    # unknown reduction dropped, hash2 normalised to an unsigned 64-bit value, others unchanged
    assert out.metrics == {"loss:sum": 2.5, "tok:mean": 0.25, "h:hash2": 2**64 - 1, "u:unique": 3.0}
    assert len(out.loss_fn_outputs) == 1 and out.loss_fn_output_type == "scalar"


@pytest.mark.parametrize("bad_key", ["loss", "a:b:sum"])
def test_single_chunk_with_malformed_metric_key_raises(
    server: FakeTinker, service: tinker.ServiceClient, bad_key: str
) -> None:
    answer_metrics(server, "/api/v1/forward_backward", {"loss:sum": 1.0, bad_key: 1.0})
    tc = service.create_lora_training_client("tiny/model")
    with pytest.raises(tinker.TinkerError, match=bad_key):
        tc.forward_backward([datum()], "cross_entropy").result()
    # a failed reduction does not block the client
    server.result_for.clear()
    assert tc.forward_backward([datum()], "cross_entropy").result().metrics == {"loss:sum": 1.0}


def test_single_and_multi_chunk_agree(server: FakeTinker, service: tinker.ServiceClient) -> None:
    answer_metrics(server, "/api/v1/forward_backward", {"loss:sum": 1.0, "h:hash2": -1, "z:zzz": 1.0})
    tc = service.create_lora_training_client("tiny/model")
    one = tc.forward_backward([datum()], "cross_entropy").result()
    two = tc.forward_backward([datum()] * 129, "cross_entropy").result()  # 128 + 1
    assert len(server.bodies("/api/v1/forward_backward")) == 3
    assert set(one.metrics) == set(two.metrics) == {"loss:sum", "h:hash2"}
    assert (one.metrics["h:hash2"], two.metrics["h:hash2"]) == (2**64 - 1, 2**64 - 2)
