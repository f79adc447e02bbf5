"""forward / forward_backward chunk bodies: encoded when sent, without the per-datum generated round trip.

The bytes must be those of the full generated-model round trip (`generated_request` + `encode_json`),
NaN/inf must still be refused before anything is sent, and a chunk's body must only be built in its turn.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import orjson
import pytest
from _fault_server import FakeTiming, FakeTinker, Fault
from tinker_ext_raw import endpoints

import tinker_ext as tinker
from tinker_ext._training import fwdbwd as _fwdbwd
from tinker_ext._training.fwdbwd import chunk_requests
from tinker_ext._wire.http import encode_json

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def text_datum(n: int = 4, seed: int = 0) -> tinker.Datum:
    rng = np.random.default_rng(seed)
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints([int(v) for v in rng.integers(0, 50_000, n)]),
        loss_fn_inputs={
            "target_tokens": tinker.TensorData.from_numpy(rng.integers(0, 50_000, n).astype(np.int64)),
            "weights": tinker.TensorData.from_numpy(rng.random(n, dtype=np.float32)),
        },
    )


def mixed_chunk_datum() -> tinker.Datum:
    chunks = [
        tinker.EncodedTextChunk(tokens=[1, 2, 3]),
        tinker.ImageChunk(data=PNG, format="png"),
        tinker.ImageAssetPointerChunk(format="jpeg", location="https://x/y.jpg"),
        tinker.DmelChunk(dmel=b"\x00\x01dmel"),
        tinker.EncodedTextChunk(tokens=[4]),
    ]
    n = 4
    return tinker.Datum(
        model_input=tinker.ModelInput(chunks=chunks),
        loss_fn_inputs={"target_tokens": np.arange(n), "weights": np.full(n, 0.1, dtype=np.float32)},
    )


def sparse_datum() -> tinker.Datum:
    torch = pytest.importorskip("torch")
    weights = torch.zeros(4, 16)
    weights[1, 3] = 0.7
    weights[3, 15] = 1.0 / 3.0
    targets = torch.zeros(4, 16, dtype=torch.int64)
    targets[0, 0] = 9
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints(list(range(4))),
        loss_fn_inputs={"target_tokens": targets, "weights": weights},
    )
    assert datum.loss_fn_inputs["weights"].is_sparse and datum.loss_fn_inputs["target_tokens"].is_sparse
    return datum


def rl_datum() -> tinker.Datum:
    n = 5
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints([7, 8, 9, 10, 11]),
        loss_fn_inputs={
            "target_tokens": [1, 2, 3, 4, 5],
            "advantages": [0.25, -1.5, 3.0, 1e-30, -0.0],
            "logprobs": np.linspace(-3, 0, n, dtype=np.float64),
        },
    )


def encoded_both_ways(
    datums: list[tinker.Datum], loss_fn: str, config: dict[str, Any] | None, forward_only: bool
) -> tuple[bytes, bytes]:
    """(our chunk's bytes, the bytes of the full generated round trip of the same body)."""
    chunk = chunk_requests("model-7", [datums], loss_fn, config, forward_only)[0]
    ours = chunk.build(42, "json", compress=False)
    assert ours.content is not None and ours.body is None
    key, op, model = (
        ("forward_input", "training.forward", "ForwardRequest")
        if forward_only
        else ("forward_backward_input", "training.forward_backward", "ForwardBackwardRequest")
    )
    fb_input: dict[str, Any] = {"data": [d.to_json() for d in datums], "loss_fn": loss_fn}
    if config is not None:
        fb_input["loss_fn_config"] = config
    # The oracle: the generated attrs model's round trip of the same body (test-only; the SDK uses none).
    import tinker_ext_raw.models as oracle

    body = {key: fb_input, "model_id": "model-7", "seq_id": 42}
    full = getattr(oracle, model).from_dict(body).to_dict()
    endpoint = endpoints.FORWARD if forward_only else endpoints.FORWARD_BACKWARD
    assert op.endswith(endpoint.operation_id)
    assert (ours.method, ours.path, dict(ours.headers)) == (endpoint.method, endpoint.path, {})
    return ours.content, encode_json(full)


CASES: dict[str, Callable[[], tuple[list[tinker.Datum], str, dict[str, Any] | None]]] = {
    "text_int64_float32": lambda: ([text_datum(64, s) for s in range(3)], "cross_entropy", None),
    "all_chunk_types": lambda: ([mixed_chunk_datum(), text_datum()], "cross_entropy", None),
    "sparse_torch": lambda: ([sparse_datum()], "cross_entropy", None),
    "rl_inputs_with_config": lambda: (
        [rl_datum()],
        "ppo",
        {"clip_low_threshold": 0.8, "clip_high_threshold": 1.2},
    ),
}


@pytest.mark.parametrize("forward_only", [False, True], ids=["forward_backward", "forward"])
@pytest.mark.parametrize("case", list(CASES))
def test_chunk_bytes_equal_the_generated_round_trip(case: str, forward_only: bool) -> None:
    datums, loss_fn, config = CASES[case]()
    ours, round_trip = encoded_both_ways(datums, loss_fn, config, forward_only)
    assert ours == round_trip


def test_optional_image_fields_keep_the_official_key_order() -> None:
    """With `expected_tokens` set the round trip moves it after `type` (required fields first); without
    the round trip it stays where pydantic puts it in the official SDK. Same JSON value either way."""
    official = pytest.importorskip("tinker")
    conv = pytest.importorskip("tinker.lib._pydantic_conv")
    ours_chunks = [
        tinker.ImageChunk(data=PNG, format="png", expected_tokens=4),
        tinker.ImageAssetPointerChunk(format="png", location="s3://b/k.png", expected_tokens=2),
        tinker.EncodedTextChunk(tokens=[5]),
    ]
    datum = tinker.Datum(
        model_input=tinker.ModelInput(chunks=ours_chunks),
        loss_fn_inputs={"target_tokens": [1, 2, 3, 4, 5, 6, 7], "weights": [1.0] * 7},
    )
    ours, round_trip = encoded_both_ways([datum], "cross_entropy", None, forward_only=False)
    assert orjson.loads(ours) == orjson.loads(round_trip)

    theirs_chunks = [
        official.types.ImageChunk(data=PNG, format="png", expected_tokens=4),
        official.types.ImageAssetPointerChunk(format="png", location="s3://b/k.png", expected_tokens=2),
        official.types.EncodedTextChunk(tokens=[5]),
    ]
    theirs = official.types.ForwardBackwardRequest(
        forward_backward_input=official.types.ForwardBackwardInput(
            data=[
                official.types.Datum(
                    model_input=official.types.ModelInput(chunks=theirs_chunks),
                    loss_fn_inputs={"target_tokens": [1, 2, 3, 4, 5, 6, 7], "weights": [1.0] * 7},
                )
            ],
            loss_fn="cross_entropy",
        ),
        model_id="model-7",
        seq_id=42,
    )
    dumped = conv.to_pydantic_request(theirs).model_dump(exclude_unset=False, exclude_none=True, mode="json")
    assert ours == json.dumps(dumped, separators=(",", ":"), allow_nan=False).encode()


def test_chunks_are_built_with_the_seq_id_of_their_turn_and_one_key_each() -> None:
    datums = [text_datum(8, s) for s in range(5)]
    requests = chunk_requests("model-7", [datums[:3], datums[3:]], "cross_entropy", None, False)
    assert [r.first_index for r in requests] == [0, 3]
    first, again, second = requests[0].build(7, "json", False), requests[0].build(9, "json", False), None
    second = requests[1].build(8, "json", False)
    assert [orjson.loads(r.content or b"")["seq_id"] for r in (first, again, second)] == [7, 9, 8]
    # a resend of the same chunk (e.g. on the other wire) keeps its idempotency key; chunks differ
    assert first.idempotency_key == again.idempotency_key != second.idempotency_key


def test_array_changed_to_nan_after_the_call_is_refused_at_send() -> None:
    weights = np.ones(4, dtype=np.float32)
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2, 3, 4]),
        loss_fn_inputs={"target_tokens": np.arange(4), "weights": weights},
    )
    chunk = chunk_requests("model-7", [[text_datum(), datum]], "cross_entropy", None, False)[0]
    weights[2] = np.nan  # TensorData.from_numpy shares the caller's float32 buffer
    for wire in ("json", "protobuf"):
        with pytest.raises(tinker.InvalidInputError, match=r"data\[1\]\.loss_fn_inputs\.weights"):
            chunk.build(1, wire, compress=False)


