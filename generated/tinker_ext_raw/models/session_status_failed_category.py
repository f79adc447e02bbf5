# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

SessionStatusFailedCategory = Literal["internal", "user"]

SESSION_STATUS_FAILED_CATEGORY_VALUES: set[SessionStatusFailedCategory] = {
    "internal",
    "user",
}


def check_session_status_failed_category(value: str) -> SessionStatusFailedCategory:
    if value in SESSION_STATUS_FAILED_CATEGORY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SESSION_STATUS_FAILED_CATEGORY_VALUES!r}")
