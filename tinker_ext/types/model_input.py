"""ModelInput and its chunks: what the model reads (token ids, images, audio features)."""

from __future__ import annotations

import base64
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from .._exceptions import InvalidInputError
from ._wire import ResponseFormatError, WireModel, expect_mapping, opt_int, req_list, req_str

__all__ = [
    "DmelChunk",
    "EncodedTextChunk",
    "ImageAssetPointerChunk",
    "ImageChunk",
    "ImageFormat",
    "ModelInput",
    "ModelInputChunk",
    "TextEncoder",
    "TokenArray",
    "chunk_from_json",
]

# Token ids held as a read-only 1-D integer numpy array (`ModelInput.from_numpy`), so a large batch does not
# become Python int objects (~36 bytes per token instead of the array's 4 or 8).
TokenArray: TypeAlias = npt.NDArray[np.integer[Any]]

ImageFormat: TypeAlias = Literal["png", "jpeg"]

# Magic bytes each supported image format must start with.
_IMAGE_SIGNATURES: dict[str, bytes] = {
    "png": b"\x89PNG\r\n\x1a\n",
    "jpeg": b"\xff\xd8\xff",
}


def _token_list(value: Iterable[int]) -> list[int]:
    """Token ids as a plain list of ints (numpy/torch/tuples accepted; lists kept as they are)."""
    if isinstance(value, list):
        # Checking the first element keeps this O(1) for the common list-of-int case while still
        # converting lists of numpy scalars (which JSON encoders reject) to plain ints.
        if not value or type(value[0]) is int:
            return value  # the rest is checked at the call (tinker_ext._validation.check_token_ids)
        if any(isinstance(v, bool | np.bool_) for v in value):
            raise InvalidInputError("tokens must be integers, not bools")
        try:
            return [operator.index(v) for v in value]
        except TypeError:
            raise InvalidInputError("tokens must be integers") from None
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iu":
            raise InvalidInputError(f"tokens must be integers, got numpy dtype {value.dtype}")
        return [int(t) for t in value.reshape(-1).tolist()]
    tolist = getattr(value, "tolist", None)  # torch tensors
    if callable(tolist):
        converted = tolist()
        if isinstance(converted, list):
            return converted
    if isinstance(value, str | bytes):
        raise InvalidInputError("tokens must be a sequence of ints, not a string")
    return list(value)


def _token_array(value: Any) -> TokenArray:
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


def _same_tokens(a: list[int] | TokenArray, b: list[int] | TokenArray) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b))
    return a == b


