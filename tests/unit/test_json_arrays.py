"""_json_arrays.loads against orjson: on any JSON (strings holding brackets, commas, quotes and escapes,
nested arrays, big and negative ints, exponents, -0.0, any whitespace) it gives orjson's value, with the
arrays it was asked for as numpy arrays whose `tolist()` is orjson's list; on broken JSON it fails as
orjson fails. The scanner's threshold is set to 1 byte here, so that every number array is a candidate."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinker_ext._wire import json_arrays
from tinker_ext._wire.json_arrays import emptied, loads

KEYS = st.sampled_from(["i", "f", "x", "data", "[1,2]", 'a"b', "c\\", "\u00e9[", ",]"])
INTS = st.integers(min_value=-(2**63), max_value=2**64 - 1)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
NUMBER_ARRAYS = (
    st.lists(INTS, max_size=20) | st.lists(FLOATS, max_size=20) | st.lists(INTS | FLOATS, max_size=8)
)
SCALARS = (
    st.none() | st.booleans() | INTS | FLOATS | st.text(alphabet='[],"\\ 0123456789-e.\u00e9\n', max_size=12)
)
VALUES = st.recursive(
    SCALARS | NUMBER_ARRAYS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=30,
)


def wanted(key: str, holder: dict[str, Any]) -> Any:
    """int64 for "i", float64 for "f", float32 for "data", else orjson's list."""
    return {"i": np.int64, "f": np.float64, "data": np.float32}.get(key)


def as_orjson_would(value: Any) -> Any:
    """orjson's value with the arrays `wanted` converts as numpy makes them of orjson's lists."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            dtype = wanted(key, value)
            kinds = set(map(type, item)) if isinstance(item, list) else set()
            if dtype is not None and kinds == {int if dtype is np.int64 else float}:
                try:
                    out[key] = np.array(item, dtype=dtype).tolist()
                    continue
                except OverflowError:
                    pass
            out[key] = as_orjson_would(item)
        return out
    if isinstance(value, list):
        return [as_orjson_would(v) for v in value]
    return value


def read(body: bytes) -> Any:
    """loads with every number array a candidate and read in pieces of a few numbers."""
    with mock.patch.object(json_arrays, "_PIECE_BYTES", 7):
        return listed(loads(body, wanted, min_array_bytes=1))


def listed(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: listed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [listed(v) for v in value]
    return value


def outcome(read: Any, body: bytes) -> tuple[str, Any]:
    try:
        return "ok", read(body)
    except orjson.JSONDecodeError as exc:
        return "error", str(exc)


def encodings(value: Any) -> list[bytes]:
    compact = orjson.dumps(value)
    return [
        compact,
        json.dumps(value, indent=2).encode(),  # Python's repr of floats, newlines, ", " / ": "
        json.dumps(value, separators=(" ,\t", " :\r\n")).encode(),
    ]


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_any_json_reads_as_orjson_reads_it(value: Any) -> None:
    for body in encodings(value):
        # orjson.dumps tells ints from floats and -0.0 from 0.0: equal bytes = the same values and types
        assert orjson.dumps(read(body)) == orjson.dumps(as_orjson_would(orjson.loads(body)))


@settings(max_examples=400, deadline=None)
@given(VALUES, st.data())
def test_broken_json_fails_as_orjson_fails(value: Any, data: st.DataObject) -> None:
    body = bytearray(encodings(value)[data.draw(st.integers(0, 2))])
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(body)))
        if data.draw(st.booleans()) and at < len(body):
            del body[at]
        else:
            body[at:at] = data.draw(
                st.sampled_from([b",", b"[", b"]", b'"', b"-", b".", b"e", b"0", b" ", b"\\"])
            )
    broken = bytes(body)
    expected = outcome(orjson.loads, broken)
    got = outcome(read, broken)
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert orjson.dumps(got[1]) == orjson.dumps(as_orjson_would(expected[1]))
    else:
        assert got[1] == expected[1]  # orjson's own message: the whole body went to it


def test_arrays_become_numpy_only_when_asked_and_of_one_kind() -> None:
    body = orjson.dumps(
        {
            "i": [1, -2, 2**63 - 1],
            "f": [0.5, -0.0, 1e-300],
            "data": [0.1, -2.5, 3e38],
            "x": [1, 2, 3],  # not asked for: orjson's list
            "mixed": {"f": [1, 2.5]},  # mixed: orjson's list (its ints stay ints)
            "nested": {"i": [2**63]},  # beyond int64: orjson's list
            "text": "[1, 2, 3]",  # an array in a string is text
        }
    )
    got = loads(body, wanted, min_array_bytes=1)
    assert got["i"].dtype == np.int64 and got["i"].tolist() == [1, -2, 2**63 - 1]
    assert got["f"].dtype == np.float64 and orjson.dumps(got["f"].tolist()) == b"[0.5,-0.0,1e-300]"
    assert got["data"].dtype == np.float32 and got["data"].tolist() == np.float32([0.1, -2.5, 3e38]).tolist()
    assert got["x"] == [1, 2, 3] and got["mixed"] == {"f": [1, 2.5]} and got["nested"] == {"i": [2**63]}
    assert got["text"] == "[1, 2, 3]"
    assert emptied(got)["i"] == [] and emptied(got)["x"] == [1, 2, 3]


@pytest.mark.parametrize(
    "body",
    [
        b'{"\\u0000": [1, 2, 3]}',  # an escaped NUL: a placeholder could be mistaken for it
        b'{"i": [1, 2, 3], "i": "\\u00000"}',  # a string that reads as the placeholder it replaces
        b'{"i": [1,, 2], "i": [1, 2, 3]}',  # a broken array in a duplicate key orjson drops
        b"{[1, 2, 3]: 1}",  # an array as a key
        b'{"i": "[1, 2, 3]}',  # an unterminated string
        b"[" * 2000 + b"[1, 2, 3]" + b"]" * 2000,  # deeper than orjson reads
    ],
)
def test_what_the_scanner_cannot_stand_for_goes_to_orjson(body: bytes) -> None:
    assert outcome(read, body) == outcome(orjson.loads, body)


@pytest.mark.parametrize("rows", [10, json_arrays.MAX_SCAN_TOKENS])
def test_a_body_of_many_brackets_goes_to_orjson_whole(rows: int) -> None:
    """The scan is a Python step per bracket: past MAX_SCAN_TOKENS orjson reads the body (lists)."""
    body = orjson.dumps({"f": [0.25] * 20_000, "rows": [[1]] * rows})  # "f": 100 KB
    got = loads(body, wanted)
    assert isinstance(got["f"], np.ndarray if rows == 10 else list)
    assert listed(got) == orjson.loads(body)
