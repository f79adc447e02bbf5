"""Futures (`retrieve_future`: long-poll, try_again with queue states, failures) and the REST resources:
training runs, checkpoints (list, delete, publish, TTL, archive URL and the archive itself, with HTTP
Range), sessions and samplers."""

from __future__ import annotations

import io
import json
import tarfile
import time
from collections.abc import Mapping
from typing import Any

from ._codec import PROTOBUF, Output, output_json, output_proto, sample_json, sample_proto
from ._faults import Faults
from ._state import HttpError, Model, Reply, State, StoredCheckpoint, now_iso

__all__ = ["RestOps"]

LONG_POLL_SECONDS = 1.0


def _page(query: Mapping[str, str], default_limit: int) -> tuple[int, int]:
    try:
        limit, offset = int(query.get("limit", default_limit)), int(query.get("offset", 0))
    except ValueError:
        raise HttpError(422, "limit and offset must be integers") from None
    if limit < 0 or offset < 0:
        raise HttpError(422, "limit and offset must be >= 0")
    return limit, offset


class RestOps:
    state: State
    faults: Faults
    base_url: str
    owner: str = "tinker-ext-testing"

    # ------------------------------------------------------------------ futures
    def op_retrieve_future(self, body: Any, accept: str = "") -> Reply:
        request_id = body.get("request_id") if isinstance(body, Mapping) else None
        deadline = time.monotonic() + LONG_POLL_SECONDS
        with self.state.lock:
            future = self.state.futures.get(request_id) if isinstance(request_id, str) else None
            if future is None:
                raise HttpError(404, f"future {request_id!r} not found")
            paused = self.faults.take_pause()
            if paused is not None:
                state, reason = paused
                return Reply(
                    body={
                        "type": "try_again",
                        "request_id": request_id,
                        "queue_state": state,
                        "queue_state_reason": reason,
                    }
                )
            while future.compute is not None and time.monotonic() < deadline:
                self.state.expire_gap(future)
                if future.compute is not None:
                    self.state.changed.wait(max(0.0, min(0.1, deadline - time.monotonic())))
            if future.compute is not None:
                return Reply(body={"type": "try_again", "request_id": request_id, "queue_state": "active"})
            if future.error is not None:
                return Reply(body={"error": future.error[0], "category": future.error[1]})
            result = future.result
        protobuf = PROTOBUF in accept
        if isinstance(result, Output):
            if protobuf:
                return Reply(content=output_proto(result), content_type=PROTOBUF)
            return Reply(body=output_json(result))
        if isinstance(result, tuple):  # a sample
            if protobuf:
                return Reply(content=sample_proto(*result), content_type=PROTOBUF)
            return Reply(body=sample_json(*result))
        return Reply(body=result)

    # ------------------------------------------------------------------ training runs
    def _run(self, model: Model) -> dict[str, Any]:
        mine = [c for c in self.state.checkpoints.values() if c.run_id == model.model_id]
        training = [c for c in mine if c.kind == "weights"]
        sampler = [c for c in mine if c.kind == "sampler_weights"]
        return {
            "training_run_id": model.model_id,
            "base_model": model.lora.base_model,
            "model_owner": self.owner,
            "is_lora": True,
            "corrupted": False,
            "lora_rank": model.lora.rank,
            "last_request_time": model.last_request,
            "last_checkpoint": training[-1].listing() if training else None,
            "last_sampler_checkpoint": sampler[-1].listing() if sampler else None,
            "user_metadata": model.user_metadata or None,
        }

    def _any_model(self, run_id: str) -> Model:
        model = self.state.models.get(run_id)
        if model is None:
            raise HttpError(404, f"training run {run_id!r} not found")
        return model

    def op_list_training_runs(self, body: Any, query: Mapping[str, str]) -> Reply:
        limit, offset = _page(query, 20)
        runs = [self._run(m) for m in self.state.models.values()]
        cursor = {"offset": offset, "limit": limit, "total_count": len(runs)}
        return Reply(body={"training_runs": runs[offset : offset + limit], "cursor": cursor})

    def op_get_training_run(self, body: Any, run_id: str) -> Reply:
        return Reply(body=self._run(self._any_model(run_id)))

    def op_list_checkpoints(self, body: Any, run_id: str) -> Reply:
        self._any_model(run_id)
        found = [c.listing() for c in self.state.checkpoints.values() if c.run_id == run_id]
        return Reply(body={"checkpoints": found})

    op_list_model_checkpoints = op_list_checkpoints

    def op_list_user_checkpoints(self, body: Any, query: Mapping[str, str]) -> Reply:
        limit, offset = _page(query, 100)
        found = [c.listing() for c in reversed(list(self.state.checkpoints.values()))]
        cursor = {"offset": offset, "limit": limit, "total_count": len(found)}
        return Reply(body={"checkpoints": found[offset : offset + limit], "cursor": cursor})

    def _checkpoint(self, run_id: str, kind: str, name: str) -> StoredCheckpoint:
        checkpoint = self.state.checkpoints.get(f"tinker://{run_id}/{kind}/{name}")
        if checkpoint is None:
            raise HttpError(404, f"checkpoint {kind}/{name} of {run_id!r} not found")
        return checkpoint

    def op_delete_checkpoint(self, body: Any, run_id: str, kind: str, name: str) -> Reply:
        del self.state.checkpoints[self._checkpoint(run_id, kind, name).path]
        return Reply(body={})

    def op_publish_checkpoint(self, body: Any, run_id: str, kind: str, name: str) -> Reply:
        self._checkpoint(run_id, kind, name).public = True
        return Reply(body={})

    def op_unpublish_checkpoint(self, body: Any, run_id: str, kind: str, name: str) -> Reply:
        self._checkpoint(run_id, kind, name).public = False
        return Reply(body={})

    def op_set_checkpoint_ttl(self, body: Any, run_id: str, kind: str, name: str) -> Reply:
        checkpoint = self._checkpoint(run_id, kind, name)
        ttl = body.get("ttl_seconds") if isinstance(body, Mapping) else None
        if ttl is not None and (not isinstance(ttl, int) or isinstance(ttl, bool) or ttl <= 0):
            raise HttpError(422, "ttl_seconds must be a positive integer or null")
        checkpoint.expires_at = None if ttl is None else now_iso(ttl)
        return Reply(body={})

    def _archive_url(self, checkpoint: StoredCheckpoint) -> str:
        return f"{self.base_url}/api/v1/training_runs/{checkpoint.run_id}/checkpoints/{checkpoint.checkpoint_id}/download"

    def op_get_checkpoint_archive_url(self, body: Any, run_id: str, kind: str, name: str) -> Reply:
        checkpoint = self._checkpoint(run_id, kind, name)
        return Reply(body={"url": self._archive_url(checkpoint), "expires": now_iso(3600)})

    def op_get_checkpoint_archive_url_by_id(self, body: Any, run_id: str, name: str) -> Reply:
        for kind in ("weights", "sampler_weights", "external_weights"):
            if f"tinker://{run_id}/{kind}/{name}" in self.state.checkpoints:
                return self.op_get_checkpoint_archive_url(body, run_id, kind, name)
        raise HttpError(404, f"checkpoint {name!r} of {run_id!r} not found")

    def op_get_external_weights_urls(self, body: Any, run_id: str, kind: str, name: str) -> Reply:
        checkpoint = self._checkpoint(run_id, kind, name)
        return Reply(body={"urls": {"archive.tar": self._archive_url(checkpoint)}, "expires": now_iso(3600)})

    def op_download_checkpoint_archive(
        self, body: Any, run_id: str, kind: str, name: str, range_: str = ""
    ) -> Reply:
        data = archive(self._checkpoint(run_id, kind, name))
        if range_.startswith("bytes="):
            start_text, _, end_text = range_[6:].partition("-")
            start = int(start_text or 0)
            end = min(int(end_text), len(data) - 1) if end_text else len(data) - 1
            if start >= len(data):
                return Reply(status=416, content=b"", headers={"Content-Range": f"bytes */{len(data)}"})
            headers = {"Content-Range": f"bytes {start}-{end}/{len(data)}", "Accept-Ranges": "bytes"}
            return Reply(
                status=206, content=data[start : end + 1], content_type="application/x-tar", headers=headers
            )
        return Reply(content=data, content_type="application/x-tar", headers={"Accept-Ranges": "bytes"})

    # ------------------------------------------------------------------ sessions, samplers
    def op_list_sessions(self, body: Any, query: Mapping[str, str]) -> Reply:
        limit, offset = _page(query, 20)
        ids = list(self.state.sessions)[offset : offset + limit]
        return Reply(body={"sessions": [{"session_id": s} for s in ids]})

    def op_get_session(self, body: Any, session_id: str) -> Reply:
        session = self.state.sessions.get(session_id)
        if session is None:
            raise HttpError(404, f"session {session_id!r} not found")
        return Reply(
            body={
                "training_run_ids": session.model_ids,
                "sampler_ids": session.sampler_ids,
                "user_metadata": session.user_metadata or None,
            }
        )

    def op_get_sampler(self, body: Any, sampler_id: str) -> Reply:
        sampler = self.state.samplers.get(sampler_id)
        if sampler is None:
            raise HttpError(404, f"sampler {sampler_id!r} not found")
        return Reply(
            body={
                "sampler_id": sampler.sampler_id,
                "base_model": sampler.base_model,
                "model_path": sampler.model_path,
            }
        )


def archive(checkpoint: StoredCheckpoint) -> bytes:
    """A checkpoint as a tar: `adapter.npz` (the delta table; with the Adam state for training
    checkpoints) and `checkpoint.json` (what it is)."""
    import numpy as np

    arrays = {"delta": checkpoint.delta}
    if checkpoint.adam is not None:
        arrays |= {
            "adam_m": checkpoint.adam.m,
            "adam_v": checkpoint.adam.v,
            "adam_step": np.asarray(checkpoint.adam.step),
        }
    npz = io.BytesIO()
    np.savez(npz, **arrays)  # type: ignore[arg-type]
    meta = json.dumps(
        {"base_model": checkpoint.base_model, "lora_rank": checkpoint.rank, "tinker_path": checkpoint.path}
    ).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, payload in (("adapter.npz", npz.getvalue()), ("checkpoint.json", meta)):
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(payload), 0
            tar.addfile(info, io.BytesIO(payload))
    return out.getvalue()
