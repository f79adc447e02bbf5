"""Training steps: create_model, get_info, forward_backward, forward, optim_step, and the behaviour clients
depend on (`loss:sum` = −Σ w·logprob with non-uniform weights, forward = forward_backward, seq_id order)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial
from typing import Any

from ._probe import StepRecorder
from ._rules import check_forward_output, logprobs_of
from ._run import LORA_RANK, TARGETS, WEIGHTS, Run, close, datum
from ._spec import short_repr
from ._wire import decode_forward_output, forward_request

__all__ = ["forward", "optim_step_request", "submit_forward", "training_steps"]


def _adam() -> dict[str, Any]:
    return {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.95, "eps": 1e-12, "weight_decay": 0.0}


def optim_step_request(model_id: str, seq_id: int) -> dict[str, Any]:
    return {"model_id": model_id, "adam_params": _adam(), "seq_id": seq_id, "type": "optim_step"}


def submit_forward(
    run: Run,
    step: StepRecorder,
    model_id: str,
    *,
    forward_only: bool,
    seq_id: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> str:
    """Send the generation's forward / forward_backward request; returns the future's request id."""
    request = forward_request(
        run.gen,
        model_id=model_id,
        seq_id=seq_id if seq_id is not None else run.next_seq(model_id),
        datum=datum(),
        forward_only=forward_only,
        zstd=bool(run.values.get("zstd")),
    )
    return run.probe.submit(
        step,
        request.operation,
        request.body,
        content=request.content,
        headers={**request.headers, **(headers or {})},
    )


def forward_result(run: Run, step: StepRecorder, request_id: str, label: str) -> Any:
    output = run.probe.result(
        step,
        request_id,
        "ForwardBackwardOutput",
        label=label,
        decoder=decode_forward_output,
        protobuf_required=run.gen.protobuf,
    )
    check_forward_output(step, output, 1, TARGETS, f"retrieve_future({label}) result")
    return output


def forward(run: Run, step: StepRecorder, model_id: str, *, forward_only: bool, label: str) -> Any:
    return forward_result(run, step, submit_forward(run, step, model_id, forward_only=forward_only), label)


def _first_logprobs(output: Any) -> list[float] | None:
    outputs = output.get("loss_fn_outputs") if isinstance(output, Mapping) else None
    return logprobs_of(outputs[0]) if isinstance(outputs, list) and outputs else None


def training_steps(run: Run) -> None:
    run.step(
        "create_model",
        partial(_create_model, run),
        required=True,
        operation="create_model",
        produces=("model_id",),
    )
    run.step("get_info", partial(_get_info, run), required=True, operation="get_info")
    run.step(
        "forward_backward",
        partial(_forward_backward, run),
        required=True,
        operation="forward_backward",
        produces=("fwdbwd_output",),
    )
    run.step(
        "forward",
        partial(_forward_step, run),
        required=True,
        operation="forward_backward" if run.gen.protobuf else "forward",
        produces=("forward_output",),
    )
    run.step("cross_entropy loss:sum = −Σ w·logprob", partial(_loss_sum, run), required=False)
    run.step("forward = forward_backward logprobs", partial(_consistency, run), required=False)
    run.step("optim_step", partial(_optim_step, run), required=True, operation="optim_step")
    run.step("seq_id ordering", partial(_ordering, run), required=False, produces=("logprobs_at_save",))


def _create_model(run: Run, step: StepRecorder) -> None:
    session_id = run.need("session_id")
    exchange = run.probe.call(
        step, "create_model", body=run.gen.create_model(session_id, run.base_model, LORA_RANK, model_seq_id=0)
    )
    request_id = run.probe.submit_from(step, exchange)
    result = run.probe.result(step, request_id, "CreateModelResponse", label="create_model")
    model_id = result.get("model_id")
    promised = exchange.body.get("model_id")
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


def _get_info(run: Run, step: StepRecorder) -> None:
    model_id = run.need("model_id")
    body = run.probe.call(step, "get_info", body={"model_id": model_id, "type": "get_info"}).body
    if body.get("model_id") != model_id:
        step.add(
            "get_info:model-id",
            "POST /api/v1/get_info → 200",
            "/model_id",
            short_repr(model_id),
            short_repr(body.get("model_id")),
        )


def _forward_backward(run: Run, step: StepRecorder) -> None:
    model_id = run.need("model_id")
    run.put("fwdbwd_output", forward(run, step, model_id, forward_only=False, label="forward_backward"))


def _forward_step(run: Run, step: StepRecorder) -> None:
    model_id = run.need("model_id")
    run.put("forward_output", forward(run, step, model_id, forward_only=True, label="forward"))


def _loss_sum(run: Run, step: StepRecorder) -> None:
    # cross_entropy's `loss:sum` is −Σ w·logprob (forward_backward_custom of the official SDK uses it
    # as the surrogate); non-uniform weights tell it from a weighted mean times the token count.
    for label, key in (("forward_backward", "fwdbwd_output"), ("forward", "forward_output")):
        output = run.values.get(key)
        if output is None:
            continue
        where = f"retrieve_future({label}) result"
        metrics = output.get("metrics") if isinstance(output, Mapping) else None
        if not isinstance(metrics, Mapping) or "loss:sum" not in metrics:
            step.add(
                "metrics:loss-sum",
                where,
                "/metrics",
                "a `loss:sum` metric for cross_entropy",
                short_repr(metrics),
            )
            continue
        logprobs = _first_logprobs(output)
        value = metrics["loss:sum"]
        if logprobs is None or len(logprobs) != len(WEIGHTS) or not isinstance(value, int | float):
            continue
        expected = -sum(w * lp for w, lp in zip(WEIGHTS, logprobs, strict=True))
        if not math.isclose(float(value), expected, rel_tol=1e-3, abs_tol=1e-3):
            step.add(
                "metrics:loss-sum-value",
                where,
                "/metrics/loss:sum",
                f"−Σ weights·logprobs = {expected:.6g} (weights {WEIGHTS})",
                short_repr(value),
            )
    if "fwdbwd_output" not in run.values and "forward_output" not in run.values:
        run.need("fwdbwd_output")


def _consistency(run: Run, step: StepRecorder) -> None:
    before = _first_logprobs(run.need("fwdbwd_output"))
    after = _first_logprobs(run.need("forward_output"))
    if before is not None and after is not None and not close(before, after):
        step.add(
            "forward:consistency",
            "retrieve_future(forward) result",
            "/loss_fn_outputs/0/logprobs/data",
            "the logprobs forward_backward computed for the same weights and data",
            short_repr(after[:4]) + " vs " + short_repr(before[:4]),
        )


def _optim_step(run: Run, step: StepRecorder) -> None:
    model_id = run.need("model_id")
    request_id = run.probe.submit(step, "optim_step", optim_step_request(model_id, run.next_seq(model_id)))
    output = run.probe.result(step, request_id, "OptimStepResponse", label="optim_step")
    metrics = output.get("metrics")
    for key in metrics if isinstance(metrics, Mapping) else ():
        if ":" not in str(key):
            # Both SDK generations pass optim_step metrics through untouched.
            step.warn(
                "metrics:key",
                "retrieve_future(optim_step) result",
                f"/metrics/{key}",
                "a key `name:reduction`",
                short_repr(key),
            )


def _ordering(run: Run, step: StepRecorder) -> None:
    model_id = run.need("model_id")
    run.need("forward_output")
    # Submitted back to back, results fetched afterwards (what a pipelining client does): the forward
    # sent after optim_step must see the updated weights.
    fb_id = submit_forward(run, step, model_id, forward_only=False)
    opt_id = run.probe.submit(step, "optim_step", optim_step_request(model_id, run.next_seq(model_id)))
    fwd_seq = run.next_seq(model_id)
    fwd_id = submit_forward(run, step, model_id, forward_only=True, seq_id=fwd_seq)
    if len({fb_id, opt_id, fwd_id}) != 3:
        step.add(
            "future:request-id",
            "POST futures",
            "/request_id",
            "a distinct request id per request",
            short_repr([fb_id, opt_id, fwd_id]),
        )
    before = _first_logprobs(forward_result(run, step, fb_id, "forward_backward (pipelined)"))
    run.probe.result(step, opt_id, "OptimStepResponse", label="optim_step (pipelined)")
    after = _first_logprobs(forward_result(run, step, fwd_id, "forward (pipelined)"))
    if after is not None:
        run.put("logprobs_at_save", after)  # nothing trains the model after this step
    if before is not None and after is not None and close(before, after, tolerance=1e-6):
        step.add(
            "ordering:seq-id",
            f"retrieve_future(forward seq {fwd_seq}) result",
            "/loss_fn_outputs/0/logprobs/data",
            f"logprobs changed by the optim_step (seq {fwd_seq - 1}) submitted before this forward",
            "the logprobs of before the step (requests not applied in seq_id order)",
        )
