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

T = TypeVar("T", bound="FutureFinished")


@_attrs_define
class FutureFinished:
    state: Literal["finished"]
    request_id: str
    response_payload_uncompressed_size: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state

        request_id = self.request_id

        response_payload_uncompressed_size: int | None | Unset
        if isinstance(self.response_payload_uncompressed_size, Unset):
            response_payload_uncompressed_size = UNSET
        else:
            response_payload_uncompressed_size = self.response_payload_uncompressed_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "request_id": request_id,
            }
        )
        if response_payload_uncompressed_size is not UNSET:
            field_dict["response_payload_uncompressed_size"] = response_payload_uncompressed_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = cast(Literal["finished"], d.pop("state"))
        if state != "finished":
            raise ValueError(f"state must match const 'finished', got '{state}'")

        request_id = d.pop("request_id")

        def _parse_response_payload_uncompressed_size(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        response_payload_uncompressed_size = _parse_response_payload_uncompressed_size(
            d.pop("response_payload_uncompressed_size", UNSET)
        )

        future_finished = cls(
            state=state,
            request_id=request_id,
            response_payload_uncompressed_size=response_payload_uncompressed_size,
        )

        future_finished.additional_properties = d
        return future_finished

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
