"""The checkpoint calls of `TrainingClient`: save and load state, sampler weights, external weights, and
sampling clients made from the model's weights. A mixin of TrainingClient (its request plumbing is there);
the requests take their turns among the client's other calls like every training request."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._training.save_args import check_checkpoint_name, check_metadata, check_recipients
from tinker_ext._wire.answers import invalid_answer
from tinker_ext._wire.calls import turn_request

if TYPE_CHECKING:
    from tinker_ext._sampling.client import SamplingClient
    from tinker_ext._session.context import ClientContext
    from tinker_ext._session.futures import APIFuture
    from tinker_ext._training.request_order import RequestOrder
    from tinker_ext._wire.endpoint import FutureEndpoint
    from tinker_ext._wire.http import ApiRequest
    from tinker_ext._wire.retry_config import RetryConfig
    from tinker_ext.types import (
        GetInfoResponse,
        LoadWeightsResponse,
        SaveWeightsForSamplerResponse,
        SaveWeightsResponse,
    )
    from tinker_ext.types.training import SamplingClientKind, SaveWeightsExternalResponse

__all__ = ["CheckpointCalls"]

T = TypeVar("T")
R = TypeVar("R")


class CheckpointCalls:
    """Checkpoint methods of TrainingClient (which provides the plumbing declared here)."""

    model_id: str
    _ctx: ClientContext
    _order: RequestOrder
    _info: GetInfoResponse | None

    def _request(
        self, endpoint: FutureEndpoint[R, Any], body: R, conflict_name: str | None = None
    ) -> ApiRequest:
        raise NotImplementedError

    def _enqueue(self, request: ApiRequest, convert: Callable[[Any], T], request_type: str) -> APIFuture[T]:
        raise NotImplementedError

    async def _send_and_wait(
        self, request_id: int, request: ApiRequest, convert: Callable[[Any], T], request_type: str
    ) -> T:
        raise NotImplementedError

    def _submit_in_order(
        self, coro: Coroutine[Any, Any, T], ids: range, admissions: range = range(0)
    ) -> APIFuture[T]:
        raise NotImplementedError

    async def _fetch_info(self) -> GetInfoResponse:
        raise NotImplementedError

    def save_state(
        self,
        name: str,
        ttl_seconds: int | None = None,
        overwrite: bool = False,
        user_metadata: Mapping[str, str] | None = None,
    ) -> APIFuture[SaveWeightsResponse]:
        """Save weights and optimizer state as `tinker://RUN/weights/NAME`. `ttl_seconds=None`: never
        expires; `overwrite=True` replaces an existing checkpoint of that name (and its whole
        `user_metadata`)."""
        from tinker_ext.types import SaveWeightsRequest, SaveWeightsResponse

        check_checkpoint_name(name)
        body = SaveWeightsRequest(
            model_id=self.model_id,
            path=name,
            ttl_seconds=ttl_seconds,
            overwrite=overwrite,
            user_metadata=check_metadata(user_metadata),
        )
        request = self._request(endpoints.SAVE_WEIGHTS, body, name)
        return self._enqueue(request, SaveWeightsResponse.from_json, "SaveWeights")

    async def save_state_async(
        self,
        name: str,
        ttl_seconds: int | None = None,
        overwrite: bool = False,
        user_metadata: Mapping[str, str] | None = None,
    ) -> APIFuture[SaveWeightsResponse]:
        return self.save_state(name, ttl_seconds, overwrite, user_metadata)

    def _load(
        self, path: str, weights_access_token: str | None = None, *, optimizer: bool
    ) -> APIFuture[LoadWeightsResponse]:
        from tinker_ext.types import LoadWeightsRequest, LoadWeightsResponse, ParsedCheckpointTinkerPath

        ParsedCheckpointTinkerPath.from_tinker_path(path)  # the one strict parser (no '..', 3 segments)
        body = LoadWeightsRequest(
            model_id=self.model_id, path=path, optimizer=optimizer, weights_access_token=weights_access_token
        )
        request = self._request(endpoints.LOAD_WEIGHTS, body)
        return self._enqueue(request, LoadWeightsResponse.from_json, "LoadWeights")

    def load_state(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        """Load weights only (the optimizer state starts fresh). `weights_access_token` grants access to
        another owner's checkpoint."""
        return self._load(path, weights_access_token, optimizer=False)

    def load_state_with_optimizer(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        return self._load(path, weights_access_token, optimizer=True)

    async def load_state_async(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        return self.load_state(path, weights_access_token)

    async def load_state_with_optimizer_async(
        self, path: str, weights_access_token: str | None = None
    ) -> APIFuture[LoadWeightsResponse]:
        return self.load_state_with_optimizer(path, weights_access_token)

    def save_weights_for_sampler(
        self, name: str, ttl_seconds: int | None = None, user_metadata: Mapping[str, str] | None = None
    ) -> APIFuture[SaveWeightsForSamplerResponse]:
        from tinker_ext.types import SaveWeightsForSamplerRequest, SaveWeightsForSamplerResponse

        check_checkpoint_name(name)
        body = SaveWeightsForSamplerRequest(
            model_id=self.model_id,
            path=name,
            ttl_seconds=ttl_seconds,
            user_metadata=check_metadata(user_metadata),
        )
        request = self._request(endpoints.SAVE_WEIGHTS_FOR_SAMPLER, body, name)
        return self._enqueue(request, SaveWeightsForSamplerResponse.from_wire, "SaveWeightsForSampler")

    async def save_weights_for_sampler_async(
        self, name: str, ttl_seconds: int | None = None, user_metadata: Mapping[str, str] | None = None
    ) -> APIFuture[SaveWeightsForSamplerResponse]:
        return self.save_weights_for_sampler(name, ttl_seconds, user_metadata)

    def save_weights_external(
        self,
        name: str,
        ttl_seconds: int | None = None,
        age_encryption_recipients: Sequence[str] | None = None,
    ) -> APIFuture[SaveWeightsExternalResponse]:
        """Export the weights as downloadable files (`tinker://RUN/external_weights/NAME`; list them
        with `RestClient.get_external_weights_urls`). `age_encryption_recipients`: at most 10 age/SSH
        public keys; the files are then stored encrypted. None arguments are omitted from the body.

        Not supported by the local skyrl-tx server: covered by wire tests only."""
        from tinker_ext.types.training import SaveWeightsExternalRequest, SaveWeightsExternalResponse

        check_checkpoint_name(name)
        body = SaveWeightsExternalRequest(
            model_id=self.model_id,
            path=name,
            ttl_seconds=ttl_seconds,
            age_encryption_recipients=check_recipients(age_encryption_recipients),
        )
        request = self._request(endpoints.SAVE_WEIGHTS_EXTERNAL, body, name)
        return self._enqueue(request, SaveWeightsExternalResponse.from_wire, "SaveWeightsExternal")

    async def save_weights_external_async(
        self,
        name: str,
        ttl_seconds: int | None = None,
        age_encryption_recipients: Sequence[str] | None = None,
    ) -> APIFuture[SaveWeightsExternalResponse]:
        return self.save_weights_external(name, ttl_seconds, age_encryption_recipients)

    def _save_and_sample(
        self, retry_config: RetryConfig | None, record_stability_info: bool, kind: SamplingClientKind
    ) -> APIFuture[SamplingClient]:
        from tinker_ext._sampling.client import SamplingClient
        from tinker_ext._wire.retry_config import check_retry_config
        from tinker_ext.types import SaveWeightsForSamplerRequest, SaveWeightsForSamplerResponseInternal

        if kind not in ("snapshot", "inflight"):
            raise InvalidInputError(f"kind must be 'snapshot' or 'inflight', got {kind!r}")
        check_retry_config(retry_config)
        # Built (and so checked) before a sampling session seq id is taken: a refused call takes none.
        body = SaveWeightsForSamplerRequest(model_id=self.model_id, sampling_session_seq_id=0, kind=kind)
        body = body._replaced(sampling_session_seq_id=self._ctx.next_sampling_session_seq_id())
        # "snapshot" is the server's default: only "inflight" is sent (as 0.38 sends an unset kind)
        request = turn_request(
            endpoints.SAVE_WEIGHTS_FOR_SAMPLER,
            body,
            omit=("kind",) if kind == "snapshot" else (),
            idempotency_key=str(uuid.uuid4()),
        )
        request_id = self._order.reserve()

        async def run() -> SamplingClient:
            result = await self._send_and_wait(
                request_id, request, SaveWeightsForSamplerResponseInternal.from_wire, "SaveWeightsForSampler"
            )
            info = self._info if self._info is not None else await self._fetch_info()
            base_model = info.model_data.model_name
            if result.sampling_session_id:
                return SamplingClient(
                    self._ctx,
                    result.sampling_session_id,
                    base_model=base_model,
                    retry_config=retry_config,
                    record_stability_info=record_stability_info,
                )
            if result.path:
                return await SamplingClient._create(
                    self._ctx,
                    model_path=result.path,
                    base_model=None,
                    known_base_model=base_model,
                    retry_config=retry_config,
                    record_stability_info=record_stability_info,
                )
            raise invalid_answer(
                "SaveWeightsForSamplerResponse", "", "a path or a sampling_session_id", result.to_json()
            )

        return self._submit_in_order(run(), range(request_id, request_id + 1))

    def save_weights_and_get_sampling_client(
        self,
        name: str | None = None,
        retry_config: RetryConfig | None = None,
        record_stability_info: bool = False,
        kind: SamplingClientKind = "snapshot",
    ) -> SamplingClient:
        """Save the current weights for sampling and return a SamplingClient on them (blocking; the
        client also answers `.result()` / `await` like a finished future, the tinker 0.38 style).
        `name` is ignored, as in 0.38 (the save is ephemeral); `kind="inflight"` asks for a sampler
        that follows later inflight saves."""
        return self._save_and_sample(retry_config, record_stability_info, kind).result()

    async def save_weights_and_get_sampling_client_async(
        self,
        name: str | None = None,
        retry_config: RetryConfig | None = None,
        record_stability_info: bool = False,
        kind: SamplingClientKind = "snapshot",
    ) -> SamplingClient:
        return await self._save_and_sample(retry_config, record_stability_info, kind)

    def create_sampling_client(
        self, model_path: str, retry_config: RetryConfig | None = None, record_stability_info: bool = False
    ) -> SamplingClient:
        """A SamplingClient on saved sampler weights `tinker://...` (blocking; see
        `save_weights_and_get_sampling_client` for the calling styles)."""
        from tinker_ext._sampling.client import SamplingClient

        return self._ctx.run(
            SamplingClient._create(
                self._ctx,
                model_path=model_path,
                base_model=None,
                retry_config=retry_config,
                record_stability_info=record_stability_info,
            )
        )

    async def create_sampling_client_async(
        self, model_path: str, retry_config: RetryConfig | None = None, record_stability_info: bool = False
    ) -> SamplingClient:
        from tinker_ext._sampling.client import SamplingClient

        coro = SamplingClient._create(
            self._ctx,
            model_path=model_path,
            base_model=None,
            retry_config=retry_config,
            record_stability_info=record_stability_info,
        )
        return await asyncio.wrap_future(self._ctx.loop.submit(coro))