def _check_expected_tokens(instance: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(f"{attribute.name} must be a non-negative int or None, got {value!r}")


def _check_format(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if value not in _IMAGE_SIGNATURES:
        raise InvalidInputError(
            f"unsupported image format {value!r}; supported: {', '.join(sorted(_IMAGE_SIGNATURES))}"
        )


def _image_bytes(value: bytes | bytearray | memoryview | str) -> bytes:
    """Raw image bytes; a `str` is taken as base64 (what the JSON wire carries)."""
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except ValueError as exc:
            raise InvalidInputError("image data given as str must be valid base64") from exc
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if not isinstance(value, bytes):
        raise InvalidInputError(f"image data must be bytes, got {type(value).__name__}")
    return value


def _base64_length(num_bytes: int) -> int:
    return 4 * ((num_bytes + 2) // 3)


@attrs.frozen
class EncodedTextChunk(WireModel):
    """Token ids. JSON: `{"tokens": [...], "type": "encoded_text"}`.

    `tokens` is a list of ints, or a read-only numpy view when built with `from_numpy` (no Python int
    per token: what makes GB-sized batches affordable).
    """

    tokens: list[int] | TokenArray = attrs.field(
        converter=_token_list, eq=attrs.cmp_using(eq=_same_tokens, require_same_type=False)
    )
    type: Literal["encoded_text"] = "encoded_text"

    @classmethod
    def from_numpy(cls, tokens: TokenArray) -> EncodedTextChunk:
        """A chunk holding a read-only view of `tokens` (1-D, integer dtype; not copied, so do not
        modify the array until the requests using it were sent)."""
        array = _token_array(tokens)
        chunk = cls(tokens=[])
        object.__setattr__(chunk, "tokens", array)  # past the converter, which makes lists of ints
        return chunk

    @property
    def length(self) -> int:
        return len(self.tokens)

    def token_list(self) -> list[int]:
        tokens = self.tokens
        return tokens.tolist() if isinstance(tokens, np.ndarray) else tokens

    def to_json(self) -> dict[str, Any]:
        return {"tokens": self.token_list(), "type": "encoded_text"}

    @classmethod
    def from_json(cls, data: Any) -> EncodedTextChunk:
        body = expect_mapping(data, "EncodedTextChunk")
        return cls(tokens=req_list(body, "tokens", "EncodedTextChunk"))


@attrs.frozen
class ImageChunk(WireModel):
    """An inline image. `data` is raw bytes here and base64 in JSON.

    Rejected at construction: empty data, a format other than png/jpeg, and data whose leading
    bytes are not that format's signature.
    """

    data: bytes = attrs.field(converter=_image_bytes, repr=lambda d: f"<{len(d)} bytes>")
    format: ImageFormat = attrs.field(validator=_check_format)
    expected_tokens: int | None = attrs.field(default=None, validator=_check_expected_tokens)
    type: Literal["image"] = "image"

    def __attrs_post_init__(self) -> None:
        if not self.data:
            raise InvalidInputError("ImageChunk data is empty")
        if not self.data.startswith(_IMAGE_SIGNATURES[self.format]):
            raise InvalidInputError(
                f"ImageChunk data does not look like a {self.format} image (wrong magic bytes)"
            )

    @property
    def length(self) -> int:
        if self.expected_tokens is None:
            raise InvalidInputError("ImageChunk.length needs expected_tokens to be set")
        return self.expected_tokens

    @property
    def base64_length(self) -> int:
        """Length of the base64 text of `data` on the JSON wire (computed, not encoded)."""
        return _base64_length(len(self.data))

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"data": base64.b64encode(self.data).decode("ascii"), "format": self.format}
        if self.expected_tokens is not None:
            body["expected_tokens"] = self.expected_tokens
        body["type"] = "image"
        return body

    @classmethod
    def from_json(cls, data: Any) -> ImageChunk:
        body = expect_mapping(data, "ImageChunk")
        return cls(
            data=req_str(body, "data", "ImageChunk"),
            format=req_str(body, "format", "ImageChunk"),  # type: ignore[arg-type]
            expected_tokens=opt_int(body, "expected_tokens", "ImageChunk"),
        )


@attrs.frozen
class ImageAssetPointerChunk(WireModel):
    """An image referenced by path or URL (JSON requests only; sampling)."""

    format: ImageFormat = attrs.field(validator=_check_format)
    location: str = attrs.field(validator=attrs.validators.instance_of(str))
    expected_tokens: int | None = attrs.field(default=None, validator=_check_expected_tokens)
    type: Literal["image_asset_pointer"] = "image_asset_pointer"

    def __attrs_post_init__(self) -> None:
        if not self.location:
            raise InvalidInputError("ImageAssetPointerChunk location is empty")

    @property
    def length(self) -> int:
        if self.expected_tokens is None:
            raise InvalidInputError("ImageAssetPointerChunk.length needs expected_tokens to be set")
        return self.expected_tokens

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"format": self.format, "location": self.location}
        if self.expected_tokens is not None:
            body["expected_tokens"] = self.expected_tokens
        body["type"] = "image_asset_pointer"
        return body

    @classmethod
    def from_json(cls, data: Any) -> ImageAssetPointerChunk:
        body = expect_mapping(data, "ImageAssetPointerChunk")
        return cls(
            format=req_str(body, "format", "ImageAssetPointerChunk"),  # type: ignore[arg-type]
            location=req_str(body, "location", "ImageAssetPointerChunk"),
            expected_tokens=opt_int(body, "expected_tokens", "ImageAssetPointerChunk"),
        )


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


@attrs.frozen
class DmelChunk(WireModel):
    """Serialized TensorContainer bytes of DMel audio tokens; base64 in JSON."""

    dmel: bytes = attrs.field(converter=_image_bytes, repr=lambda d: f"<{len(d)} bytes>")
    type: Literal["dmel"] = "dmel"

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

    def to_json(self) -> dict[str, Any]:
        return {"dmel": base64.b64encode(self.dmel).decode("ascii"), "type": "dmel"}

    @classmethod
    def from_json(cls, data: Any) -> DmelChunk:
        body = expect_mapping(data, "DmelChunk")
        return cls(dmel=req_str(body, "dmel", "DmelChunk"))


ModelInputChunk: TypeAlias = EncodedTextChunk | ImageAssetPointerChunk | ImageChunk | DmelChunk

_CHUNK_TYPES: dict[str, Any] = {
    "encoded_text": EncodedTextChunk,
    "image": ImageChunk,
    "image_asset_pointer": ImageAssetPointerChunk,
    "dmel": DmelChunk,
}


def chunk_from_json(data: Any) -> ModelInputChunk:
    """Parse one chunk by its `type` discriminator (a bare `{"tokens": [...]}` is a text chunk)."""
    body = expect_mapping(data, "ModelInputChunk")
    kind = body.get("type", "encoded_text" if "tokens" in body else None)
    chunk_cls = _CHUNK_TYPES.get(kind) if isinstance(kind, str) else None
    if chunk_cls is None:
        raise ResponseFormatError(f"ModelInputChunk: unknown chunk type {kind!r}")
    chunk: ModelInputChunk = chunk_cls.from_json(body)
    return chunk


class TextEncoder(Protocol):
    """Anything with `encode(text)`: a `tokenizers.Tokenizer` (returns an Encoding with `.ids`) or a
    transformers tokenizer (returns a list of ids)."""

    def encode(self, text: str) -> Any: ...


def _chunk_list(value: Iterable[ModelInputChunk]) -> list[ModelInputChunk]:
    return value if isinstance(value, list) else list(value)


def _check_chunks(instance: Any, attribute: attrs.Attribute[Any], value: list[Any]) -> None:
    for chunk in value:
        if not isinstance(chunk, EncodedTextChunk | ImageChunk | ImageAssetPointerChunk | DmelChunk):
            raise InvalidInputError(
                f"ModelInput chunks must be ModelInputChunk objects, got {type(chunk).__name__}"
            )


@attrs.frozen
class ModelInput(WireModel):
    """A sequence of chunks. JSON: `{"chunks": [chunk, ...]}`."""

    chunks: list[ModelInputChunk] = attrs.field(converter=_chunk_list, validator=_check_chunks)

    @classmethod
    def from_ints(cls, tokens: Sequence[int]) -> ModelInput:
        return cls(chunks=[EncodedTextChunk(tokens=tokens)])

    @classmethod
    def from_numpy(cls, tokens: TokenArray) -> ModelInput:
        """One text chunk holding a read-only view of the 1-D integer array `tokens` (no copy, no Python
        ints; see `EncodedTextChunk.from_numpy`)."""
        return cls(chunks=[EncodedTextChunk.from_numpy(tokens)])

    @classmethod
    def from_text(cls, text: str, tokenizer: TextEncoder) -> ModelInput:
        """Tokenize `text` with `tokenizer` into a one-chunk ModelInput."""
        encoded = tokenizer.encode(text)
        ids = getattr(encoded, "ids", encoded)
        return cls.from_ints(list(ids))

    @classmethod
    def empty(cls) -> ModelInput:
        return cls(chunks=[])

    def to_ints(self) -> list[int]:
        """All token ids; only valid when every chunk is an EncodedTextChunk."""
        tokens: list[int] = []
        for chunk in self.chunks:
            if not isinstance(chunk, EncodedTextChunk):
                raise InvalidInputError(
                    f"to_ints needs only EncodedTextChunk chunks, found {type(chunk).__name__}"
                )
            tokens.extend(chunk.token_list())
        return tokens

    @property
    def length(self) -> int:
        """Context length in tokens (image chunks count their expected_tokens)."""
        return sum(chunk.length for chunk in self.chunks)

    def append(self, chunk: ModelInputChunk) -> ModelInput:
        """A new ModelInput with `chunk` added at the end."""
        return ModelInput(chunks=[*self.chunks, chunk])

    def append_int(self, token: int) -> ModelInput:
        """A new ModelInput with a one-token text chunk added at the end."""
        return self.append(EncodedTextChunk(tokens=[token]))

    def to_json(self) -> dict[str, Any]:
        return {"chunks": [chunk.to_json() for chunk in self.chunks]}

    @classmethod
    def from_json(cls, data: Any) -> ModelInput:
        body = expect_mapping(data, "ModelInput")
        return cls(chunks=[chunk_from_json(c) for c in req_list(body, "chunks", "ModelInput")])


def model_input_from(value: ModelInput | Mapping[str, Any]) -> ModelInput:
    """Accept a ModelInput or its JSON dict."""
    return value if isinstance(value, ModelInput) else ModelInput.from_json(value)
