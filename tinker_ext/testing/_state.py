"""What the test server holds: sessions, training models, checkpoints, samplers, futures; the seq_id order
of each model's training requests. All of it under one lock (the model is tiny; requests are applied in
microseconds)."""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from ._model import AdamState, Lora

__all__ = [
    "Future",
    "HttpError",
    "Limits",
    "Model",
    "Reply",
    "Sampler",
    "State",
    "StoredCheckpoint",
    "now_iso",
]

# Bounds of what one server keeps (a test that exceeds them is answered 429/404, never grows memory).
MAX_FUTURES = 100_000
MAX_IDEMPOTENT = 10_000


def now_iso(offset: float = 0.0) -> str:
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat().replace("+00:00", "Z")


class HttpError(Exception):
    def __init__(self, status: int, detail: Any) -> None:
        super().__init__(f"{status}: {detail}")
        self.status, self.detail = status, detail


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON value
    content: bytes | None = None  # raw body (then content_type)
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Future:
    kind: str  # operationId of the request
    compute: Callable[[], Any] | None  # None once run (or for results known at once)
    result: Any = None
    error: tuple[str, str] | None = None  # (message, category)
    created: float = field(default_factory=time.monotonic)
    ready_at: float = 0.0
    held_for: tuple[str, int] | None = None  # (model_id, seq_id) it waits for


@dataclass
class Model:
    model_id: str
    session_id: str
    lora: Lora
    user_metadata: dict[str, Any]
    next_seq: int = 1
    held: dict[int, str] = field(default_factory=dict)  # seq_id -> request_id waiting for its turn
    refused: set[int] = field(default_factory=set)  # seq_ids of requests answered 4xx (not applied)
    last_request: str = field(default_factory=now_iso)
    unloaded: bool = False


@dataclass
class StoredCheckpoint:
    run_id: str
    kind: str  # "weights" | "sampler_weights" | "external_weights"
    name: str
    base_model: str
    rank: int
    delta: np.ndarray
    adam: AdamState | None
    created: str = field(default_factory=now_iso)
    expires_at: str | None = None
    public: bool = False
    user_metadata: dict[str, Any] | None = None

    @property
    def path(self) -> str:
        return f"tinker://{self.run_id}/{self.kind}/{self.name}"

    @property
    def checkpoint_id(self) -> str:
        return f"{self.kind}/{self.name}"

    def listing(self) -> dict[str, Any]:
        return {
            "checkpoint_id": self.checkpoint_id,
            "checkpoint_type": "training" if self.kind == "weights" else "sampler",
            "time": self.created,
            "tinker_path": self.path,
            "size_bytes": int(self.delta.nbytes * (3 if self.adam is not None else 1)),
            "public": self.public,
            "expires_at": self.expires_at,
            "user_metadata": self.user_metadata,
        }


@dataclass
class Sampler:
    sampler_id: str
    session_id: str
    base_model: str
    delta: np.ndarray | None  # None: the base model
    model_path: str | None


@dataclass
class Session:
    session_id: str
    user_metadata: dict[str, Any]
    finished: bool = False
    model_ids: list[str] = field(default_factory=list)
    sampler_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    """What one test server keeps at most (each model holds ~2 MB, each checkpoint or sampler ~0.5-1.6 MB);
    beyond them a create or save is answered 429."""

    max_models: int = 512
    max_checkpoints: int = 2048
    max_samplers: int = 2048

    def check(self, what: str, count: int) -> None:
        limit = getattr(self, f"max_{what}")
        if count >= limit:
            raise HttpError(
                429, f"the test server holds at most {limit} {what} (TinkerTestServer(limits=...))"
            )


class State:
    def __init__(self, seq_gap_timeout: float, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.seq_gap_timeout = seq_gap_timeout
        self.sessions: dict[str, Session] = {}
        self.models: dict[str, Model] = {}
        self.checkpoints: dict[str, StoredCheckpoint] = {}  # tinker path -> checkpoint
        self.samplers: dict[str, Sampler] = {}
        self.futures: OrderedDict[str, Future] = OrderedDict()
        self.idempotent: OrderedDict[str, Reply] = OrderedDict()
        self._ids = itertools.count(1)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    # ------------------------------------------------------------------ futures
    def submit(self, kind: str, compute: Callable[[], Any], held_for: tuple[str, int] | None = None) -> str:
        if len(self.futures) >= MAX_FUTURES:
            self.futures.popitem(last=False)
        request_id = self.new_id("req")
        future = Future(kind, compute, held_for=held_for)
        self.futures[request_id] = future
        if held_for is None:
            self.run(future)
        return request_id

    def run(self, future: Future) -> None:
        compute, future.compute, future.held_for = future.compute, None, None
        if compute is None:
            return
        try:
            future.result = compute()
        except HttpError as exc:
            future.error = (str(exc.detail), "user")
        except ValueError as exc:
            future.error = (str(exc), "user")
        self.changed.notify_all()

    # ------------------------------------------------------------------ seq_id order
    def model(self, model_id: Any) -> Model:
        model = self.models.get(model_id) if isinstance(model_id, str) else None
        if model is None or model.unloaded:
            raise HttpError(404, f"model {model_id!r} not found")
        return model

    def training(self, kind: str, model: Model, seq_id: Any, compute: Callable[[], Any]) -> str:
        """Submit a training request in its seq_id turn: applied now when it is the model's next, held
        until the gap before it fills otherwise; a used seq_id is a 409."""
        model.last_request = now_iso()
        if seq_id is None or seq_id == 0:
            return self.submit(kind, compute)
        if not isinstance(seq_id, int) or isinstance(seq_id, bool) or seq_id < 0:
            raise HttpError(400, "seq_id must be a non-negative integer")
        # A refused request (4xx: not applied) may or may not use its seq_id up: tinker-ext's SDK sends the
        # next request with it, other clients with the one after it. Both are in order.
        while (
            model.next_seq < seq_id and model.next_seq in model.refused and model.next_seq not in model.held
        ):
            model.refused.discard(model.next_seq)
            model.next_seq += 1
        model.refused.discard(seq_id)
        if seq_id < model.next_seq or seq_id in model.held:
            raise HttpError(409, f"Sequence conflict: seq_id {seq_id} of {model.model_id} was already used")
        request_id = self.submit(kind, compute, held_for=(model.model_id, seq_id))
        model.held[seq_id] = request_id
        while model.next_seq in model.held:
            held = self.futures.get(model.held.pop(model.next_seq))
            model.next_seq += 1
            if held is not None:
                self.run(held)
        return request_id

    def note_refused(self, model_id: Any, seq_id: Any) -> None:
        model = self.models.get(model_id) if isinstance(model_id, str) else None
        if model is not None and isinstance(seq_id, int) and seq_id >= model.next_seq:
            model.refused.add(seq_id)

    def expire_gap(self, future: Future) -> None:
        """A request held longer than seq_gap_timeout for a seq_id that never came fails."""
        if future.held_for is None or time.monotonic() - future.created < self.seq_gap_timeout:
            return
        model_id, seq_id = future.held_for
        model = self.models.get(model_id)
        missing = model.next_seq if model is not None else "?"
        if model is not None:
            model.held.pop(seq_id, None)
        future.compute, future.held_for = None, None
        future.error = (
            f"seq_id {seq_id} of {model_id} waited {self.seq_gap_timeout:g} s for seq_id {missing}, "
            "which never arrived (requests of a model are applied in seq_id order)",
            "user",
        )
