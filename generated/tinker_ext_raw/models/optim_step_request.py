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
    from ..models.adam_params import AdamParams
    from ..models.optimizer_params import OptimizerParams


T = TypeVar("T", bound="OptimStepRequest")


@_attrs_define
class OptimStepRequest:
    """Exactly one of `adam_params` (Adam) or `optimizer_params` (other families, SDK 0.38)."""

    model_id: str
    adam_params: AdamParams | Unset = UNSET
    optimizer_params: OptimizerParams | Unset = UNSET
    """ Per-step parameters of a non-Adam optimizer family (SDK 0.38), tagged by `type` (e.g. `dimuon`); the
    family's own fields sit flat next to `type`. """
    seq_id: int | None | Unset = UNSET
    type_: Literal["optim_step"] | Unset = "optim_step"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        adam_params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.adam_params, Unset):
            adam_params = self.adam_params.to_dict()

        optimizer_params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.optimizer_params, Unset):
            optimizer_params = self.optimizer_params.to_dict()

        seq_id: int | None | Unset
        if isinstance(self.seq_id, Unset):
            seq_id = UNSET
        else:
            seq_id = self.seq_id

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_id": model_id,
            }
        )
        if adam_params is not UNSET:
            field_dict["adam_params"] = adam_params
        if optimizer_params is not UNSET:
            field_dict["optimizer_params"] = optimizer_params
        if seq_id is not UNSET:
            field_dict["seq_id"] = seq_id
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.adam_params import AdamParams  # noqa: PLC0415
        from ..models.optimizer_params import OptimizerParams  # noqa: PLC0415

        d = dict(src_dict)
        model_id = d.pop("model_id")

        _adam_params = d.pop("adam_params", UNSET)
        adam_params: AdamParams | Unset
        if isinstance(_adam_params, Unset):
            adam_params = UNSET
        else:
            adam_params = AdamParams.from_dict(_adam_params)

        _optimizer_params = d.pop("optimizer_params", UNSET)
        optimizer_params: OptimizerParams | Unset
        if isinstance(_optimizer_params, Unset):
            optimizer_params = UNSET
        else:
            optimizer_params = OptimizerParams.from_dict(_optimizer_params)

        def _parse_seq_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seq_id = _parse_seq_id(d.pop("seq_id", UNSET))

        type_ = cast(Literal["optim_step"] | Unset, d.pop("type", UNSET))
        if type_ != "optim_step" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'optim_step', got '{type_}'")

        optim_step_request = cls(
            model_id=model_id,
            adam_params=adam_params,
            optimizer_params=optimizer_params,
            seq_id=seq_id,
            type_=type_,
        )

        optim_step_request.additional_properties = d
        return optim_step_request

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
