# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

AccessScope = Literal["accessible", "owned"]

ACCESS_SCOPE_VALUES: set[AccessScope] = {
    "accessible",
    "owned",
}


def check_access_scope(value: str) -> AccessScope:
    if value in ACCESS_SCOPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ACCESS_SCOPE_VALUES!r}")
