# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientDynamicConfigResponse")


@_attrs_define
class ClientDynamicConfigResponse:
    refresh_interval_sec: int | Unset = 300
    sample_cancel_enabled: bool | Unset = False
    sample_cancel_max_batch_size: int | Unset = 64
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        refresh_interval_sec = self.refresh_interval_sec

        sample_cancel_enabled = self.sample_cancel_enabled

        sample_cancel_max_batch_size = self.sample_cancel_max_batch_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if refresh_interval_sec is not UNSET:
            field_dict["refresh_interval_sec"] = refresh_interval_sec
        if sample_cancel_enabled is not UNSET:
            field_dict["sample_cancel_enabled"] = sample_cancel_enabled
        if sample_cancel_max_batch_size is not UNSET:
            field_dict["sample_cancel_max_batch_size"] = sample_cancel_max_batch_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        refresh_interval_sec = d.pop("refresh_interval_sec", UNSET)

        sample_cancel_enabled = d.pop("sample_cancel_enabled", UNSET)

        sample_cancel_max_batch_size = d.pop("sample_cancel_max_batch_size", UNSET)

        client_dynamic_config_response = cls(
            refresh_interval_sec=refresh_interval_sec,
            sample_cancel_enabled=sample_cancel_enabled,
            sample_cancel_max_batch_size=sample_cancel_max_batch_size,
        )

        client_dynamic_config_response.additional_properties = d
        return client_dynamic_config_response

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
