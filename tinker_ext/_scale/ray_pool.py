"""Sampling from many Ray workers with one shared sampling dispatch (public as `tinker_ext.ray`).

`SamplingWorkerPool(sampling_client, num_workers=N)` starts one coordinator actor, holding the fleet's one
`AdmissionDesk` (`_scale/shared_dispatch.py`: the `SamplingDispatch` bound, round-robin per worker, one
adaptive cap and one backoff on 429), and N worker actors. Each worker receives the SamplingClient pickled
(a handle: server URL and session ids, never a credential), so its copy authenticates with the worker's own
credentials (`TINKER_API_KEY`, else the credentials file, as `ServiceClient()` resolves them), and sends
every sample through the desk. A worker runs at most `per_worker_in_flight` samples at once (the actor's
`max_concurrency`), so it opens at most that many sample connections.

`pool.sample_many(prompts, params)` hands prompts to the workers as they free up (at most
`num_workers * per_worker_in_flight` handed out at a time, so memory stays bounded) and returns the
results in prompt order; the first failure is raised (typed as the SDK's error) after the other
outstanding samples are cancelled.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs

try:
    import ray
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("tinker_ext.ray needs Ray: pip install 'tinker-ext[ray]'") from exc

from tinker_ext._core.exceptions import FutureTimeoutError, InvalidInputError
from tinker_ext._sampling.client import SamplingClient
from tinker_ext._sampling.options import check_sampling_options
from tinker_ext._scale.shared_dispatch import AdmissionDesk, install_shared_dispatcher
from tinker_ext._session.context import DEFAULT_FUTURE_TIMEOUT_S
from tinker_ext._session.sample_dispatch import SamplingDispatch
from tinker_ext.types import ModelInput, SamplingParams

if TYPE_CHECKING:
    from types import TracebackType

    from tinker_ext.types import SampleResponse

__all__ = ["DEFAULT_NUM_WORKERS", "PoolStats", "SamplingWorkerPool", "sample_many"]

DEFAULT_NUM_WORKERS = 4
MAX_WORKERS = 1024
DEFAULT_READY_TIMEOUT_S = 120.0  # workers started and their clients unpickled
CLOSE_TIMEOUT_S = 10.0  # a worker closing its HTTP connections before it is killed


class _Desk:
    """The coordinator actor: the fleet's `AdmissionDesk` on the actor's event loop."""

    def __init__(self, dispatch: SamplingDispatch) -> None:
        self._desk = AdmissionDesk(dispatch)

    async def acquire(self, ticket: str, worker: int, nbytes: int) -> None:
        await self._desk.acquire(ticket, worker, nbytes)

    async def cancel(self, ticket: str) -> None:
        self._desk.cancel(ticket)

    async def release(self, nbytes: int) -> None:
        self._desk.release(nbytes)

    async def on_throttled(self, nbytes: int) -> None:
        self._desk.on_throttled(nbytes)

    async def on_accepted(self) -> None:
        self._desk.on_accepted()

    async def wait_out_backoff(self) -> None:
        await self._desk.wait_out_backoff()

    async def stats(self) -> dict[str, float]:
        return self._desk.stats()


class _DeskLink:
    """`DeskLink` over the coordinator actor's handle: each call is one actor call."""

    def __init__(self, desk: Any) -> None:
        self._desk = desk

    def acquire(self, ticket: str, worker: int, nbytes: int) -> Any:
        return self._desk.acquire.remote(ticket, worker, nbytes)

    def cancel(self, ticket: str) -> Any:
        return self._desk.cancel.remote(ticket)

    def release(self, nbytes: int) -> Any:
        return self._desk.release.remote(nbytes)

    def on_throttled(self, nbytes: int) -> Any:
        return self._desk.on_throttled.remote(nbytes)

    def on_accepted(self) -> Any:
        return self._desk.on_accepted.remote()

    def wait_out_backoff(self) -> Any:
        return self._desk.wait_out_backoff.remote()


class _Worker:
    """A worker actor: one copy of the SamplingClient (unpickled here), its samples through the desk."""

    def __init__(self, client: SamplingClient, desk: Any, index: int) -> None:
        self._client = client
        self._dispatcher = install_shared_dispatcher(client, _DeskLink(desk), index)

    async def ready(self) -> str:
        return self._client.sampling_session_id

    async def sample(
        self, prompt: ModelInput, num_samples: int, params: SamplingParams, options: dict[str, Any]
    ) -> SampleResponse:
        return await self._client.sample_async(prompt, num_samples, params, **options)

    async def max_seen_in_flight(self) -> int:
        return self._dispatcher.max_seen_in_flight

    async def close(self) -> None:
        ctx = self._client._ctx
        await ctx.submit(ctx.aclose())  # a copy's context has no session of its own to finish


