"""`check_server`: a scripted conformance run of the Tinker workflow against one server.

Steps run in a fixed order over one session and one LoRA model. Each step validates statuses and bodies
against the spec and the behavioural rules of `_rules`; values later steps need (session id, model id,
checkpoint paths, ...) are kept in `_Run.values`, and a step whose inputs were never produced is SKIPPED.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import httpx

from ._generations import generation_verdicts
from ._probe import PROTOBUF, Probe, StepFailed, StepNotImplemented, StepRecorder, StepSkipped
from ._report import ContractReport, Outcome, StepResult
from ._rules import check_forward_output, check_tinker_path, logprobs_of
from ._spec import ContractSpec, short_repr

__all__ = ["SDK_VERSION", "check_server"]

# What the check announces itself as in create_session / client/config (the newest wire it knows).
SDK_VERSION = "0.38.0"
LORA_RANK = 8
# Small token ids are valid in any vocabulary; 12 tokens stay in the smallest sequence bucket of
# servers that JIT-compile per shape.
_TOKENS = list(range(1, 13))
_PROMPT = [1, 2, 3, 4]
_LEARNING_RATE = 0.01
# forward and forward_backward compute the same logprobs for the same weights.
_LOGPROB_TOLERANCE = 1e-3


def _datum() -> dict[str, Any]:
    inputs, targets = _TOKENS[:-1], _TOKENS[1:]
    return {
        "model_input": {"chunks": [{"type": "encoded_text", "tokens": inputs}]},
        "loss_fn_inputs": {
            "target_tokens": {"data": targets, "dtype": "int64", "shape": [len(targets)]},
            "weights": {"data": [1.0] * len(targets), "dtype": "float32", "shape": [len(targets)]},
        },
    }


def _fwd_input() -> dict[str, Any]:
    return {"data": [_datum()], "loss_fn": "cross_entropy"}


_TARGETS = len(_TOKENS) - 1


def _adam() -> dict[str, Any]:
    return {"learning_rate": _LEARNING_RATE, "beta1": 0.9, "beta2": 0.95, "eps": 1e-12, "weight_decay": 0.0}


@attrs.define
class _Run:
    probe: Probe
    base_model: str
    values: dict[str, Any] = attrs.field(factory=dict)
    producers: dict[str, str] = attrs.field(factory=dict)  # value name -> step that produces it
    results: list[StepResult] = attrs.field(factory=list)
    seq_id: int = 0
    suffix: str = attrs.field(factory=lambda: secrets.token_hex(4))

    def next_seq(self) -> int:
        self.seq_id += 1
        return self.seq_id

    def need(self, name: str) -> Any:
        if name not in self.values:
            producer = self.producers.get(name, "?")
            outcome = next((r.outcome.value for r in self.results if r.name == producer), "not run")
            raise StepSkipped(f"needs {name} from {producer} ({outcome})")
        return self.values[name]

    def put(self, name: str, value: Any) -> None:
        self.values[name] = value

    def step(
        self,
        name: str,
        body: Callable[[StepRecorder], None],
        *,
        required: bool,
        operation: str | None = None,
        produces: tuple[str, ...] = (),
    ) -> StepResult:
        for value in produces:
            self.producers[value] = name
        recorder = StepRecorder(name)
        started = time.monotonic()
        outcome = Outcome.PASS
        detail = ""
        try:
            body(recorder)
        except StepSkipped as exc:
            outcome, detail = Outcome.SKIPPED, str(exc)
        except StepNotImplemented as exc:
            outcome, detail = Outcome.NOT_IMPLEMENTED, exc.detail
        except StepFailed:
            outcome = Outcome.FAIL
        except Exception as exc:
            # A body of the wrong shape can trip the rule code after its schema violation was recorded;
            # that violation is the finding. Otherwise the checker itself broke: say so, don't crash.
            outcome = Outcome.FAIL
            if not recorder.has_errors:
                recorder.add(
                    "checker", name, "", "no internal error", self.probe.scrub(f"{type(exc).__name__}: {exc}")
                )
        if outcome is Outcome.PASS and recorder.has_errors:
            outcome = Outcome.FAIL
        scrub = self.probe.scrub
        if outcome is Outcome.PASS and recorder.notes:
            detail = "; ".join(recorder.notes)
        result = StepResult(
            name=name,
            outcome=outcome,
            required=required,
            operation=operation,
            http_status=recorder.http_status,
            elapsed_s=time.monotonic() - started,
            # Servers may echo request headers in error bodies: the API key never reaches the report.
            violations=tuple(
                attrs.evolve(v, where=scrub(v.where), expected=scrub(v.expected), got=scrub(v.got))
                for v in recorder.violations
            ),
            detail=scrub(detail),
        )
        self.results.append(result)
        return result


def check_server(
    base_url: str,
    api_key: str | None = None,
    base_model: str = "Qwen/Qwen3-8B",
    *,
    timeout: float = 120.0,
    spec: ContractSpec | None = None,
    transport: httpx.BaseTransport | None = None,
) -> ContractReport:
    """Drive the Tinker workflow against `base_url` over plain HTTP and report every step.

    `timeout` bounds each future (and each HTTP call, capped at 60 s). `transport` is for tests
    (httpx.MockTransport). Nothing is raised for server misbehaviour; it is all in the report.
    """
    contract = spec if spec is not None else ContractSpec.load()
    probe = Probe(contract, base_url, api_key, timeout=timeout, transport=transport)
    run = _Run(probe, base_model)
    started = time.monotonic()
    try:
        _workflow(run)
    finally:
        probe.close()
    return ContractReport(
        base_url=probe.base_url,
        base_model=base_model,
        steps=tuple(run.results),
        generations=generation_verdicts(run.results, run.values),
        elapsed_s=time.monotonic() - started,
    )


def _workflow(run: _Run) -> None:
    probe = run.probe

    # ------------------------------------------------------------------ service
    def healthz(step: StepRecorder) -> None:
        probe.call(step, "healthz")

    def capabilities(step: StepRecorder) -> None:
        body = probe.call(step, "get_server_capabilities").body
        names = [m.get("model_name") for m in body.get("supported_models", []) if isinstance(m, Mapping)]
        if run.base_model not in names:
            step.warn(
                "capabilities:base-model",
                "GET /api/v1/get_server_capabilities → 200",
                "/supported_models",
                f"{run.base_model!r} among the model names",
                short_repr(names),
            )

    def client_config(step: StepRecorder) -> None:
        body = probe.call(step, "client_config", body={"sdk_version": SDK_VERSION}).body
        run.put("client_config", body)

    def create_session(step: StepRecorder) -> None:
        body = probe.call(
            step,
            "create_session",
            body={
                "tags": ["tinker-ext-contract"],
                "user_metadata": {},
                "sdk_version": SDK_VERSION,
                "type": "create_session",
            },
        ).body
        run.put("session_id", body["session_id"])

    def heartbeat(step: StepRecorder) -> None:
        session_id = run.need("session_id")
        probe.call(step, "session_heartbeat", body={"session_id": session_id, "type": "session_heartbeat"})

    run.step("healthz", healthz, required=True, operation="healthz")
    run.step("get_server_capabilities", capabilities, required=True, operation="get_server_capabilities")
    run.step(
        "client_config", client_config, required=False, operation="client_config", produces=("client_config",)
    )
    run.step(
        "create_session", create_session, required=True, operation="create_session", produces=("session_id",)
    )
    run.step("session_heartbeat", heartbeat, required=True, operation="session_heartbeat")

    # ------------------------------------------------------------------ training
    def create_model(step: StepRecorder) -> None:
        session_id = run.need("session_id")
        request = {
            "session_id": session_id,
            "model_seq_id": 0,
            "base_model": run.base_model,
            "lora_config": {
                "rank": LORA_RANK,
                "seed": 0,
                "train_unembed": True,
                "train_mlp": True,
                "train_attn": True,
            },
            "type": "create_model",
        }
        exchange = probe.call(step, "create_model", body=request)
        promise = exchange.body
        request_id = probe.submit_from(step, exchange)
        result = probe.result(step, request_id, "CreateModelResponse", label="create_model")
        model_id = result.get("model_id")
        promised = promise.get("model_id")
        if promised is not None and promised != model_id:
            step.add(
                "create_model:model-id",
                "retrieve_future(create_model) result",
                "/model_id",
                short_repr(promised),
                short_repr(model_id),
            )
        if isinstance(model_id, str) and model_id:
            run.put("model_id", model_id)

    def get_info(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        body = probe.call(step, "get_info", body={"model_id": model_id, "type": "get_info"}).body
        if body.get("model_id") != model_id:
            step.add(
                "get_info:model-id",
                "POST /api/v1/get_info → 200",
                "/model_id",
                short_repr(model_id),
                short_repr(body.get("model_id")),
            )

    def forward_backward(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        request = {"model_id": model_id, "forward_backward_input": _fwd_input(), "seq_id": run.next_seq()}
        request_id = probe.submit(step, "forward_backward", request)
        output = probe.result(step, request_id, "ForwardBackwardOutput", label="forward_backward")
        check_forward_output(step, output, 1, _TARGETS, "retrieve_future(forward_backward) result")
        run.put("fwdbwd_request_id", request_id)
        run.put("fwdbwd_output", output)

    def loss_sum(step: StepRecorder) -> None:
        output = run.need("fwdbwd_output")
        metrics = output.get("metrics") if isinstance(output, Mapping) else None
        if not isinstance(metrics, Mapping) or "loss:sum" not in metrics:
            step.add(
                "metrics:loss-sum",
                "retrieve_future(forward_backward) result",
                "/metrics",
                "a `loss:sum` metric for cross_entropy (forward_backward_custom of the official SDK needs it)",
                short_repr(metrics),
            )
            return
        losses = [x for x in (logprobs_of(o) for o in output.get("loss_fn_outputs", [])) if x is not None]
        if losses and isinstance(metrics["loss:sum"], int | float):
            expected = -sum(sum(x) for x in losses)  # cross_entropy with weights 1: −Σ logprobs
            if not math.isclose(float(metrics["loss:sum"]), expected, rel_tol=1e-3, abs_tol=1e-3):
                step.add(
                    "metrics:loss-sum-value",
                    "retrieve_future(forward_backward) result",
                    "/metrics/loss:sum",
                    f"−Σ logprobs·weights = {expected:.6g}",
                    short_repr(metrics["loss:sum"]),
                )

    def protobuf_results(step: StepRecorder) -> None:
        request_id = run.need("fwdbwd_request_id")
        # What SDK >= 0.25 sends; it refuses a JSON ForwardBackwardOutput.
        exchange = probe.send(
            step,
            "retrieve_future",
            body={"request_id": request_id, "allow_metadata_only": False},
            headers={"Accept": PROTOBUF},
        )
        if exchange.status == 200 and PROTOBUF in exchange.content_type:
            run.put("protobuf_results", True)
            return
        run.put("protobuf_results", False)
        raise StepNotImplemented(
            exchange.status,
            f"Accept: {PROTOBUF} answered HTTP {exchange.status} {exchange.content_type or 'without a content type'}",
        )

    def forward(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        request = {"model_id": model_id, "forward_input": _fwd_input(), "seq_id": run.next_seq()}
        request_id = probe.submit(step, "forward", request)
        output = probe.result(step, request_id, "ForwardBackwardOutput", label="forward")
        check_forward_output(step, output, 1, _TARGETS, "retrieve_future(forward) result")
        before = logprobs_of((run.values.get("fwdbwd_output") or {}).get("loss_fn_outputs", [None])[0])
        after = logprobs_of(output.get("loss_fn_outputs", [None])[0])
        if before is not None and after is not None and not _close(before, after):
            step.warn(
                "forward:consistency",
                "retrieve_future(forward) result",
                "/loss_fn_outputs/0/logprobs/data",
                "the logprobs forward_backward computed for the same weights and data",
                short_repr(after[:4]) + " vs " + short_repr(before[:4]),
            )

    def optim_step(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        request = {
            "model_id": model_id,
            "adam_params": _adam(),
            "seq_id": run.next_seq(),
            "type": "optim_step",
        }
        request_id = probe.submit(step, "optim_step", request)
        output = probe.result(step, request_id, "OptimStepResponse", label="optim_step")
        metrics = output.get("metrics")
        if isinstance(metrics, Mapping):
            for key in metrics:
                if ":" not in str(key):
                    step.add(
                        "metrics:key",
                        "retrieve_future(optim_step) result",
                        f"/metrics/{key}",
                        "a key `name:reduction`",
                        short_repr(key),
                    )

    def ordering(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        run.need("fwdbwd_output")
        # Submitted back to back, results fetched afterwards (what a pipelining client does): the forward
        # sent after optim_step must see the updated weights.
        fb_id = probe.submit(
            step,
            "forward_backward",
            {"model_id": model_id, "forward_backward_input": _fwd_input(), "seq_id": run.next_seq()},
        )
        opt_id = probe.submit(
            step,
            "optim_step",
            {"model_id": model_id, "adam_params": _adam(), "seq_id": run.next_seq(), "type": "optim_step"},
        )
        fwd_id = probe.submit(
            step, "forward", {"model_id": model_id, "forward_input": _fwd_input(), "seq_id": run.next_seq()}
        )
        ids = [fb_id, opt_id, fwd_id]
        if len(set(ids)) != len(ids):
            step.add(
                "future:request-id",
                "POST futures",
                "/request_id",
                "a distinct request id per request",
                short_repr(ids),
            )
        before = probe.result(step, fb_id, "ForwardBackwardOutput", label="forward_backward")
        probe.result(step, opt_id, "OptimStepResponse", label="optim_step")
        after = probe.result(step, fwd_id, "ForwardBackwardOutput", label="forward")
        old = logprobs_of(before.get("loss_fn_outputs", [None])[0])
        new = logprobs_of(after.get("loss_fn_outputs", [None])[0])
        if old is None or new is None:
            step.fail(
                "ordering",
                "retrieve_future results",
                "/loss_fn_outputs/0/logprobs",
                "logprobs to compare",
                "none",
            )
        if _close(old, new, tolerance=0.0):
            step.add(
                "ordering:seq-id",
                f"retrieve_future(forward seq {run.seq_id}) result",
                "/loss_fn_outputs/0/logprobs/data",
                f"logprobs changed by the optim_step (seq {run.seq_id - 1}) submitted before this forward",
                "the logprobs of before the step (requests not applied in seq_id order)",
            )

    run.step("create_model", create_model, required=True, operation="create_model", produces=("model_id",))
    run.step("get_info", get_info, required=True, operation="get_info")
    run.step(
        "forward_backward",
        forward_backward,
        required=True,
        operation="forward_backward",
        produces=("fwdbwd_output", "fwdbwd_request_id"),
    )
    run.step("cross_entropy loss:sum", loss_sum, required=False)
    run.step(
        "protobuf results",
        protobuf_results,
        required=False,
        operation="retrieve_future",
        produces=("protobuf_results",),
    )
    run.step("forward", forward, required=True, operation="forward")
    run.step("optim_step", optim_step, required=True, operation="optim_step")
    run.step("seq_id ordering", ordering, required=True)

    # ------------------------------------------------------------------ weights and sampling
    ckpt_name = f"contract-{run.suffix}"
    sampler_name = f"contract-sampler-{run.suffix}"

    def save_weights(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        request = {"model_id": model_id, "path": ckpt_name, "seq_id": run.next_seq(), "type": "save_weights"}
        request_id = probe.submit(step, "save_weights", request)
        output = probe.result(step, request_id, "SaveWeightsResponse", label="save_weights")
        check_tinker_path(
            step,
            output.get("path"),
            run=model_id,
            kind="weights",
            name=ckpt_name,
            where="retrieve_future(save_weights) result",
        )
        if isinstance(output.get("path"), str):
            run.put("weights_path", output["path"])

    def save_for_sampler(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        request = {
            "model_id": model_id,
            "path": sampler_name,
            "seq_id": run.next_seq(),
            "type": "save_weights_for_sampler",
        }
        request_id = probe.submit(step, "save_weights_for_sampler", request)
        output = probe.result(
            step, request_id, "SaveWeightsForSamplerResponseInternal", label="save_weights_for_sampler"
        )
        path = output.get("path")
        if not isinstance(path, str):
            step.fail(
                "save_weights_for_sampler:path",
                "retrieve_future(save_weights_for_sampler) result",
                "/path",
                "the tinker:// path of the named save",
                short_repr(path),
            )
        run.put("sampler_path", path)

    def sampler_path_format(step: StepRecorder) -> None:
        path = run.need("sampler_path")
        check_tinker_path(
            step,
            path,
            run=run.need("model_id"),
            kind="sampler_weights",
            name=sampler_name,
            where="retrieve_future(save_weights_for_sampler) result",
        )

    def create_sampling_session(step: StepRecorder) -> None:
        session_id = run.need("session_id")
        body = probe.call(
            step,
            "create_sampling_session",
            body={
                "session_id": session_id,
                "sampling_session_seq_id": 0,
                "base_model": run.base_model,
                "type": "create_sampling_session",
            },
        ).body
        run.put("sampling_session_id", body["sampling_session_id"])

    def asample(step: StepRecorder) -> None:
        sampling_session_id = run.need("sampling_session_id")
        num_samples, max_tokens = 2, 8
        request = {
            "sampling_session_id": sampling_session_id,
            "seq_id": 0,
            "num_samples": num_samples,
            "prompt": {"chunks": [{"type": "encoded_text", "tokens": _PROMPT}]},
            "sampling_params": {
                "max_tokens": max_tokens,
                "seed": 7,
                "temperature": 1.0,
                "top_k": -1,
                "top_p": 1.0,
            },
            "type": "sample",
        }
        exchange = probe.call(step, "asample", body=request)
        request_id = probe.submit_from(step, exchange)
        ids = exchange.body.get("sample_sequence_ids")
        run.put("sample_sequence_ids", isinstance(ids, list) and len(ids) == num_samples)
        output = probe.result(step, request_id, "SampleResponse", label="asample")
        sequences = output.get("sequences", [])
        where = "retrieve_future(asample) result"
        if len(sequences) != num_samples:
            step.add(
                "sample:count",
                where,
                "/sequences",
                f"{num_samples} sequences (num_samples)",
                str(len(sequences)),
            )
        for index, sequence in enumerate(sequences):
            tokens, logprobs = sequence.get("tokens", []), sequence.get("logprobs")
            if not 0 < len(tokens) <= max_tokens:
                step.add(
                    "sample:max-tokens",
                    where,
                    f"/sequences/{index}/tokens",
                    f"1..{max_tokens} tokens",
                    str(len(tokens)),
                )
            if isinstance(logprobs, list) and len(logprobs) != len(tokens):
                step.add(
                    "sample:logprobs",
                    where,
                    f"/sequences/{index}/logprobs",
                    f"{len(tokens)} values (one per token)",
                    str(len(logprobs)),
                )

    def load_weights(step: StepRecorder) -> None:
        model_id, path = run.need("model_id"), run.need("weights_path")
        request = {
            "model_id": model_id,
            "path": path,
            "optimizer": True,
            "seq_id": run.next_seq(),
            "type": "load_weights",
        }
        request_id = probe.submit(step, "load_weights", request)
        probe.result(step, request_id, "LoadWeightsResponse", label="load_weights")

    def weights_info(step: StepRecorder) -> None:
        path = run.need("weights_path")
        body = probe.call(step, "get_weights_info", body={"tinker_path": path}).body
        if body.get("lora_rank") not in (None, LORA_RANK):
            step.add(
                "weights_info:rank",
                "POST /api/v1/weights_info → 200",
                "/lora_rank",
                str(LORA_RANK),
                short_repr(body.get("lora_rank")),
            )
        if body.get("is_lora") is False:
            step.add(
                "weights_info:is-lora",
                "POST /api/v1/weights_info → 200",
                "/is_lora",
                "true (a LoRA checkpoint)",
                "false",
            )

    run.step(
        "save_weights", save_weights, required=True, operation="save_weights", produces=("weights_path",)
    )
    run.step(
        "save_weights_for_sampler",
        save_for_sampler,
        required=True,
        operation="save_weights_for_sampler",
        produces=("sampler_path",),
    )
    run.step("sampler path format", sampler_path_format, required=False)
    run.step(
        "create_sampling_session",
        create_sampling_session,
        required=True,
        operation="create_sampling_session",
        produces=("sampling_session_id",),
    )
    run.step("asample", asample, required=True, operation="asample")
    run.step("load_weights", load_weights, required=True, operation="load_weights")
    run.step("weights_info", weights_info, required=True, operation="get_weights_info")

    # ------------------------------------------------------------------ REST
    def list_runs(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        body = probe.call(step, "list_training_runs", query={"limit": 100, "offset": 0}).body
        ids = [r.get("training_run_id") for r in body.get("training_runs", []) if isinstance(r, Mapping)]
        total = (body.get("cursor") or {}).get("total_count")
        if model_id not in ids and (not isinstance(total, int) or total <= 100):
            step.add(
                "training_runs:listed",
                "GET /api/v1/training_runs → 200",
                "/training_runs",
                f"a run {model_id!r}",
                short_repr(ids),
            )

    def get_run(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        body = probe.call(step, "get_training_run", path_params={"training_run_id": model_id}).body
        if body.get("training_run_id") != model_id:
            step.add(
                "training_run:id",
                f"GET /api/v1/training_runs/{model_id} → 200",
                "/training_run_id",
                short_repr(model_id),
                short_repr(body.get("training_run_id")),
            )

    def list_checkpoints(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        exchange = probe.call(step, "list_checkpoints", path_params={"training_run_id": model_id})
        checkpoints = [c for c in exchange.body.get("checkpoints", []) if isinstance(c, Mapping)]
        for kind, name in (("weights", ckpt_name), ("sampler_weights", sampler_name)):
            index, found = next(
                (
                    (i, c)
                    for i, c in enumerate(checkpoints)
                    if str(c.get("tinker_path", "")).endswith("/" + name)
                ),
                (None, None),
            )
            if found is None or index is None:
                step.add(
                    "checkpoints:listed",
                    exchange.where,
                    "/checkpoints",
                    f"the checkpoint {name!r} saved by this check",
                    short_repr([c.get("tinker_path") for c in checkpoints]),
                )
                continue
            check_tinker_path(
                step,
                found.get("tinker_path"),
                run=model_id,
                kind=kind,
                name=name,
                where=exchange.where,
                pointer=f"/checkpoints/{index}/tinker_path",
            )
            if found.get("checkpoint_id") != f"{kind}/{name}":
                step.warn(
                    "checkpoints:id",
                    exchange.where,
                    f"/checkpoints/{index}/checkpoint_id",
                    f"{kind}/{name!s} (`kind/name`: the official SDK builds delete/archive URLs from it)",
                    short_repr(found.get("checkpoint_id")),
                )

    def archive(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        run.need("sampler_path")
        exchange = probe.call(
            step,
            "get_checkpoint_archive_url",
            expect=(200, 302),
            path_params={
                "training_run_id": model_id,
                "checkpoint_kind": "sampler_weights",
                "checkpoint_name": sampler_name,
            },
        )
        _check_archive_answer(step, exchange.status, exchange.headers, exchange.where)

    def archive_flat(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        run.need("sampler_path")
        exchange = probe.call(
            step,
            "get_checkpoint_archive_url_by_id",
            expect=(200, 302),
            path_params={"training_run_id": model_id, "checkpoint_id": sampler_name},
        )
        _check_archive_answer(step, exchange.status, exchange.headers, exchange.where)

    def delete_checkpoint(step: StepRecorder) -> None:
        model_id = run.need("model_id")
        run.need("weights_path")
        probe.call(
            step,
            "delete_checkpoint",
            path_params={
                "training_run_id": model_id,
                "checkpoint_kind": "weights",
                "checkpoint_name": ckpt_name,
            },
            json_body=False,
        )
        listing = probe.call(step, "list_checkpoints", path_params={"training_run_id": model_id}).body
        paths = [c.get("tinker_path") for c in listing.get("checkpoints", []) if isinstance(c, Mapping)]
        if any(str(p).endswith("/" + ckpt_name) for p in paths):
            step.add(
                "delete:listed",
                "GET checkpoints after DELETE",
                "/checkpoints",
                f"no checkpoint {ckpt_name!r}",
                short_repr(paths),
            )

    run.step("list_training_runs", list_runs, required=True, operation="list_training_runs")
    run.step("get_training_run", get_run, required=True, operation="get_training_run")
    run.step("list_checkpoints", list_checkpoints, required=True, operation="list_checkpoints")
    run.step("archive URL (kind/name id)", archive, required=False, operation="get_checkpoint_archive_url")
    run.step(
        "archive URL (flat id)", archive_flat, required=False, operation="get_checkpoint_archive_url_by_id"
    )
    run.step("delete_checkpoint", delete_checkpoint, required=False, operation="delete_checkpoint")

    # ------------------------------------------------------------------ futures edge cases
    def unknown_future(step: StepRecorder) -> None:
        # Numeric, so that servers with integer ids look it up instead of failing to parse it.
        unknown = str(10**12 + secrets.randbelow(10**6))
        probe.call(
            step, "retrieve_future", expect=(404,), body={"request_id": unknown, "allow_metadata_only": False}
        )

    def malformed_future(step: StepRecorder) -> None:
        exchange = probe.send(
            step,
            "retrieve_future",
            body={"request_id": f"not-an-id-{run.suffix}", "allow_metadata_only": False},
        )
        if not 400 <= exchange.status < 500:
            step.add(
                "retrieve_future:malformed-id",
                exchange.where,
                "",
                "a 4xx (unknown id)",
                f"HTTP {exchange.status}",
            )

    run.step("retrieve_future unknown id → 404", unknown_future, required=True, operation="retrieve_future")
    run.step(
        "retrieve_future malformed id → 4xx", malformed_future, required=False, operation="retrieve_future"
    )


def _check_archive_answer(step: StepRecorder, status: int, headers: httpx.Headers, where: str) -> None:
    if status == 302 and not headers.get("location"):
        step.add("archive:location", where, "", "a Location header with the archive URL", "none")


def _close(a: list[float], b: list[float], tolerance: float = _LOGPROB_TOLERANCE) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))
