"""Session and service bodies: client config, sessions, heartbeats, sampling sessions (generated from
openapi.yaml; the JWT of AuthTokenResponse is redacted in repr by tinker_ext._types.secrets)."""

from __future__ import annotations

from tinker_ext_raw.public import (
    AuthTokenResponse,
    ClientConfigRequest,
    ClientConfigResponse,
    ClientDynamicConfigResponse,
    CreateSamplingSessionRequest,
    CreateSamplingSessionResponse,
    CreateSessionRequest,
    CreateSessionResponse,
    JoinSamplingSessionRequest,
    JoinSamplingSessionResponse,
    SessionHeartbeatRequest,
    SessionHeartbeatResponse,
)

__all__ = [
    "AuthTokenResponse",
    "ClientConfigRequest",
    "ClientConfigResponse",
    "ClientDynamicConfigResponse",
    "CreateSamplingSessionRequest",
    "CreateSamplingSessionResponse",
    "CreateSessionRequest",
    "CreateSessionResponse",
    "JoinSamplingSessionRequest",
    "JoinSamplingSessionResponse",
    "SessionHeartbeatRequest",
    "SessionHeartbeatResponse",
]
