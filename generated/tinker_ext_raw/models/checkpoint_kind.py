# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

CheckpointKind = Literal["external_weights", "sampler_weights", "weights"]

CHECKPOINT_KIND_VALUES: set[CheckpointKind] = {
    "external_weights",
    "sampler_weights",
    "weights",
}


def check_checkpoint_kind(value: str) -> CheckpointKind:
    if value in CHECKPOINT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHECKPOINT_KIND_VALUES!r}")
