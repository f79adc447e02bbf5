# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.loss_fn_inputs import LossFnInputs
    from ..models.model_input import ModelInput


T = TypeVar("T", bound="Datum")


@_attrs_define
class Datum:
    loss_fn_inputs: LossFnInputs
    """ Loss function inputs by name (`target_tokens`, `weights`, `advantages`, `logprobs`, ...). """
    model_input: ModelInput
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        loss_fn_inputs = self.loss_fn_inputs.to_dict()

        model_input = self.model_input.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loss_fn_inputs": loss_fn_inputs,
                "model_input": model_input,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loss_fn_inputs import LossFnInputs  # noqa: PLC0415
        from ..models.model_input import ModelInput  # noqa: PLC0415

        d = dict(src_dict)
        loss_fn_inputs = LossFnInputs.from_dict(d.pop("loss_fn_inputs"))

        model_input = ModelInput.from_dict(d.pop("model_input"))

        datum = cls(
            loss_fn_inputs=loss_fn_inputs,
            model_input=model_input,
        )

        datum.additional_properties = d
        return datum

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
