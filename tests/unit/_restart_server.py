"""An in-process Tinker server that can go away, come back, and lose its models, for the recovery tests.

Built on `FakeTinker` (JSON wire). Every model keeps the history of the training calls applied to it
(`"fb:<first token>"` per forward_backward, `"opt"` per optim_step, `"load:<name>"`); save_weights stores
a copy of that history under the checkpoint path and load_weights restores it, so a test can check which
steps the final model holds, and how often each reached a server.

- `go_down(back_after_probes=n)`: every request fails with a refused connection; after `n` probes of
  `GET /healthz` the server comes back as a restarted process (models forgotten, checkpoints and
  sessions kept, as the real skyrl servers do with their database). `n=None`: it never comes back.
- `restart()`: forget every model now (the server answers throughout).
- `lost_as`: how a call to a forgotten model fails: "failed_future" (the future answers
  `{"error": "Model X not loaded"}`, as skyrl does) or "404" (the submission answers 404).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import orjson
from _fault_server import FakeTinker, Recorded, json_response


class RestartingTinker(FakeTinker):
    def __init__(self, lost_as: str = "failed_future") -> None:
        super().__init__()
        self.lost_as = lost_as
        self.down = False
        self.back_after_probes: int | None = None
        self.probes = 0
        self.probes_started = 0
        self.restarts = 0
        self.histories: dict[str, list[str]] = {}  # loaded models
        self.checkpoints: dict[str, list[str]] = {}
        self.model_seq = 0
        self.unread: dict[str, str] = {}  # request id -> model id, of futures not yet read
        self.queued_at_submit: list[tuple[str, str, int]] = []  # (model, op, futures of it unread)
        self.hold_probes = threading.Event()  # set: health probes wait (a recovery stays in its wait)
        self.handlers.update(
            {
                "/api/v1/create_model": self._create_model,
                "/api/v1/forward_backward": self._training_call,
                "/api/v1/forward": self._training_call,
                "/api/v1/optim_step": self._training_call,
                "/api/v1/save_weights": self._training_call,
                "/api/v1/load_weights": self._training_call,
                "/api/v1/weights_info": self._weights_info,
                "/api/v1/healthz": lambda rec: json_response(200, {"status": "ok"}),
            }
        )

    # -- what a test does

    def go_down(self, back_after_probes: int | None) -> None:
        self.down = True
        self.back_after_probes = back_after_probes
        self.probes = 0

    def restart(self) -> None:
        self.histories.clear()
        self.restarts += 1

    def sent(self, tag: int) -> int:
        """How many forward_backward submissions with this first token reached the server."""
        return sum(
            1
            for r in self.applied
            if r.path == "/api/v1/forward_backward"
            and r.body["forward_backward_input"]["data"][0]["model_input"]["chunks"][0]["tokens"][0] == tag
        )

    # -- transport

    def transport(self) -> httpx.MockTransport:
        async def handle(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/api/v1/healthz":
                self.probes_started += 1
                while self.hold_probes.is_set():
                    await asyncio.sleep(0.005)
            elif request.url.path == "/api/v1/retrieve_future":
                await asyncio.sleep(0.001)  # a poll takes time, as over a network: other sends go meanwhile
            await request.aread()
            return self.handle(request)

        return httpx.MockTransport(handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            if request.url.path == "/api/v1/healthz":
                self.probes += 1
                if self.back_after_probes is not None and self.probes >= self.back_after_probes:
                    self.down = False
                    self.restart()
            if self.down:
                raise httpx.ConnectError("Connection refused", request=request)
        response = super().handle(request)
        read = request.url.path == "/api/v1/retrieve_future" and response.status_code == 200
        if read and orjson.loads(response.content).get("type") != "try_again":
            self.unread.pop(orjson.loads(request.content)["request_id"], None)
        return response

    # -- handlers

    def _create_model(self, rec: Recorded) -> httpx.Response:
        model_id = f"model-{self.model_seq}"
        self.model_seq += 1
        self.histories[model_id] = []
        return self._future(rec, {"model_id": model_id, "type": "create_model"})

    def _weights_info(self, rec: Recorded) -> httpx.Response:
        if rec.body["tinker_path"] not in self.checkpoints:
            return json_response(404, {"detail": "Checkpoint not found"})
        return json_response(
            200, {"base_model": "tiny/model", "is_lora": True, "lora_rank": 32, "type": "weights_info"}
        )

    def _training_call(self, rec: Recorded) -> httpx.Response:
        body = rec.body
        model_id = body["model_id"]
        history = self.histories.get(model_id)
        if history is None:
            if self.lost_as == "404":
                return json_response(404, {"detail": f"Model {model_id} not found"})
            return self._future(rec, {"error": f"Model {model_id} not loaded", "category": "user"})
        op = rec.path.rsplit("/", 1)[1]
        queued = sum(1 for owner in self.unread.values() if owner == model_id)
        self.queued_at_submit.append((model_id, op, queued))
        response = self._future(rec, self._apply(op, body, history))
        self.unread[orjson.loads(response.content)["request_id"]] = model_id
        return response

    def _apply(self, op: str, body: dict[str, Any], history: list[str]) -> Any:
        if op in ("forward_backward", "forward"):
            key = "forward_backward_input" if op == "forward_backward" else "forward_input"
            data = body[key]["data"]
            if op == "forward_backward":
                history.append(f"fb:{data[0]['model_input']['chunks'][0]['tokens'][0]}")
            n = len(history)
            return {
                "loss_fn_output_type": "scalar",
                "loss_fn_outputs": [
                    {
                        "logprobs": {
                            "data": [-float(n)] * len(d["loss_fn_inputs"]["target_tokens"]["data"]),
                            "dtype": "float32",
                        }
                    }
                    for d in data
                ],
                "metrics": {"loss:sum": float(n)},
            }
        if op == "optim_step":
            history.append("opt")
            return {"metrics": {}}
        if op == "save_weights":
            path = f"tinker://{body['model_id']}/weights/{body['path']}"
            self.checkpoints[path] = list(history)
            return {"path": path}
        assert op == "load_weights"
        saved = self.checkpoints.get(body["path"])
        if saved is None:
            return {"error": f"Checkpoint {body['path']} not found", "category": "user"}
        history[:] = saved
        return {"path": body["path"], "type": "load_weights"}
