# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.loss_fn_type import LossFnType, check_loss_fn_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.datum import Datum
    from ..models.loss_fn_config import LossFnConfig


T = TypeVar("T", bound="ForwardBackwardInput")


@_attrs_define
class ForwardBackwardInput:
    data: list[Datum]
    loss_fn: LossFnType
    loss_fn_config: LossFnConfig | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.loss_fn_config import LossFnConfig  # noqa: PLC0415

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        loss_fn: str = self.loss_fn

        loss_fn_config: dict[str, Any] | None | Unset
        if isinstance(self.loss_fn_config, Unset):
            loss_fn_config = UNSET
        elif isinstance(self.loss_fn_config, LossFnConfig):
            loss_fn_config = self.loss_fn_config.to_dict()
        else:
            loss_fn_config = self.loss_fn_config

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "loss_fn": loss_fn,
            }
        )
        if loss_fn_config is not UNSET:
            field_dict["loss_fn_config"] = loss_fn_config

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.datum import Datum  # noqa: PLC0415
        from ..models.loss_fn_config import LossFnConfig  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = Datum.from_dict(data_item_data)

            data.append(data_item)

        loss_fn = check_loss_fn_type(d.pop("loss_fn"))

        def _parse_loss_fn_config(data: object) -> LossFnConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                loss_fn_config_type_0 = LossFnConfig.from_dict(data)

                return loss_fn_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LossFnConfig | None | Unset, data)

        loss_fn_config = _parse_loss_fn_config(d.pop("loss_fn_config", UNSET))

        forward_backward_input = cls(
            data=data,
            loss_fn=loss_fn,
            loss_fn_config=loss_fn_config,
        )

        forward_backward_input.additional_properties = d
        return forward_backward_input

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
