# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.checkpoint_storage_usage_item import CheckpointStorageUsageItem


T = TypeVar("T", bound="CurrentCheckpointStorageUsageResponse")


@_attrs_define
class CurrentCheckpointStorageUsageResponse:
    data: list[CheckpointStorageUsageItem]
    effective_rate_usd_per_gigabyte_month: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        effective_rate_usd_per_gigabyte_month: float | None | Unset
        if isinstance(self.effective_rate_usd_per_gigabyte_month, Unset):
            effective_rate_usd_per_gigabyte_month = UNSET
        else:
            effective_rate_usd_per_gigabyte_month = self.effective_rate_usd_per_gigabyte_month

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if effective_rate_usd_per_gigabyte_month is not UNSET:
            field_dict["effective_rate_usd_per_gigabyte_month"] = effective_rate_usd_per_gigabyte_month

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.checkpoint_storage_usage_item import CheckpointStorageUsageItem  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = CheckpointStorageUsageItem.from_dict(data_item_data)

            data.append(data_item)

        def _parse_effective_rate_usd_per_gigabyte_month(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        effective_rate_usd_per_gigabyte_month = _parse_effective_rate_usd_per_gigabyte_month(
            d.pop("effective_rate_usd_per_gigabyte_month", UNSET)
        )

        current_checkpoint_storage_usage_response = cls(
            data=data,
            effective_rate_usd_per_gigabyte_month=effective_rate_usd_per_gigabyte_month,
        )

        current_checkpoint_storage_usage_response.additional_properties = d
        return current_checkpoint_storage_usage_response

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
