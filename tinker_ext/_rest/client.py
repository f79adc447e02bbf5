"""`RestClient`: training runs, checkpoints, sessions and samplers (`AdminClient` lives in admin_client).

Plain request/response (no futures on the server side); every method still returns an `APIFuture`, with a
deprecated-style `*_async` twin."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._core.refusal import clears_locals_on_refusal
from tinker_ext._rest.admin_endpoints import AdminEndpoints
from tinker_ext._session.futures import APIFuture
from tinker_ext._session.opening import open_context
from tinker_ext._wire.calls import Call, request_for
from tinker_ext._wire.credentials import ApiKey
from tinker_ext._wire.http_errors import WEIGHTS_ACCESS_TOKEN_HEADER
from tinker_ext._wire.origin import display_origin

if TYPE_CHECKING:
    from tinker_ext._session.context import ClientContext
    from tinker_ext.types import (
        CheckpointArchiveUrlResponse,
        CheckpointsListResponse,
        ExternalWeightsUrlsResponse,
        GetSamplerResponse,
        GetServerCapabilitiesResponse,
        GetSessionResponse,
        ListSessionsResponse,
        SessionSearchRequest,
        SessionSearchResponse,
        TrainingRun,
        TrainingRunsResponse,
        WeightsInfoResponse,
        WhoamiResponse,
    )

__all__ = ["RestClient"]

T = TypeVar("T")
U = TypeVar("U")

# Which resources a REST read covers: your own ("owned", the server's default) or also those shared
# with you ("accessible").
AccessScope = Literal["owned", "accessible"]


def _scope(access_scope: Any) -> str | None:
    """The query value of `access_scope`: omitted for the default "owned" (same meaning, same bytes as
    before the parameter existed), sent for "accessible"."""
    if access_scope not in ("owned", "accessible"):
        raise InvalidInputError(f"access_scope must be 'owned' or 'accessible', got {access_scope!r}")
    return None if access_scope == "owned" else str(access_scope)


def _ignore_answer(_: Any) -> None:
    return None


class RestClient(AdminEndpoints):
    """REST helpers. `RestClient(api_key=..., base_url=...)` or `ServiceClient.create_rest_client()`."""

    @clears_locals_on_refusal
    def __init__(self, *, base_url: str | None = None, api_key: str | None = None, **options: Any) -> None:
        """`options`: the keyword options of `ServiceClient` (transport, retry policy, timeouts, headers,
        limits); anything else raises TypeError."""
        key = None if api_key is None else ApiKey.parse(api_key)
        api_key = None  # the raw key leaves this frame's locals before anything can raise
        self._ctx: ClientContext = open_context(
            api_key=None if key is None else ApiKey.unwrap(key), base_url=base_url, **options
        )
        self._owns_context = True

    @classmethod
    def _from_context(cls, ctx: ClientContext) -> RestClient:
        client = cls.__new__(cls)
        client._ctx = ctx
        client._owns_context = False  # the ServiceClient that made it closes the connections
        return client

    def close(self) -> None:
        """Close the connections of a RestClient built on its own (`RestClient(...)`). One from
        `ServiceClient.create_rest_client()` shares its ServiceClient's connections: closing it does
        nothing, the ServiceClient's close() does. Calling close again does nothing."""
        if not self._owns_context or self._ctx.closed:
            return
        if self._ctx.loop.is_current_thread():  # a callback on the SDK loop: cannot block on it
            self._ctx.submit(self._ctx.aclose())
            return
        self._ctx.run(self._ctx.aclose())

    async def close_async(self) -> None:
        """`close` for async code (does not block the caller's event loop)."""
        if self._owns_context and not self._ctx.closed:
            await asyncio.wrap_future(self._ctx.loop.submit(self._ctx.aclose()))

    def __repr__(self) -> str:
        ctx = getattr(self, "_ctx", None)  # unset while __init__ runs (tracebacks with locals)
        return f"RestClient(origin={display_origin(ctx.http.base_url) if ctx else None!r})"

    def _call(self, call: Call[T], then: Callable[[T], U] | None = None) -> APIFuture[Any]:
        """Send `call` on the SDK loop; its answer parsed into the endpoint's type (then `then` of it)."""

        async def run() -> Any:
            answer = await self._ctx.perform(call)
            return answer if then is None else then(answer)

        return self._ctx.submit(run())

    @staticmethod
    def _parse_path(path: str) -> tuple[str, str, str]:
        from tinker_ext.types import ParsedCheckpointTinkerPath

        parsed = ParsedCheckpointTinkerPath.from_tinker_path(path)
        kind, _, name = parsed.checkpoint_id.partition("/")
        return parsed.training_run_id, kind, name

    async def _weights_info(self, path: str, weights_access_token: str | None = None) -> WeightsInfoResponse:
        from tinker_ext_raw.public import WeightsInfoRequest

        # another owner's checkpoint: the token grants access
        headers = {} if weights_access_token is None else {WEIGHTS_ACCESS_TOKEN_HEADER: weights_access_token}
        return await self._ctx.perform(
            request_for(endpoints.GET_WEIGHTS_INFO, WeightsInfoRequest(tinker_path=path), headers=headers)
        )

    # -- server

    def get_server_capabilities(self) -> APIFuture[GetServerCapabilitiesResponse]:

        return self._call(
            request_for(endpoints.GET_SERVER_CAPABILITIES, None),
        )

    # -- training runs

    def list_training_runs(
        self,
        limit: int = 20,
        offset: int = 0,
        access_scope: AccessScope = "owned",
        project_id: str | None = None,
    ) -> APIFuture[TrainingRunsResponse]:
        """`access_scope="accessible"` also lists runs shared with you; `project_id` filters by project."""

        return self._call(
            request_for(
                endpoints.LIST_TRAINING_RUNS,
                None,
                query={
                    "limit": limit,
                    "offset": offset,
                    "access_scope": _scope(access_scope),
                    "project_id": project_id,
                },
            ),
        )

    def get_training_run(
        self, training_run_id: str, access_scope: AccessScope = "owned"
    ) -> APIFuture[TrainingRun]:

        return self._call(
            request_for(
                endpoints.GET_TRAINING_RUN,
                None,
                training_run_id,
                query={"access_scope": _scope(access_scope)},
            ),
        )

    def get_training_run_by_tinker_path(
        self, tinker_path: str, access_scope: AccessScope = "owned"
    ) -> APIFuture[TrainingRun]:
        run_id, _, _ = self._parse_path(tinker_path)
        return self.get_training_run(run_id, access_scope)

    def get_weights_info_by_tinker_path(self, tinker_path: str) -> APIFuture[WeightsInfoResponse]:
        from tinker_ext_raw.public import WeightsInfoRequest

        return self._call(
            request_for(endpoints.GET_WEIGHTS_INFO, WeightsInfoRequest(tinker_path=tinker_path)),
        )

    # -- checkpoints

    def list_checkpoints(self, training_run_id: str) -> APIFuture[CheckpointsListResponse]:

        return self._call(
            request_for(endpoints.LIST_CHECKPOINTS, None, training_run_id),
        )

    def list_user_checkpoints(self, limit: int = 100, offset: int = 0) -> APIFuture[CheckpointsListResponse]:

        return self._call(
            request_for(endpoints.LIST_USER_CHECKPOINTS, None, query={"limit": limit, "offset": offset}),
        )

    def delete_checkpoint(self, training_run_id: str, checkpoint_id: str) -> APIFuture[None]:
        kind, _, name = checkpoint_id.partition("/")
        return self._call(
            request_for(endpoints.DELETE_CHECKPOINT, None, training_run_id, kind, name), _ignore_answer
        )

    def delete_checkpoint_from_tinker_path(self, tinker_path: str) -> APIFuture[None]:
        run_id, kind, name = self._parse_path(tinker_path)
        return self._call(request_for(endpoints.DELETE_CHECKPOINT, None, run_id, kind, name), _ignore_answer)

    def publish_checkpoint_from_tinker_path(self, tinker_path: str) -> APIFuture[None]:
        run_id, kind, name = self._parse_path(tinker_path)
        return self._call(request_for(endpoints.PUBLISH_CHECKPOINT, None, run_id, kind, name), _ignore_answer)

    def unpublish_checkpoint_from_tinker_path(self, tinker_path: str) -> APIFuture[None]:
        run_id, kind, name = self._parse_path(tinker_path)
        return self._call(
            request_for(endpoints.UNPUBLISH_CHECKPOINT, None, run_id, kind, name), _ignore_answer
        )

    def set_checkpoint_ttl_from_tinker_path(
        self, tinker_path: str, ttl_seconds: int | None
    ) -> APIFuture[None]:
        """`ttl_seconds=None` removes the expiry (sent as JSON null, never omitted)."""
        run_id, kind, name = self._parse_path(tinker_path)
        return self._call(
            # SetCheckpointTtlRequest has no public type: its null must be sent, not omitted
            request_for(endpoints.SET_CHECKPOINT_TTL, {"ttl_seconds": ttl_seconds}, run_id, kind, name),
            _ignore_answer,
        )

    def get_checkpoint_archive_url(
        self, training_run_id: str, checkpoint_id: str
    ) -> APIFuture[CheckpointArchiveUrlResponse]:
        kind, _, name = checkpoint_id.partition("/")
        return self._call(
            request_for(endpoints.GET_CHECKPOINT_ARCHIVE_URL, None, training_run_id, kind, name)
        )

    def get_checkpoint_archive_url_from_tinker_path(
        self, tinker_path: str
    ) -> APIFuture[CheckpointArchiveUrlResponse]:
        run_id, kind, name = self._parse_path(tinker_path)
        return self.get_checkpoint_archive_url(run_id, f"{kind}/{name}")

    def get_external_weights_urls(self, tinker_path: str) -> APIFuture[ExternalWeightsUrlsResponse]:
        """Signed download URLs of an external-weights checkpoint (`tinker://RUN/external_weights/NAME`,
        made by `TrainingClient.save_weights_external`). Not supported by the local skyrl-tx server:
        covered by wire tests only."""

        run_id, kind, name = self._parse_path(tinker_path)
        if kind != "external_weights":
            raise InvalidInputError(
                f"get_external_weights_urls needs a tinker://RUN/external_weights/NAME path, got {tinker_path!r}"
            )
        return self._call(
            request_for(endpoints.GET_EXTERNAL_WEIGHTS_URLS, None, run_id, kind, name),
        )

    def copy_weights(
        self,
        path: str,
        destination_project_id: str | None = None,
        *,
        ttl_seconds: int | None = None,
        weights_access_token: str | None = None,
    ) -> APIFuture[str]:
        """Copy the checkpoint `path` into a project (default: `TINKER_PROJECT_ID`); the result's
        `tinker_path` names the copy. All retries of one call share one `X-Idempotency-Key`; the
        optional access token travels as the `X-Tinker-Weights-Access-Token` header only.
        Not supported by the local skyrl-tx server: covered by wire tests only."""
        project = destination_project_id or os.environ.get("TINKER_PROJECT_ID") or None
        return self._copy_weights(path, project, ttl_seconds, weights_access_token)

    def _copy_weights(
        self, path: str, project: str | None, ttl_seconds: int | None, weights_access_token: str | None
    ) -> APIFuture[str]:
        from tinker_ext.types.rest import CopyWeightsRequest

        if not isinstance(path, str) or not path.startswith("tinker://"):
            raise InvalidInputError(f"Invalid tinker path: {path!r}")
        if not isinstance(project, str) or not project:
            raise InvalidInputError(
                "copy_weights needs a destination project: pass destination_project_id or set TINKER_PROJECT_ID"
            )
        if ttl_seconds is not None and (not isinstance(ttl_seconds, int) or isinstance(ttl_seconds, bool)):
            raise InvalidInputError(f"ttl_seconds must be an int or None, got {type(ttl_seconds).__name__}")
        if weights_access_token is not None and (
            not isinstance(weights_access_token, str) or not weights_access_token
        ):
            raise InvalidInputError("weights_access_token must be a non-empty string or None")
        body = CopyWeightsRequest(source_path=path, destination_project_id=project, ttl_seconds=ttl_seconds)
        key = str(uuid.uuid4())  # one key for the call: every retry carries it
        headers = {} if weights_access_token is None else {WEIGHTS_ACCESS_TOKEN_HEADER: weights_access_token}
        call = request_for(endpoints.COPY_WEIGHTS, body, idempotency_key=key, headers=headers)
        return self._call(call, lambda answer: answer.tinker_path)

    # -- sessions and samplers

    def list_sessions(
        self, limit: int = 20, offset: int = 0, access_scope: AccessScope = "owned"
    ) -> APIFuture[ListSessionsResponse]:

        return self._call(
            request_for(
                endpoints.LIST_SESSIONS,
                None,
                query={"limit": limit, "offset": offset, "access_scope": _scope(access_scope)},
            ),
        )

    def get_session(
        self, session_id: str, access_scope: AccessScope = "owned"
    ) -> APIFuture[GetSessionResponse]:

        return self._call(
            request_for(
                endpoints.GET_SESSION, None, session_id, query={"access_scope": _scope(access_scope)}
            ),
        )

    def get_sampler(self, sampler_id: str) -> APIFuture[GetSamplerResponse]:

        return self._call(
            request_for(endpoints.GET_SAMPLER, None, sampler_id),
        )

    def assign_session_project(self, session_id: str, project_id: str) -> APIFuture[None]:
        """Move a session (and what it created) into a project. Not on the local servers: wire tests."""
        from tinker_ext_raw.public import AssignSessionProjectRequest

        for name, value in (("session_id", session_id), ("project_id", project_id)):
            if not isinstance(value, str) or not value:
                raise InvalidInputError(f"{name} must be a non-empty string, got {value!r}")
        return self._call(
            request_for(
                endpoints.ASSIGN_SESSION_PROJECT,
                AssignSessionProjectRequest(project_id=project_id),
                session_id,
            ),
            _ignore_answer,
        )

    def export_session_trace(self, session_id: str) -> APIFuture[str]:
        """The signed URL (valid about an hour) of a session's Perfetto trace. The server prepares it:
        this polls `sessions/{id}/trace_export` every 5 s until it is ready (or failed: TinkerError)."""
        from tinker_ext._rest.session_trace import poll_trace_export

        if not isinstance(session_id, str) or not session_id:
            raise InvalidInputError(f"session_id must be a non-empty string, got {session_id!r}")
        return self._ctx.submit(poll_trace_export(self._ctx, session_id))

    def search_sessions(self, request: SessionSearchRequest) -> APIFuture[SessionSearchResponse]:
        """Sessions matching `request` (owner, statuses, project, metadata, display name), newest first,
        with `next_cursor` for the next page. Experimental in 0.38; not on the local servers (wire tests)."""
        from tinker_ext.types import SessionSearchRequest

        if not isinstance(request, SessionSearchRequest):
            raise InvalidInputError(f"request must be a SessionSearchRequest, got {type(request).__name__}")
        if isinstance(request.limit, bool) or not isinstance(request.limit, int) or request.limit < 1:
            raise InvalidInputError(f"limit must be an integer >= 1, got {request.limit!r}")
        return self._call(
            request_for(endpoints.SEARCH_SESSIONS, request),
        )

    def whoami(self) -> APIFuture[WhoamiResponse]:
        """Who the credential belongs to, read from the claims of the JWT the server issues for it
        (`POST /api/v1/auth/token`); a server without JWT auth answers with an error."""
        from tinker_ext._rest.session_trace import whoami_from_token

        return self._ctx.submit(whoami_from_token(self._ctx))

    # -- async twins

    async def assign_session_project_async(self, session_id: str, project_id: str) -> None:
        await self.assign_session_project(session_id, project_id)

    async def export_session_trace_async(self, session_id: str) -> str:
        return await self.export_session_trace(session_id)

    async def delete_checkpoint_async(self, training_run_id: str, checkpoint_id: str) -> None:
        await self.delete_checkpoint(training_run_id, checkpoint_id)

    async def publish_checkpoint_from_tinker_path_async(self, tinker_path: str) -> None:
        await self.publish_checkpoint_from_tinker_path(tinker_path)

    async def unpublish_checkpoint_from_tinker_path_async(self, tinker_path: str) -> None:
        await self.unpublish_checkpoint_from_tinker_path(tinker_path)

    async def set_checkpoint_ttl_from_tinker_path_async(
        self, tinker_path: str, ttl_seconds: int | None
    ) -> None:
        await self.set_checkpoint_ttl_from_tinker_path(tinker_path, ttl_seconds)

    async def get_session_async(
        self, session_id: str, access_scope: AccessScope = "owned"
    ) -> GetSessionResponse:
        return await self.get_session(session_id, access_scope)

    async def list_sessions_async(
        self, limit: int = 20, offset: int = 0, access_scope: AccessScope = "owned"
    ) -> ListSessionsResponse:
        return await self.list_sessions(limit, offset, access_scope)

    async def get_sampler_async(self, sampler_id: str) -> GetSamplerResponse:
        return await self.get_sampler(sampler_id)

    async def get_server_capabilities_async(self) -> GetServerCapabilitiesResponse:
        return await self.get_server_capabilities()

    async def list_training_runs_async(
        self,
        limit: int = 20,
        offset: int = 0,
        access_scope: AccessScope = "owned",
        project_id: str | None = None,
    ) -> TrainingRunsResponse:
        return await self.list_training_runs(limit, offset, access_scope, project_id)

    async def get_training_run_async(
        self, training_run_id: str, access_scope: AccessScope = "owned"
    ) -> TrainingRun:
        return await self.get_training_run(training_run_id, access_scope)

    async def get_training_run_by_tinker_path_async(
        self, tinker_path: str, access_scope: AccessScope = "owned"
    ) -> TrainingRun:
        return await self.get_training_run_by_tinker_path(tinker_path, access_scope)

    async def list_checkpoints_async(self, training_run_id: str) -> CheckpointsListResponse:
        return await self.list_checkpoints(training_run_id)

    async def list_user_checkpoints_async(self, limit: int = 100, offset: int = 0) -> CheckpointsListResponse:
        return await self.list_user_checkpoints(limit, offset)

    async def delete_checkpoint_from_tinker_path_async(self, tinker_path: str) -> None:
        await self.delete_checkpoint_from_tinker_path(tinker_path)

    async def get_weights_info_by_tinker_path_async(self, tinker_path: str) -> WeightsInfoResponse:
        return await self.get_weights_info_by_tinker_path(tinker_path)

    async def get_external_weights_urls_async(self, tinker_path: str) -> ExternalWeightsUrlsResponse:
        return await self.get_external_weights_urls(tinker_path)

    async def copy_weights_async(
        self,
        path: str,
        destination_project_id: str | None = None,
        *,
        ttl_seconds: int | None = None,
        weights_access_token: str | None = None,
    ) -> str:
        return await self.copy_weights(
            path, destination_project_id, ttl_seconds=ttl_seconds, weights_access_token=weights_access_token
        )
