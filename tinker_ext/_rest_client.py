"""`RestClient`: training runs, checkpoints, sessions and samplers (plain request/response, no futures
on the server side; every method still returns an `APIFuture`, with a deprecated-style `*_async` twin)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from tinker_ext._futures import APIFuture
from tinker_ext._http import ApiRequest, generated_request, parse_generated

if TYPE_CHECKING:
    from tinker_ext._service_client import ClientContext

__all__ = ["RestClient"]

T = TypeVar("T")


def _typed(model: str, public: Callable[[Any], T]) -> Callable[[Any], T]:
    def convert(data: Any) -> T:
        parse_generated(model, data)
        return public(data)

    return convert


def _ignore(_: Any) -> None:
    return None


class RestClient:
    """REST helpers. `RestClient(api_key=..., base_url=...)` or `ServiceClient.create_rest_client()`."""

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None, **kwargs: Any) -> None:
        from tinker_ext._service_client import ServiceClient

        self._ctx: ClientContext = ServiceClient(api_key=api_key, base_url=base_url, **kwargs)._ctx

    @classmethod
    def _from_context(cls, ctx: ClientContext) -> RestClient:
        client = cls.__new__(cls)
        client._ctx = ctx
        return client

    def __repr__(self) -> str:
        return f"RestClient(base_url={self._ctx.http.base_url!r})"

    def _call(self, request: ApiRequest, convert: Callable[[Any], T]) -> APIFuture[T]:
        from tinker_ext._http import decode_model

        async def run() -> T:
            response = await self._ctx.http.send(request)
            if not response.content:
                return decode_model(None, convert, response)
            from tinker_ext._http import decode_json

            return decode_model(decode_json(response), convert, response)

        return self._ctx.submit(run())

    @staticmethod
    def _parse_path(path: str) -> tuple[str, str, str]:
        from tinker_ext.types import ParsedCheckpointTinkerPath

        parsed = ParsedCheckpointTinkerPath.from_tinker_path(path)
        kind, _, name = parsed.checkpoint_id.partition("/")
        return parsed.training_run_id, kind, name

    async def _weights_info(self, path: str) -> Mapping[str, Any]:
        data = await self._ctx.call(
            generated_request(
                "weights.get_weights_info", body={"tinker_path": path}, body_model="WeightsInfoRequest"
            )
        )
        parse_generated("WeightsInfoResponse", data)
        result: Mapping[str, Any] = data
        return result

    # -- server

    def get_server_capabilities(self) -> APIFuture[Any]:
        from tinker_ext.types import GetServerCapabilitiesResponse

        return self._call(
            generated_request("service.get_server_capabilities"),
            _typed("GetServerCapabilitiesResponse", GetServerCapabilitiesResponse.from_json),
        )

    # -- training runs

    def list_training_runs(self, limit: int = 20, offset: int = 0) -> APIFuture[Any]:
        from tinker_ext.types import TrainingRunsResponse

        return self._call(
            generated_request("rest.list_training_runs", limit=limit, offset=offset),
            _typed("TrainingRunsResponse", TrainingRunsResponse.from_json),
        )

    def get_training_run(self, training_run_id: str) -> APIFuture[Any]:
        from tinker_ext.types import TrainingRun

        return self._call(
            generated_request("rest.get_training_run", training_run_id),
            _typed("TrainingRun", TrainingRun.from_json),
        )

    def get_training_run_by_tinker_path(self, tinker_path: str) -> APIFuture[Any]:
        run_id, _, _ = self._parse_path(tinker_path)
        return self.get_training_run(run_id)

    def get_weights_info_by_tinker_path(self, tinker_path: str) -> APIFuture[Any]:
        from tinker_ext.types import WeightsInfoResponse

        return self._call(
            generated_request(
                "weights.get_weights_info", body={"tinker_path": tinker_path}, body_model="WeightsInfoRequest"
            ),
            _typed("WeightsInfoResponse", WeightsInfoResponse.from_json),
        )

    # -- checkpoints

    def list_checkpoints(self, training_run_id: str) -> APIFuture[Any]:
        from tinker_ext.types import CheckpointsListResponse

        return self._call(
            generated_request("rest.list_checkpoints", training_run_id),
            _typed("CheckpointsListResponse", CheckpointsListResponse.from_json),
        )

    def list_user_checkpoints(self, limit: int = 100, offset: int = 0) -> APIFuture[Any]:
        from tinker_ext.types import CheckpointsListResponse

        return self._call(
            generated_request("rest.list_user_checkpoints", limit=limit, offset=offset),
            _typed("CheckpointsListResponse", CheckpointsListResponse.from_json),
        )

    def delete_checkpoint(self, training_run_id: str, checkpoint_id: str) -> APIFuture[None]:
        kind, _, name = checkpoint_id.partition("/")
        return self._call(generated_request("rest.delete_checkpoint", training_run_id, kind, name), _ignore)

    def delete_checkpoint_from_tinker_path(self, tinker_path: str) -> APIFuture[None]:
        run_id, kind, name = self._parse_path(tinker_path)
        return self._call(generated_request("rest.delete_checkpoint", run_id, kind, name), _ignore)

    def publish_checkpoint_from_tinker_path(self, tinker_path: str) -> APIFuture[None]:
        run_id, kind, name = self._parse_path(tinker_path)
        return self._call(generated_request("rest.publish_checkpoint", run_id, kind, name), _ignore)

    def unpublish_checkpoint_from_tinker_path(self, tinker_path: str) -> APIFuture[None]:
        run_id, kind, name = self._parse_path(tinker_path)
        return self._call(generated_request("rest.unpublish_checkpoint", run_id, kind, name), _ignore)

    def set_checkpoint_ttl_from_tinker_path(
        self, tinker_path: str, ttl_seconds: int | None
    ) -> APIFuture[None]:
        """`ttl_seconds=None` removes the expiry (sent as JSON null, never omitted)."""
        run_id, kind, name = self._parse_path(tinker_path)
        return self._call(
            generated_request(
                "rest.set_checkpoint_ttl",
                run_id,
                kind,
                name,
                body={"ttl_seconds": ttl_seconds},
                body_model="SetCheckpointTtlRequest",
            ),
            _ignore,
        )

    def get_checkpoint_archive_url(self, training_run_id: str, checkpoint_id: str) -> APIFuture[Any]:
        kind, _, name = checkpoint_id.partition("/")
        return self._call(
            generated_request("rest.get_checkpoint_archive_url", training_run_id, kind, name),
            lambda d: parse_generated("CheckpointArchiveUrlResponse", d),
        )

    def get_checkpoint_archive_url_from_tinker_path(self, tinker_path: str) -> APIFuture[Any]:
        run_id, kind, name = self._parse_path(tinker_path)
        return self.get_checkpoint_archive_url(run_id, f"{kind}/{name}")

    # -- sessions and samplers

    def list_sessions(self, limit: int = 20, offset: int = 0) -> APIFuture[Any]:
        from tinker_ext.types import ListSessionsResponse

        return self._call(
            generated_request("rest.list_sessions", limit=limit, offset=offset),
            _typed("ListSessionsResponse", ListSessionsResponse.from_json),
        )

    def get_session(self, session_id: str) -> APIFuture[Any]:
        from tinker_ext.types import GetSessionResponse

        return self._call(
            generated_request("rest.get_session", session_id),
            _typed("GetSessionResponse", GetSessionResponse.from_json),
        )

    def get_sampler(self, sampler_id: str) -> APIFuture[Any]:
        from tinker_ext.types import GetSamplerResponse

        return self._call(
            generated_request("rest.get_sampler", sampler_id),
            _typed("GetSamplerResponse", GetSamplerResponse.from_json),
        )

    # -- async twins

    async def get_server_capabilities_async(self) -> Any:
        return await self.get_server_capabilities()

    async def list_training_runs_async(self, limit: int = 20, offset: int = 0) -> Any:
        return await self.list_training_runs(limit, offset)

    async def get_training_run_async(self, training_run_id: str) -> Any:
        return await self.get_training_run(training_run_id)

    async def get_training_run_by_tinker_path_async(self, tinker_path: str) -> Any:
        return await self.get_training_run_by_tinker_path(tinker_path)

    async def list_checkpoints_async(self, training_run_id: str) -> Any:
        return await self.list_checkpoints(training_run_id)

    async def list_user_checkpoints_async(self, limit: int = 100, offset: int = 0) -> Any:
        return await self.list_user_checkpoints(limit, offset)

    async def delete_checkpoint_from_tinker_path_async(self, tinker_path: str) -> None:
        await self.delete_checkpoint_from_tinker_path(tinker_path)

    async def get_weights_info_by_tinker_path_async(self, tinker_path: str) -> Any:
        return await self.get_weights_info_by_tinker_path(tinker_path)
