# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

AuditEventType = Literal["all", "checkpoints", "organizations", "projects", "teams"]

AUDIT_EVENT_TYPE_VALUES: set[AuditEventType] = {
    "all",
    "checkpoints",
    "organizations",
    "projects",
    "teams",
}


def check_audit_event_type(value: str) -> AuditEventType:
    if value in AUDIT_EVENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AUDIT_EVENT_TYPE_VALUES!r}")
