# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_data import ModelData
    from ..models.optimizer_config import OptimizerConfig


T = TypeVar("T", bound="GetInfoResponse")


@_attrs_define
class GetInfoResponse:
    model_data: ModelData
    model_id: str
    type_: Literal["get_info"] | None | Unset = UNSET
    optimizer_config: OptimizerConfig | Unset = UNSET
    """ Optimizer family chosen at model creation (SDK 0.38), e.g. `{"type":"adamw"}`; the family's own fields sit
    flat next to `type`. """
    is_lora: bool | None | Unset = UNSET
    lora_rank: int | None | Unset = UNSET
    model_name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_data = self.model_data.to_dict()

        model_id = self.model_id

        type_: Literal["get_info"] | None | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        optimizer_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.optimizer_config, Unset):
            optimizer_config = self.optimizer_config.to_dict()

        is_lora: bool | None | Unset
        if isinstance(self.is_lora, Unset):
            is_lora = UNSET
        else:
            is_lora = self.is_lora

        lora_rank: int | None | Unset
        if isinstance(self.lora_rank, Unset):
            lora_rank = UNSET
        else:
            lora_rank = self.lora_rank

        model_name: None | str | Unset
        if isinstance(self.model_name, Unset):
            model_name = UNSET
        else:
            model_name = self.model_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_data": model_data,
                "model_id": model_id,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if optimizer_config is not UNSET:
            field_dict["optimizer_config"] = optimizer_config
        if is_lora is not UNSET:
            field_dict["is_lora"] = is_lora
        if lora_rank is not UNSET:
            field_dict["lora_rank"] = lora_rank
        if model_name is not UNSET:
            field_dict["model_name"] = model_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_data import ModelData  # noqa: PLC0415
        from ..models.optimizer_config import OptimizerConfig  # noqa: PLC0415

        d = dict(src_dict)
        model_data = ModelData.from_dict(d.pop("model_data"))

        model_id = d.pop("model_id")

        def _parse_type_(data: object) -> Literal["get_info"] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            type_type_0 = cast(Literal["get_info"], data)
            if type_type_0 != "get_info":
                raise ValueError(f"type_type_0 must match const 'get_info', got '{type_type_0}'")
            return type_type_0
            return cast(Literal["get_info"] | None | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        _optimizer_config = d.pop("optimizer_config", UNSET)
        optimizer_config: OptimizerConfig | Unset
        if isinstance(_optimizer_config, Unset):
            optimizer_config = UNSET
        else:
            optimizer_config = OptimizerConfig.from_dict(_optimizer_config)

        def _parse_is_lora(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_lora = _parse_is_lora(d.pop("is_lora", UNSET))

        def _parse_lora_rank(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        lora_rank = _parse_lora_rank(d.pop("lora_rank", UNSET))

        def _parse_model_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_name = _parse_model_name(d.pop("model_name", UNSET))

        get_info_response = cls(
            model_data=model_data,
            model_id=model_id,
            type_=type_,
            optimizer_config=optimizer_config,
            is_lora=is_lora,
            lora_rank=lora_rank,
            model_name=model_name,
        )

        get_info_response.additional_properties = d
        return get_info_response

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
