"""Behaviour of ModelInput and its chunks: builders, lengths, the token-id field kind, image checks."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Self, cast

import numpy as np

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._types._generated import RecordsGeneratedClass, generated_class
from tinker_ext._types._kind import Bad, Kind
from tinker_ext._types._token_array import TokenArray

if TYPE_CHECKING:
    from tinker_ext.types.model_input import ModelInputChunk, TextEncoder

__all__ = [
    "DmelChunkBehaviour",
    "EncodedTextChunkBehaviour",
    "ImageAssetPointerChunkBehaviour",
    "ImageChunkBehaviour",
    "ModelInputBehaviour",
    "TokenArray",
    "Tokens",
]

# Magic bytes each supported image format must start with.
IMAGE_SIGNATURES: dict[str, bytes] = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}


class Tokens(Kind):
    """Token ids (the `tokens` of EncodedTextChunk): always a new list of ints (the caller's list is copied,
    as 0.38 does); numpy arrays, torch tensors and tuples accepted. A list whose first item is an int is
    copied without a per-item loop: every id is checked at the call (tinker_ext._wire.validation)."""

    __slots__ = ()
    label = "a sequence of int token ids"
    plain = True

    def check(self, value: Any) -> Any:
        if isinstance(value, list):
            if not value or type(value[0]) is int:
                return list(value)
            if any(isinstance(v, bool | np.bool_) for v in value):
                raise Bad("integers, not bools", value)
            try:
                return [operator.index(v) for v in value]
            except TypeError:
                raise Bad("integers", value) from None
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "iu":
                raise Bad(f"integers, not numpy dtype {value.dtype}", value)
            return value.reshape(-1).tolist()
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise Bad(self.label, value)
        tolist = getattr(value, "tolist", None)  # torch tensors
        if callable(tolist):
            converted = tolist()
            if isinstance(converted, list):
                return converted
        return self.check(list(value))


_TOKENS = Tokens()


def token_array(value: Any) -> TokenArray:
    """A read-only view of a 1-D integer array (no copy: the caller's array is what goes on the wire)."""
    if not isinstance(value, np.ndarray):
        raise InvalidInputError(f"from_numpy needs a numpy array of token ids, got {type(value).__name__}")
    if value.dtype.kind not in "iu" or value.ndim != 1:
        raise InvalidInputError(
            f"from_numpy needs a 1-D integer array of token ids, got {value.ndim}-D {value.dtype}"
        )
    view = value.view()
    view.flags.writeable = False
    return view


class EncodedTextChunkBehaviour(RecordsGeneratedClass):
    """`tokens` is a list of ints, or a read-only numpy view when built with `from_numpy` (no Python int
    per token: what makes GB-sized batches affordable)."""

    __slots__ = ()
    tokens: list[int] | TokenArray
    type: str

    @classmethod
    def from_numpy(cls, tokens: TokenArray) -> Self:
        """A chunk holding a read-only view of `tokens` (1-D, integer dtype; not copied, so do not modify
        the array until the requests using it were sent)."""
        return cast(Self, cast(Any, cls)._build({"tokens": token_array(tokens)}))

    def token_list(self) -> list[int]:
        tokens = self.tokens
        return tokens.tolist() if isinstance(tokens, np.ndarray) else tokens

    def to_json(self) -> dict[str, Any]:
        # the request-building hot path: the generic dump gives the same dict, with a few more steps
        return {"tokens": self.token_list(), "type": self.type}

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        mine, theirs = self.tokens, cast(Any, other).tokens
        if isinstance(mine, np.ndarray) or isinstance(theirs, np.ndarray):
            return bool(np.array_equal(mine, theirs))
        return bool(mine == theirs)

    __hash__ = None  # type: ignore[assignment]  # mutable token list: unhashable, like 0.38's model

    @property
    def length(self) -> int:
        return len(self.tokens)


def _expected_tokens_length(chunk: Any) -> int:
    if chunk.expected_tokens is None:
        raise InvalidInputError(f"{type(chunk).__name__}.length needs expected_tokens to be set")
    return int(chunk.expected_tokens)


def _check_expected_tokens(chunk: Any) -> None:
    if chunk.expected_tokens is not None and chunk.expected_tokens < 0:
        raise InvalidInputError(
            f"expected_tokens must be a non-negative int or None, got {chunk.expected_tokens!r}"
        )


class ImageChunkBehaviour:
    """Rejected at construction: empty data, and data whose leading bytes are not its format's signature."""

    __slots__ = ()
    data: bytes
    format: str
    expected_tokens: int | None

    def _validate(self) -> None:
        _check_expected_tokens(self)
        if not self.data:
            raise InvalidInputError("ImageChunk data is empty")
        if not self.data.startswith(IMAGE_SIGNATURES[self.format]):
            raise InvalidInputError(
                f"ImageChunk data does not look like a {self.format} image (wrong magic bytes)"
            )

    @property
    def length(self) -> int:
        return _expected_tokens_length(self)

    @property
    def base64_length(self) -> int:
        """Length of the base64 text of `data` on the JSON wire (computed, not encoded)."""
        return 4 * ((len(self.data) + 2) // 3)


class ImageAssetPointerChunkBehaviour:
    __slots__ = ()
    location: str
    expected_tokens: int | None

    def _validate(self) -> None:
        _check_expected_tokens(self)
        if not self.location:
            raise InvalidInputError("ImageAssetPointerChunk location is empty")

    @property
    def length(self) -> int:
        return _expected_tokens_length(self)


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = 0
    shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise InvalidInputError("DmelChunk: truncated or oversized varint in TensorContainer header")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


class DmelChunkBehaviour:
    __slots__ = ()
    dmel: bytes

    @property
    def length(self) -> int:
        """Dimension 0 of the TensorContainer header."""
        buf = self.dmel
        pos = 1 if buf[:1] == b"\xfe" else 0  # optional "constant tensor" marker
        if pos >= len(buf) or buf[pos] > 7:
            raise InvalidInputError("DmelChunk: invalid TensorContainer dtype byte")
        ndim, pos = _read_varint(buf, pos + 1)
        if ndim < 1:
            raise InvalidInputError("DmelChunk: TensorContainer has no dimensions")
        dim0, _ = _read_varint(buf, pos)
        return dim0


def _text_chunk_class() -> Any:
    return generated_class(EncodedTextChunkBehaviour)  # the generated EncodedTextChunk (it imports us)


def _text_chunk(tokens: Any) -> Any:
    return _text_chunk_class()(tokens=tokens)


class ModelInputBehaviour:
    __slots__ = ()
    chunks: list[ModelInputChunk]

    def to_json(self) -> dict[str, Any]:
        return {"chunks": [chunk.to_json() for chunk in self.chunks]}

    @classmethod
    def from_ints(cls, tokens: Sequence[int]) -> Self:
        # the request-building hot path: the same objects as cls(chunks=[EncodedTextChunk(tokens=tokens)])
        # (same checks, same fields set), built from already checked values
        try:
            chunk = _text_chunk_class()._build({"tokens": _TOKENS.check(tokens)})
        except Bad as exc:
            raise InvalidInputError(f"EncodedTextChunk.tokens must be {exc.expected}") from None
        return cast(Self, cast(Any, cls)._build({"chunks": [chunk]}))

    @classmethod
    def from_numpy(cls, tokens: TokenArray) -> Self:
        """One text chunk holding a read-only view of the 1-D integer array `tokens` (no copy, no Python
        ints; see `EncodedTextChunk.from_numpy`)."""
        return cast(Self, cast(Any, cls)._build({"chunks": [_text_chunk_class().from_numpy(tokens)]}))

    @classmethod
    def from_text(cls, text: str, tokenizer: TextEncoder) -> Self:
        """Tokenize `text` with `tokenizer` into a one-chunk ModelInput."""
        encoded = tokenizer.encode(text)
        ids = getattr(encoded, "ids", encoded)
        return cls.from_ints(list(ids))

    @classmethod
    def empty(cls) -> Self:
        return cast(Self, cast(Any, cls)(chunks=[]))

    def to_ints(self) -> list[int]:
        """All token ids; only valid when every chunk is an EncodedTextChunk."""
        tokens: list[int] = []
        for chunk in self.chunks:
            if getattr(chunk, "type", None) != "encoded_text":
                raise InvalidInputError(
                    f"to_ints needs only EncodedTextChunk chunks, found {type(chunk).__name__}"
                )
            tokens.extend(chunk.token_list())  # type: ignore[union-attr]
        return tokens

    @property
    def length(self) -> int:
        """Context length in tokens (image chunks count their expected_tokens)."""
        return sum(chunk.length for chunk in self.chunks)

    def append(self, chunk: ModelInputChunk) -> Self:
        """A new ModelInput with `chunk` added at the end."""
        return cast(Self, cast(Any, type(self))(chunks=[*self.chunks, chunk]))

    def append_int(self, token: int) -> Self:
        """A new ModelInput with a one-token text chunk added at the end."""
        return self.append(_text_chunk([token]))
