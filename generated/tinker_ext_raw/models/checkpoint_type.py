# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

CheckpointType = Literal["external", "sampler", "training"]

CHECKPOINT_TYPE_VALUES: set[CheckpointType] = {
    "external",
    "sampler",
    "training",
}


def check_checkpoint_type(value: str) -> CheckpointType:
    if value in CHECKPOINT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHECKPOINT_TYPE_VALUES!r}")
