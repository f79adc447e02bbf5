"""`RecoveryPolicy`: when a training run may be rebuilt after its server went away or lost the model, how
long to wait for the server, how much to keep for replay, and the counters of every decision taken.

The policy only decides and counts; `_training.recovery.RecoveringTrainingClient` acts on it. Which
failures are recoverable (`RecoveryPolicy.classify`):

- the server cannot be reached (`APIConnectionError`, timeouts included) once the HTTP retry policy and the
  future poller gave up: "server_unreachable";
- the server answers that it does not know the model or session: a 404 (`NotFoundError`, except on
  `load_state*`, where a 404 names the user's checkpoint), or a failure whose message names this model's id
  and says it is gone (`model_lost_markers`, e.g. skyrl's "Model model_x not loaded" after a restart, which
  it reports as a 400): "model_lost";
- the server dropped a promise (410, `PromiseExpiredError`): "request_lost".

Anything else (a 400 user error, 401/403, 409, 422, 429 or 5xx after retries, an unusable answer, a
`FutureTimeoutError`) goes to the caller unchanged, as without the policy.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

import attrs

from tinker_ext._core.exceptions import (
    APIConnectionError,
    APIStatusError,
    InvalidInputError,
    NotFoundError,
    PromiseExpiredError,
    RequestFailedError,
)

__all__ = ["RecoveryCounters", "RecoveryPolicy", "RecoveryReason"]

RecoveryReason = Literal["server_unreachable", "model_lost", "request_lost"]

_COUNTER_NAMES = (
    "recoveries_started",  # a recoverable failure started a recovery
    "recoveries_succeeded",  # the model was recreated and the journal replayed
    "recoveries_failed",  # gave up: RecoveryFailedError to every waiting call
    "server_waits",  # waits for the server to answer again
    "models_recreated",  # models created from the last checkpoint (or afresh, before the first one)
    "calls_replayed",  # finished calls since the checkpoint, run again on the new model (results dropped)
    "calls_resent",  # calls in flight (or made during the recovery), sent to the new model
    "checkpoints_committed",  # save_state results that became the replay base (journal cleared)
    "journal_overflows",  # the journal went over max_journal_entries: no recovery until the next save
    "not_recovered",  # failures passed to the caller because they are not recoverable
)


@attrs.define(eq=False)
class RecoveryCounters:
    """What the policy did (shared by every client using the policy). `to_dict()` is JSON-able."""

    recoveries_started: int = 0
    recoveries_succeeded: int = 0
    recoveries_failed: int = 0
    server_waits: int = 0
    models_recreated: int = 0
    calls_replayed: int = 0
    calls_resent: int = 0
    checkpoints_committed: int = 0
    journal_overflows: int = 0
    not_recovered: int = 0
    server_wait_seconds: float = 0.0
    by_reason: dict[str, int] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, repr=False)

    def add(self, name: str, amount: int = 1) -> None:
        if name not in _COUNTER_NAMES:
            raise ValueError(f"unknown recovery counter {name!r}")
        with self._lock:
            setattr(self, name, getattr(self, name) + amount)

    def add_reason(self, reason: str) -> None:
        with self._lock:
            self.by_reason[reason] = self.by_reason.get(reason, 0) + 1

    def add_wait(self, seconds: float) -> None:
        with self._lock:
            self.server_waits += 1
            self.server_wait_seconds += seconds

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            out: dict[str, Any] = {name: getattr(self, name) for name in _COUNTER_NAMES}
            out["server_wait_seconds"] = round(self.server_wait_seconds, 3)
            out["by_reason"] = dict(self.by_reason)
            return out


def _positive(name: str, value: float, *, integer: bool = False) -> None:
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind) or value <= 0:
        what = "a positive integer" if integer else "a positive number"
        raise InvalidInputError(f"RecoveryPolicy.{name} must be {what}, got {value!r}")


@attrs.frozen(eq=False)
class RecoveryPolicy:
    """Opt-in recovery of a training run (`ServiceClient.create_lora_training_client(..., recovery=...)`).

    max_wait_s: how long one recovery waits for the server to answer again (then RecoveryFailedError).
    probe_interval_s: pause between two probes of the server while it is away.
    max_attempts: recoveries tried in a row for one failure (the server may go away again during one).
    max_journal_entries: calls kept since the last `save_state` for replay; beyond it recovery is off
    (one WARNING, counted) until the next save finishes.
    model_lost_markers: lower-case phrases that, in a failure message naming the model's id, say the
    server lost the model.
    counters: what happened (`RecoveryCounters`), shared by every client using this policy.
    """

    max_wait_s: float = 600.0
    probe_interval_s: float = 2.0
    max_attempts: int = 3
    max_journal_entries: int = 1000
    model_lost_markers: tuple[str, ...] = ("not loaded", "not found", "unknown model", "does not exist")
    counters: RecoveryCounters = attrs.field(factory=RecoveryCounters, init=False)

    def __attrs_post_init__(self) -> None:
        _positive("max_wait_s", self.max_wait_s)
        _positive("probe_interval_s", self.probe_interval_s)
        _positive("max_attempts", self.max_attempts, integer=True)
        _positive("max_journal_entries", self.max_journal_entries, integer=True)
        markers = self.model_lost_markers
        if not isinstance(markers, tuple) or not all(isinstance(m, str) and m for m in markers):
            raise InvalidInputError("RecoveryPolicy.model_lost_markers must be a tuple of non-empty strings")

    def classify(self, exc: BaseException, model_id: str, kind: str) -> RecoveryReason | None:
        """Why `exc` (raised by call `kind` of model `model_id`) is recoverable, or None if it is not."""
        if isinstance(exc, APIConnectionError):
            return "server_unreachable"
        if isinstance(exc, PromiseExpiredError):
            return "request_lost"
        if isinstance(exc, NotFoundError) and not kind.startswith("load_state"):
            return "model_lost"
        if isinstance(exc, RequestFailedError | APIStatusError) and self._names_lost_model(
            str(exc), model_id
        ):
            return "model_lost"
        return None

    def _names_lost_model(self, message: str, model_id: str) -> bool:
        lowered = message.lower()
        return (
            bool(model_id)
            and model_id.lower() in lowered
            and any(m in lowered for m in self.model_lost_markers)
        )
