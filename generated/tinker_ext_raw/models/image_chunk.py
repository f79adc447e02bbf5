# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_format import ImageFormat, check_image_format
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageChunk")


@_attrs_define
class ImageChunk:
    data: str
    """ Image bytes, base64 encoded. """
    format_: ImageFormat
    type_: Literal["image"] = "image"
    expected_tokens: int | None | Unset = UNSET
    """ Advisory token count; the server may fail fast on a mismatch. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        format_: str = self.format_

        type_ = self.type_

        expected_tokens: int | None | Unset
        if isinstance(self.expected_tokens, Unset):
            expected_tokens = UNSET
        else:
            expected_tokens = self.expected_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "format": format_,
                "type": type_,
            }
        )
        if expected_tokens is not UNSET:
            field_dict["expected_tokens"] = expected_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = d.pop("data")

        format_ = check_image_format(d.pop("format"))

        type_ = cast(Literal["image"], d.pop("type"))
        if type_ != "image":
            raise ValueError(f"type must match const 'image', got '{type_}'")

        def _parse_expected_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expected_tokens = _parse_expected_tokens(d.pop("expected_tokens", UNSET))

        image_chunk = cls(
            data=data,
            format_=format_,
            type_=type_,
            expected_tokens=expected_tokens,
        )

        image_chunk.additional_properties = d
        return image_chunk

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
