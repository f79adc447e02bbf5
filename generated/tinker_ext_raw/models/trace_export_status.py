# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

TraceExportStatus = Literal["failed", "pending", "ready"]

TRACE_EXPORT_STATUS_VALUES: set[TraceExportStatus] = {
    "failed",
    "pending",
    "ready",
}


def check_trace_export_status(value: str) -> TraceExportStatus:
    if value in TRACE_EXPORT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRACE_EXPORT_STATUS_VALUES!r}")
