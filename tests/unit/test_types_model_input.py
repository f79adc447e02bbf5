from __future__ import annotations

import base64
from typing import Any

import numpy as np
import pytest

import tinker_ext.types as t
from tinker_ext._core.exceptions import InvalidInputError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10
JPEG = b"\xff\xd8\xff\xdb" + b"\x01" * 5


def test_from_ints_to_ints_length_and_append() -> None:
    mi = t.ModelInput.from_ints([1, 2, 3])
    assert mi.to_ints() == [1, 2, 3]
    assert mi.length == 3
    extended = mi.append_int(4).append(t.EncodedTextChunk(tokens=[5, 6]))
    assert extended.to_ints() == [1, 2, 3, 4, 5, 6]
    assert len(extended.chunks) == 3  # append_int adds a new chunk, chunks are not merged
    assert mi.to_ints() == [1, 2, 3]  # append returns a new ModelInput
    assert t.ModelInput.empty().length == 0
    assert t.ModelInput.empty().to_json() == {"chunks": []}


def test_tokens_from_numpy_become_python_ints() -> None:
    chunk = t.EncodedTextChunk(tokens=np.array([7, 8], dtype=np.int32))
    assert chunk.tokens == [7, 8]
    assert all(type(tok) is int for tok in chunk.tokens)
    with pytest.raises(InvalidInputError):
        t.EncodedTextChunk(tokens=np.array([0.5]))


def test_to_ints_rejects_image_chunks() -> None:
    mi = t.ModelInput(chunks=[t.ImageChunk(data=PNG, format="png", expected_tokens=2)])
    with pytest.raises(InvalidInputError, match="EncodedTextChunk"):
        mi.to_ints()


def test_length_counts_image_expected_tokens() -> None:
    mi = t.ModelInput(
        chunks=[
            t.EncodedTextChunk(tokens=[1, 2]),
            t.ImageChunk(data=PNG, format="png", expected_tokens=10),
            t.ImageAssetPointerChunk(location="/img.jpeg", format="jpeg", expected_tokens=5),
        ]
    )
    assert mi.length == 17


@pytest.mark.parametrize(
    "chunk",
    [
        t.ImageChunk(data=PNG, format="png"),
        t.ImageAssetPointerChunk(location="https://x/y.png", format="png"),
    ],
)
def test_image_length_without_expected_tokens_is_a_clear_value_error(chunk: Any) -> None:
    with pytest.raises(ValueError, match="expected_tokens"):
        _ = chunk.length
    with pytest.raises(InvalidInputError):
        _ = t.ModelInput(chunks=[chunk]).length


def test_image_chunk_json_is_base64_and_round_trips() -> None:
    chunk = t.ImageChunk(data=JPEG, format="jpeg", expected_tokens=3)
    body = chunk.to_json()
    assert body == {
        "data": base64.b64encode(JPEG).decode(),
        "format": "jpeg",
        "expected_tokens": 3,
        "type": "image",
    }
    assert t.ImageChunk.from_json(body) == chunk
    assert chunk.base64_length == len(body["data"])
    assert "expected_tokens" not in t.ImageChunk(data=JPEG, format="jpeg").to_json()


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"", "png", "empty"),
        (PNG, "gif", "format must be one of jpeg, png"),
        (PNG, "jpeg", "magic bytes"),
        (JPEG, "png", "magic bytes"),
        (b"not an image at all", "png", "magic bytes"),
    ],
)
def test_bad_images_are_rejected_at_construction(data: bytes, fmt: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        t.ImageChunk(data=data, format=fmt)  # type: ignore[arg-type]


def test_image_pointer_rejects_bad_format_and_empty_location() -> None:
    with pytest.raises(InvalidInputError):
        t.ImageAssetPointerChunk(location="/a.webp", format="webp")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        t.ImageAssetPointerChunk(location="", format="png")


def test_expected_tokens_must_be_non_negative_int() -> None:
    with pytest.raises(InvalidInputError):
        t.ImageChunk(data=PNG, format="png", expected_tokens=-1)


def test_model_input_json_round_trip_with_every_chunk_type() -> None:
    dmel = bytes([2, 2, 7, 3])  # dtype 2, ndim 2, dims (7, 3)
    mi = t.ModelInput(
        chunks=[
            t.EncodedTextChunk(tokens=[1]),
            t.ImageChunk(data=PNG, format="png", expected_tokens=4),
            t.ImageAssetPointerChunk(location="s3://b/k.png", format="png", expected_tokens=2),
            t.DmelChunk(dmel=dmel),
        ]
    )
    assert t.ModelInput.from_json(mi.to_json()) == mi
    assert mi.chunks[3].length == 7
    assert mi.length == 1 + 4 + 2 + 7


def test_dmel_length_reads_varint_dims_and_constant_marker() -> None:
    # constant marker, dtype 1, ndim 1, dim0 = 300 (varint 0xAC 0x02)
    assert t.DmelChunk(dmel=bytes([254, 1, 1, 0xAC, 0x02])).length == 300
    with pytest.raises(InvalidInputError):
        _ = t.DmelChunk(dmel=bytes([9, 1, 1])).length


def test_chunk_from_json_accepts_bare_token_chunks_and_rejects_unknown_types() -> None:
    assert t.chunk_from_json({"tokens": [1, 2]}) == t.EncodedTextChunk(tokens=[1, 2])
    with pytest.raises(t.ResponseFormatError):
        t.chunk_from_json({"type": "video"})


def test_from_text_uses_tokenizers_encoding_ids_or_plain_lists() -> None:
    class ListEncoder:
        def encode(self, text: str) -> list[int]:
            return [ord(c) for c in text]

    class Encoding:
        def __init__(self, ids: list[int]) -> None:
            self.ids = ids

    class EncodingEncoder:
        def encode(self, text: str) -> Encoding:
            return Encoding([len(text), 0])

    assert t.ModelInput.from_text("ab", ListEncoder()).to_ints() == [97, 98]
    assert t.ModelInput.from_text("abc", EncodingEncoder()).to_ints() == [3, 0]


def test_model_input_rejects_non_chunks() -> None:
    with pytest.raises(InvalidInputError):
        t.ModelInput(chunks=[[1, 2, 3]])  # type: ignore[list-item]


def test_list_of_numpy_scalars_becomes_plain_ints() -> None:
    chunk = t.EncodedTextChunk(tokens=list(np.array([3, 4], dtype=np.int64)))
    assert chunk.tokens == [3, 4]
    assert all(type(tok) is int for tok in chunk.tokens)
    with pytest.raises(InvalidInputError):
        t.EncodedTextChunk(tokens=[np.float32(1.5)])
