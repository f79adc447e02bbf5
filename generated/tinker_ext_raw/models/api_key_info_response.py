# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.api_key_info_response_details import ApiKeyInfoResponseDetails


T = TypeVar("T", bound="ApiKeyInfoResponse")


@_attrs_define
class ApiKeyInfoResponse:
    key_id: int
    name: str
    note: None | str | Unset = UNSET
    details: ApiKeyInfoResponseDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key_id = self.key_id

        name = self.name

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key_id": key_id,
                "name": name,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_key_info_response_details import ApiKeyInfoResponseDetails  # noqa: PLC0415

        d = dict(src_dict)
        key_id = d.pop("key_id")

        name = d.pop("name")

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        _details = d.pop("details", UNSET)
        details: ApiKeyInfoResponseDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = ApiKeyInfoResponseDetails.from_dict(_details)

        api_key_info_response = cls(
            key_id=key_id,
            name=name,
            note=note,
            details=details,
        )

        api_key_info_response.additional_properties = d
        return api_key_info_response

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
