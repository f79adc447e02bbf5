"""After a check: remove what it created on the server (stored checkpoints cost money on a hosted
service), unless the caller keeps it; say what could not be removed and why.

Per model the check created: every checkpoint listed for it is deleted, then the model is unloaded.
Then the session is finished. The Tinker API has no request that deletes a training run or a session,
so those are always reported as left (unloaded / finished, not deleted). Nothing here judges the
server: these requests are not steps and never change the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..types.checkpoint_path import ParsedCheckpointTinkerPath
from ._probe import StepRecorder, _route_missing
from ._report import Cleanup
from ._run import Run

__all__ = ["clean_up"]

# Values of `Run.values` naming the models a check created.
_MODEL_VALUES = ("model_id", "loaded_model_id")
_NO_RUN_DELETE = "the Tinker API has no request that deletes a training run"


def _status(exchange_status: int) -> str:
    return f"HTTP {exchange_status}"


def _checkpoint_paths(run: Run, recorder: StepRecorder, model_id: str) -> tuple[list[str], str | None]:
    """The model's listed checkpoints (when the listing fails: the ones the check saved, and why)."""
    saved = [
        p
        for p in (run.values.get("weights_path"), run.values.get("sampler_path"))
        if isinstance(p, str) and f"://{model_id}/" in p
    ]
    try:
        exchange = run.probe.send(recorder, "list_checkpoints", path_params={"training_run_id": model_id})
    except Exception as exc:  # a failed transport is reported as what was left, not raised
        return saved, f"{type(exc).__name__}"
    listed = exchange.body.get("checkpoints") if isinstance(exchange.body, Mapping) else None
    if exchange.status != 200 or not isinstance(listed, list):
        return saved, f"listing its checkpoints answered {_status(exchange.status)}"
    paths = [c.get("tinker_path") for c in listed if isinstance(c, Mapping)]
    return [p for p in paths if isinstance(p, str)], None


def _delete(run: Run, recorder: StepRecorder, path: str) -> str | None:
    """Delete one checkpoint; None when done, else why not."""
    try:
        parsed = ParsedCheckpointTinkerPath.from_tinker_path(path)
        kind, _, name = parsed.checkpoint_id.partition("/")
        exchange = run.probe.send(
            recorder,
            "delete_checkpoint",
            path_params={
                "training_run_id": parsed.training_run_id,
                "checkpoint_kind": kind,
                "checkpoint_name": name,
            },
        )
    except Exception as exc:
        return f"{type(exc).__name__}: {run.probe.scrub(str(exc))}"
    if _route_missing(exchange):  # skyrl-tx 0.3.0 has no DELETE for checkpoints
        return f"{_status(exchange.status)}: the server has no checkpoint delete route"
    # Any other 404: already gone (the check's own delete step removed it).
    return None if exchange.status < 300 or exchange.status == 404 else _status(exchange.status)


def _unload(run: Run, recorder: StepRecorder, model_id: str) -> str | None:
    try:
        exchange = run.probe.send(
            recorder, "unload_model", body={"model_id": model_id, "type": "unload_model"}
        )
        if exchange.status >= 300:
            return f"unload_model answered {_status(exchange.status)}"
        request_id = exchange.body.get("request_id") if isinstance(exchange.body, Mapping) else None
        if isinstance(request_id, str) and request_id:
            run.probe.result(recorder, request_id, "UnloadModelResponse", label="unload_model")
    except Exception as exc:  # StepFailed from a failed future included
        return f"unload_model failed ({type(exc).__name__})"
    return None


def _finish_session(run: Run, recorder: StepRecorder, session_id: str) -> str | None:
    try:
        exchange = run.probe.send(
            recorder,
            "finish_session",
            path_params={"session_id": session_id},
            body={"reason": {"type": "success"}, "detail": None},
        )
    except Exception as exc:
        return f"finish_session failed ({type(exc).__name__})"
    return None if exchange.status < 300 else f"finish_session answered {_status(exchange.status)}"


def clean_up(run: Run, *, keep: bool) -> Cleanup:
    """Remove the check's checkpoints, unload its models, finish its session (see the module doc)."""
    models = list(dict.fromkeys(v for k in _MODEL_VALUES if isinstance(v := run.values.get(k), str)))
    # The semantic checks' fresh models: unloaded by the checks themselves, their checkpoints deleted here.
    lab_models = [m for m in run.values.get("semantics_models", ()) if isinstance(m, str) and m not in models]
    session_id = run.values.get("session_id")
    if keep:
        kept = [f"training run {m}" for m in (*models, *lab_models)]
        kept += [f"session {session_id}"] if session_id else []
        return Cleanup(kept=True, left=tuple(f"{what}: kept (--keep)" for what in kept))
    recorder = StepRecorder("cleanup")
    removed: list[str] = []
    left: list[str] = []
    for model_id in (*models, *lab_models):
        paths, listing_problem = _checkpoint_paths(run, recorder, model_id)
        if listing_problem is not None:
            left.append(f"checkpoints of training run {model_id} not listed: {listing_problem}")
        for path in paths:
            problem = _delete(run, recorder, path)
            if problem is None:
                removed.append(path)
            else:
                left.append(f"{path}: delete answered {problem}")
        unloaded = None if model_id in lab_models else _unload(run, recorder, model_id)
        left.append(f"training run {model_id}: {_NO_RUN_DELETE}; " + (unloaded or "its model was unloaded"))
    if isinstance(session_id, str):
        problem = _finish_session(run, recorder, session_id)
        left.append(f"session {session_id}: the API has no session delete; " + (problem or "it was finished"))
    return Cleanup(removed=tuple(removed), left=tuple(left))
