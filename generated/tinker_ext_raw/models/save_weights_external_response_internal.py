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

from ..types import UNSET, Unset

T = TypeVar("T", bound="SaveWeightsExternalResponseInternal")


@_attrs_define
class SaveWeightsExternalResponseInternal:
    path: None | str | Unset = UNSET
    size_bytes: int | None | Unset = UNSET
    type_: Literal["save_weights_external"] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path: None | str | Unset
        if isinstance(self.path, Unset):
            path = UNSET
        else:
            path = self.path

        size_bytes: int | None | Unset
        if isinstance(self.size_bytes, Unset):
            size_bytes = UNSET
        else:
            size_bytes = self.size_bytes

        type_: Literal["save_weights_external"] | None | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if path is not UNSET:
            field_dict["path"] = path
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        path = _parse_path(d.pop("path", UNSET))

        def _parse_size_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        size_bytes = _parse_size_bytes(d.pop("size_bytes", UNSET))

        def _parse_type_(data: object) -> Literal["save_weights_external"] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            type_type_0 = cast(Literal["save_weights_external"], data)
            if type_type_0 != "save_weights_external":
                raise ValueError(f"type_type_0 must match const 'save_weights_external', got '{type_type_0}'")
            return type_type_0
            return cast(Literal["save_weights_external"] | None | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        save_weights_external_response_internal = cls(
            path=path,
            size_bytes=size_bytes,
            type_=type_,
        )

        save_weights_external_response_internal.additional_properties = d
        return save_weights_external_response_internal

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
