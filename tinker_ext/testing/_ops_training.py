"""The operations of the training and sampling API (futures for everything long, as the real service)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ._codec import BadBody, FwdInput, Output, fwd_from_json, fwd_from_proto, tokens_json
from ._losses import LossError
from ._model import Lora
from ._sampler import SamplingError, prompt_scores, sample
from ._state import HttpError, Model, Reply, Sampler, Session, State, StoredCheckpoint, now_iso
from ._tokenizer import VOCAB_SIZE

__all__ = ["TrainingOps"]

_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,248}$")
_PATH = re.compile(r"^tinker://([^/]+)/(weights|sampler_weights|external_weights)/([a-zA-Z0-9_-]+)$")
MAX_NUM_SAMPLES = 1024


def need(body: Any, key: str, kind: type | tuple[type, ...] = str) -> Any:
    value = body.get(key) if isinstance(body, Mapping) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise HttpError(
            422, [{"loc": ["body", key], "msg": "Field required or of the wrong type", "type": "missing"}]
        )
    return value


class TrainingOps:
    state: State
    base_model: str
    tokenizer_path: str

    # ------------------------------------------------------------------ service
    def op_client_config(self, body: Any) -> Reply:
        return Reply(body={"proto_compress_fwdbwd": True, "parallel_fwdbwd_chunks": True})

    def op_create_session(self, body: Any) -> Reply:
        session_id = self.state.new_id("session")
        self.state.sessions[session_id] = Session(session_id, dict(body.get("user_metadata") or {}))
        return Reply(body={"type": "create_session", "session_id": session_id})

    def session(self, session_id: Any) -> Session:
        session = self.state.sessions.get(session_id) if isinstance(session_id, str) else None
        if session is None:
            raise HttpError(404, f"session {session_id!r} not found")
        return session

    def op_session_heartbeat(self, body: Any) -> Reply:
        if self.session(need(body, "session_id")).finished:
            raise HttpError(410, "session finished")
        return Reply(body={"type": "session_heartbeat"})

    def op_finish_session(self, body: Any, session_id: str) -> Reply:
        self.session(session_id).finished = True
        return Reply(body={})

    def op_send_telemetry(self, body: Any) -> Reply:
        return Reply(body={"status": "accepted"})

    # ------------------------------------------------------------------ models
    def _new_model(self, body: Any, base_model: str, rank: int) -> Model:
        session_id, model_seq_id = need(body, "session_id"), need(body, "model_seq_id", int)
        if base_model != self.base_model:
            raise HttpError(
                400, f"base model {base_model!r} is not served (this server serves {self.base_model!r})"
            )
        session = self.session(session_id)
        model_id = f"{session_id}:train:{model_seq_id}"  # the id the SDKs expect (0.38 derives it)
        self.state.limits.check("models", len(self.state.models))
        if model_id in self.state.models:
            raise HttpError(409, f"model_seq_id {model_seq_id} of session {session_id} was already used")
        metadata = body.get("user_metadata")
        model = Model(model_id, session_id, Lora(base_model, rank), dict(metadata or {}))
        self.state.models[model_id] = model
        session.model_ids.append(model_id)
        return model

    def op_create_model(self, body: Any) -> Reply:
        lora = body.get("lora_config") or {}
        rank = lora.get("rank", 32) if isinstance(lora, Mapping) else 32
        model = self._new_model(body, need(body, "base_model"), int(rank))
        result = {"model_id": model.model_id, "type": "create_model"}
        request_id = self.state.submit("create_model", lambda: result)
        return Reply(body={"request_id": request_id, "model_id": model.model_id})

    def op_get_info(self, body: Any) -> Reply:
        model = self.state.model(need(body, "model_id"))
        return Reply(
            body={
                "type": "get_info",
                "model_id": model.model_id,
                "model_data": {
                    "arch": "bigram",
                    "model_name": model.lora.base_model,
                    "tokenizer_id": self.tokenizer_path,
                },
                "is_lora": True,
                "lora_rank": model.lora.rank,
                "model_name": model.lora.base_model,
            }
        )

    def op_unload_model(self, body: Any) -> Reply:
        model = self.state.model(need(body, "model_id"))
        model.unloaded = True
        result = {"model_id": model.model_id, "type": "unload_model"}
        return Reply(body={"request_id": self.state.submit("unload_model", lambda: result)})

    # ------------------------------------------------------------------ forward / backward
    def _apply(self, model: Model, request: FwdInput) -> Output:
        records, total = [], 0.0
        for tokens, inputs in request.data:
            if "target_tokens" not in inputs:
                raise HttpError(400, "loss_fn_inputs['target_tokens'] is required")
            try:
                result = model.lora.run(
                    tokens, inputs, request.loss_fn, request.config, not request.forward_only
                )
            except (LossError, ValueError) as exc:
                raise HttpError(400, str(exc)) from None
            records.append({"logprobs": result.logprobs, "elementwise_loss": result.elementwise_loss})
            total += result.loss
        return Output(records, {"loss:sum": total})

    def _forward(self, request: FwdInput) -> Reply:
        try:
            return self._submit_forward(request)
        except HttpError as exc:
            if 400 <= exc.status < 500:
                self.state.note_refused(request.model_id, request.seq_id)
            raise

    def _submit_forward(self, request: FwdInput) -> Reply:
        model = self.state.model(request.model_id)
        if request.loss_fn == "custom":
            raise HttpError(
                400,
                "server-side custom losses are not offered (client/config custom_loss_server_side is false)",
            )
        for _tokens, inputs in request.data:  # refuse bad input before it takes a seq_id
            if "target_tokens" not in inputs:
                raise HttpError(400, "loss_fn_inputs['target_tokens'] is required")
        kind = "forward" if request.forward_only else "forward_backward"
        request_id = self.state.training(kind, model, request.seq_id, lambda: self._apply(model, request))
        return Reply(body={"request_id": request_id, "model_id": model.model_id})

    def op_forward_backward(self, body: Any, raw: bytes | None = None) -> Reply:
        try:
            request = (
                fwd_from_proto(raw)
                if raw is not None
                else fwd_from_json(body, "forward_backward_input", False)
            )
        except BadBody as exc:
            raise HttpError(400, str(exc)) from None
        return self._forward(request)

    def op_forward(self, body: Any) -> Reply:
        try:
            return self._forward(fwd_from_json(body, "forward_input", True))
        except BadBody as exc:
            raise HttpError(400, str(exc)) from None

    def op_optim_step(self, body: Any) -> Reply:
        model = self.state.model(need(body, "model_id"))
        params = body.get("adam_params")
        if params is None and body.get("optimizer_params") is not None:
            raise HttpError(400, "the test server offers Adam only (adam_params)")
        params = dict(params or {})
        bad = [k for k, v in params.items() if not isinstance(v, int | float) or isinstance(v, bool)]
        if bad:
            raise HttpError(400, f"adam_params {bad} must be numbers")
        request_id = self.state.training(
            "optim_step", model, body.get("seq_id"), lambda: {"metrics": model.lora.adam_step(params)}
        )
        return Reply(body={"request_id": request_id, "model_id": model.model_id})

    # ------------------------------------------------------------------ weights
    def _save(self, model: Model, kind: str, name: str, body: Any, with_adam: bool) -> StoredCheckpoint:
        path = f"tinker://{model.model_id}/{kind}/{name}"
        if path in self.state.checkpoints and not body.get("overwrite"):
            raise HttpError(409, f"a checkpoint named {name!r} already exists for {model.model_id}")
        self.state.limits.check("checkpoints", len(self.state.checkpoints))
        ttl = body.get("ttl_seconds")
        checkpoint = StoredCheckpoint(
            model.model_id,
            kind,
            name,
            model.lora.base_model,
            model.lora.rank,
            model.lora.delta.copy(),
            model.lora.adam.copy() if with_adam else None,
            expires_at=now_iso(ttl) if isinstance(ttl, int) and ttl > 0 else None,
            user_metadata=body.get("user_metadata"),
        )
        self.state.checkpoints[path] = checkpoint
        return checkpoint

    def _named(self, body: Any) -> str:
        name = body.get("path")
        if not isinstance(name, str) or not _NAME.match(name):
            raise HttpError(400, "path must be a checkpoint name matching ^[a-zA-Z0-9_-]+$ (at most 248)")
        return name

    def _check_free(self, model: Model, kind: str, name: str, body: Any) -> None:
        if f"tinker://{model.model_id}/{kind}/{name}" in self.state.checkpoints and not body.get("overwrite"):
            raise HttpError(409, f"a checkpoint named {name!r} already exists for {model.model_id}")

    def op_save_weights(self, body: Any) -> Reply:
        model = self.state.model(need(body, "model_id"))
        name = self._named(body) if body.get("path") is not None else self.state.new_id("state")
        self._check_free(model, "weights", name, body)

        def save() -> Any:
            return {"path": self._save(model, "weights", name, body, True).path, "type": "save_weights"}

        return Reply(
            body={"request_id": self.state.training("save_weights", model, body.get("seq_id"), save)}
        )

    def op_save_weights_external(self, body: Any) -> Reply:
        model = self.state.model(need(body, "model_id"))
        name = self._named(body)
        self._check_free(model, "external_weights", name, body)

        def save() -> Any:
            checkpoint = self._save(model, "external_weights", name, body, False)
            return {"path": checkpoint.path, "size_bytes": int(checkpoint.delta.nbytes)}

        return Reply(
            body={"request_id": self.state.training("save_weights_external", model, body.get("seq_id"), save)}
        )

    def op_save_weights_for_sampler(self, body: Any) -> Reply:
        model = self.state.model(need(body, "model_id"))
        named = body.get("path") is not None
        name = self._named(body) if named else ""
        if named:
            self._check_free(model, "sampler_weights", name, body)

        def save() -> Any:
            if named:
                return {"path": self._save(model, "sampler_weights", name, body, False).path}
            sampler = self._sampler(model.session_id, model.lora.base_model, model.lora.delta.copy(), None)
            return {"sampling_session_id": sampler.sampler_id}

        return Reply(
            body={
                "request_id": self.state.training("save_weights_for_sampler", model, body.get("seq_id"), save)
            }
        )

    def checkpoint(self, path: Any) -> StoredCheckpoint:
        checkpoint = self.state.checkpoints.get(path) if isinstance(path, str) else None
        if checkpoint is None:
            raise HttpError(404, f"checkpoint {path!r} not found")
        return checkpoint

    def op_load_weights(self, body: Any) -> Reply:
        checkpoint = self.checkpoint(need(body, "path"))
        if checkpoint.kind != "weights":
            raise HttpError(400, f"{checkpoint.path} is not a training checkpoint (save_state makes those)")
        optimizer = bool(body.get("optimizer"))

        def load_into(model: Model) -> Any:
            model.lora.delta = checkpoint.delta.copy()
            model.lora.grad = np.zeros_like(model.lora.delta)
            if optimizer and checkpoint.adam is not None:
                model.lora.adam = checkpoint.adam.copy()
            return {"type": "load_weights", "path": checkpoint.path, "model_id": model.model_id}

        if body.get("model_id") is None:  # create-via-load (SDK 0.38): the load creates the model
            model = self._new_model(body, checkpoint.base_model, checkpoint.rank)
            load_into(model)
            request_id = self.state.submit(
                "load_weights",
                lambda: {"type": "load_weights", "path": checkpoint.path, "model_id": model.model_id},
            )
            return Reply(body={"request_id": request_id, "model_id": model.model_id})
        model = self.state.model(body["model_id"])
        return Reply(
            body={
                "request_id": self.state.training(
                    "load_weights", model, body.get("seq_id"), lambda: load_into(model)
                )
            }
        )

    def op_get_weights_info(self, body: Any) -> Reply:
        checkpoint = self.checkpoint(need(body, "tinker_path"))
        return Reply(
            body={"base_model": checkpoint.base_model, "is_lora": True, "lora_rank": checkpoint.rank}
        )

    # ------------------------------------------------------------------ sampling
    def _sampler(
        self, session_id: str, base_model: str, delta: np.ndarray | None, path: str | None
    ) -> Sampler:
        self.state.limits.check("samplers", len(self.state.samplers))
        sampler = Sampler(self.state.new_id("sampler"), session_id, base_model, delta, path)
        self.state.samplers[sampler.sampler_id] = sampler
        session = self.state.sessions.get(session_id)
        if session is not None:
            session.sampler_ids.append(sampler.sampler_id)
        return sampler

    def _sampler_for(self, session_id: str, base_model: Any, path: Any) -> Sampler:
        if path is not None:
            checkpoint = self.checkpoint(path)
            return self._sampler(session_id, checkpoint.base_model, checkpoint.delta.copy(), checkpoint.path)
        if base_model != self.base_model:
            raise HttpError(
                400, f"base model {base_model!r} is not served (this server serves {self.base_model!r})"
            )
        return self._sampler(session_id, base_model, None, None)

    def op_create_sampling_session(self, body: Any) -> Reply:
        session_id = need(body, "session_id")
        self.session(session_id)
        sampler = self._sampler_for(session_id, body.get("base_model"), body.get("model_path"))
        return Reply(body={"sampling_session_id": sampler.sampler_id})

    def op_asample(self, body: Any) -> Reply:
        if body.get("sampling_session_id") is not None:
            sampler = self.state.samplers.get(body["sampling_session_id"])
            if sampler is None:
                raise HttpError(404, f"sampling session {body['sampling_session_id']!r} not found")
        else:
            sampler = self._sampler_for("", body.get("base_model"), body.get("model_path"))
        try:
            prompt = tokens_json(need(body, "prompt", Mapping))
        except BadBody as exc:
            raise HttpError(400, str(exc)) from None
        if any(not 0 <= t < VOCAB_SIZE for t in prompt):
            raise HttpError(400, f"prompt token ids must be in [0, {VOCAB_SIZE})")
        num = body.get("num_samples", 1)
        if not isinstance(num, int) or not 1 <= num <= MAX_NUM_SAMPLES:
            raise HttpError(400, f"num_samples must be in [1, {MAX_NUM_SAMPLES}]")
        params = dict(need(body, "sampling_params", Mapping))
        table = sampler.delta
        from ._model import base_table

        weights = base_table(sampler.base_model) + (0 if table is None else table)
        try:
            sequences = sample(weights, prompt, num, params, int(body.get("topk_sample_logprobs") or 0))
            scores = prompt_scores(weights, prompt, body)
        except (SamplingError, ValueError, IndexError) as exc:
            raise HttpError(400, str(exc)) from None
        request_id = self.state.submit("asample", lambda: (sequences, scores))
        ids = [f"{request_id}-seq-{i}" for i in range(num)]
        return Reply(body={"request_id": request_id, "sample_sequence_ids": ids})