@attrs.frozen
class PoolStats:
    """What a pool did: samples in flight across all workers (now, at most so far), per worker at most,
    429 answers the fleet got, and the shared adaptive cap now."""

    in_flight: int
    max_seen_in_flight: int
    worker_max_seen_in_flight: tuple[int, ...]
    throttled: int
    limit: float


def _positive_int(name: str, value: object, upper: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"{name} must be an int >= 1, got {value!r}")
    if upper is not None and value > upper:
        raise InvalidInputError(f"{name} must be at most {upper}, got {value}")
    return value


def _positive_seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise InvalidInputError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


class SamplingWorkerPool:
    """N Ray worker actors sampling for one SamplingClient under one shared `SamplingDispatch`.

    `dispatch` bounds the whole fleet (default `SamplingDispatch()`: 128 samples in flight);
    `per_worker_in_flight` bounds each worker (default: `dispatch.max_in_flight` spread over the workers,
    at least 1). `actor_options` go to the workers' `.options()` (default `num_cpus=0`: the workers wait
    on the network). Needs the workers' credentials in their environment; see docs/RAY.md.
    Use as a context manager, or call `close()`.
    """

    def __init__(
        self,
        sampling_client: SamplingClient,
        num_workers: int = DEFAULT_NUM_WORKERS,
        *,
        dispatch: SamplingDispatch | None = None,
        per_worker_in_flight: int | None = None,
        actor_options: Mapping[str, Any] | None = None,
        ready_timeout: float = DEFAULT_READY_TIMEOUT_S,
    ) -> None:
        if not isinstance(sampling_client, SamplingClient):
            raise InvalidInputError(
                f"sampling_client must be a SamplingClient, got {type(sampling_client).__name__}"
            )
        self.num_workers = _positive_int("num_workers", num_workers, MAX_WORKERS)
        if dispatch is not None and not isinstance(dispatch, SamplingDispatch):
            raise InvalidInputError(f"dispatch must be a SamplingDispatch, got {type(dispatch).__name__}")
        self.dispatch = dispatch or SamplingDispatch()
        if per_worker_in_flight is None:
            per_worker_in_flight = max(1, math.ceil(self.dispatch.max_in_flight / self.num_workers))
        self.per_worker_in_flight = _positive_int("per_worker_in_flight", per_worker_in_flight)
        timeout = _positive_seconds("ready_timeout", ready_timeout)
        if actor_options is not None and not isinstance(actor_options, Mapping):
            raise InvalidInputError("actor_options must be a mapping of Ray actor options")
        options = {"num_cpus": 0, **(actor_options or {}), "max_concurrency": self.per_worker_in_flight}
        self._closed = False
        self._desk: Any = ray.remote(_Desk).options(num_cpus=0).remote(self.dispatch)
        worker_class = ray.remote(_Worker).options(**options)
        self._workers: list[Any] = [
            worker_class.remote(sampling_client, self._desk, index) for index in range(self.num_workers)
        ]
        try:
            ray.get([worker.ready.remote() for worker in self._workers], timeout=timeout)
        except ray.exceptions.GetTimeoutError:
            self.close()
            raise FutureTimeoutError(
                f"The {self.num_workers} Ray sampling workers were not ready within {timeout:g} s "
                "(ready_timeout=...)"
            ) from None
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> SamplingWorkerPool:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def sample_many(
        self,
        prompts: Sequence[ModelInput],
        sampling_params: SamplingParams | Sequence[SamplingParams],
        *,
        num_samples: int = 1,
        include_prompt_logprobs: bool = False,
        topk_prompt_logprobs: int = 0,
        topk_sample_logprobs: int = 0,
        prompt_logprobs_last_n: int | None = None,
        timeout: float = DEFAULT_FUTURE_TIMEOUT_S,
    ) -> list[SampleResponse]:
        """`num_samples` completions of every prompt, in prompt order. `sampling_params` is one
        SamplingParams for all prompts or one per prompt (e.g. a seed each). The options are
        `SamplingClient.sample`'s. `timeout` bounds the whole batch (`FutureTimeoutError`)."""
        if self._closed:
            raise InvalidInputError("This SamplingWorkerPool is closed")
        items = _checked_prompts(prompts)
        params = _params_per_prompt(sampling_params, len(items))
        _positive_int("num_samples", num_samples)
        check_sampling_options(
            include_prompt_logprobs=include_prompt_logprobs,
            topk_sample_logprobs=topk_sample_logprobs,
            target_prompt_logprobs=None,
            prompt_alt_tokens_k=0,
            prompt_logprobs_last_n=prompt_logprobs_last_n,
            record_stability_info=False,
        )
        options = {
            "include_prompt_logprobs": include_prompt_logprobs,
            "topk_prompt_logprobs": topk_prompt_logprobs,
            "topk_sample_logprobs": topk_sample_logprobs,
            "prompt_logprobs_last_n": prompt_logprobs_last_n,
        }
        deadline = time.monotonic() + _positive_seconds("timeout", timeout)
        results: list[SampleResponse | None] = [None] * len(items)
        pending: dict[Any, tuple[int, int]] = {}  # object ref -> (prompt index, worker index)
        handed_out = 0

        def hand_out(worker: int) -> None:
            nonlocal handed_out
            index = handed_out
            handed_out += 1
            call = self._workers[worker].sample.remote(items[index], num_samples, params[index], options)
            pending[call] = (index, worker)

        for _ in range(self.per_worker_in_flight):
            for worker in range(self.num_workers):
                if handed_out < len(items):
                    hand_out(worker)
        try:
            while pending:
                left = deadline - time.monotonic()
                done, _ = ray.wait(list(pending), num_returns=1, timeout=max(left, 0.0))
                if not done:
                    raise FutureTimeoutError(
                        f"sample_many: {len(pending) + len(items) - handed_out} of {len(items)} prompts "
                        f"had no result within {timeout:g} s (timeout=...)"
                    )
                index, worker = pending.pop(done[0])
                results[index] = ray.get(done[0])  # a failed sample raises its (typed) error here
                if handed_out < len(items):
                    hand_out(worker)
        except BaseException:
            for call in pending:
                ray.cancel(call)
            raise
        return cast("list[SampleResponse]", results)  # every index was filled above

    def stats(self) -> PoolStats:
        """The fleet's counters (see `PoolStats`)."""
        desk: dict[str, float] = ray.get(self._desk.stats.remote(), timeout=CLOSE_TIMEOUT_S)
        per_worker = ray.get([w.max_seen_in_flight.remote() for w in self._workers], timeout=CLOSE_TIMEOUT_S)
        return PoolStats(
            in_flight=int(desk["in_flight"]),
            max_seen_in_flight=int(desk["max_seen_in_flight"]),
            worker_max_seen_in_flight=tuple(int(n) for n in per_worker),
            throttled=int(desk["throttled"]),
            limit=float(desk["limit"]),
        )

    def close(self) -> None:
        """Close the workers' HTTP connections (bounded wait) and end the actors. Idempotent."""
        if self._closed:
            return
        self._closed = True
        workers: list[Any] = getattr(self, "_workers", [])
        actors = [*workers, *([self._desk] if hasattr(self, "_desk") else [])]
        try:
            if workers:
                closing = [w.close.remote() for w in workers]
                ray.wait(closing, num_returns=len(closing), timeout=CLOSE_TIMEOUT_S)
        finally:
            for actor in actors:
                ray.kill(actor)


