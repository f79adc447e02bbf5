"""Checkpoint and sampling steps: save, duplicate names, sample the base model and a saved sampler path,
create a training client from a checkpoint (each generation's way), save → load → identical logprobs,
idempotency-key replay, and the deprecated load into a model that already trained."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from ._probe import IDEMPOTENCY_HEADER, StepNotImplemented, StepRecorder
from ._rules import check_tinker_path, logprobs_of
from ._run import LORA_RANK, PROMPT, Run, close, datum
from ._spec import short_repr
from ._steps_training import forward, forward_result, submit_forward
from ._wire import decode_sample, forward_request

__all__ = ["weights_steps"]

_NUM_SAMPLES = 2
_MAX_TOKENS = 8


def _sample(run: Run, step: StepRecorder, *, base_model: str | None, model_path: str | None) -> None:
    """create_sampling_session, then one asample with the generation's body; checks the promise and result."""
    probe, gen = run.probe, run.gen
    request: dict[str, Any] = {
        "session_id": run.need("session_id"),
        "sampling_session_seq_id": run.values.get("sampling_session_seq_id", 0),
        "type": "create_sampling_session",
    }
    run.put("sampling_session_seq_id", request["sampling_session_seq_id"] + 1)
    request |= {"base_model": base_model} if model_path is None else {"model_path": model_path}
    sampling_session_id = probe.call(step, "create_sampling_session", body=request).body.get(
        "sampling_session_id"
    )
    if not isinstance(sampling_session_id, str):
        step.fail(
            "sampling_session_id",
            "POST /api/v1/create_sampling_session",
            "/sampling_session_id",
            "a sampling session id (string)",
            short_repr(sampling_session_id),
        )
    body = gen.sample(sampling_session_id, 0, PROMPT, _NUM_SAMPLES, _MAX_TOKENS)
    exchange = probe.call(step, "asample", body=body, headers={"X-Tinker-Sampling-Backpressure": "1"})
    request_id = probe.submit_from(step, exchange)
    ids = exchange.body.get("sample_sequence_ids")
    if gen.needs_sample_sequence_ids and not (isinstance(ids, list) and len(ids) == _NUM_SAMPLES):
        step.add(
            "asample:sample_sequence_ids",
            exchange.where,
            "/sample_sequence_ids",
            f"{_NUM_SAMPLES} sequence ids (SDK 0.38 asserts them before reading the result)",
            short_repr(ids),
        )
    output = probe.result(
        step,
        request_id,
        "SampleResponse",
        label="asample",
        decoder=decode_sample,
        protobuf_required=gen.protobuf,
    )
    where = "retrieve_future(asample) result"
    sequences = output.get("sequences", [])
    if len(sequences) != _NUM_SAMPLES:
        step.add(
            "sample:count",
            where,
            "/sequences",
            f"{_NUM_SAMPLES} sequences (num_samples)",
            str(len(sequences)),
        )
    for index, sequence in enumerate(sequences):
        tokens, logprobs = sequence.get("tokens", []), sequence.get("logprobs")
        if not 0 < len(tokens) <= _MAX_TOKENS:
            step.add(
                "sample:max-tokens",
                where,
                f"/sequences/{index}/tokens",
                f"1..{_MAX_TOKENS} tokens",
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


def weights_steps(run: Run) -> None:
    run.step(
        "save_weights",
        partial(_save_weights, run),
        required=True,
        operation="save_weights",
        produces=("weights_path",),
    )
    run.step(
        "save_weights_for_sampler",
        partial(_save_for_sampler, run),
        required=True,
        operation="save_weights_for_sampler",
        produces=("sampler_path",),
    )
    run.step(
        "duplicate checkpoint name", partial(_duplicate_name, run), required=False, operation="save_weights"
    )
    run.step("asample (base model)", partial(_sample_base, run), required=True, operation="asample")
    run.step("asample (saved sampler path)", partial(_sample_saved, run), required=True, operation="asample")
    run.step(
        "weights_info",
        partial(_weights_info, run),
        required=not run.gen.create_via_load,
        operation="get_weights_info",
    )
    run.step(
        "create_training_client_from_state",
        partial(_from_state, run),
        required=True,
        operation="load_weights",
        produces=("loaded_model_id",),
    )
    run.step("save → load → same logprobs", partial(_same_logprobs, run), required=False)
    run.step("idempotency-key replay", partial(_idempotency, run), required=False)
    run.step(
        "load_weights into a trained model",
        partial(_load_into_trained, run),
        required=False,
        operation="load_weights",
    )


def _checkpoint_name(run: Run) -> str:
    return f"contract-{run.suffix}"


def _sampler_name(run: Run) -> str:
    return f"contract-sampler-{run.suffix}"


def _save_weights(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    ckpt_name = _checkpoint_name(run)
    model_id = run.need("model_id")
    request = {
        "model_id": model_id,
        "path": ckpt_name,
        "seq_id": run.next_seq(model_id),
        "type": "save_weights",
    }
    output = probe.result(
        step, probe.submit(step, "save_weights", request), "SaveWeightsResponse", label="save_weights"
    )
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


def _save_for_sampler(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    gen = run.gen
    sampler_name = _sampler_name(run)
    model_id = run.need("model_id")
    request = gen.save_for_sampler(model_id, sampler_name, run.next_seq(model_id))
    request_id = probe.submit(step, "save_weights_for_sampler", request)
    output = probe.result(
        step, request_id, "SaveWeightsForSamplerResponseInternal", label="save_weights_for_sampler"
    )
    path = output.get("path")
    where = "retrieve_future(save_weights_for_sampler) result"
    if not isinstance(path, str):
        step.fail(
            "save_weights_for_sampler:path",
            where,
            "/path",
            "the tinker:// path of the named save",
            short_repr(path),
        )
    check_tinker_path(step, path, run=model_id, kind="sampler_weights", name=sampler_name, where=where)
    run.put("sampler_path", path)


def _duplicate_name(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    ckpt_name = _checkpoint_name(run)
    # Overwriting and refusing (4xx, or a failed future) are both fine; a 5xx or a hang is not.
    model_id = run.need("model_id")
    run.need("weights_path")
    request = {
        "model_id": model_id,
        "path": ckpt_name,
        "seq_id": run.next_seq(model_id),
        "type": "save_weights",
    }
    exchange = probe.send(step, "save_weights", body=request)
    if 400 <= exchange.status < 500:
        step.notes.append(f"refused: {exchange.where}")
        return
    if exchange.status >= 500 or not isinstance(exchange.body, Mapping):
        step.fail(
            "duplicate-name",
            exchange.where,
            "",
            "a 2xx (overwrite) or a 4xx (refused)",
            f"HTTP {exchange.status}",
        )
    request_id = probe.submit_from(step, exchange)
    last = len(step.violations)
    try:
        probe.result(step, request_id, "SaveWeightsResponse", label="save_weights (same name)")
        step.notes.append("overwritten")
    except Exception:
        failed = step.violations[last:]
        if failed and failed[-1].rule == "future:failed" and "HTTP 5" not in failed[-1].got:
            del step.violations[last:]
            step.notes.append(f"refused by the future: {failed[-1].got}")
            return
        raise


def _sample_base(run: Run, step: StepRecorder) -> None:
    _sample(run, step, base_model=run.base_model, model_path=None)


def _sample_saved(run: Run, step: StepRecorder) -> None:
    _sample(run, step, base_model=None, model_path=run.need("sampler_path"))


def _weights_info(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    body = probe.call(step, "get_weights_info", body={"tinker_path": run.need("weights_path")}).body
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


def _from_state(run: Run, step: StepRecorder) -> None:
    """create_training_client_from_state(path): 0.38 creates the model by loading (one request);
    older generations create a fresh model and load into it as its first request (seq_id 1)."""
    probe = run.probe
    gen = run.gen
    session_id, path = run.need("session_id"), run.need("weights_path")
    if gen.create_via_load:
        request: dict[str, Any] = {
            "session_id": session_id,
            "model_seq_id": 1,
            "path": path,
            "optimizer": False,
        }
        exchange = probe.call(step, "load_weights", body={**request, "type": "load_weights"})
        result = probe.result(
            step, probe.submit_from(step, exchange), "LoadWeightsResponse", label="load_weights"
        )
        model_id = result.get("model_id") or exchange.body.get("model_id") or f"{session_id}:train:1"
        probe.call(step, "get_info", body={"model_id": model_id, "type": "get_info"})
        run.put("loaded_model_id", model_id)
        return
    body = gen.create_model(session_id, run.base_model, LORA_RANK, model_seq_id=1)
    created = probe.result(
        step, probe.submit(step, "create_model", body), "CreateModelResponse", label="create_model"
    )
    model_id = created.get("model_id")
    if not isinstance(model_id, str):
        step.fail(
            "create_model:model-id",
            "retrieve_future(create_model) result",
            "/model_id",
            "a model id",
            short_repr(model_id),
        )
    request = {
        "model_id": model_id,
        "path": path,
        "optimizer": False,
        "seq_id": run.next_seq(model_id),
        "type": "load_weights",
    }
    probe.result(
        step, probe.submit(step, "load_weights", request), "LoadWeightsResponse", label="load_weights"
    )
    run.put("loaded_model_id", model_id)


def _same_logprobs(run: Run, step: StepRecorder) -> None:
    loaded, saved = run.need("loaded_model_id"), run.need("logprobs_at_save")
    output = forward(run, step, loaded, forward_only=True, label="forward (loaded model)")
    outputs = output.get("loss_fn_outputs") or [None]
    got = logprobs_of(outputs[0])
    if got is not None and not close(got, saved):
        step.add(
            "load:logprobs",
            "retrieve_future(forward (loaded model)) result",
            "/loss_fn_outputs/0/logprobs/data",
            "the logprobs of the saved model: " + short_repr(saved[:4]),
            short_repr(got[:4]),
        )


def _idempotency(run: Run, step: StepRecorder) -> None:
    # An SDK retries a request whose answer was lost with the same X-Idempotency-Key (and body). A
    # server that ignores the key runs it twice: reported, not failed (retries are rare).
    model_id = run.need("model_id")
    key = {IDEMPOTENCY_HEADER: f"tinker-ext-contract-replay-{run.suffix}"}
    seq_id = run.next_seq(model_id)
    first = submit_forward(run, step, model_id, forward_only=True, seq_id=seq_id, headers=key)
    second_exchange = _replay(run, step, model_id, seq_id, key)
    forward_result(run, step, first, "forward (idempotency key)")
    second = second_exchange.body.get("request_id") if isinstance(second_exchange.body, Mapping) else None
    if second == first:
        # A server may instead deduplicate training requests by (model_id, seq_id): then a replay under
        # another key answers the first future too, and requests without a seq_id are not protected.
        other = {IDEMPOTENCY_HEADER: f"tinker-ext-contract-other-key-{run.suffix}"}
        third = _replay(run, step, model_id, seq_id, other).body
        if isinstance(third, Mapping) and third.get("request_id") == first:
            step.notes.append(
                "deduplicated by model and seq_id, not by the key: a replay under another key answered "
                "the first future too (requests without a training seq_id, e.g. asample, may run twice)"
            )
            return
        step.notes.append("honoured: the replay (same key, same body) answered the first future")
        return
    if isinstance(second, str):
        forward_result(run, step, second, "forward (replayed)")
    step.warn(
        "idempotency:ignored",
        second_exchange.where,
        "/request_id",
        f"the first request's future {first!r} (same {IDEMPOTENCY_HEADER})",
        short_repr(second) if second is not None else f"HTTP {second_exchange.status}",
    )


def _load_into_trained(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    # Deprecated TrainingClient.load_state: a server may refuse it into a model that already trained
    # (skyrl 0.4.0, by design); create_training_client_from_state is the supported way: a warning.
    model_id, path = run.need("model_id"), run.need("weights_path")
    request = {
        "model_id": model_id,
        "path": path,
        "optimizer": True,
        "seq_id": run.next_seq(model_id),
        "type": "load_weights",
    }
    exchange = probe.send(step, "load_weights", body=request)
    if 400 <= exchange.status < 500:
        step.warn(
            "load_weights:trained-model",
            exchange.where,
            "",
            "the load (deprecated load_state)",
            f"HTTP {exchange.status}",
        )
        return
    probe.result(step, probe.submit_from(step, exchange), "LoadWeightsResponse", label="load_weights")


def _replay(run: Run, step: StepRecorder, model_id: str, seq_id: int, key: Mapping[str, str]) -> Any:
    request = forward_request(
        run.gen,
        model_id=model_id,
        seq_id=seq_id,
        datum=datum(),
        forward_only=True,
        zstd=bool(run.values.get("zstd")),
    )
    exchange = run.probe.send(
        step,
        request.operation,
        body=request.body,
        content=request.content,
        headers={**request.headers, **key},
    )
    if exchange.status == 404 and request.operation == "forward":
        raise StepNotImplemented(404, f"{exchange.where}: route not implemented")
    return exchange
