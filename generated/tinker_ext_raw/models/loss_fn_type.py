# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

LossFnType = Literal[
    "cispo", "cross_entropy", "custom", "dro", "gspo", "importance_sampling", "ppo", "stable_reinforce"
]

LOSS_FN_TYPE_VALUES: set[LossFnType] = {
    "cispo",
    "cross_entropy",
    "custom",
    "dro",
    "gspo",
    "importance_sampling",
    "ppo",
    "stable_reinforce",
}


def check_loss_fn_type(value: str) -> LossFnType:
    if value in LOSS_FN_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LOSS_FN_TYPE_VALUES!r}")
