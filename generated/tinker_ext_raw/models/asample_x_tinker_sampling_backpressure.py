# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

AsampleXTinkerSamplingBackpressure = Literal["1"]

ASAMPLE_X_TINKER_SAMPLING_BACKPRESSURE_VALUES: set[AsampleXTinkerSamplingBackpressure] = {
    "1",
}


def check_asample_x_tinker_sampling_backpressure(value: str) -> AsampleXTinkerSamplingBackpressure:
    if value in ASAMPLE_X_TINKER_SAMPLING_BACKPRESSURE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ASAMPLE_X_TINKER_SAMPLING_BACKPRESSURE_VALUES!r}"
    )
