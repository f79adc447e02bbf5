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

T = TypeVar("T", bound="CreateSessionResponse")


@_attrs_define
class CreateSessionResponse:
    session_id: str
    type_: Literal["create_session"] | Unset = "create_session"
    info_message: None | str | Unset = UNSET
    warning_message: None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        type_ = self.type_

        info_message: None | str | Unset
        if isinstance(self.info_message, Unset):
            info_message = UNSET
        else:
            info_message = self.info_message

        warning_message: None | str | Unset
        if isinstance(self.warning_message, Unset):
            warning_message = UNSET
        else:
            warning_message = self.warning_message

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "session_id": session_id,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if info_message is not UNSET:
            field_dict["info_message"] = info_message
        if warning_message is not UNSET:
            field_dict["warning_message"] = warning_message
        if error_message is not UNSET:
            field_dict["error_message"] = error_message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("session_id")

        type_ = cast(Literal["create_session"] | Unset, d.pop("type", UNSET))
        if type_ != "create_session" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'create_session', got '{type_}'")

        def _parse_info_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        info_message = _parse_info_message(d.pop("info_message", UNSET))

        def _parse_warning_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        warning_message = _parse_warning_message(d.pop("warning_message", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("error_message", UNSET))

        create_session_response = cls(
            session_id=session_id,
            type_=type_,
            info_message=info_message,
            warning_message=warning_message,
            error_message=error_message,
        )

        create_session_response.additional_properties = d
        return create_session_response

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
