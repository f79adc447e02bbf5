"""JSON bodies whose long number arrays become numpy arrays without a Python object per value.

orjson turns a 200 MB answer of numbers into ~25M Python ints/floats (~9x the body in RSS). `loads` finds
the long arrays of number characters in the body bytes (outside strings) and hands orjson a skeleton in
which each is a placeholder string; then, object by object, it reads each such array with orjson, and
when `numpy_dtype(key, holder)` names a dtype for it (its key and the object holding it decide), piece by
piece into a numpy array: only one piece's Python objects (~40k numbers) live at a time. An array is
converted only when all its numbers are of the kind of the dtype (all ints for an integer dtype, all floats
for a float one), so it equals what numpy makes of orjson's list; anything else stays orjson's list.

The result is `orjson.loads(content)` with those arrays converted, and fails exactly when orjson fails:
whatever the scanner is not sure of (a placeholder in a key or not reached, an escaped NUL in the body,
a malformed array, deep nesting) sends the whole body to orjson.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import orjson

__all__ = ["MAX_SCAN_TOKENS", "MIN_ARRAY_BYTES", "NumpyDtype", "emptied", "loads", "sample_values_dtype"]

MIN_ARRAY_BYTES = 64 * 1024  # shorter arrays are left to orjson (their Python objects are cheap)
_PIECE_BYTES = 256 * 1024  # a long array is read in pieces of about this size (~40k numbers)
# The scan takes a Python step per bracket and string: a body with more (not a body of a few long
# arrays: millions of rows, a hostile "[[[[...") goes to orjson, which reads it in C.
MAX_SCAN_TOKENS = 100_000


# Outside strings: a run of anything but quotes and brackets, a string, a long array of number
# characters, a bracket. An `array` match is never inside a string: each string is consumed whole from
# its opening quote, and the matches must cover the body back to back.
@functools.cache
def _tokens(min_array_bytes: int) -> re.Pattern[bytes]:
    return re.compile(
        rb'(?P<other>[^"\[]+)|(?P<string>"[^"\\]*(?:\\.[^"\\]*)*")'
        rb"|(?P<array>\[[-0-9eE+.,\x20\t\n\r]{%d,}\])|(?P<bracket>\[)" % max(min_array_bytes - 2, 0)
    )


# Placeholder prefix: no string of a body read here has it (orjson refuses a raw NUL in a string, and a
# body with an escaped one goes to orjson whole).
_MARK = "\x00"

# (key, the object holding the array) -> the numpy dtype to read it as, or None for orjson's list
NumpyDtype = Callable[[str, dict[str, Any]], type[np.generic] | None]


def sample_values_dtype(key: str, holder: dict[str, Any]) -> type[np.generic] | None:
    """The token ids and logprobs of a sampled sequence in a JSON sample answer (the object holding them
    has a `stop_reason`): read into numpy, which the SampledSequence keeps (a 177 MB answer is ~10x that
    as Python ints). int32 ids (as 0.38 has them; an id past int32 leaves the array to orjson and the
    type's check refuses it), float64 logprobs (the server's values unchanged)."""
    if "stop_reason" not in holder:
        return None
    return np.int32 if key == "tokens" else np.float64 if key == "logprobs" else None


class _NotOneKind(Exception):
    """An array that is not all numbers of the dtype's kind (or not a number array): orjson's list."""


class _Unsure(Exception):
    """The skeleton cannot stand for the body (see the module doc): orjson reads the whole body."""


def _skeleton(content: bytes, min_array_bytes: int) -> tuple[bytes, list[tuple[int, int]]] | None:
    """The body with each long array of number characters replaced by a placeholder, and their spans;
    None if the scan did not cover the body back to back (a malformed string) or found none."""
    pieces: list[bytes] = []
    spans: list[tuple[int, int]] = []
    position = start = 0
    for match in _tokens(min_array_bytes).finditer(content):
        if match.start() != position:
            return None
        position = match.end()
        if match.lastgroup == "array":
            pieces.append(content[start : match.start()])
            pieces.append(b'"\\u0000%d"' % len(spans))
            spans.append(match.span())
            start = position
    if position != len(content) or not spans:
        return None
    pieces.append(content[start:])
    return b"".join(pieces), spans


class _Restorer:
    def __init__(self, content: bytes, spans: list[tuple[int, int]], numpy_dtype: NumpyDtype) -> None:
        self.content = content
        self.spans = spans
        self.numpy_dtype = numpy_dtype
        self.restored = 0

    def array(self, marker: str, key: str | None, holder: dict[str, Any] | None) -> Any:
        start, end = self.spans[int(marker[1:])]
        self.restored += 1
        dtype = None if key is None or holder is None else self.numpy_dtype(key, holder)
        if dtype is not None:
            try:
                return self._numpy(start, end, dtype)
            except _NotOneKind:
                pass
        return orjson.loads(self.content[start:end])  # invalid: JSONDecodeError, orjson's verdict

    def _numpy(self, start: int, end: int, dtype: type[np.generic]) -> np.ndarray[Any, Any]:
        """The array at content[start:end] read piece by piece (cut at commas), each piece by orjson:
        only one piece's Python objects live at a time."""
        content = self.content
        kind = int if np.issubdtype(dtype, np.integer) else float
        # an int dtype narrower than orjson's ints: each piece range-checked (numpy would wrap silently)
        narrow = np.iinfo(np.dtype(dtype)) if kind is int and np.dtype(dtype).itemsize < 8 else None
        out = np.empty(content.count(b",", start, end) + 1, dtype=dtype)
        filled = 0
        position, last = start + 1, end - 1  # after "[", at "]"
        while True:
            cut = content.find(b",", min(position + _PIECE_BYTES, last), last)
            cut = last if cut < 0 else cut
            values = orjson.loads(b"[" + content[position:cut] + b"]")  # JSONDecodeError: invalid
            if set(map(type, values)) - {kind}:
                raise _NotOneKind
            try:
                if narrow is not None:
                    piece = np.array(values, dtype=np.int64)
                    if piece.size and (piece.min() < narrow.min or piece.max() > narrow.max):
                        raise _NotOneKind
                    values = piece
                out[filled : filled + len(values)] = values
            except OverflowError:  # an int beyond the dtype (orjson reads up to u64)
                raise _NotOneKind from None
            filled += len(values)
            if cut == last:
                break
            position = cut + 1
        if filled != len(out):  # an empty piece: "[]" (orjson's list), or "1,]" (orjson refuses it)
            raise _NotOneKind
        return out

    def value(self, value: Any, key: str | None, holder: dict[str, Any] | None) -> Any:
        if isinstance(value, str):
            return self.array(value, key, holder) if value.startswith(_MARK) else value
        if isinstance(value, dict):
            if any(k.startswith(_MARK) for k in value):
                raise _Unsure
            return {k: self.value(v, k, value) for k, v in value.items()}
        if isinstance(value, list) and not set(map(type, value)).isdisjoint((str, dict, list)):
            return [self.value(v, None, None) for v in value]
        return value


