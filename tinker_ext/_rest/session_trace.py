"""REST helpers that are more than one request: the session trace export (polled until the server has
prepared it) and `whoami` (the claims of the JWT the server issues for the credential)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import APIResponseValidationError, TinkerError
from tinker_ext._wire.answers import invalid_answer
from tinker_ext._wire.calls import request_for

if TYPE_CHECKING:
    from tinker_ext._session.context import ClientContext
    from tinker_ext.types import WhoamiResponse

__all__ = ["TRACE_POLL_INTERVAL_S", "poll_trace_export", "whoami_from_token"]

TRACE_POLL_INTERVAL_S = 5.0
MAX_TRACE_POLLS = 720  # one hour of polling at 5 s


async def poll_trace_export(ctx: ClientContext, session_id: str) -> str:
    """Poll `GET sessions/{id}/trace_export` until `ready` (its signed URL) or `failed` (TinkerError)."""
    for _ in range(MAX_TRACE_POLLS):
        # TraceExportResponse has no public type (its status is an open enum): read here, checked alike
        data = await ctx.perform(request_for(endpoints.EXPORT_SESSION_TRACE, None, session_id))
        status = data.get("status") if isinstance(data, dict) else None
        if not isinstance(status, str):
            raise invalid_answer("TraceExportResponse", "/status", "a string", data)
        if status == "ready":
            url = data.get("url")
            if not isinstance(url, str) or not url:
                raise invalid_answer("TraceExportResponse", "/url", "a non-empty string when ready", data)
            return url
        if status == "failed":
            raise TinkerError(
                f"Trace export of session {session_id} failed: {data.get('error') or 'no detail'}"
            )
        await ctx.http.timing.sleep(TRACE_POLL_INTERVAL_S)
    raise TinkerError(f"Trace export of session {session_id} was not ready after {MAX_TRACE_POLLS} polls")


def _bad_jwt(detail: str) -> APIResponseValidationError:
    return invalid_answer(
        "AuthTokenResponse", "/jwt", "a JWT with 'sub' and 'org_id' claims", None, None, detail
    )


def _jwt_claims(token: Any) -> dict[str, Any]:
    if not isinstance(token, str) or token.count(".") != 2:
        raise _bad_jwt("not a JWT")
    payload = token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError):
        raise _bad_jwt("unreadable claims") from None
    if not isinstance(claims, dict):
        raise _bad_jwt("claims are not an object")
    return claims


async def whoami_from_token(ctx: ClientContext) -> WhoamiResponse:
    from tinker_ext_raw.public import AuthTokenRequest

    from tinker_ext.types import WhoamiResponse

    answer = await ctx.perform(request_for(endpoints.AUTH_TOKEN, AuthTokenRequest()))
    claims = _jwt_claims(answer.jwt)
    user, org = claims.get("sub"), claims.get("org_id")
    if not isinstance(user, str) or org is None:
        raise _bad_jwt("claims lack 'sub' or 'org_id'")
    email = claims.get("email")
    return WhoamiResponse(
        user_urn=user,
        org_urn=f"tml:organization:{org}",
        email=email if isinstance(email, str) and email else None,
    )