def _checked_prompts(prompts: object) -> list[ModelInput]:
    if isinstance(prompts, ModelInput | str | bytes) or not isinstance(prompts, Sequence):
        raise InvalidInputError(f"prompts must be a sequence of ModelInput, got {type(prompts).__name__}")
    items = list(prompts)
    for index, prompt in enumerate(items):
        if not isinstance(prompt, ModelInput):
            raise InvalidInputError(f"prompts[{index}] must be a ModelInput, got {type(prompt).__name__}")
    return items


def _params_per_prompt(
    sampling_params: SamplingParams | Sequence[SamplingParams], count: int
) -> list[SamplingParams]:
    if isinstance(sampling_params, SamplingParams):
        return [sampling_params] * count
    if not isinstance(sampling_params, Sequence) or isinstance(sampling_params, str | bytes):
        raise InvalidInputError(
            "sampling_params must be a SamplingParams or a sequence of them (one per prompt), got "
            f"{type(sampling_params).__name__}"
        )
    params = list(sampling_params)
    if len(params) != count:
        raise InvalidInputError(f"{len(params)} sampling_params for {count} prompts: give one per prompt")
    for index, item in enumerate(params):
        if not isinstance(item, SamplingParams):
            raise InvalidInputError(
                f"sampling_params[{index}] must be a SamplingParams, got {type(item).__name__}"
            )
    return params


def sample_many(
    sampling_client: SamplingClient,
    prompts: Sequence[ModelInput],
    sampling_params: SamplingParams | Sequence[SamplingParams],
    *,
    num_workers: int = DEFAULT_NUM_WORKERS,
    num_samples: int = 1,
    dispatch: SamplingDispatch | None = None,
    per_worker_in_flight: int | None = None,
    actor_options: Mapping[str, Any] | None = None,
    timeout: float = DEFAULT_FUTURE_TIMEOUT_S,
) -> list[SampleResponse]:
    """Sample every prompt on a `SamplingWorkerPool` of `num_workers` Ray workers started for this call
    (and ended after it); results in prompt order. See `SamplingWorkerPool` for the options."""
    items = _checked_prompts(prompts)  # refused before any worker starts
    params = _params_per_prompt(sampling_params, len(items))
    with SamplingWorkerPool(
        sampling_client,
        num_workers,
        dispatch=dispatch,
        per_worker_in_flight=per_worker_in_flight,
        actor_options=actor_options,
    ) as pool:
        return pool.sample_many(items, params, num_samples=num_samples, timeout=timeout)
