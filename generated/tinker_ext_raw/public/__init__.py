# GENERATED from openapi.yaml by codegen/types_gen.py. DO NOT EDIT.
# Change openapi.yaml (x-tinker-ext-* extensions) or tinker_ext/_behaviour and run `nox -s codegen`.
"""Public types generated from openapi.yaml (import them from `tinker_ext` / `tinker_ext.types`)."""

from ._types import (
    AuditLogEntry,
    AuditLogResponse,
    Checkpoint,
    CheckpointArchiveUrlResponse,
    CheckpointsListResponse,
    CopyWeightsResponse,
    Cursor,
    ExternalWeightsUrlsResponse,
    GetSamplerResponse,
    GetServerCapabilitiesResponse,
    GetSessionResponse,
    HealthResponse,
    ListSessionsResponse,
    OptimStepResponse,
    SupportedModel,
    TrainingRun,
    TrainingRunsResponse,
    WhoamiResponse,
)

__all__ = [
    "AuditLogEntry",
    "AuditLogResponse",
    "Checkpoint",
    "CheckpointArchiveUrlResponse",
    "CheckpointsListResponse",
    "CopyWeightsResponse",
    "Cursor",
    "ExternalWeightsUrlsResponse",
    "GetSamplerResponse",
    "GetServerCapabilitiesResponse",
    "GetSessionResponse",
    "HealthResponse",
    "ListSessionsResponse",
    "OptimStepResponse",
    "SupportedModel",
    "TrainingRun",
    "TrainingRunsResponse",
    "WhoamiResponse",
]
