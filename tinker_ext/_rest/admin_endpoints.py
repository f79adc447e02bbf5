"""The admin endpoints (audit log, billing usage, checkpoint storage) of `AdminClient`, which `RestClient`
also keeps, as 0.38 does (deprecated there). None exist on the local servers: wire tests only."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypeVar

from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._session.raw_access import RawResponses
from tinker_ext._wire.calls import Call, request_for

if TYPE_CHECKING:
    from tinker_ext._session.context import ClientContext
    from tinker_ext._session.futures import APIFuture
    from tinker_ext._session.telemetry import Telemetry
    from tinker_ext.types import AuditLogResponse, BillingUsageResponse, CurrentCheckpointStorageUsageResponse

__all__ = ["AdminEndpoints"]

AUDIT_EVENT_TYPES = ("all", "checkpoints", "projects", "teams", "organizations")
MAX_BILLING_WINDOW = _dt.timedelta(days=14)

T = TypeVar("T")
U = TypeVar("U")


class AdminEndpoints:
    """The admin endpoints (audit log, billing usage, checkpoint storage), on AdminClient and, as 0.38
    keeps them (deprecated there), on RestClient. None exist on the local servers: wire tests only."""

    _ctx: ClientContext

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

    @property
    def with_raw_response(self) -> RawResponses[Self]:
        """This client's methods answering with the `APIResponse` of each call (`.parse()`: the result)."""
        return RawResponses(self, self._ctx)

    def get_telemetry(self) -> Telemetry | None:
        """The telemetry sink (None when TINKER_TELEMETRY turns it off), as 0.38."""
        return self._ctx.telemetry

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
