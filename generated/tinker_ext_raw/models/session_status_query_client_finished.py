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

from ..models.session_finish_reason_type import (
    SessionFinishReasonType,
    check_session_finish_reason_type,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionStatusQueryClientFinished")


@_attrs_define
class SessionStatusQueryClientFinished:
    type_: Literal["client_finished"] = "client_finished"
    reasons: list[SessionFinishReasonType] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        reasons: list[str] | None | Unset
        if isinstance(self.reasons, Unset):
            reasons = UNSET
        elif isinstance(self.reasons, list):
            reasons = []
            for reasons_type_0_item_data in self.reasons:
                reasons_type_0_item: str = reasons_type_0_item_data
                reasons.append(reasons_type_0_item)

        else:
            reasons = self.reasons

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if reasons is not UNSET:
            field_dict["reasons"] = reasons

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["client_finished"], d.pop("type"))
        if type_ != "client_finished":
            raise ValueError(f"type must match const 'client_finished', got '{type_}'")

        def _parse_reasons(data: object) -> list[SessionFinishReasonType] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                reasons_type_0 = []
                _reasons_type_0 = data
                for reasons_type_0_item_data in _reasons_type_0:
                    reasons_type_0_item = check_session_finish_reason_type(reasons_type_0_item_data)

                    reasons_type_0.append(reasons_type_0_item)

                return reasons_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SessionFinishReasonType] | None | Unset, data)

        reasons = _parse_reasons(d.pop("reasons", UNSET))

        session_status_query_client_finished = cls(
            type_=type_,
            reasons=reasons,
        )

        session_status_query_client_finished.additional_properties = d
        return session_status_query_client_finished

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