# ------------------------------------------------------------------------------- through the client


@pytest.fixture
def server() -> FakeTinker:
    return FakeTinker()


@pytest.fixture
def training(server: FakeTinker) -> Iterator[tinker.TrainingClient]:
    sc = tinker.ServiceClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    yield sc.create_lora_training_client("tiny/model", rank=4)
    sc.close()


def test_each_chunk_is_encoded_in_its_turn(
    server: FakeTinker, training: tinker.TrainingClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent_before_encoding: list[int] = []
    original = _fwdbwd.ChunkRequest.build

    def spy(self: Any, *args: Any) -> Any:
        sent_before_encoding.append(len(server.bodies("/api/v1/forward_backward")))
        return original(self, *args)

    monkeypatch.setattr(_fwdbwd.ChunkRequest, "build", spy)
    out = training.forward_backward([text_datum(3, s) for s in range(300)], "cross_entropy").result()
    assert len(out.loss_fn_outputs) == 300
    # chunk k is serialised only after chunk k-1 reached the server: never more than one body at a time
    assert sent_before_encoding == [0, 1, 2]
    bodies = server.bodies("/api/v1/forward_backward")
    assert [b["seq_id"] for b in bodies] == [1, 2, 3]
    assert [len(b["forward_backward_input"]["data"]) for b in bodies] == [128, 128, 44]


def test_retried_chunk_resends_the_same_bytes(server: FakeTinker, training: tinker.TrainingClient) -> None:
    server.inject("/api/v1/forward_backward", Fault(status=503, body={"detail": "busy"}))
    training.forward_backward([text_datum(5)], "cross_entropy").result()
    attempts = [r for r in server.requests if r.path == "/api/v1/forward_backward"]
    assert len(attempts) == 2
    assert attempts[0].body == attempts[1].body
    assert attempts[0].headers["x-idempotency-key"] == attempts[1].headers["x-idempotency-key"]
    assert attempts[0].headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "make",
    [
        lambda: tinker.Datum(
            model_input=tinker.ModelInput.from_ints([1, float("nan"), 3]),  # type: ignore[list-item]
            loss_fn_inputs={"target_tokens": [1, 2, 3]},
        ),
        lambda: tinker.Datum(
            model_input=tinker.ModelInput.from_ints([1, 2, 3]),
            loss_fn_inputs={"target_tokens": [1, 2, 3], "advantages": np.array([0.0, np.inf, 1.0])},
        ),
    ],
    ids=["nan_token", "inf_advantage"],
)
def test_non_finite_input_raises_at_call_and_sends_nothing(
    server: FakeTinker, training: tinker.TrainingClient, make: Callable[[], tinker.Datum]
) -> None:
    before = len(server.requests)
    good = [text_datum(3, s) for s in range(200)]  # the bad datum lands in the second chunk
    with pytest.raises(tinker.InvalidInputError, match=r"data\[200\]"):
        training.forward_backward([*good, make()], "cross_entropy")
    assert len(server.requests) == before
    training.optim_step(tinker.AdamParams()).result(timeout=10)  # no reserved id left dangling


def test_non_finite_sparse_value_raises_at_call(server: FakeTinker, training: tinker.TrainingClient) -> None:
    torch = pytest.importorskip("torch")
    weights = torch.zeros(4, 16)
    weights[2, 5] = float("inf")
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2, 3, 4]),
        loss_fn_inputs={"target_tokens": torch.ones(4, 16, dtype=torch.int64), "weights": weights},
    )
    assert datum.loss_fn_inputs["weights"].is_sparse
    before = len(server.requests)
    with pytest.raises(tinker.InvalidInputError):
        training.forward([datum], "cross_entropy")
    assert len(server.requests) == before
