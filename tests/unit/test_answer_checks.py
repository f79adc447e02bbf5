"""Issue 18, item 3 (and the small cases of item 2): every sample / forward_backward result is checked
against its request, on both wires, by a fake server answering what a hostile or newer server could:
the wrong number of sequences or outputs, too many tokens, negative or out-of-vocabulary token ids,
logprobs or per-token arrays of the wrong length, top-k wider than asked, CSR indices outside the shape,
an answer whose outputs moved to a field we do not know, more values than the request can produce."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import numpy as np
import pytest
from _fault_server import FakeTiming, FakeTinker, json_response
from _proto_server import FORWARD_BACKWARD, ProtoFakeTinker, protobuf_response
from tinker_ext_raw.proto import tinker_public_pb2 as pb

import tinker_ext as tinker

PROMPT = tinker.ModelInput.from_ints([1, 2])
DATUM = tinker.Datum(
    model_input=tinker.ModelInput.from_ints([1, 2, 3]),
    loss_fn_inputs={"target_tokens": [2, 3, 4], "weights": [1.0, 1.0, 1.0]},
)

# -------------------------------------------------------------------------------------------- samples

Seq = tuple[list[int], list[float] | None]


def json_sample(sequences: list[Seq]) -> Callable[[Any], httpx.Response]:
    body = {
        "sequences": [
            {"tokens": t, "stop_reason": "length", **({"logprobs": lp} if lp is not None else {})}
            for t, lp in sequences
        ],
        "type": "sample",
    }
    return lambda request: json_response(200, body)


def proto_sample(
    sequences: list[Seq], build: Callable[[Any], None] | None = None
) -> Callable[[Any], httpx.Response]:
    message = pb.SampleResponse()
    for tokens, logprobs in sequences:
        seq = message.sequences.add(stop_reason=pb.STOP_REASON_LENGTH)
        seq.tokens = np.array(tokens, dtype="<i4").tobytes()
        if logprobs is not None:
            seq.logprobs = np.array(logprobs, dtype="<f4").tobytes()
    if build is not None:
        build(message)
    return lambda request: protobuf_response(message)


def sample_answer(wire: str, sequences: list[Seq]) -> Callable[[Any], httpx.Response]:
    return json_sample(sequences) if wire == "json" else proto_sample(sequences)


def run_sample(
    answer: Callable[[Any], httpx.Response],
    *,
    max_tokens: int = 4,
    vocab: int | None = None,
    limits: tinker.Limits | None = None,
    server: ProtoFakeTinker | None = None,
    **options: Any,
) -> tuple[ProtoFakeTinker, Any]:
    server = server or ProtoFakeTinker()
    server.answer_for["/api/v1/asample"] = answer
    sc = tinker.ServiceClient(
        api_key="tml-k",
        base_url="http://t",
        limits=limits,
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
    )
    try:
        sampler = sc.create_sampling_client(base_model="tiny/model")
        if vocab is not None:
            sampler._vocab_size = vocab  # as after get_tokenizer(): token ids are then checked against it
        params = tinker.SamplingParams(max_tokens=max_tokens)
        return server, sampler.sample(PROMPT, 1, params, **options).result(timeout=30)
    finally:
        sc.close()


SAMPLE_CASES = [
    # (id, sequences, pointer)
    ("five_sequences_for_one", [([5], None)] * 5, "/sequences"),
    ("no_sequence_for_one", [], "/sequences"),
    ("six_tokens_for_max_tokens_4", [([5] * 6, None)], "/sequences/0/tokens"),
    ("negative_token_id", [([5, -3], [-0.1, -0.2])], "/sequences/0/tokens"),
    ("logprobs_shorter_than_tokens", [([5, 6], [-0.1])], "/sequences/0/logprobs"),
]


@pytest.mark.parametrize("wire", ["json", "protobuf"])
@pytest.mark.parametrize(
    ("sequences", "pointer"), [c[1:] for c in SAMPLE_CASES], ids=[c[0] for c in SAMPLE_CASES]
)
def test_sample_answer_that_does_not_fit_its_request_is_refused(
    wire: str, sequences: list[Seq], pointer: str
) -> None:
    server = ProtoFakeTinker()
    with pytest.raises(tinker.APIResponseValidationError) as info:
        run_sample(sample_answer(wire, sequences), server=server)
    assert info.value.pointer == pointer
    assert f"at {pointer}" in str(info.value)
    paths = [r.path for r in server.requests]  # refused at once: sent once, polled once, not retried
    assert paths.count("/api/v1/asample") == 1 and paths.count("/api/v1/retrieve_future") == 1


@pytest.mark.parametrize("wire", ["json", "protobuf"])
def test_sample_token_ids_are_checked_against_a_known_vocabulary(wire: str) -> None:
    with pytest.raises(tinker.APIResponseValidationError, match=r"token ids in \[0, 10\).*got 12") as info:
        run_sample(sample_answer(wire, [([3, 12], None)]), vocab=10)
    assert info.value.pointer == "/sequences/0/tokens"
    _, response = run_sample(sample_answer(wire, [([3, 9], None)]), vocab=10)  # within: accepted
    assert response.sequences[0].tokens == [3, 9]


@pytest.mark.parametrize("wire", ["json", "protobuf"])
def test_sample_values_past_the_request_budget_are_a_limit_error(wire: str) -> None:
    # 30 tokens for num_samples=1, max_tokens=4 (10 values with the prompt): small in bytes, over budget
    with pytest.raises(tinker.LimitExceededError, match="more than the request can produce") as info:
        run_sample(sample_answer(wire, [([5] * 30, None)]))
    assert info.value.limit == "request_budget"
    # 100k tokens: refused by its size in bytes, before it is parsed
    with pytest.raises(tinker.LimitExceededError, match="larger than its request can produce") as info:
        run_sample(sample_answer(wire, [([5] * 100_000, None)]))
    assert info.value.limit == "request_budget"


def test_an_error_page_longer_than_the_result_cap_is_still_retried() -> None:
    pages = [httpx.Response(503, content=b"<html>" + b"x" * 200_000)]
    legit = proto_sample([([5, 6], None)])

    def answer(request: Any) -> httpx.Response:
        return pages.pop() if pages else legit(request)

    server, response = run_sample(answer)
    assert response.sequences[0].tokens == [5, 6]
    assert [r.path for r in server.requests].count("/api/v1/retrieve_future") == 2


@pytest.mark.parametrize("wire", ["json", "protobuf"])
def test_max_answer_values_caps_what_the_request_allows(wire: str) -> None:
    limits = tinker.Limits(max_answer_values=100)  # the request (max_tokens=1000) allows 2000 values
    with pytest.raises(tinker.LimitExceededError, match="max_answer_values=100") as info:
        run_sample(sample_answer(wire, [([5] * 120, None)]), max_tokens=1000, limits=limits)
    assert info.value.limit == "max_answer_values"
    if wire == "json":  # counted on the bytes, before they are parsed
        assert "refused unparsed" in str(info.value)
    _, response = run_sample(sample_answer(wire, [([5] * 80, None)]), max_tokens=1000, limits=limits)
    assert len(response.sequences[0].tokens) == 80


def test_topk_wider_than_asked_is_refused_on_both_wires() -> None:
    rows = [[[5, -0.1], [6, -0.2], [7, -0.3]]]
    body = {"sequences": [{"tokens": [5], "stop_reason": "length", "topk_logprobs": rows}], "type": "sample"}

    def wide(message: Any) -> None:
        topk = message.sequences[0].topk_sampled_logprobs
        topk.token_ids, topk.logprobs = np.array([5, 6, 7], "<i4").tobytes(), np.zeros(3, "<f4").tobytes()
        topk.k, topk.length = 3, 1

    for answer in (lambda request: json_response(200, body), proto_sample([([5], None)], wide)):
        with pytest.raises(tinker.APIResponseValidationError) as info:
            run_sample(answer, topk_sample_logprobs=1)
        assert info.value.pointer == "/sequences/0/topk_logprobs"


def test_sparse_column_index_outside_the_shape_is_refused_at_decode() -> None:
    target = tinker.TensorData(data=np.array([[1, 2]], dtype=np.int64), dtype="int64", shape=[1, 2])

    def csr(message: Any) -> None:
        tensor = message.target_prompt_logprobs
        tensor.dtype = pb.DTYPE_FLOAT32
        tensor.shape.extend([1, 2])
        tensor.sparse_csr.values = np.array([-0.5], "<f4").tobytes()
        tensor.sparse_csr.crow_indices = np.array([0, 1], "<i8").tobytes()
        tensor.sparse_csr.col_indices = np.array([2**40], "<i8").tobytes()

    with pytest.raises(tinker.APIResponseValidationError, match=r"sparse_col_indices must be in \[0, 2\)"):
        run_sample(proto_sample([([5], None)], csr), target_prompt_logprobs=target)


# -------------------------------------------------------------------------------- forward_backward


def json_fb(outputs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"loss_fn_output_type": "ArrayRecord", "loss_fn_outputs": outputs, "metrics": {"loss:sum": 1.0}}


def tensor(values: list[float], **extra: Any) -> dict[str, Any]:
    return {"data": values, "dtype": "float32", "shape": [len(values)], **extra}


def proto_fb(lengths: list[int], moved: bool = False, fields: bool = True) -> Callable[[Any], httpx.Response]:
    out = pb.ForwardBackwardOutput(loss_fn_output_type="ArrayRecord")
    out.metrics["loss:sum"] = 1.0
    record = out.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=len(lengths))
    field = record.fields["logprobs"] if fields else pb.BatchedTensor()
    field.dtype = pb.DTYPE_FLOAT32
    field.data = np.full(sum(lengths), -0.5, dtype="<f4").tobytes()
    field.offsets = (np.concatenate([[0], np.cumsum(lengths)]) * 4).astype("<i8").tobytes()
    body = out.SerializeToString()
    if moved:  # a newer server's answer: the outputs under a field number we do not know (9), not 2
        outputs = pb.ForwardBackwardOutput(loss_fn_outputs=out.loss_fn_outputs).SerializeToString()
        body = pb.ForwardBackwardOutput(loss_fn_output_type="ArrayRecord").SerializeToString()
        body += bytes([9 << 3 | 2]) + outputs[1:]  # same length-delimited record, field 2 -> 9
    return lambda message: httpx.Response(
        200, content=body, headers={"content-type": "application/x-protobuf"}
    )


def run_forward_backward(server: FakeTinker, wire: str, datum: tinker.Datum = DATUM) -> Any:
    sc = tinker.ServiceClient(
        api_key="tml-k",
        base_url="http://t",
        wire=wire,  # type: ignore[arg-type]
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
    )
    try:
        training = sc.create_lora_training_client("tiny/model")
        return training.forward_backward([datum], "cross_entropy").result(timeout=30)
    finally:
        sc.close()


JSON_FB_CASES = [
    ("five_outputs_for_one_datum", [{"logprobs": tensor([-0.5] * 3)}] * 5, "/loss_fn_outputs"),
    ("empty_outputs_for_one_datum", [], "/loss_fn_outputs"),
    ("logprobs_of_the_wrong_length", [{"logprobs": tensor([-0.5] * 2)}], "/loss_fn_outputs/0/logprobs"),
    ("an_output_without_fields", [{}], "/loss_fn_outputs/0"),
]


@pytest.mark.parametrize(
    ("outputs", "pointer"), [c[1:] for c in JSON_FB_CASES], ids=[c[0] for c in JSON_FB_CASES]
)
def test_json_forward_backward_answer_must_fit_its_datums(
    outputs: list[dict[str, Any]], pointer: str
) -> None:
    server = FakeTinker()
    server.result_for["/api/v1/forward_backward"] = lambda rec: json_fb(outputs)
    with pytest.raises(tinker.APIResponseValidationError) as info:
        run_forward_backward(server, "json")
    assert info.value.pointer == pointer
    assert len(server.bodies("/api/v1/forward_backward")) == 1  # refused, not resent


PROTO_FB_CASES = [
    ("five_outputs_for_one_datum", proto_fb([3] * 5), "/loss_fn_outputs"),
    ("no_output_for_one_datum", proto_fb([]), "/loss_fn_outputs"),
    ("outputs_under_an_unknown_field", proto_fb([3], moved=True), "/loss_fn_outputs"),
    ("logprobs_of_the_wrong_length", proto_fb([2]), "/loss_fn_outputs/0/logprobs"),
    ("an_output_without_fields", proto_fb([3], fields=False), "/loss_fn_outputs/0"),
]


@pytest.mark.parametrize(
    ("answer", "pointer"), [c[1:] for c in PROTO_FB_CASES], ids=[c[0] for c in PROTO_FB_CASES]
)
def test_protobuf_forward_backward_answer_must_fit_its_datums(answer: Any, pointer: str) -> None:
    server = ProtoFakeTinker()
    server.answer_for[FORWARD_BACKWARD] = answer
    with pytest.raises(
        tinker.APIResponseValidationError, match=r"one output per datum|datum's length|per-token arrays"
    ) as info:
        run_forward_backward(server, "protobuf")
    assert info.value.pointer == pointer
    assert [r.path for r in server.requests].count(FORWARD_BACKWARD) == 1  # refused, not resent


def test_the_legitimate_protobuf_answer_passes() -> None:
    server = ProtoFakeTinker()
    server.answer_for[FORWARD_BACKWARD] = proto_fb([3])
    output = run_forward_backward(server, "protobuf")
    assert output.loss_fn_outputs[0]["logprobs"].tolist() == [-0.5] * 3


def test_json_forward_backward_sparse_index_outside_the_shape_is_typed_at_decode() -> None:
    server = FakeTinker()
    sparse = {
        "data": [1.0],
        "dtype": "float32",
        "shape": [3, 4],
        "sparse_crow_indices": [0, 1, 1, 1],
        "sparse_col_indices": [2**40],
    }
    server.result_for["/api/v1/forward_backward"] = lambda rec: json_fb([{"logprobs": sparse}])
    with pytest.raises(tinker.APIResponseValidationError, match=r"sparse_col_indices must be in \[0, 4\)"):
        run_forward_backward(server, "json")


# (target tokens, extra values): 3 tokens allow 24 output values; 2000 allow 16000, and 20000 extra
# values are 100 KB, an array read into numpy (_json_arrays), which counts as well
@pytest.mark.parametrize(("tokens", "extra"), [(3, 40), (2000, 20_000)])
def test_json_forward_backward_values_past_the_budget_are_a_limit_error(tokens: int, extra: int) -> None:
    server = FakeTinker()
    outputs = [{"logprobs": tensor([-0.5] * tokens), "extra": tensor([0.25] * extra)}]
    server.result_for["/api/v1/forward_backward"] = lambda rec: json_fb(outputs)
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1] * tokens), loss_fn_inputs={"target_tokens": [2] * tokens}
    )
    with pytest.raises(tinker.LimitExceededError, match="more than the request can produce") as info:
        run_forward_backward(server, "json", datum)
    assert info.value.limit == "request_budget"


@pytest.mark.parametrize(
    ("crow", "col", "match"),
    [
        ([0, 1, 1], [4], "sparse_col_indices"),
        ([0, 1, 1], [-1], "sparse_col_indices"),
        ([0, 2, 1], [0], "crow"),
    ],
)
def test_tensor_data_refuses_csr_indices_outside_its_shape(
    crow: list[int], col: list[int], match: str
) -> None:
    with pytest.raises(tinker.InvalidInputError, match=match):
        tinker.TensorData(
            data=[1.0], dtype="float32", shape=[2, 4], sparse_crow_indices=crow, sparse_col_indices=col
        )


def test_tensor_data_csr_within_its_shape_densifies() -> None:
    ok = tinker.TensorData(
        data=[1.0], dtype="float32", shape=[2, 4], sparse_crow_indices=[0, 1, 1], sparse_col_indices=[3]
    )
    assert ok.to_numpy().tolist() == [[0.0, 0.0, 0.0, 1.0], [0.0] * 4]
