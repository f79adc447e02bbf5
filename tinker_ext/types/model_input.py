"""ModelInput and its chunks: what the model reads (token ids, images, audio features)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol, TypeAlias

from tinker_ext_raw.public import DmelChunk, EncodedTextChunk, ImageAssetPointerChunk, ImageChunk, ModelInput

from tinker_ext._types._token_array import TokenArray

from ._wire import ResponseFormatError, expect_mapping

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

ImageFormat: TypeAlias = Literal["png", "jpeg"]


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


def model_input_from(value: ModelInput | Mapping[str, Any]) -> ModelInput:
    """Accept a ModelInput or its JSON dict."""
    return value if isinstance(value, ModelInput) else ModelInput.from_json(value)
