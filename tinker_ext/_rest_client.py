"""`RestClient`: training runs, checkpoints, sessions and samplers; `AdminClient`: audit log and billing.

Plain request/response (no futures on the server side); every method still returns an `APIFuture`, with a
deprecated-style `*_async` twin."""

from __future__ import annotations

import asyncio
import datetime as _dt
import os
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

from tinker_ext_raw import endpoints

from tinker_ext._calls import Call, request_for
from tinker_ext._exceptions import InvalidInputError
from tinker_ext._futures import APIFuture
from tinker_ext._http_errors import WEIGHTS_ACCESS_TOKEN_HEADER
from tinker_ext._origin import display_origin
from tinker_ext._refusal import clears_locals_on_refusal

if TYPE_CHECKING:
    from tinker_ext._context import ClientContext
    from tinker_ext.types import (
        AuditLogResponse,
        BillingUsageResponse,
        CheckpointArchiveUrlResponse,
        CheckpointsListResponse,
        CurrentCheckpointStorageUsageResponse,
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

__all__ = ["AdminClient", "RestClient"]

AUDIT_EVENT_TYPES = ("all", "checkpoints", "projects", "teams", "organizations")
MAX_BILLING_WINDOW = _dt.timedelta(days=14)

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


class _AdminEndpoints:
    """The admin endpoints (audit log, billing usage, checkpoint storage), on AdminClient and, as 0.38
    keeps them (deprecated there), on RestClient. None exist on the local servers: wire tests only."""

    def _call(self, call: Call[T], then: Callable[[T], U] | None = None) -> APIFuture[Any]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    async def close_async(self) -> None:
        raise NotImplementedError

    # `with RestClient(...) as rest:` / `async with ...`: closed on leaving the block.
    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        await self.close_async()

    def get_telemetry(self) -> None:
        """Always None: tinker-ext sends no telemetry (0.38 returns its telemetry sink, or None)."""
        return None

    def get_audit_log(
        self, event_type: str = "all", day: _dt.date | str | None = None
    ) -> APIFuture[AuditLogResponse]:
        """Audit entries of one UTC `day` (a date or "YYYY-MM-DD"; None = the server's default)."""

        if event_type not in AUDIT_EVENT_TYPES:
            raise InvalidInputError(
                f"event_type must be one of {list(AUDIT_EVENT_TYPES)}, got {event_type!r}"
            )
        return self._call(
            request_for(
                endpoints.GET_AUDIT_LOG, None, query={"event_type": event_type, "day": _as_date(day)}
            ),
        )

    def get_billing_usage(
        self, starting_on: _dt.datetime | str, ending_before: _dt.datetime | str
    ) -> APIFuture[BillingUsageResponse]:
        """Usage events in [starting_on, ending_before): whole UTC hours, at most 14 days apart. Naive
        datetimes are taken as UTC; both are sent as RFC 3339 in UTC."""

        start = _as_utc_hour(starting_on, "starting_on")
        end = _as_utc_hour(ending_before, "ending_before")
        if end <= start:
            raise InvalidInputError("ending_before must be after starting_on")
        if end - start > MAX_BILLING_WINDOW:
            raise InvalidInputError(f"the billing usage window is at most 14 days, got {end - start}")
        return self._call(
            request_for(
                endpoints.GET_BILLING_USAGE, None, query={"starting_on": start, "ending_before": end}
            ),
        )

    def get_current_checkpoint_storage_usage(
        self, project_id: str | None = None
    ) -> APIFuture[CurrentCheckpointStorageUsageResponse]:

        if project_id is not None and (not isinstance(project_id, str) or not project_id):
            raise InvalidInputError("project_id must be a non-empty string or None")
        return self._call(
            request_for(
                endpoints.GET_CURRENT_CHECKPOINT_STORAGE_USAGE, None, query={"project_id": project_id}
            ),
        )

    async def get_audit_log_async(
        self, event_type: str = "all", day: _dt.date | str | None = None
    ) -> AuditLogResponse:
        return await self.get_audit_log(event_type, day)

    async def get_billing_usage_async(
        self, starting_on: _dt.datetime | str, ending_before: _dt.datetime | str
    ) -> BillingUsageResponse:
        return await self.get_billing_usage(starting_on, ending_before)

    async def get_current_checkpoint_storage_usage_async(
        self, project_id: str | None = None
    ) -> CurrentCheckpointStorageUsageResponse:
        return await self.get_current_checkpoint_storage_usage(project_id)


class RestClient(_AdminEndpoints):
    """REST helpers. `RestClient(api_key=..., base_url=...)` or `ServiceClient.create_rest_client()`."""

    @clears_locals_on_refusal
    def __init__(self, *, base_url: str | None = None, api_key: str | None = None, **options: Any) -> None:
        """`options`: the keyword options of `ServiceClient` (transport, retry policy, timeouts, headers,
        limits); anything else raises TypeError."""
        import tinker_ext  # the package, not _service_client (which imports this module)
        from tinker_ext._credentials import ApiKey

        key = None if api_key is None else ApiKey.parse(api_key)
        api_key = None  # the raw key leaves this frame's locals before anything can raise
        self._ctx: ClientContext = tinker_ext.ServiceClient(
            api_key=None if key is None else ApiKey.unwrap(key), base_url=base_url, **options
        )._ctx
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
        from tinker_ext._session_trace import poll_trace_export

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
        from tinker_ext._session_trace import whoami_from_token

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


class AdminClient(_AdminEndpoints):
    """Audit log and billing (organisation admin endpoints). `AdminClient(api_key=..., base_url=...)`.

    None of these endpoints exist on the local skyrl-tx server: they are covered by wire tests only."""

    @clears_locals_on_refusal
    def __init__(self, *, base_url: str | None = None, api_key: str | None = None, **options: Any) -> None:
        from tinker_ext._credentials import ApiKey

        key = None if api_key is None else ApiKey.parse(api_key)
        api_key = None  # the raw key leaves this frame's locals before anything can raise
        self._rest = RestClient(  # shared plumbing only
            api_key=None if key is None else ApiKey.unwrap(key),  # type: ignore[arg-type]
            base_url=base_url,
            **options,
        )

    def __repr__(self) -> str:
        rest = getattr(self, "_rest", None)  # unset while __init__ runs (tracebacks with locals)
        return f"AdminClient(origin={display_origin(rest._ctx.http.base_url) if rest else None!r})"

    def _call(self, call: Call[T], then: Callable[[T], U] | None = None) -> APIFuture[Any]:
        return self._rest._call(call, then)

    def close(self) -> None:
        """Close the connections (see `RestClient.close`)."""
        self._rest.close()

    async def close_async(self) -> None:
        await self._rest.close_async()


def _as_date(day: _dt.date | str | None) -> _dt.date | None:
    if day is None:
        return None
    if isinstance(day, _dt.datetime):  # a datetime is a date too, but its isoformat() is not a day
        raise InvalidInputError("day must be a date (or 'YYYY-MM-DD'), not a datetime")
    if isinstance(day, _dt.date):
        return day
    if isinstance(day, str):
        try:
            return _dt.date.fromisoformat(day)
        except ValueError:
            pass
    raise InvalidInputError(f"day must be a date or 'YYYY-MM-DD', got {day!r}")


def _as_utc_hour(value: _dt.datetime | str, name: str) -> _dt.datetime:
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInputError(f"{name} must be an RFC 3339 timestamp, got {value!r}") from None
    if not isinstance(value, _dt.datetime):
        raise InvalidInputError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.UTC)
    value = value.astimezone(_dt.UTC)
    if (value.minute, value.second, value.microsecond) != (0, 0, 0):
        raise InvalidInputError(f"{name} must be on a whole UTC hour, got {value.isoformat()}")
    return value
