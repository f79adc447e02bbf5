"""Fault injection for users' resilience tests: `server.faults`.

    server.faults.fail_next("forward_backward", status=503, times=2)   # answer 503 twice, then normally
    server.faults.fail_next("asample", status=429, retry_after=0.1)    # a 429 with Retry-After
    server.faults.drop_next("optim_step")                              # close the connection, no answer
    server.faults.drop_next("optim_step", after_apply=True)            # ... after applying it (the retry
                                                                       # must not apply it twice)
    server.faults.slow("retrieve_future", seconds=0.5, times=3)        # hold answers before sending
    server.faults.pause_queue("paused_rate_limit", polls=3)            # futures answer try_again (paused)
    server.faults.fail_results("forward_backward", error="boom")       # the future fails (RequestFailed)
    server.faults.clear()

Operations are named by their operationId (`forward_backward`, `optim_step`, `asample`, `retrieve_future`,
`create_model`, `save_weights`, ...; `"*"` = any). A fault is taken before the request is applied, so a
retried request is applied once (`after_apply=True` drops the answer of an applied request: a retry with the
same X-Idempotency-Key gets the first answer back). `server.faults.injected` counts what was injected.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

__all__ = ["Fault", "Faults"]


@dataclass
class Fault:
    operation: str
    kind: str  # "status" | "drop" | "drop_after" | "slow" | "fail_result"
    times: int
    status: int = 500
    retry_after: float | None = None
    seconds: float = 0.0
    error: str = "injected failure"
    category: str = "server"


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._paused: tuple[str, str | None, int] | None = None
        self.injected: Counter[str] = Counter()

    def _add(self, fault: Fault) -> None:
        if fault.times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._faults.append(fault)

    def fail_next(
        self, operation: str, *, status: int = 503, times: int = 1, retry_after: float | None = None
    ) -> None:
        """Answer the next `times` requests of `operation` with HTTP `status` (JSON detail)."""
        if not 400 <= status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        self._add(Fault(operation, "status", times, status=status, retry_after=retry_after))

    def drop_next(self, operation: str, *, times: int = 1, after_apply: bool = False) -> None:
        """Close the connection of the next `times` requests of `operation` without an answer (after
        applying the request when `after_apply`)."""
        self._add(Fault(operation, "drop_after" if after_apply else "drop", times))

    def slow(self, operation: str, *, seconds: float, times: int = 1) -> None:
        """Hold the next `times` answers of `operation` for `seconds` before handling them."""
        if not 0 <= seconds <= 600:
            raise ValueError("seconds must be in [0, 600]")
        self._add(Fault(operation, "slow", times, seconds=seconds))

    def fail_results(
        self, operation: str, *, error: str = "injected failure", category: str = "server", times: int = 1
    ) -> None:
        """The futures of the next `times` requests of `operation` fail with `{"error", "category"}`."""
        self._add(Fault(operation, "fail_result", times, error=error, category=category))

    def pause_queue(
        self, state: str = "paused_capacity", *, polls: int = 1, reason: str | None = None
    ) -> None:
        """The next `polls` polls of any future answer try_again with queue state `state` (and `reason`)."""
        if polls < 1:
            raise ValueError("polls must be >= 1")
        with self._lock:
            self._paused = (state, reason, polls)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._paused = None

    def take(self, operation: str, kinds: tuple[str, ...]) -> Fault | None:
        """The first pending fault of these kinds for `operation` (one use of it is consumed)."""
        with self._lock:
            for fault in self._faults:
                if fault.kind in kinds and fault.operation in (operation, "*"):
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    self.injected[f"{fault.kind}:{operation}"] += 1
                    return fault
        return None

    def take_pause(self) -> tuple[str, str | None] | None:
        with self._lock:
            if self._paused is None:
                return None
            state, reason, polls = self._paused
            self._paused = (state, reason, polls - 1) if polls > 1 else None
            self.injected["pause:retrieve_future"] += 1
            return state, reason
