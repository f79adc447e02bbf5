# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SupportedModel")


@_attrs_define
class SupportedModel:
    model_name: None | str | Unset = UNSET
    max_context_length: int | None | Unset = UNSET
    trainable: bool | None | Unset = UNSET
    sampleable: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_name: None | str | Unset
        if isinstance(self.model_name, Unset):
            model_name = UNSET
        else:
            model_name = self.model_name

        max_context_length: int | None | Unset
        if isinstance(self.max_context_length, Unset):
            max_context_length = UNSET
        else:
            max_context_length = self.max_context_length

        trainable: bool | None | Unset
        if isinstance(self.trainable, Unset):
            trainable = UNSET
        else:
            trainable = self.trainable

        sampleable: bool | None | Unset
        if isinstance(self.sampleable, Unset):
            sampleable = UNSET
        else:
            sampleable = self.sampleable

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if model_name is not UNSET:
            field_dict["model_name"] = model_name
        if max_context_length is not UNSET:
            field_dict["max_context_length"] = max_context_length
        if trainable is not UNSET:
            field_dict["trainable"] = trainable
        if sampleable is not UNSET:
            field_dict["sampleable"] = sampleable

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_model_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_name = _parse_model_name(d.pop("model_name", UNSET))

        def _parse_max_context_length(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_context_length = _parse_max_context_length(d.pop("max_context_length", UNSET))

        def _parse_trainable(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        trainable = _parse_trainable(d.pop("trainable", UNSET))

        def _parse_sampleable(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        sampleable = _parse_sampleable(d.pop("sampleable", UNSET))

        supported_model = cls(
            model_name=model_name,
            max_context_length=max_context_length,
            trainable=trainable,
            sampleable=sampleable,
        )

        supported_model.additional_properties = d
        return supported_model

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
