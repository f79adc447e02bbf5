"""The parts of a recovery (`_training.recovery`): one journaled call (`JournalEntry`), which failures
left the model untouched, and the bounded wait for a server to answer again."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any

import attrs
import httpx
from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import (
    APIConnectionError,
    APIStatusError,
    InvalidInputError,
    RecoveryFailedError,
    RequestFailedError,
)
from tinker_ext._session.futures import APIFuture
from tinker_ext._training.recovery_policy import RecoveryPolicy
from tinker_ext._wire.calls import request_for
from tinker_ext._wire.http import HttpClient
from tinker_ext._wire.origin import display_origin

__all__ = ["JournalEntry", "not_applied", "wait_for_server"]

logger = logging.getLogger("tinker_ext.recovery")

_PROBE_TIMEOUT = httpx.Timeout(5.0)


@attrs.define(eq=False)
class JournalEntry:
    """One call of the user's loop: how to (re)start it on the current model, and its latest attempt."""

    kind: str
    mutating: bool  # replayed after a recovery even when it had finished
    start: Callable[[], APIFuture[Any]]
    attempt: APIFuture[Any] | None = None
    generation: int = -1  # the model generation the attempt runs on
    model_id: str = ""  # and that generation's model
    done: bool = False
    path: str | None = None  # a finished save_state's checkpoint
    failure: BaseException | None = None
    changed: concurrent.futures.Future[None] = attrs.Factory(concurrent.futures.Future)

    def start_on(self, generation: int, model_id: str) -> None:
        self.attempt = self.start()
        self.generation = generation
        self.model_id = model_id
        self._wake()

    def fail(self, error: BaseException) -> None:
        self.failure = error
        self._wake()

    def _wake(self) -> None:
        waiter, self.changed = self.changed, concurrent.futures.Future()
        waiter.set_result(None)

    async def next_attempt(self, seen: int) -> tuple[APIFuture[Any], int]:
        """The attempt on a generation newer than `seen` (waiting for the recovery to start it)."""
        while True:
            waiter = self.changed  # read before the checks: a start in between resolves it
            if self.failure is not None:
                raise self.failure
            if self.generation > seen and self.attempt is not None:
                return self.attempt, self.generation
            await asyncio.wrap_future(waiter)


def not_applied(exc: BaseException) -> bool:
    """The server (or we) refused the call: it changed nothing on the model."""
    if isinstance(exc, InvalidInputError | RequestFailedError | RecoveryFailedError):
        return True
    return isinstance(exc, APIStatusError) and 400 <= exc.status_code < 500


async def wait_for_server(http: HttpClient, policy: RecoveryPolicy) -> None:
    """Probe `GET /healthz` until the server answers (any HTTP status), at most `max_wait_s`."""
    clock = http.timing.clock
    started = clock()
    probe = request_for(endpoints.HEALTHZ, None, max_retries=0, timeout=_PROBE_TIMEOUT).request
    logged = False
    while True:
        try:
            await http.send(probe)
            break
        except APIStatusError:
            break  # it answers
        except APIConnectionError as exc:
            waited = clock() - started
            if waited >= policy.max_wait_s:
                policy.counters.add_wait(waited)
                raise RecoveryFailedError(
                    f"the server at {display_origin(http.base_url)} did not answer within {policy.max_wait_s:g} s "
                    "(RecoveryPolicy.max_wait_s)",
                    "server_unavailable",
                ) from exc
            if not logged:
                logger.warning("Waiting up to %g s for the server to answer again", policy.max_wait_s)
                logged = True
            await http.timing.sleep(min(policy.probe_interval_s, policy.max_wait_s - waited))
    waited = clock() - started
    policy.counters.add_wait(waited)
    if logged:
        logger.info("The server answers again after %.1f s", waited)
