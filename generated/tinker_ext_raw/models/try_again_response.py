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

from ..models.queue_state import QueueState, check_queue_state
from ..types import UNSET, Unset

T = TypeVar("T", bound="TryAgainResponse")


@_attrs_define
class TryAgainResponse:
    type_: Literal["try_again"]
    request_id: str
    queue_state: QueueState | str
    """ a missing or unknown state parses as QueueState.UNKNOWN (tinker-ext tolerates it) """
    queue_state_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        request_id = self.request_id

        queue_state: str
        if isinstance(self.queue_state, str):
            queue_state = self.queue_state
        else:
            queue_state = self.queue_state

        queue_state_reason: None | str | Unset
        if isinstance(self.queue_state_reason, Unset):
            queue_state_reason = UNSET
        else:
            queue_state_reason = self.queue_state_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "request_id": request_id,
                "queue_state": queue_state,
            }
        )
        if queue_state_reason is not UNSET:
            field_dict["queue_state_reason"] = queue_state_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["try_again"], d.pop("type"))
        if type_ != "try_again":
            raise ValueError(f"type must match const 'try_again', got '{type_}'")

        request_id = d.pop("request_id")

        def _parse_queue_state(data: object) -> QueueState | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                queue_state_type_0 = check_queue_state(data)

                return queue_state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(QueueState | str, data)

        queue_state = _parse_queue_state(d.pop("queue_state"))

        def _parse_queue_state_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        queue_state_reason = _parse_queue_state_reason(d.pop("queue_state_reason", UNSET))

        try_again_response = cls(
            type_=type_,
            request_id=request_id,
            queue_state=queue_state,
            queue_state_reason=queue_state_reason,
        )

        try_again_response.additional_properties = d
        return try_again_response

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
