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

T = TypeVar("T", bound="DimuonParams")


@_attrs_define
class DimuonParams:
    """Dimuon hyper-parameters (SDK 0.38), sent as the `optimizer_params` of optim_step (an OptimizerParams); the model
    must have been created with `optimizer=DimuonOptimizerConfig()`.

    """

    learning_rate: float
    type_: Literal["dimuon"] = "dimuon"
    grad_clip_norm: float | Unset = 0.0
    """ Maximum global gradient norm; nonpositive disables clipping. """
    beta1: float | Unset = 0.9
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        learning_rate = self.learning_rate

        grad_clip_norm = self.grad_clip_norm

        beta1 = self.beta1

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "learning_rate": learning_rate,
            }
        )
        if grad_clip_norm is not UNSET:
            field_dict["grad_clip_norm"] = grad_clip_norm
        if beta1 is not UNSET:
            field_dict["beta1"] = beta1

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["dimuon"], d.pop("type"))
        if type_ != "dimuon":
            raise ValueError(f"type must match const 'dimuon', got '{type_}'")

        learning_rate = d.pop("learning_rate")

        grad_clip_norm = d.pop("grad_clip_norm", UNSET)

        beta1 = d.pop("beta1", UNSET)

        dimuon_params = cls(
            type_=type_,
            learning_rate=learning_rate,
            grad_clip_norm=grad_clip_norm,
            beta1=beta1,
        )

        dimuon_params.additional_properties = d
        return dimuon_params

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
