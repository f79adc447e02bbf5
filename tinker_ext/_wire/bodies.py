"""Request and answer bodies of the HTTP layer: orjson encoding with NaN/inf refused, content types,
JSON decoding into typed errors (re-exported by `_wire.http`)."""

from __future__ import annotations

import math
from typing import Any

import httpx
import numpy as np
import orjson

from tinker_ext._core.exceptions import APIResponseValidationError, InvalidInputError
from tinker_ext._wire import json_arrays

__all__ = ["PROTOBUF_CONTENT_TYPE", "check_finite", "decode_json", "encode_json", "is_protobuf"]

PROTOBUF_CONTENT_TYPE = "application/x-protobuf"


def check_finite(value: Any, where: str) -> None:
    """Reject NaN/inf anywhere in a JSON-able body or numpy array (orjson would silently write them as null)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInputError(
                f"Out of range float value {value!r} at {where}: NaN and inf cannot be sent"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            check_finite(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        if not value:
            return
        first = value[0]
        if isinstance(first, int | float) and not isinstance(first, bool):
            try:
                # Fast path: a non-finite value makes the sum non-finite. Only then look element-wise.
                total = math.fsum(value) if isinstance(first, float) else sum(value)
                if isinstance(total, float) and not math.isfinite(total):
                    raise OverflowError
                return
            except (TypeError, OverflowError, ValueError):
                pass
        for index, item in enumerate(value):
            check_finite(item, f"{where}[{index}]")
    elif isinstance(value, np.ndarray) and value.dtype.kind == "f" and not bool(np.isfinite(value).all()):
        raise InvalidInputError(f"Out of range float value in array at {where}: NaN and inf cannot be sent")


def encode_json(body: Any, *, check: bool = True) -> bytes:
    """Serialise a request body with orjson; NaN/inf raise InvalidInputError before anything is sent.

    `check=False` skips the walk over the body: only for bodies whose floats were checked already
    (e.g. the forward_backward datums, checked on their numpy arrays).
    """
    if check:
        check_finite(body, "body")
    try:
        return orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY)
    except TypeError as exc:
        raise InvalidInputError(f"Request body is not JSON serialisable: {exc}") from None


def is_protobuf(response: httpx.Response) -> bool:
    """A body is protobuf iff its content type says so; everything else is parsed as JSON
    (docs/PROTOCOL.md, Content types and wire generations)."""
    return PROTOBUF_CONTENT_TYPE in response.headers.get("content-type", "").lower()


def decode_json(response: httpx.Response, numpy_dtype: json_arrays.NumpyDtype | None = None) -> Any:
    """The parsed body; the long number arrays `numpy_dtype` names a dtype for as numpy arrays."""
    try:
        if numpy_dtype is not None:
            return json_arrays.loads(response.content, numpy_dtype)
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        raise APIResponseValidationError(
            message=f"Expected a JSON body from {response.request.method} {response.request.url.path}, "
            f"got {response.headers.get('content-type', 'no content type')}",
            response=response,
            body=response.text[:1000],
        ) from None
