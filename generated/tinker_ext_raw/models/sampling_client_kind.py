# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

SamplingClientKind = Literal["inflight", "snapshot"]

SAMPLING_CLIENT_KIND_VALUES: set[SamplingClientKind] = {
    "inflight",
    "snapshot",
}


def check_sampling_client_kind(value: str) -> SamplingClientKind:
    if value in SAMPLING_CLIENT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SAMPLING_CLIENT_KIND_VALUES!r}")
