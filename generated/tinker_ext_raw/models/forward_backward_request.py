# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.forward_backward_input import ForwardBackwardInput


T = TypeVar("T", bound="ForwardBackwardRequest")


@_attrs_define
class ForwardBackwardRequest:
    forward_backward_input: ForwardBackwardInput
    model_id: str
    seq_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        forward_backward_input = self.forward_backward_input.to_dict()

        model_id = self.model_id

        seq_id: int | None | Unset
        if isinstance(self.seq_id, Unset):
            seq_id = UNSET
        else:
            seq_id = self.seq_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "forward_backward_input": forward_backward_input,
                "model_id": model_id,
            }
        )
        if seq_id is not UNSET:
            field_dict["seq_id"] = seq_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.forward_backward_input import ForwardBackwardInput  # noqa: PLC0415

        d = dict(src_dict)
        forward_backward_input = ForwardBackwardInput.from_dict(d.pop("forward_backward_input"))

        model_id = d.pop("model_id")

        def _parse_seq_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seq_id = _parse_seq_id(d.pop("seq_id", UNSET))

        forward_backward_request = cls(
            forward_backward_input=forward_backward_input,
            model_id=model_id,
            seq_id=seq_id,
        )

        forward_backward_request.additional_properties = d
        return forward_backward_request

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
