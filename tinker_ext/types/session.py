"""Session and service bodies: client config, sessions, heartbeats, sampling sessions."""

from __future__ import annotations

from typing import Any, Literal

import attrs
from tinker_ext_raw.public import (
    ClientDynamicConfigResponse,
    CreateSamplingSessionResponse,
    CreateSessionResponse,
    JoinSamplingSessionResponse,
    SessionHeartbeatResponse,
)

from ._wire import WireModel, expect_mapping

__all__ = [
    "ClientConfigRequest",
    "ClientConfigResponse",
    "ClientDynamicConfigResponse",
    "CreateSamplingSessionRequest",
    "CreateSamplingSessionResponse",
    "CreateSessionRequest",
    "CreateSessionResponse",
    "JoinSamplingSessionResponse",
    "SessionHeartbeatRequest",
    "SessionHeartbeatResponse",
]


@attrs.frozen
class ClientConfigRequest(WireModel):
    sdk_version: str


@attrs.frozen
class ClientConfigResponse(WireModel):
    """Server feature flags and limits; every field has a default, unknown flags are ignored."""

    pjwt_auth_enabled: bool = False
    credential_default_source: str = "api_key"
    sample_dispatch_bytes_semaphore_size: int = 10 * 1024 * 1024
    inflight_response_bytes_semaphore_size: int = 50 * 1024 * 1024
    parallel_fwdbwd_chunks: bool = True
    proto_compress_fwdbwd: bool = False
    fwdbwd_max_chunk_len: int | None = None  # server chunk limits (0.25+); None = not published
    fwdbwd_max_chunk_bytes_count: int | None = None
    billing_exception_max_pause_duration_sec: int = 3600
    sample_no_retries: bool = False
    sample_enable_stuck_detection: bool = True
    sample_max_concurrent_requests: int = 2000
    # 0.38 flags, parsed for completeness (tinker-ext's behaviour does not depend on them)
    fwdbwd_dispatch_bytes_semaphore_size: int = 50_000_000
    use_pyqwest_transport: bool = True
    sample_use_retrieve_futures: bool = False
    custom_loss_server_side: bool = False
    sample_join_sampling_session: bool = False

    @classmethod
    def from_json(cls, data: Any) -> ClientConfigResponse:
        body = expect_mapping(data, "ClientConfigResponse")
        kwargs: dict[str, Any] = {}
        for field in attrs.fields(cls):
            value = body.get(field.name)
            if value is None:
                continue
            default = field.default
            expected: type = type(default) if default is not None else int
            if expected is int and isinstance(value, int | float) and not isinstance(value, bool):
                kwargs[field.name] = int(value)
            elif isinstance(value, expected):
                kwargs[field.name] = value
        return cls(**kwargs)


@attrs.frozen
class CreateSessionRequest(WireModel):
    tags: list[str]
    user_metadata: dict[str, Any] | None
    sdk_version: str
    project_id: str | None = None
    display_name: str | None = None  # 0.38
    type: Literal["create_session"] = "create_session"
    # user_metadata is required-but-nullable in the official model; as every None field it is
    # omitted from the JSON (exclude_none); the official SDK sends {} when there is none.


@attrs.frozen
class AuthTokenResponse(WireModel):
    """`POST /api/v1/auth/token`: a JWT for the credential (RestClient.whoami reads its claims)."""

    jwt: str = attrs.field(repr=False)


@attrs.frozen
class JoinSamplingSessionRequest(WireModel):
    sampling_session_id: str
    type: Literal["join_sampling_session"] = "join_sampling_session"


@attrs.frozen
class SessionHeartbeatRequest(WireModel):
    session_id: str
    type: Literal["session_heartbeat"] = "session_heartbeat"


@attrs.frozen
class CreateSamplingSessionRequest(WireModel):
    session_id: str
    sampling_session_seq_id: int
    base_model: str | None = None
    model_path: str | None = None
    type: Literal["create_sampling_session"] = "create_sampling_session"
