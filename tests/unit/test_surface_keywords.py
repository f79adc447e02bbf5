"""Every tinker 0.38 keyword reaches the wire (or is refused with a typed error); none is dropped.

Wire tests against the in-process fake server: the local servers lack most of these features (Dimuon,
inflight samplers, metadata on saves, access scopes, trace export, whoami), so the exact bodies, queries
and headers are checked here, and a server that refuses a feature surfaces as a typed error."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from _fault_server import FakeTiming, FakeTinker, Fault, json_response

import tinker_ext as tinker
from tinker_ext._wire.http_errors import WEIGHTS_ACCESS_TOKEN_HEADER
from tinker_ext.lib.retry_handler import RetryConfig

CKPT = "tinker://run-1/weights/step-3"


def _service(server: FakeTinker, **kwargs: Any) -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key="tml-test",
        base_url="http://t",
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
        **kwargs,
    )


def _datum() -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2]),
        loss_fn_inputs={"target_tokens": tinker.TensorData(data=[2, 3], dtype="int64", shape=[2])},
    )


# ------------------------------------------------------------------------------------------ ServiceClient


def test_unknown_service_client_keywords_raise_type_error() -> None:
    with pytest.raises(TypeError, match="unexpected keyword"):
        tinker.ServiceClient(api_key="k", base_url="http://t", not_an_option=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        tinker.RestClient(api_key="k", base_url="http://t", not_an_option=1)


def test_display_name_and_header_overrides_reach_the_server(server: FakeTinker) -> None:
    with _service(
        server,
        display_name="exp-7",
        default_headers={"X-A": "1", "X-B": "1"},
        default_headers_overrides={"X-B": "2"},
    ) as sc:
        sc.create_lora_training_client("tiny/model")
    (session,) = [r for r in server.requests if r.path == "/api/v1/create_session"]
    assert session.body["display_name"] == "exp-7"
    assert (session.headers["X-A"], session.headers["X-B"]) == ("1", "2")


def test_close_returns_a_finished_future_and_capabilities_a_value(server: FakeTinker) -> None:
    server.handlers["/api/v1/get_server_capabilities"] = lambda rec: json_response(
        200, {"supported_models": [{"model_name": "tiny/model"}]}
    )
    sc = _service(server)
    caps = sc.get_server_capabilities()
    assert isinstance(caps, tinker.types.GetServerCapabilitiesResponse)
    assert caps.supported_models[0].model_name == "tiny/model"
    closed = sc.close("success")
    assert isinstance(closed, tinker.APIFuture) and closed.result() is None
    assert sc.close().result() is None  # a second close does nothing and still returns a future


def test_console_urls() -> None:
    saved = tinker.types.SaveWeightsForSamplerResponse(path="tinker://run-1/sampler_weights/s 1")
    assert (
        saved.get_console_url()
        == "https://tinker.thinkingmachines.ai/checkpoints/run-1/sampler_weights%2Fs%201"
    )
    assert saved.get_playground_url().endswith("checkpoint=tinker%3A%2F%2Frun-1%2Fsampler_weights%2Fs%201")


# ------------------------------------------------------------------------------------------ Dimuon


def test_dimuon_optimizer_on_create_and_optimizer_params_on_step(server: FakeTinker) -> None:
    with _service(server) as sc:
        tc = sc.create_lora_training_client("tiny/model", optimizer=tinker.DimuonOptimizerConfig())
        tc.optim_step(tinker.DimuonParams(learning_rate=0.02, grad_clip_norm=1.0)).result()
        tc.optim_step(adam_params=tinker.AdamParams(learning_rate=1e-3)).result()
        tc.optim_step(tinker.AdamParams()).result()
        with pytest.raises(tinker.InvalidInputError, match="exactly one"):
            tc.optim_step()
        with pytest.raises(tinker.InvalidInputError, match="exactly one"):
            tc.optim_step(tinker.AdamParams(), adam_params=tinker.AdamParams())
        with pytest.raises(tinker.InvalidInputError, match="optimizer"):
            sc.create_lora_training_client("tiny/model", optimizer="dimuon")  # type: ignore[arg-type]
    (create, *_) = server.bodies("/api/v1/create_model")
    assert create["optimizer_config"] == {"type": "dimuon", "version": 1}
    dimuon, adam_kw, adam_pos = server.bodies("/api/v1/optim_step")
    assert dimuon["optimizer_params"] == {
        "type": "dimuon",
        "learning_rate": 0.02,
        "grad_clip_norm": 1.0,
        "beta1": 0.9,
    }
    assert "adam_params" not in dimuon
    assert adam_kw["adam_params"]["learning_rate"] == 1e-3 and "optimizer_params" not in adam_kw
    assert adam_pos["adam_params"]["learning_rate"] == 1e-4


def test_default_optimizer_sends_no_optimizer_config(server: FakeTinker) -> None:
    with _service(server) as sc:
        sc.create_lora_training_client("tiny/model")
    assert "optimizer_config" not in server.bodies("/api/v1/create_model")[0]


def test_a_server_without_dimuon_answers_with_a_typed_error(server: FakeTinker) -> None:
    server.inject("/api/v1/optim_step", Fault(400, {"detail": "unknown optimizer family 'dimuon'"}))
    with _service(server) as sc:
        tc = sc.create_lora_training_client("tiny/model")
        with pytest.raises(tinker.BadRequestError, match="dimuon") as info:
            tc.optim_step(tinker.DimuonParams(learning_rate=0.02)).result()
    assert info.value.status_code == 400


# ------------------------------------------------------------------------------------------ checkpoints


def test_checkpoint_keywords_reach_the_wire(server: FakeTinker) -> None:
    server.handlers["/api/v1/weights_info"] = lambda rec: json_response(
        200, {"base_model": "tiny/model", "is_lora": True, "lora_rank": 4}
    )
    with _service(server) as sc:
        tc = sc.create_lora_training_client("tiny/model")
        tc.save_state("a", overwrite=True, user_metadata={"step": "3"}).result()
        tc.save_weights_for_sampler("s", user_metadata={"k": "v"}).result()
        tc.load_state(CKPT, weights_access_token="wat-1").result()
        tc.load_state_with_optimizer(CKPT).result()
        sc.create_training_client_from_state(
            CKPT, weights_access_token="wat-2", optimizer=tinker.DimuonOptimizerConfig()
        )
        with pytest.raises(tinker.InvalidInputError, match="user_metadata"):
            tc.save_state("b", user_metadata={"step": 3})  # type: ignore[dict-item]
    save = server.bodies("/api/v1/save_weights")[0]
    assert (save["overwrite"], save["user_metadata"]) == (True, {"step": "3"})
    assert server.bodies("/api/v1/save_weights_for_sampler")[0]["user_metadata"] == {"k": "v"}
    first, second, third = server.bodies("/api/v1/load_weights")
    assert first["weights_access_token"] == "wat-1" and first["optimizer"] is False
    assert "weights_access_token" not in second and second["optimizer"] is True
    assert third["weights_access_token"] == "wat-2"
    (info,) = [r for r in server.requests if r.path == "/api/v1/weights_info"]
    assert info.headers[WEIGHTS_ACCESS_TOKEN_HEADER] == "wat-2"
    assert server.bodies("/api/v1/create_model")[-1]["optimizer_config"] == {"type": "dimuon", "version": 1}


def test_inflight_sampler_and_stability_info(server: FakeTinker) -> None:
    with _service(server) as sc:
        tc = sc.create_lora_training_client("tiny/model")
        sampler = tc.save_weights_and_get_sampling_client(kind="inflight", record_stability_info=True)
        sampler.sample(tinker.ModelInput.from_ints([1]), 1, tinker.SamplingParams(max_tokens=1)).result()
        tc.save_weights_and_get_sampling_client(retry_config=RetryConfig())  # defaults are what we do
        with pytest.raises(tinker.InvalidInputError, match="progress_timeout"):
            tc.save_weights_and_get_sampling_client(retry_config=RetryConfig(progress_timeout=5))
        with pytest.raises(tinker.InvalidInputError, match="kind"):
            tc.save_weights_and_get_sampling_client(kind="live")  # type: ignore[arg-type]
    inflight, snapshot = server.bodies("/api/v1/save_weights_for_sampler")
    assert inflight["kind"] == "inflight" and "kind" not in snapshot
    assert server.bodies("/api/v1/asample")[0]["record_stability_info"] is True


def test_custom_loss_type_input() -> None:
    sc = tinker.ServiceClient(api_key="k", base_url="http://t")
    tc = tinker.TrainingClient(sc._ctx, "m")
    with pytest.raises(tinker.InvalidInputError, match="loss_type_input"):
        tc.forward_backward_custom([_datum()], lambda d, lp: (lp[0].sum(), {}), loss_type_input="probs")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ sampling options


def test_sampling_options_on_the_wire_and_their_checks(server: FakeTinker) -> None:
    target = tinker.TensorData(data=[5, 6, 7, 8], dtype="int64", shape=[2, 2])
    prompt = tinker.ModelInput.from_ints([1, 2])
    with _service(server) as sc:
        sampler = sc.create_sampling_client(base_model="tiny/model")
        server.result_for["/api/v1/asample"] = lambda rec: {
            "sequences": [{"tokens": [1], "stop_reason": "length"}],
            "prompt_logprobs": [None, -0.5],
        }
        sampler.sample(
            prompt,
            1,
            tinker.SamplingParams(max_tokens=1),
            include_prompt_logprobs=True,
            prompt_logprobs_last_n=1,
        ).result()
        with pytest.raises(tinker.TinkerError, match="prompt_alt_tokens"):
            sampler.sample(prompt, 1, tinker.SamplingParams(max_tokens=1), prompt_alt_tokens_k=2).result()
        with pytest.raises(tinker.TinkerError, match="target_prompt_logprobs"):
            sampler.sample(prompt, 1, tinker.SamplingParams(), target_prompt_logprobs=target).result()
        with pytest.raises(tinker.TinkerError, match="topk_sample_logprobs"):
            sampler.sample(prompt, 1, tinker.SamplingParams(), topk_sample_logprobs=3).result()
        sent = len(server.bodies("/api/v1/asample"))
        for bad in (
            {"prompt_logprobs_last_n": 1},  # needs include_prompt_logprobs
            {"include_prompt_logprobs": True, "prompt_logprobs_last_n": 0},
            {"prompt_alt_tokens_k": -1},
            {"topk_sample_logprobs": -2},
            {"target_prompt_logprobs": tinker.TensorData(data=[1.0, 2.0], dtype="float32", shape=[1, 2])},
            {"target_prompt_logprobs": tinker.TensorData(data=[1, 2], dtype="int64", shape=[2])},
        ):
            with pytest.raises(tinker.InvalidInputError):
                sampler.sample(prompt, 1, tinker.SamplingParams(), **bad)
        assert len(server.bodies("/api/v1/asample")) == sent  # refused before anything was sent
    last_n, alt, tgt, topk = server.bodies("/api/v1/asample")
    assert last_n["prompt_logprobs_last_n"] == 1 and last_n["prompt_logprobs"] is True
    assert alt["prompt_alt_tokens_k"] == 2
    assert tgt["target_prompt_logprobs"] == {"data": [5, 6, 7, 8], "dtype": "int64", "shape": [2, 2]}
    assert topk["topk_sample_logprobs"] == 3
    for key in (
        "prompt_alt_tokens_k",
        "topk_sample_logprobs",
        "target_prompt_logprobs",
        "record_stability_info",
    ):
        assert key not in last_n


def test_prompt_logprobs_before_the_requested_suffix_are_an_error(server: FakeTinker) -> None:
    server.result_for["/api/v1/asample"] = lambda rec: {
        "sequences": [{"tokens": [1], "stop_reason": "length"}],
        "prompt_logprobs": [None, -0.5, -0.25],
    }
    with _service(server) as sc:
        sampler = sc.create_sampling_client(base_model="tiny/model")
        with pytest.raises(tinker.TinkerError, match="predate"):
            sampler.compute_logprobs(
                tinker.ModelInput.from_ints([1, 2, 3]), prompt_logprobs_last_n=1
            ).result()


# ------------------------------------------------------------------------------------------ REST


def _jwt(claims: dict[str, Any]) -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}.sig"


def test_rest_scopes_projects_trace_export_and_whoami(server: FakeTinker) -> None:
    server.handlers["/api/v1/training_runs"] = lambda rec: json_response(
        200, {"training_runs": [], "cursor": {"offset": 0, "limit": 20, "total_count": 0}}
    )
    polls = iter(
        [{"status": "pending"}, {"status": "pending"}, {"status": "ready", "url": "https://s/trace"}]
    )
    server.handlers["/api/v1/sessions/sess-9/trace_export"] = lambda rec: json_response(200, next(polls))
    server.handlers["/api/v1/sessions/sess-9/project"] = lambda rec: json_response(200, {})
    server.handlers["/api/v1/auth/token"] = lambda rec: json_response(
        200, {"jwt": _jwt({"sub": "tml:user:u1", "org_id": "o7", "email": "a@b.c"})}
    )
    rest = tinker.RestClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    rest.list_training_runs(access_scope="accessible", project_id="p-1").result()
    rest.list_training_runs().result()
    assert rest.export_session_trace("sess-9").result() == "https://s/trace"
    rest.assign_session_project("sess-9", "p-2").result()
    me = rest.whoami().result()
    assert (me.user_urn, me.org_urn, me.email) == ("tml:user:u1", "tml:organization:o7", "a@b.c")
    with pytest.raises(tinker.InvalidInputError, match="access_scope"):
        rest.get_training_run("run-1", access_scope="everyone")  # type: ignore[arg-type]
    scoped, plain = [r.params for r in server.requests if r.path == "/api/v1/training_runs"]
    assert (scoped["access_scope"], scoped["project_id"]) == ("accessible", "p-1")
    assert "access_scope" not in plain and "project_id" not in plain
    assert len([r for r in server.requests if r.path.endswith("/trace_export")]) == 3
    (assign,) = [r for r in server.requests if r.path.endswith("/project")]
    assert (assign.method, assign.body) == ("PUT", {"project_id": "p-2"})


def test_whoami_on_a_server_without_jwt_auth_is_a_typed_error(server: FakeTinker) -> None:
    rest = tinker.RestClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    with pytest.raises(tinker.NotFoundError):
        rest.whoami().result()


def test_a_failed_trace_export_is_a_typed_error(server: FakeTinker) -> None:
    server.handlers["/api/v1/sessions/s/trace_export"] = lambda rec: json_response(
        200, {"status": "failed", "error": "no trace"}
    )
    rest = tinker.RestClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    with pytest.raises(tinker.TinkerError, match="no trace"):
        rest.export_session_trace("s").result()


def test_search_sessions_wire_and_typed_answer(server: FakeTinker) -> None:
    T = tinker.types
    server.handlers["/api/v1/sessions/search"] = lambda rec: json_response(
        200,
        {
            "sessions": [
                {
                    "session_id": "s1",
                    "created_at": "2026-01-02T03:04:05Z",
                    "owner": "tml:user:u",
                    "project_id": "p",
                    "checkpoints_count": 2,
                    "status": {
                        "type": "failed",
                        "category": "user",
                        "reason": {"type": "request", "request_id": "r1", "request_type": "Sample"},
                        "message": "bad",
                    },
                },
                {
                    "session_id": "s0",
                    "created_at": "2026-01-01T00:00:00Z",
                    "owner": "tml:user:u",
                    "project_id": "p",
                    "checkpoints_count": 0,
                    "status": {"type": "client_finished", "reason": {"type": "errored"}},
                },
            ],
            "next_cursor": {"last_created_at": "2026-01-01T00:00:00Z", "last_session_id": "s0"},
        },
    )
    rest = tinker.RestClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    request = T.SessionSearchRequest(
        owner=T.UserSearchOwner(owner_urns=["tml:user:u"]),
        statuses=[T.FailedSessionStatusQuery(), T.ClientFinishedSessionStatusQuery(reasons=["errored"])],
        limit=2,
    )
    found = rest.search_sessions(request).result()
    failed, finished = found.sessions
    assert isinstance(
        failed.status, T.SessionFailed
    ) and failed.status.reason == T.SessionFailedRequestReason(request_id="r1", request_type="Sample")
    assert isinstance(finished.status, T.ClientSessionFinished)
    assert finished.status.reason == T.ClientSessionFinishErrored()
    assert found.next_cursor is not None and found.next_cursor.last_session_id == "s0"
    (sent,) = server.bodies("/api/v1/sessions/search")
    assert sent == {
        "user_metadata": {},
        "owner": {"owner_urns": ["tml:user:u"], "type": "user"},
        "statuses": [{"type": "failed"}, {"reasons": ["errored"], "type": "client_finished"}],
        "limit": 2,
    }
    with pytest.raises(tinker.InvalidInputError):
        rest.search_sessions(T.SessionSearchRequest(limit=0))
    server.handlers["/api/v1/sessions/search"] = lambda rec: json_response(
        200,
        {
            "sessions": [
                {
                    "session_id": "x",
                    "created_at": "2026-01-01T00:00:00Z",
                    "owner": "o",
                    "project_id": "p",
                    "checkpoints_count": 0,
                    "status": {"type": "exploded"},
                }
            ]
        },
    )
    with pytest.raises(tinker.APIResponseValidationError, match="exploded"):
        rest.search_sessions(T.SessionSearchRequest()).result()
