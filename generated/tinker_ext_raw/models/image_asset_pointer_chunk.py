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

T = TypeVar("T", bound="ImageAssetPointerChunk")


@_attrs_define
class ImageAssetPointerChunk:
    format_: ImageFormat
    location: str
    """ Path or URL of the image asset. """
    type_: Literal["image_asset_pointer"] = "image_asset_pointer"
    expected_tokens: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        format_: str = self.format_

        location = self.location

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
                "format": format_,
                "location": location,
                "type": type_,
            }
        )
        if expected_tokens is not UNSET:
            field_dict["expected_tokens"] = expected_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        format_ = check_image_format(d.pop("format"))

        location = d.pop("location")

        type_ = cast(Literal["image_asset_pointer"], d.pop("type"))
        if type_ != "image_asset_pointer":
            raise ValueError(f"type must match const 'image_asset_pointer', got '{type_}'")

        def _parse_expected_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expected_tokens = _parse_expected_tokens(d.pop("expected_tokens", UNSET))

        image_asset_pointer_chunk = cls(
            format_=format_,
            location=location,
            type_=type_,
            expected_tokens=expected_tokens,
        )

        image_asset_pointer_chunk.additional_properties = d
        return image_asset_pointer_chunk

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
