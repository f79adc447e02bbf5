# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.supported_model import SupportedModel


T = TypeVar("T", bound="GetServerCapabilitiesResponse")


@_attrs_define
class GetServerCapabilitiesResponse:
    supported_models: list[SupportedModel]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        supported_models = []
        for supported_models_item_data in self.supported_models:
            supported_models_item = supported_models_item_data.to_dict()
            supported_models.append(supported_models_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "supported_models": supported_models,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.supported_model import SupportedModel  # noqa: PLC0415

        d = dict(src_dict)
        supported_models = []
        _supported_models = d.pop("supported_models")
        for supported_models_item_data in _supported_models:
            supported_models_item = SupportedModel.from_dict(supported_models_item_data)

            supported_models.append(supported_models_item)

        get_server_capabilities_response = cls(
            supported_models=supported_models,
        )

        get_server_capabilities_response.additional_properties = d
        return get_server_capabilities_response

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
