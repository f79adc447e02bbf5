"""`RecoveringTrainingClient`: a TrainingClient that survives a server restart or a lost model mid-run.

Made by `ServiceClient.create_lora_training_client(..., recovery=RecoveryPolicy())` (and the
`create_training_client_from_state*` methods); the user's loop is unchanged. It keeps a journal of the calls
made since the last finished `save_state`: forward_backward(_custom), optim_step, load_state* and
save_state (they change or commit the model's state) plus the calls still in flight (forward,
save_weights_for_sampler). When a call fails in a way the policy calls recoverable
(`_training.recovery_policy`), one recovery runs for every call that failed with it:

1. wait for the server to answer `GET /healthz` (any HTTP answer counts), at most `max_wait_s`;
2. create a new model from the last committed checkpoint with its optimizer state (as
   `create_training_client_from_state_with_optimizer` does), or afresh with the creation settings (seed
   included) when nothing was saved yet;
3. take that model's id and request order (its seq_ids start after the load), then send the journal to it
   in the original call order: finished calls are replayed one at a time, each awaited, their results
   dropped (`_resume_on` says why); unfinished ones, and calls made during the recovery, are then sent
   again and their callers get the new results. A call applied before the checkpoint is never sent again;
   a call after it is applied exactly once on the new model.

A save_state commits (becomes the replay base and clears the journal up to it) once it and every call
before it finished. A call that failed for good after it may have been applied (e.g. a 500 after
retries) leaves the journal incomplete: recovery is then refused (`RecoveryFailedError`,
reason "journal_incomplete") until the next save commits. Every decision is logged (logger
`tinker_ext.recovery`) and counted in `policy.counters`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from tinker_ext._core.exceptions import RecoveryFailedError
from tinker_ext._session.futures import APIFuture, note_request_id
from tinker_ext._training.client import TrainingClient
from tinker_ext._training.recovery_journal import JournalEntry, not_applied, wait_for_server
from tinker_ext._training.recovery_policy import RecoveryPolicy, RecoveryReason

if TYPE_CHECKING:
    from tinker_ext._session.context import ClientContext
    from tinker_ext._training.loss_handle import LossHandle
    from tinker_ext.types import (
        AdamParams,
        Datum,
        ForwardBackwardOutput,
        LoadWeightsResponse,
        OptimParams,
        OptimStepResponse,
        SaveWeightsForSamplerResponse,
        SaveWeightsResponse,
    )

__all__ = ["RecoveringTrainingClient", "Recreate"]

logger = logging.getLogger("tinker_ext.recovery")

# Makes a new model for the run: from the checkpoint path given (weights and optimizer state), or afresh
# with the run's creation settings when it is None. Runs on the SDK loop.
Recreate = Callable[[str | None], Coroutine[Any, Any, TrainingClient]]


class RecoveringTrainingClient(TrainingClient):
    """A TrainingClient with a `RecoveryPolicy` (see the module docstring). `model_id` is the model of the
    current generation: it changes when a recovery recreates the model."""

    def __init__(
        self, ctx: ClientContext, base: TrainingClient, policy: RecoveryPolicy, recreate: Recreate
    ) -> None:
        super().__init__(ctx, base.model_id)
        self._adopt(base)
        self.policy = policy
        self._recreate = recreate
        self._lock = threading.RLock()
        self._journal: list[JournalEntry] = []
        self._generation = 0
        self._recovering = False
        self._broken: RecoveryFailedError | None = None
        self._incomplete: str | None = None  # why the journal cannot rebuild the run now
        self.checkpoint: str | None = None  # the committed replay base (tinker://.../weights/NAME)
        self._recovery_lock: asyncio.Lock | None = None
        self._raw = threading.local()

    def __repr__(self) -> str:
        return f"RecoveringTrainingClient(model_id={self.model_id!r}, checkpoint={self.checkpoint!r})"

    def _adopt(self, other: TrainingClient) -> None:
        """Take over `other`'s model: id, request order (seq_ids), cached info and vocabulary."""
        self.model_id = other.model_id
        self._order = other._order
        self._info = other._info
        self._vocab_size = other._vocab_size
        self._vocab_looked_up = other._vocab_looked_up

    # -- the journaled calls

    def _journaled(self, kind: str, mutating: bool, start: Callable[[], APIFuture[Any]]) -> APIFuture[Any]:
        if getattr(self._raw, "active", False):  # a journaled call calling another method: one entry
            return start()
        entry = JournalEntry(kind, mutating, self._raw_start(start))
        with self._lock:
            if self._broken is not None:
                raise self._broken
            self._check_journal_size()
            self._journal.append(entry)
            if not self._recovering:
                try:
                    entry.start_on(self._generation, self.model_id)
                except BaseException:
                    self._journal.remove(entry)  # refused before anything was sent
                    raise
        return self._ctx.submit(self._await_entry(entry))

    def _raw_start(self, start: Callable[[], APIFuture[Any]]) -> Callable[[], APIFuture[Any]]:
        def run() -> APIFuture[Any]:
            self._raw.active = True
            try:
                return start()
            finally:
                self._raw.active = False

        return run

    def _check_journal_size(self) -> None:
        if len(self._journal) < self.policy.max_journal_entries or self._incomplete is not None:
            return
        self._incomplete = (
            f"more than {self.policy.max_journal_entries} calls since the last checkpoint "
            "(RecoveryPolicy.max_journal_entries)"
        )
        self.policy.counters.add("journal_overflows")
        logger.warning(
            "Recovery of model %s is off until the next save_state finishes: %s",
            self.model_id,
            self._incomplete,
        )
        self._journal = [e for e in self._journal if not e.done]

    async def _await_entry(self, entry: JournalEntry) -> Any:
        seen = -1
        while True:
            attempt, generation = await entry.next_attempt(seen)
            seen = generation
            try:
                result = await asyncio.wrap_future(attempt.future())
            except asyncio.CancelledError:
                if attempt.future().cancelled() and entry.generation > generation:
                    continue  # a stale attempt, cancelled by the recovery that restarted the call
                raise
            except Exception as exc:
                if entry.generation > generation:
                    continue  # already restarted on a newer model
                reason = self.policy.classify(exc, entry.model_id, entry.kind)
                if reason is None:
                    self._give_up_on(entry, exc)
                    raise
                await self._recover(generation, reason, exc)
                continue
            finally:
                for request_id in attempt.request_ids:  # the outer future reports every attempt's ids
                    note_request_id(request_id)
            if entry.generation > generation:
                continue  # restarted on a recreated model meanwhile: that attempt's result is the one to give
            self._finished(entry, result)
            return result

    def _give_up_on(self, entry: JournalEntry, exc: BaseException) -> None:
        """A call failed for a reason that is not recoverable: its error goes to the caller."""
        self.policy.counters.add("not_recovered")
        logger.info("Not recovering %s of model %s: %s", entry.kind, self.model_id, type(exc).__name__)
        with self._lock:
            if entry in self._journal:
                self._journal.remove(entry)
            if entry.mutating and not not_applied(exc) and self._incomplete is None:
                self._incomplete = f"{entry.kind} failed with {type(exc).__name__} and may have been applied"
                logger.warning(
                    "Recovery of model %s is off until the next save_state: %s",
                    self.model_id,
                    self._incomplete,
                )

    def _finished(self, entry: JournalEntry, result: Any) -> None:
        with self._lock:
            entry.done = True
            entry.attempt = None  # the result stays with the caller only (a journal entry keeps the inputs)
            if entry.kind == "save_state":
                entry.path = result.path
            if not entry.mutating and entry in self._journal:
                self._journal.remove(entry)
            self._commit()

    def _commit(self) -> None:
        """The last save_state whose call and every call before it finished becomes the replay base."""
        cut = -1
        for i, entry in enumerate(self._journal):
            if not entry.done:
                break
            if entry.kind == "save_state":
                cut = i
        if cut >= 0:
            self.checkpoint = self._journal[cut].path
            del self._journal[: cut + 1]
            self._incomplete = None
            self.policy.counters.add("checkpoints_committed")
            logger.info("Checkpoint %s is the recovery base of model %s", self.checkpoint, self.model_id)
        if self._incomplete is not None:  # nothing can be replayed: keep only what is still running
            self._journal = [e for e in self._journal if not e.done]

    # -- recovery

    async def _recover(self, generation: int, reason: RecoveryReason, cause: BaseException) -> None:
        if self._recovery_lock is None:
            self._recovery_lock = asyncio.Lock()
        async with self._recovery_lock:
            if self._generation != generation or self._broken is not None:
                if self._broken is not None:
                    raise self._broken
                return  # another call's recovery already moved the run on
            counters = self.policy.counters
            counters.add("recoveries_started")
            counters.add_reason(reason)
            logger.warning(
                "Model %s: %s (%s: %s); recovering from %s",
                self.model_id,
                reason.replace("_", " "),
                type(cause).__name__,
                self._ctx.http.api_key.scrub(str(cause))[:300],
                self.checkpoint or "a fresh model (no checkpoint yet)",
            )
            try:
                await self._recover_locked(cause)
            except BaseException as exc:
                error = (
                    exc
                    if isinstance(exc, RecoveryFailedError)
                    else RecoveryFailedError(
                        f"recovery of the training run failed: {exc!r}", "recreate_failed"
                    )
                )
                self._break(error)
                if error is exc:
                    raise
                raise error from exc
            counters.add("recoveries_succeeded")

    def _break(self, error: RecoveryFailedError) -> None:
        self.policy.counters.add("recoveries_failed")
        logger.error("Recovery of model %s failed (%s): %s", self.model_id, error.reason, error.message)
        with self._lock:
            self._broken = error
            self._recovering = False
            for entry in self._journal:
                if not entry.done:
                    entry.fail(error)

    async def _recover_locked(self, cause: BaseException) -> None:
        last: BaseException = cause
        for attempt in range(1, self.policy.max_attempts + 1):
            with self._lock:
                self._recovering = True
                if self._incomplete is not None:
                    raise RecoveryFailedError(
                        f"cannot rebuild model {self.model_id} exactly: {self._incomplete}",
                        "journal_incomplete",
                    ) from cause
            await wait_for_server(self._ctx.http, self.policy)
            try:
                fresh = await self._recreate(self.checkpoint)
            except Exception as exc:
                if self.policy.classify(exc, "", "recreate") is None:
                    raise
                last = exc
                logger.warning("Recreating the model failed (attempt %d): %s", attempt, type(exc).__name__)
                continue
            self.policy.counters.add("models_recreated")
            try:
                replayed = await self._resume_on(fresh)
            except Exception as exc:
                if self.policy.classify(exc, self.model_id, "replay") is None:
                    raise
                last = exc
                logger.warning(
                    "Replay on model %s failed (attempt %d): %s", self.model_id, attempt, type(exc).__name__
                )
                continue
            with self._lock:
                self._commit()
            logger.info("Model %s recovered: %d call(s) replayed", self.model_id, replayed)
            return
        raise RecoveryFailedError(
            f"gave up after {self.policy.max_attempts} recovery attempt(s): {last!r}", "attempts_exhausted"
        ) from last

    async def _resume_on(self, fresh: TrainingClient) -> int:
        """Adopt the new model and send it the journal in call order: one call at a time, each awaited,
        up to the last finished one (a server may run queued calls of one model out of order: skyrl-tx
        0.3.0 lets queued optim_steps overtake queued forward_backwards), then the rest at once, as the
        caller had them in flight. Returns how many finished calls were replayed."""
        with self._lock:
            old = self.model_id
            self._adopt(fresh)
            self._generation += 1
            generation = self._generation
            entries = list(self._journal)
        finished = [i for i, entry in enumerate(entries) if entry.done]
        serial = entries[: finished[-1] + 1] if finished else []
        logger.info(
            "Model %s replaces %s (generation %d): replaying %d finished call(s), resending %d",
            self.model_id,
            old,
            generation,
            len(finished),
            len(entries) - len(finished),
        )
        self.policy.counters.add("calls_replayed", len(finished))
        self.policy.counters.add("calls_resent", len(entries) - len(finished))
        for entry in serial:
            if not self._start(entry, generation):
                continue
            attempt = entry.attempt
            assert attempt is not None
            try:
                result = await asyncio.wrap_future(attempt.future())
            except Exception as exc:
                if entry.done or self.policy.classify(exc, self.model_id, entry.kind) is not None:
                    raise  # a replay that failed, or the server went away again: next attempt
                continue  # an unfinished call refused for its own reasons: its caller gets the error
            if entry.done:
                entry.attempt = None
                if entry.kind == "save_state":
                    entry.path = result.path
        with self._lock:
            for entry in list(self._journal):  # the rest, and the calls made during the recovery
                if entry.generation < generation:
                    self._start(entry, generation)
            self._recovering = False
        return len(finished)

    def _start(self, entry: JournalEntry, generation: int) -> bool:
        """(Re)start `entry` on the current model; a call made during the recovery may be refused by its
        own checks: it then fails with that error and leaves the journal."""
        with self._lock:
            try:
                entry.start_on(generation, self.model_id)
            except Exception as exc:
                self._journal.remove(entry)
                entry.fail(exc)
                return False
            return True

    # -- the TrainingClient calls, journaled

    def forward(
        self,
        data: Sequence[Datum],
        loss_fn: str = "cross_entropy",
        loss_fn_config: Mapping[str, Any] | None = None,
    ) -> APIFuture[ForwardBackwardOutput]:
        call = super().forward
        return self._journaled("forward", False, lambda: call(data, loss_fn, loss_fn_config))

    def forward_backward(
        self, data: Sequence[Datum], loss_fn: str, loss_fn_config: Mapping[str, Any] | None = None
    ) -> APIFuture[ForwardBackwardOutput]:
        call = super().forward_backward
        return self._journaled("forward_backward", True, lambda: call(data, loss_fn, loss_fn_config))

    def forward_backward_custom(
        self,
        data: Sequence[Datum],
        loss_fn: Callable[..., Any] | LossHandle,
        regularizers: Sequence[Any] | None = None,
        *,
        loss_type_input: Literal["logprobs"] | None = None,
    ) -> APIFuture[ForwardBackwardOutput]:
        call = super().forward_backward_custom
        return self._journaled(
            "forward_backward_custom",
            True,
            lambda: call(data, loss_fn, regularizers, loss_type_input=loss_type_input),
        )

    def optim_step(
        self, optim_params: OptimParams | None = None, *, adam_params: AdamParams | None = None
    ) -> APIFuture[OptimStepResponse]:
        call = super().optim_step
        return self._journaled("optim_step", True, lambda: call(optim_params, adam_params=adam_params))

    def save_state(
        self,
        name: str,
        ttl_seconds: int | None = None,
        overwrite: bool = False,
        user_metadata: Mapping[str, str] | None = None,
    ) -> APIFuture[SaveWeightsResponse]:
        call = super().save_state
        return self._journaled("save_state", True, lambda: call(name, ttl_seconds, overwrite, user_metadata))

    def load_state(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        call = super().load_state
        return self._journaled("load_state", True, lambda: call(path, weights_access_token))

    def load_state_with_optimizer(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        call = super().load_state_with_optimizer
        return self._journaled("load_state_with_optimizer", True, lambda: call(path, weights_access_token))

    def save_weights_for_sampler(
        self, name: str, ttl_seconds: int | None = None, user_metadata: Mapping[str, str] | None = None
    ) -> APIFuture[SaveWeightsForSamplerResponse]:
        call = super().save_weights_for_sampler
        return self._journaled(
            "save_weights_for_sampler", False, lambda: call(name, ttl_seconds, user_metadata)
        )
