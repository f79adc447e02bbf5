# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_log_entry_event_details import AuditLogEntryEventDetails


T = TypeVar("T", bound="AuditLogEntry")


@_attrs_define
class AuditLogEntry:
    timestamp: datetime.datetime
    event: str
    event_details: AuditLogEntryEventDetails | Unset = UNSET
    model_id: None | str | Unset = UNSET
    tinker_path: None | str | Unset = UNSET
    purpose: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timestamp = self.timestamp.isoformat()

        event = self.event

        event_details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.event_details, Unset):
            event_details = self.event_details.to_dict()

        model_id: None | str | Unset
        if isinstance(self.model_id, Unset):
            model_id = UNSET
        else:
            model_id = self.model_id

        tinker_path: None | str | Unset
        if isinstance(self.tinker_path, Unset):
            tinker_path = UNSET
        else:
            tinker_path = self.tinker_path

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        else:
            purpose = self.purpose

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timestamp": timestamp,
                "event": event,
            }
        )
        if event_details is not UNSET:
            field_dict["event_details"] = event_details
        if model_id is not UNSET:
            field_dict["model_id"] = model_id
        if tinker_path is not UNSET:
            field_dict["tinker_path"] = tinker_path
        if purpose is not UNSET:
            field_dict["purpose"] = purpose

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_log_entry_event_details import AuditLogEntryEventDetails  # noqa: PLC0415

        d = dict(src_dict)
        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        event = d.pop("event")

        _event_details = d.pop("event_details", UNSET)
        event_details: AuditLogEntryEventDetails | Unset
        if isinstance(_event_details, Unset):
            event_details = UNSET
        else:
            event_details = AuditLogEntryEventDetails.from_dict(_event_details)

        def _parse_model_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_id = _parse_model_id(d.pop("model_id", UNSET))

        def _parse_tinker_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tinker_path = _parse_tinker_path(d.pop("tinker_path", UNSET))

        def _parse_purpose(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

        audit_log_entry = cls(
            timestamp=timestamp,
            event=event,
            event_details=event_details,
            model_id=model_id,
            tinker_path=tinker_path,
            purpose=purpose,
        )

        audit_log_entry.additional_properties = d
        return audit_log_entry

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
