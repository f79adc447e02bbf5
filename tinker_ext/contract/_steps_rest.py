"""REST and futures steps: training runs, checkpoint listing, archive URLs, delete, unknown future ids.

None of them is in the minimal training/sampling flow of the SDKs, so none is required: a failure is a
caveat of the verdict (the REST helpers that use it break), not a blocker.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from functools import partial

import httpx

from ._probe import StepRecorder
from ._rules import check_tinker_path
from ._run import Run
from ._spec import short_repr

__all__ = ["rest_steps"]


def rest_steps(run: Run) -> None:
    run.step("list_training_runs", partial(_list_runs, run), required=False, operation="list_training_runs")
    run.step("get_training_run", partial(_get_run, run), required=False, operation="get_training_run")
    run.step(
        "list_checkpoints", partial(_list_checkpoints, run), required=False, operation="list_checkpoints"
    )
    if not run.gen.fields_038:  # SDK 0.38 replaced archive URLs by save_weights_external
        run.step(
            "archive URL (kind/name id)",
            partial(_archive, run),
            required=False,
            operation="get_checkpoint_archive_url",
        )
        run.step(
            "archive URL (flat id)",
            partial(_archive_flat, run),
            required=False,
            operation="get_checkpoint_archive_url_by_id",
        )
    run.step(
        "delete_checkpoint", partial(_delete_checkpoint, run), required=False, operation="delete_checkpoint"
    )
    run.step(
        "retrieve_future unknown id → 404",
        partial(_unknown_future, run),
        required=False,
        operation="retrieve_future",
    )
    run.step(
        "retrieve_future malformed id → 4xx",
        partial(_malformed_future, run),
        required=False,
        operation="retrieve_future",
    )


def _checkpoint_name(run: Run) -> str:
    return f"contract-{run.suffix}"


def _sampler_name(run: Run) -> str:
    return f"contract-sampler-{run.suffix}"


def _list_runs(run: Run, step: StepRecorder) -> None:
    probe = run.probe
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


def _get_run(run: Run, step: StepRecorder) -> None:
    probe = run.probe
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


def _list_checkpoints(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    ckpt_name = _checkpoint_name(run)
    sampler_name = _sampler_name(run)
    model_id = run.need("model_id")
    exchange = probe.call(step, "list_checkpoints", path_params={"training_run_id": model_id})
    checkpoints = [c for c in exchange.body.get("checkpoints", []) if isinstance(c, Mapping)]
    for kind, name in (("weights", ckpt_name), ("sampler_weights", sampler_name)):
        index, found = next(
            ((i, c) for i, c in enumerate(checkpoints) if str(c.get("tinker_path", "")).endswith("/" + name)),
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


def _archive(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    sampler_name = _sampler_name(run)
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


def _archive_flat(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    sampler_name = _sampler_name(run)
    model_id = run.need("model_id")
    run.need("sampler_path")
    exchange = probe.call(
        step,
        "get_checkpoint_archive_url_by_id",
        expect=(200, 302),
        path_params={"training_run_id": model_id, "checkpoint_id": sampler_name},
    )
    _check_archive_answer(step, exchange.status, exchange.headers, exchange.where)


def _delete_checkpoint(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    ckpt_name = _checkpoint_name(run)
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


# ------------------------------------------------------------------ futures edge cases
def _unknown_future(run: Run, step: StepRecorder) -> None:
    probe = run.probe
    # Numeric, so that servers with integer ids look it up instead of failing to parse it.
    unknown = str(10**12 + secrets.randbelow(10**6))
    probe.call(
        step, "retrieve_future", expect=(404,), body={"request_id": unknown, "allow_metadata_only": False}
    )


def _malformed_future(run: Run, step: StepRecorder) -> None:
    probe = run.probe
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


def _check_archive_answer(step: StepRecorder, status: int, headers: httpx.Headers, where: str) -> None:
    if status == 302 and not headers.get("location"):
        step.add("archive:location", where, "", "a Location header with the archive URL", "none")
