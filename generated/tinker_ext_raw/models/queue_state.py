# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

QueueState = Literal["active", "paused_capacity", "paused_rate_limit"]

QUEUE_STATE_VALUES: set[QueueState] = {
    "active",
    "paused_capacity",
    "paused_rate_limit",
}


def check_queue_state(value: str) -> QueueState:
    if value in QUEUE_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {QUEUE_STATE_VALUES!r}")
