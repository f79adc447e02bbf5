"""Wire negotiation (`wire="auto" | "json" | "protobuf"`) against in-process servers of both generations.

The legacy server is `FakeTinker` (JSON, no client/config, like skyrl-tx 0.3.0); the current one is
`ProtoFakeTinker` (client/config, protobuf forward_backward only, protobuf results, like skyrl 0.4.0).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import orjson
import pytest
from _fault_server import FakeTiming, FakeTinker, Recorded, json_response
from _proto_server import FORWARD_BACKWARD, PROTOBUF, ProtoFakeTinker
from tinker_ext_raw.proto import tinker_public_pb2 as pb

import tinker_ext as tinker

OPTIM = "/api/v1/optim_step"
FORWARD = "/api/v1/forward"
RETRIEVE = "/api/v1/retrieve_future"


def datum(n: int = 4, seed: int = 0) -> tinker.Datum:
    tokens = [(seed * 7 + i) % 50 + 1 for i in range(n + 1)]
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={"target_tokens": tokens[1:], "weights": np.linspace(0.5, 1.0, n, dtype=np.float32)},
    )


def client(server: FakeTinker, wire: str = "auto") -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key="tml-test",
        base_url="http://t",
        wire=wire,  # type: ignore[arg-type]
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
    )


@pytest.fixture
def proto_server() -> ProtoFakeTinker:
    return ProtoFakeTinker()


@pytest.fixture
def proto_service(proto_server: ProtoFakeTinker) -> Iterator[tinker.ServiceClient]:
    sc = client(proto_server)
    yield sc
    sc.close()


def fb_requests(server: FakeTinker) -> list[Any]:
    return [r for r in server.requests if r.path == FORWARD_BACKWARD]


def test_auto_speaks_protobuf_to_a_server_with_client_config(
    proto_server: ProtoFakeTinker, proto_service: tinker.ServiceClient
) -> None:
    assert proto_service.wire is None  # nothing asked yet: the client is lazy
    tc = proto_service.create_lora_training_client("tiny/model", rank=4)
    out = tc.forward_backward([datum(4), datum(3, 1)], "cross_entropy").result(timeout=30)
    assert proto_service.wire == "protobuf"
    [sent] = fb_requests(proto_server)
    assert sent.headers["content-type"] == PROTOBUF
    message = sent.body
    assert isinstance(message, pb.ForwardBackwardRequest)
    assert (message.model_id, message.seq_id, message.loss_fn, message.forward_only) == (
        tc.model_id,
        1,
        "cross_entropy",
        False,
    )
    assert np.frombuffer(message.data[0].model_input[0].encoded_text.tokens, "<i4").tolist() == [1, 2, 3, 4]
    # the protobuf result decodes to the same public objects as JSON ones
    assert [o["logprobs"].tolist() for o in out.loss_fn_outputs] == [[-0.5] * 4, [-0.5] * 3]
    assert out.metrics["loss:sum"] == pytest.approx(
        0.5 * (np.linspace(0.5, 1, 4).sum() + np.linspace(0.5, 1, 3).sum())
    )
    polls = [r for r in proto_server.requests if r.path == RETRIEVE]
    assert any(PROTOBUF in r.headers.get("accept", "") for r in polls)


def test_auto_speaks_json_to_a_legacy_server(server: FakeTinker) -> None:
    sc = client(server)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    tc.forward([datum()], "cross_entropy").result(timeout=30)
    assert sc.wire == "json"
    assert [r.path for r in server.requests if r.path in (FORWARD_BACKWARD, FORWARD)] == [
        FORWARD_BACKWARD,
        FORWARD,
    ]
    assert server.bodies(FORWARD_BACKWARD)[0]["forward_backward_input"]["loss_fn"] == "cross_entropy"
    sc.close()


def test_forward_goes_through_forward_backward_with_forward_only_on_protobuf(
    proto_server: ProtoFakeTinker, proto_service: tinker.ServiceClient
) -> None:
    tc = proto_service.create_lora_training_client("tiny/model", rank=4)
    out = tc.forward([datum()], "cross_entropy").result(timeout=30)
    assert len(out.loss_fn_outputs) == 1
    assert FORWARD not in proto_server.paths()
    [sent] = fb_requests(proto_server)
    assert sent.body.forward_only is True


def test_a_415_on_json_resends_the_same_request_as_protobuf() -> None:
    # The server refuses JSON but auto had decided JSON (no client/config answer); it checks that seq_ids
    # are contiguous, as tuft does.
    proto_server = ProtoFakeTinker(has_client_config=False, strict_seq=True)
    sc = client(proto_server)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result(timeout=30)
    tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    assert sc.wire == "protobuf"
    refused, resent, later = fb_requests(proto_server)
    assert refused.headers["content-type"] == "application/json" and refused.body["seq_id"] == 1
    assert resent.headers["content-type"] == PROTOBUF and resent.body.seq_id == 1
    assert resent.headers["x-idempotency-key"] == refused.headers["x-idempotency-key"]
    # no seq_id was consumed by the refused body: the strict server never answered 409
    assert [proto_server.bodies(OPTIM)[0]["seq_id"], later.body.seq_id] == [2, 3]
    sc.close()


def test_a_404_on_legacy_forward_switches_auto_to_protobuf() -> None:
    proto_server = ProtoFakeTinker(has_client_config=False)
    sc = client(proto_server)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    tc.forward([datum()], "cross_entropy").result(timeout=30)
    assert sc.wire == "protobuf"
    assert [r.path for r in proto_server.requests if r.path in (FORWARD, FORWARD_BACKWARD)] == [
        FORWARD,
        FORWARD_BACKWARD,
    ]
    sc.close()


class JsonServerWithConfig(FakeTinker):
    """A JSON-only server that answers client/config and refuses protobuf bodies with 415."""

    refusal: tuple[int, str] = (415, "expected application/json")

    def handle(self, request: httpx.Request) -> httpx.Response:
        if PROTOBUF in request.headers.get("content-type", ""):
            self.requests.append(Recorded(request.method, request.url.path, request.headers, None, {}))
            return json_response(self.refusal[0], {"detail": self.refusal[1]})
        return super().handle(request)

    def _dispatch(self, rec: Recorded) -> httpx.Response:
        if rec.path == "/api/v1/client/config":
            return json_response(200, {})
        return super()._dispatch(rec)


def test_a_415_on_protobuf_falls_back_to_json() -> None:
    server = JsonServerWithConfig()
    sc = client(server)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    out = tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    assert len(out.loss_fn_outputs) == 1
    assert sc.wire == "json"
    sent = fb_requests(server)
    assert [r.headers["content-type"] for r in sent] == [PROTOBUF, "application/json"]
    assert sent[1].body["seq_id"] == 1
    assert sent[0].headers["x-idempotency-key"] == sent[1].headers["x-idempotency-key"]
    sc.close()


@pytest.mark.parametrize("wire", ["json", "protobuf"])
def test_a_fixed_wire_never_switches(wire: str) -> None:
    server: FakeTinker = ProtoFakeTinker() if wire == "json" else FakeTinker()
    sc = client(server, wire)
    assert sc.wire == wire
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    with pytest.raises(tinker.APIStatusError) as caught:
        tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    # the legacy server cannot parse a protobuf body (FastAPI: 422); the current one refuses JSON (415)
    assert caught.value.status_code == (415 if wire == "json" else 422)
    assert len(fb_requests(server)) == 1
    sc.close()


def test_unknown_wire_is_refused_at_construction() -> None:
    with pytest.raises(tinker.InvalidInputError, match="wire must be one of"):
        tinker.ServiceClient(api_key="tml-test", base_url="http://t", wire="grpc")  # type: ignore[arg-type]


def test_zstd_when_the_server_asks_for_it() -> None:
    server = ProtoFakeTinker(client_config={"proto_compress_fwdbwd": True})
    sc = client(server)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    tc.forward_backward([datum(64)], "cross_entropy").result(timeout=30)
    [sent] = fb_requests(server)
    assert sent.headers["content-encoding"] == "zstd"
    assert len(sent.body.data) == 1  # the fake decompressed and parsed it
    sc.close()


def test_a_refused_request_does_not_use_up_its_seq_id() -> None:
    """tuft validates requests strictly: a 422 must not leave a gap that turns every later call into 409."""
    server = ProtoFakeTinker(strict_seq=True)
    original = server._dispatch
    refused_once = []

    def refuse_first_optim(rec: Any) -> Any:
        if rec.path == OPTIM and not refused_once:
            refused_once.append(rec)
            return json_response(422, {"detail": [{"msg": "Extra inputs are not permitted"}]})
        return original(rec)

    server._dispatch = refuse_first_optim  # type: ignore[method-assign]
    sc = client(server)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    with pytest.raises(tinker.UnprocessableEntityError):
        tc.optim_step(tinker.AdamParams()).result(timeout=30)
    tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    tc.optim_step(tinker.AdamParams()).result(timeout=30)
    assert [b["seq_id"] for b in server.bodies(OPTIM)] == [1, 2]
    assert fb_requests(server)[0].body.seq_id == 1
    sc.close()


def test_protobuf_sample_results_and_sample_sequence_ids() -> None:
    server = ProtoFakeTinker(sample_sequence_ids=True)
    sc = client(server)
    sampler = sc.create_sampling_client(base_model="tiny/model")
    prompt = tinker.ModelInput.from_ints([5, 6, 7])
    response = sampler.sample(
        prompt, 2, tinker.SamplingParams(max_tokens=2), include_prompt_logprobs=True
    ).result(timeout=30)
    assert [s.tokens for s in response.sequences] == [[7, 8], [8, 8]]
    assert [s.logprobs for s in response.sequences] == [[-0.5, -0.25]] * 2
    assert [s.stop_reason for s in response.sequences] == ["length", "length"]
    assert [s.sequence_id for s in response.sequences] == ["1-seq0", "1-seq1"]
    assert response.prompt_logprobs == [None, -1.0, -1.0]
    assert sampler.compute_logprobs(prompt).result(timeout=30) == [None, -1.0, -1.0]
    sc.close()


def test_malformed_sample_sequence_ids_are_a_typed_error() -> None:
    server = ProtoFakeTinker()
    original = server._sample

    def bad_ids(rec: Any) -> Any:
        response = original(rec)
        promise = orjson.loads(response.content)
        promise["sample_sequence_ids"] = [1, 2]
        return json_response(200, promise)

    server._sample = bad_ids  # type: ignore[method-assign]
    sc = client(server)
    sampler = sc.create_sampling_client(base_model="tiny/model")
    with pytest.raises(tinker.APIResponseValidationError, match="sample_sequence_ids"):
        sampler.sample(tinker.ModelInput.from_ints([1]), 1, tinker.SamplingParams(max_tokens=1)).result(
            timeout=30
        )
    sc.close()


def test_a_garbage_protobuf_result_is_a_typed_error(
    proto_server: ProtoFakeTinker, proto_service: tinker.ServiceClient
) -> None:
    garbage = httpx.Response(200, content=b"\xff\xff\xff", headers={"content-type": PROTOBUF})
    proto_server._protobuf_future = lambda rec, message: proto_server._future(rec, lambda: garbage)  # type: ignore[method-assign]
    tc = proto_service.create_lora_training_client("tiny/model", rank=4)
    with pytest.raises(tinker.APIResponseValidationError, match="ForwardBackwardOutput"):
        tc.forward_backward([datum()], "cross_entropy").result(timeout=30)


def test_image_asset_pointer_cannot_go_on_protobuf(
    proto_service: tinker.ServiceClient, proto_server: ProtoFakeTinker
) -> None:
    tc = proto_service.create_lora_training_client("tiny/model", rank=4)
    pointer = tinker.Datum(
        model_input=tinker.ModelInput(
            chunks=[
                tinker.types.ImageAssetPointerChunk(format="png", location="s3://b/i.png", expected_tokens=2),
                tinker.EncodedTextChunk(tokens=[1, 2]),
            ]
        ),
        loss_fn_inputs={"target_tokens": [1, 2, 3, 4], "weights": [1.0] * 4},
    )
    with pytest.raises(
        tinker.InvalidInputError, match=r"data\[1\]\.model_input\.chunks\[0\].*ImageAssetPointerChunk"
    ):
        tc.forward_backward([datum(), pointer], "cross_entropy").result(timeout=30)
    assert fb_requests(proto_server) == []
    # the client is not blocked by the refused call, and its seq_id was not used up
    tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    assert fb_requests(proto_server)[0].body.seq_id == 1


class DecodeErrorServer(JsonServerWithConfig):
    """Like hatchery-core 0.3.0: answers client/config, reads every body as JSON, so a protobuf body is a
    500 naming the decode error."""

    refusal = (500, "JSON decode error: Expecting value: line 1 column 1 (char 0)")


def test_a_protobuf_body_answered_with_a_decode_error_falls_back_to_json_at_once() -> None:
    server = DecodeErrorServer()
    sc = client(server)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    sent = fb_requests(server)
    # one refused protobuf body (not retried), then JSON for this call and every later one
    assert [r.headers["content-type"] for r in sent] == [PROTOBUF, "application/json", "application/json"]
    assert sent[0].headers["x-idempotency-key"] == sent[1].headers["x-idempotency-key"]
    assert sc.wire == "json"
    sc.close()


class FlakyProtoServer(ProtoFakeTinker):
    """A protobuf server whose first forward_backward is a plain 500 (no decode error named)."""

    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == FORWARD_BACKWARD and not self.failed:
            self.failed = True
            self.requests.append(Recorded(request.method, request.url.path, request.headers, None, {}))
            return json_response(500, {"detail": "Internal Server Error"})
        return super().handle(request)


def test_a_plain_5xx_on_protobuf_is_retried_and_never_switches_the_wire() -> None:
    server = FlakyProtoServer()
    sc = client(server)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    tc.forward_backward([datum()], "cross_entropy").result(timeout=30)
    sent = fb_requests(server)
    assert [r.headers["content-type"] for r in sent] == [PROTOBUF, PROTOBUF]
    assert sc.wire == "protobuf"
    sc.close()


def test_zstd_bodies_of_consecutive_calls_are_each_their_own() -> None:
    """The zstd compressor is reused across requests: every body still decompresses to its own datums
    (nothing of the previous request's bytes), whatever the sizes."""
    server = ProtoFakeTinker(client_config={"proto_compress_fwdbwd": True})
    sc = client(server)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    for length in (300, 20, 300):
        tc.forward_backward([datum(length)], "cross_entropy").result(timeout=30)
    sent = fb_requests(server)
    assert [len(s.body.data[0].model_input[0].encoded_text.tokens) // 4 for s in sent] == [300, 20, 300]
    assert all(s.headers["content-encoding"] == "zstd" for s in sent)
    sc.close()
