# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from typing import Literal

ImageFormat = Literal["jpeg", "png"]

IMAGE_FORMAT_VALUES: set[ImageFormat] = {
    "jpeg",
    "png",
}


def check_image_format(value: str) -> ImageFormat:
    if value in IMAGE_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {IMAGE_FORMAT_VALUES!r}")