def loads(content: bytes, numpy_dtype: NumpyDtype, min_array_bytes: int = MIN_ARRAY_BYTES) -> Any:
    """`orjson.loads(content)`, with the number arrays of at least `min_array_bytes` that `numpy_dtype`
    names a dtype for as numpy arrays."""
    if (
        len(content) < min_array_bytes
        or b"\\u0000" in content
        or content.count(b"[") + content.count(b'"') // 2 > MAX_SCAN_TOKENS
    ):
        return orjson.loads(content)
    found = _skeleton(content, min_array_bytes)
    if found is None:
        return orjson.loads(content)
    skeleton, spans = found
    restorer = _Restorer(content, spans, numpy_dtype)
    try:
        result = restorer.value(orjson.loads(skeleton), None, None)
    except (_Unsure, orjson.JSONDecodeError, RecursionError):
        return orjson.loads(content)  # its verdict, exactly
    if restorer.restored != len(spans):  # a placeholder orjson dropped (a duplicate key): its verdict
        return orjson.loads(content)
    return result


def emptied(value: Any) -> Any:
    """`value` with each numpy array as an empty list: what the generated (spec) checks are given, which
    check that a value is a list, not its items (numpy arrays are no lists to them)."""
    if isinstance(value, np.ndarray):
        return []
    if isinstance(value, dict):
        return {k: emptied(v) for k, v in value.items()}
    if isinstance(value, list) and not set(map(type, value)).isdisjoint((dict, list, np.ndarray)):
        return [emptied(v) for v in value]
    return value
