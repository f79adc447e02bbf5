# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OptimizerParams")


@_attrs_define
class OptimizerParams:
    """Per-step parameters of a non-Adam optimizer family (SDK 0.38), tagged by `type` (e.g. `dimuon`); the family's own
    fields sit flat next to `type`.

    """

    type_: str
    learning_rate: float | Unset = UNSET
    beta1: float | Unset = UNSET
    """ Momentum EMA coefficient (dimuon; the SDK sends 0.9 when unset). """
    grad_clip_norm: float | Unset = UNSET
    """ Maximum global gradient norm; nonpositive disables clipping (dimuon; SDK default 0.0). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        learning_rate = self.learning_rate

        beta1 = self.beta1

        grad_clip_norm = self.grad_clip_norm

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if learning_rate is not UNSET:
            field_dict["learning_rate"] = learning_rate
        if beta1 is not UNSET:
            field_dict["beta1"] = beta1
        if grad_clip_norm is not UNSET:
            field_dict["grad_clip_norm"] = grad_clip_norm

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        learning_rate = d.pop("learning_rate", UNSET)

        beta1 = d.pop("beta1", UNSET)

        grad_clip_norm = d.pop("grad_clip_norm", UNSET)

        optimizer_params = cls(
            type_=type_,
            learning_rate=learning_rate,
            beta1=beta1,
            grad_clip_norm=grad_clip_norm,
        )

        optimizer_params.additional_properties = d
        return optimizer_params

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
