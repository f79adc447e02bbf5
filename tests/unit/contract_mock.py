"""An in-process Tinker server (httpx.MockTransport) for the contract tester's unit tests.

It follows the spec and speaks both wires; knobs reproduce, one at a time, what real servers do
(docs/SERVERS.md): skyrl-tx 0.3.0 (JSON only, no client/config), skyrl 0.4.0 (protobuf only, protobuf results
whatever the Accept, no sample_sequence_ids, 204 DELETE, optim metrics without `:reduction`, no load into a
trained model, no create-via-load: 422 without model_id, measured on the real server), tuft 0.2.2 (201 create_session, 0.38 fields refused with 422, contiguous seq ids) and
hatchery-core 0.3.0 (500 on protobuf bodies, `loss:sum` = weighted mean x count, unloadable sampler saves,
`tinker://M/checkpoints/NAME` paths).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import numpy as np
import zstandard
from tinker_ext_raw.proto import tinker_public_pb2 as pb

from tinker_ext.contract import ContractSpec, Severity

BASE_MODEL = "test/base-model"
SPEC = ContractSpec.load()
PROTOBUF = "application/x-protobuf"
FIELDS_038 = {
    "create_model": ("optimizer_config",),
    "asample": ("topk_sample_logprobs", "prompt_alt_tokens_k", "record_stability_info"),
    "save_weights_for_sampler": ("kind",),
}

Json = dict[str, Any]
Patch = Callable[[Json], Json]


@attrs.define
class Knobs:
    json_wire: bool = True  # JSON forward_backward and /forward
    protobuf_wire: bool = True  # protobuf forward_backward
    protobuf_body_status: int = 415  # answer to a protobuf body without protobuf_wire (hatchery: 500)
    client_config: bool = True
    protobuf_results: str = "accept"  # "accept" (by Accept header) | "never" | "always"
    sample_sequence_ids: bool = True
    create_session_status: int = 200
    delete_status: int = 200
    optim_metric_keys: tuple[str, ...] = ("grad_norm:mean",)
    load_into_trained: bool = True
    create_via_load: bool = True  # load_weights{session_id, model_seq_id} creates a model (SDK 0.38)
    forbid_038_fields: bool = False
    contiguous_seq_ids: bool = False
    loss_sum: str = "sum"  # "sum" | "mean_times_count" | "zero_on_forward"
    sampler_saves_loadable: bool = True
    checkpoint_paths: str = (
        "kind"  # "kind": tinker://M/KIND/NAME | "checkpoints": tinker://M/checkpoints/NAME
    )
    duplicate_name_status: int | None = None  # answer to a second save with the same name (None: overwrite)
    honour_idempotency: bool = True
    dedupe_seq_ids: bool = False  # skyrl 0.4.0: a training request with a used (model, seq_id) and body
    lazy_optim: bool = False  # apply optim_step when its result is fetched, not in arrival order
    try_again: bool = True  # one try_again before each result


@attrs.define
class Model:
    version: int = 0
    trained: bool = False
    next_seq: int = 1


class MockTinker:
    def __init__(
        self,
        knobs: Knobs | None = None,
        *,
        missing: set[str] | None = None,
        patch_sync: dict[str, Patch] | None = None,
        patch_result: dict[str, Patch] | None = None,
        status: dict[str, tuple[int, Any]] | None = None,
    ) -> None:
        self.k = knobs or Knobs()
        self.missing = missing or set()
        self.patch_sync = patch_sync or {}
        self.patch_result = patch_result or {}
        self.status = status or {}
        self.request_errors: list[str] = []
        self.seen_keys: set[str | None] = set()
        self.models: dict[str, Model] = {}
        self.futures: dict[str, tuple[str, Any]] = {}
        self.polled: set[str] = set()
        self.idempotent: dict[str, httpx.Response] = {}
        self.checkpoints: dict[str, list[Json]] = {}
        self.unloaded: list[str] = []  # model ids
        self.finished_sessions: list[str] = []
        self.saved: dict[str, int | None] = {}  # tinker path -> weights version (None: not loadable)
        self.next_id = 0
        self.fwd_bodies: list[str] = []  # "json" / "protobuf" / "protobuf+zstd", per forward(_backward)
        self.routes = [
            (op.method, re.compile("^" + re.sub(r"\{[^}]+\}", "([^/]+)", op.path) + "$"), op)
            for op in sorted(SPEC.operations.values(), key=lambda o: o.path.count("{"))
        ]

    # ------------------------------------------------------------------ plumbing
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen_keys.add(request.headers.get("X-API-Key"))
        found = next(
            (
                (op, m)
                for method, pattern, op in self.routes
                if method == request.method and (m := pattern.match(request.url.path))
            ),
            None,
        )
        if found is None:
            return httpx.Response(404, json={"detail": "Not Found"})
        op, match = found
        if op.operation_id in self.missing or (
            op.operation_id == "client_config" and not self.k.client_config
        ):
            return httpx.Response(404, json={"detail": "Not Found"})
        key = request.headers.get("X-Idempotency-Key")
        if self.k.honour_idempotency and key in self.idempotent:
            return self.idempotent[key]
        seq_key = self._seq_key(request)
        if seq_key is not None and seq_key in self.idempotent:
            return self.idempotent[seq_key]
        response = self._dispatch(op, request, match)
        if key is not None and request.method != "GET":
            self.idempotent[key] = response
        if seq_key is not None:
            self.idempotent[seq_key] = response
        return response

    def _seq_key(self, request: httpx.Request) -> str | None:
        if not self.k.dedupe_seq_ids or "json" not in request.headers.get("content-type", ""):
            return None
        body = json.loads(request.content)
        has_seq = isinstance(body, dict) and "model_id" in body and "seq_id" in body
        return f"seq:{request.url.path}:{request.content.decode()}" if has_seq else None

    def _dispatch(self, op: Any, request: httpx.Request, match: Any) -> httpx.Response:
        content_type = request.headers.get("content-type", "")
        body: Any = None
        if PROTOBUF in content_type:
            if not self.k.protobuf_wire:
                return httpx.Response(self.k.protobuf_body_status, json={"detail": "expected a JSON body"})
            raw = request.content
            if request.headers.get("content-encoding") == "zstd":
                raw = zstandard.ZstdDecompressor().decompress(raw)
            body = pb.ForwardBackwardRequest.FromString(raw)
        elif request.content:
            body = json.loads(request.content)
            schema = (
                (op.spec.get("requestBody") or {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            errors = SPEC.validate(body, schema, where=op.operation_id) if schema else []
            if [e for e in errors if e.severity is Severity.ERROR]:
                self.request_errors.append(f"{op.operation_id}: {errors}")
                return httpx.Response(
                    422, json={"detail": [{"loc": ["body"], "msg": str(errors[0]), "type": "x"}]}
                )
            if self.k.forbid_038_fields:
                for field in FIELDS_038.get(op.operation_id, ()):
                    if field in body:
                        detail = [
                            {
                                "loc": ["body", field],
                                "msg": "Extra inputs are not permitted",
                                "type": "extra_forbidden",
                            }
                        ]
                        return httpx.Response(422, json={"detail": detail})
        if op.operation_id in self.status:
            code, payload = self.status[op.operation_id]
            return httpx.Response(code, json=payload)
        response: httpx.Response = getattr(self, "op_" + op.operation_id)(request, body, *match.groups())
        patch = self.patch_sync.get(op.operation_id)
        if patch is not None and response.status_code == 200:
            return httpx.Response(200, json=patch(json.loads(response.content)))
        return response

    def future(self, label: str, result: Any, **extra: Any) -> httpx.Response:
        self.next_id += 1
        request_id = str(self.next_id)
        self.futures[request_id] = (label, result)
        return httpx.Response(200, json={"request_id": request_id, **extra})

    def training(self, model_id: str, seq_id: int | None) -> Model | httpx.Response:
        model = self.models.get(model_id)
        if model is None:
            return httpx.Response(404, json={"detail": f"model {model_id} not found"})
        if self.k.contiguous_seq_ids:
            if seq_id != model.next_seq:
                return httpx.Response(
                    409, json={"detail": f"Sequence conflict: expected {model.next_seq}, got {seq_id}"}
                )
            model.next_seq += 1
        return model

    def logprobs(self, version: int) -> list[float]:
        return [-(1.0 + 0.1 * version + 0.01 * i) for i in range(11)]

    def fwd_output(self, model: Model, weights: list[float], forward_only: bool) -> Json:
        logprobs = self.logprobs(model.version)
        total = -sum(w * lp for w, lp in zip(weights, logprobs, strict=True))
        if self.k.loss_sum == "mean_times_count":
            total = total / sum(weights) * len(weights)
        if self.k.loss_sum == "zero_on_forward" and forward_only:
            total = 0.0
        return {
            "loss_fn_output_type": "ArrayRecord",
            "loss_fn_outputs": [{"logprobs": {"data": logprobs, "dtype": "float32", "shape": [11]}}],
            "metrics": {"loss:sum": total},
        }

    def tinker_path(self, run: str, kind: str, name: str) -> str:
        return f"tinker://{run}/{'checkpoints' if self.k.checkpoint_paths == 'checkpoints' else kind}/{name}"

    def checkpoint(self, run: str, kind: str, name: str, version: int | None) -> Json | httpx.Response:
        path = self.tinker_path(run, kind, name)
        if path in self.saved and self.k.duplicate_name_status is not None:
            return httpx.Response(self.k.duplicate_name_status, json={"detail": f"{name} exists"})
        entry = {
            "checkpoint_id": f"{kind}/{name}",
            "checkpoint_type": "training" if kind == "weights" else "sampler",
            "time": "2026-01-01T00:00:00+00:00",
            "tinker_path": path,
        }
        self.checkpoints.setdefault(run, []).append(entry)
        self.saved[path] = version
        return entry

    # ------------------------------------------------------------------ operations
    def op_healthz(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"status": "ok"})

    def op_get_server_capabilities(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"supported_models": [{"model_name": BASE_MODEL}]})

    def op_client_config(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"proto_compress_fwdbwd": True})

    def op_create_session(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(
            self.k.create_session_status, json={"type": "create_session", "session_id": "session-1"}
        )

    def op_session_heartbeat(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"type": "session_heartbeat"})

    def op_finish_session(self, request: httpx.Request, body: Any, session: str) -> httpx.Response:
        self.finished_sessions.append(session)
        return httpx.Response(200, json={})

    def op_unload_model(self, request: httpx.Request, body: Any) -> httpx.Response:
        self.unloaded.append(body["model_id"])
        return self.future("unload_model", {"model_id": body["model_id"], "type": "unload_model"})

    def op_create_model(self, request: httpx.Request, body: Any) -> httpx.Response:
        model_id = f"{body['session_id']}:train:{body['model_seq_id']}"
        self.models[model_id] = Model()
        return self.future("create_model", {"model_id": model_id, "type": "create_model"}, model_id=model_id)

    def op_get_info(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(
            200, json={"model_id": body["model_id"], "model_data": {"model_name": BASE_MODEL}}
        )

    def _forward(
        self, model_id: str, seq_id: int, weights: list[float], forward_only: bool
    ) -> httpx.Response:
        model = self.training(model_id, seq_id)
        if isinstance(model, httpx.Response):
            return model
        if not forward_only:
            model.trained = True
        return self.future(
            "forward" if forward_only else "forward_backward", self.fwd_output(model, weights, forward_only)
        )

    def op_forward_backward(self, request: httpx.Request, body: Any) -> httpx.Response:
        if isinstance(body, pb.ForwardBackwardRequest):
            zstd = request.headers.get("content-encoding") == "zstd"
            self.fwd_bodies.append("protobuf+zstd" if zstd else "protobuf")
            weights = np.frombuffer(body.data[0].loss_fn_inputs["weights"].dense, "<f4").tolist()
            return self._forward(body.model_id, body.seq_id, weights, body.forward_only)
        if not self.k.json_wire:
            return httpx.Response(415, json={"detail": "requires a application/x-protobuf body"})
        self.fwd_bodies.append("json")
        datum = body["forward_backward_input"]["data"][0]
        return self._forward(
            body["model_id"], body["seq_id"], datum["loss_fn_inputs"]["weights"]["data"], False
        )

    def op_forward(self, request: httpx.Request, body: Any) -> httpx.Response:
        if not self.k.json_wire:
            return httpx.Response(404, json={"detail": "Not Found"})
        self.fwd_bodies.append("json")
        datum = body["forward_input"]["data"][0]
        return self._forward(
            body["model_id"], body["seq_id"], datum["loss_fn_inputs"]["weights"]["data"], True
        )

    def op_optim_step(self, request: httpx.Request, body: Any) -> httpx.Response:
        model = self.training(body["model_id"], body["seq_id"])
        if isinstance(model, httpx.Response):
            return model
        if not self.k.lazy_optim:
            model.version += 1
        metrics = dict.fromkeys(self.k.optim_metric_keys, 0.5)
        return self.future("optim_step", {"metrics": metrics, "model": body["model_id"]})

    def op_save_weights(self, request: httpx.Request, body: Any) -> httpx.Response:
        model = self.training(body["model_id"], body["seq_id"])
        if isinstance(model, httpx.Response):
            return model
        entry = self.checkpoint(body["model_id"], "weights", body["path"], model.version)
        if isinstance(entry, httpx.Response):
            return entry
        return self.future("save_weights", {"path": entry["tinker_path"], "type": "save_weights"})

    def op_save_weights_for_sampler(self, request: httpx.Request, body: Any) -> httpx.Response:
        model = self.training(body["model_id"], body["seq_id"])
        if isinstance(model, httpx.Response):
            return model
        version = model.version if self.k.sampler_saves_loadable else None
        entry = self.checkpoint(body["model_id"], "sampler_weights", body["path"], version)
        if isinstance(entry, httpx.Response):
            return entry
        return self.future("save_weights_for_sampler", {"path": entry["tinker_path"]})

    def op_create_sampling_session(self, request: httpx.Request, body: Any) -> httpx.Response:
        path = body.get("model_path")
        if path is not None and self.saved.get(path) is None:
            return httpx.Response(500, json={"detail": f"cannot load {path}"})
        return httpx.Response(200, json={"sampling_session_id": f"sampler-{body['sampling_session_seq_id']}"})

    def op_asample(self, request: httpx.Request, body: Any) -> httpx.Response:
        n = body["num_samples"]
        sequences = [
            {"stop_reason": "length", "tokens": [5, 6, 7, 8], "logprobs": [-1.0] * 4} for _ in range(n)
        ]
        extra = {"sample_sequence_ids": [f"seq-{i}" for i in range(n)]} if self.k.sample_sequence_ids else {}
        return self.future("asample", {"sequences": sequences, "type": "sample"}, **extra)

    def op_load_weights(self, request: httpx.Request, body: Any) -> httpx.Response:
        version = self.saved.get(body["path"])
        if version is None:
            return httpx.Response(500, json={"detail": "checkpoint not loadable"})
        if "session_id" in body and not self.k.create_via_load:
            detail = [{"loc": ["body", "model_id"], "msg": "Field required", "type": "missing"}]
            return httpx.Response(422, json={"detail": detail})
        if "session_id" in body:  # create-via-load
            model_id = f"{body['session_id']}:train:{body['model_seq_id']}"
            self.models[model_id] = Model(version=version)
        else:
            model_id = body["model_id"]
            model = self.models[model_id]
            if model.trained and not self.k.load_into_trained:
                return httpx.Response(
                    400, json={"detail": f"LoadWeights is not permitted with seq_id {body['seq_id']}"}
                )
            checked = self.training(model_id, body["seq_id"])
            if isinstance(checked, httpx.Response):
                return checked
            model.version = version
        return self.future(
            "load_weights", {"type": "load_weights", "path": body["path"], "model_id": model_id}
        )

    def op_get_weights_info(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"base_model": BASE_MODEL, "is_lora": True, "lora_rank": 8})

    def training_run(self, run: str) -> Json:
        return {
            "training_run_id": run,
            "base_model": BASE_MODEL,
            "model_owner": "tester",
            "is_lora": True,
            "lora_rank": 8,
            "last_request_time": "2026-01-01T00:00:00Z",
        }

    def op_list_training_runs(self, request: httpx.Request, body: Any) -> httpx.Response:
        runs = [self.training_run(run) for run in self.models]
        return httpx.Response(
            200, json={"training_runs": runs, "cursor": {"offset": 0, "limit": 100, "total_count": len(runs)}}
        )

    def op_get_training_run(self, request: httpx.Request, body: Any, run: str) -> httpx.Response:
        return httpx.Response(200, json=self.training_run(run))

    def op_list_checkpoints(self, request: httpx.Request, body: Any, run: str) -> httpx.Response:
        return httpx.Response(200, json={"checkpoints": self.checkpoints.get(run, [])})

    def op_get_checkpoint_archive_url(
        self, request: httpx.Request, body: Any, run: str, kind: str, name: str
    ) -> httpx.Response:
        return httpx.Response(302, headers={"Location": f"https://blobs.test/{run}/{name}.tar"})

    def op_get_checkpoint_archive_url_by_id(
        self, request: httpx.Request, body: Any, run: str, name: str
    ) -> httpx.Response:
        return httpx.Response(
            200, json={"url": f"https://blobs.test/{run}/{name}.tar", "expires": "2026-01-01T00:00:00Z"}
        )

    def op_delete_checkpoint(
        self, request: httpx.Request, body: Any, run: str, kind: str, name: str
    ) -> httpx.Response:
        before = self.checkpoints.get(run, [])
        self.checkpoints[run] = [c for c in before if c["checkpoint_id"] != f"{kind}/{name}"]
        return httpx.Response(204) if self.k.delete_status == 204 else httpx.Response(200, json={})

    def op_retrieve_future(self, request: httpx.Request, body: Any) -> httpx.Response:
        request_id = body["request_id"]
        if request_id not in self.futures:
            return httpx.Response(404, json={"detail": "Future not found"})
        if self.k.try_again and request_id not in self.polled:
            self.polled.add(request_id)
            return httpx.Response(
                200, json={"type": "try_again", "request_id": request_id, "queue_state": "active"}
            )
        label, result = self.futures[request_id]
        if label == "optim_step" and self.k.lazy_optim and request_id not in self.polled:
            self.models[result["model"]].version += 1
        self.polled.add(request_id)
        if label == "optim_step":
            result = {"metrics": result["metrics"]}
        patch = self.patch_result.get(label)
        result = patch(dict(result)) if patch else result
        wants = PROTOBUF in request.headers.get("accept", "")
        proto = self.k.protobuf_results == "always" or (self.k.protobuf_results == "accept" and wants)
        if proto and label in ("forward", "forward_backward", "asample"):
            content = encode_sample(result) if label == "asample" else encode_forward_output(result)
            return httpx.Response(200, content=content, headers={"Content-Type": PROTOBUF})
        return httpx.Response(200, json=result)


def encode_forward_output(result: Json) -> bytes:
    message = pb.ForwardBackwardOutput(loss_fn_output_type=result["loss_fn_output_type"])
    for key, value in result["metrics"].items():
        message.metrics[key] = value
    record = message.loss_fn_outputs.add(type_tag="ArrayRecord", num_datums=len(result["loss_fn_outputs"]))
    names = sorted({k for out in result["loss_fn_outputs"] for k in out})
    for name in names:
        arrays = [np.asarray(out[name]["data"], dtype="<f4") for out in result["loss_fn_outputs"]]
        offsets = np.cumsum([0] + [a.nbytes for a in arrays]).astype("<i8")
        field = record.fields[name]
        field.data = b"".join(a.tobytes() for a in arrays)
        field.offsets = offsets.tobytes()
        field.dtype = pb.DTYPE_FLOAT32
    return message.SerializeToString()


def encode_sample(result: Json) -> bytes:
    message = pb.SampleResponse()
    for sequence in result["sequences"]:
        entry = message.sequences.add(
            stop_reason=pb.STOP_REASON_LENGTH if sequence["stop_reason"] == "length" else pb.STOP_REASON_STOP
        )
        entry.tokens = np.asarray(sequence["tokens"], dtype="<i4").tobytes()
        entry.logprobs = np.asarray(sequence["logprobs"], dtype="<f4").tobytes()
    return message.SerializeToString()


SKYRL_TX_030 = Knobs(
    protobuf_wire=False, protobuf_body_status=422, client_config=False, protobuf_results="never"
)
SKYRL_040 = Knobs(
    json_wire=False,
    protobuf_results="always",
    sample_sequence_ids=False,
    delete_status=204,
    optim_metric_keys=("skyrl.ai/grad_norm", "skyrl.ai/learning_rate"),
    load_into_trained=False,
    create_via_load=False,
    honour_idempotency=False,
)
TUFT_022 = Knobs(json_wire=False, create_session_status=201, forbid_038_fields=True, contiguous_seq_ids=True)
HATCHERY_030 = Knobs(
    protobuf_wire=False,
    protobuf_body_status=500,
    protobuf_results="never",
    loss_sum="mean_times_count",
    sampler_saves_loadable=False,
    checkpoint_paths="checkpoints",
)
