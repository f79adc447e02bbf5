# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

Severity = Literal["CRITICAL", "DEBUG", "ERROR", "INFO", "WARNING"]

SEVERITY_VALUES: set[Severity] = {
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "WARNING",
}


def check_severity(value: str) -> Severity:
    if value in SEVERITY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SEVERITY_VALUES!r}")
