# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type import EventType, check_event_type
from ..models.severity import Severity, check_severity

T = TypeVar("T", bound="SessionEndEvent")


@_attrs_define
class SessionEndEvent:
    duration: str
    """ Python timedelta string. """
    event: EventType
    event_id: str
    event_session_index: int
    severity: Severity
    timestamp: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        duration = self.duration

        event: str = self.event

        event_id = self.event_id

        event_session_index = self.event_session_index

        severity: str = self.severity

        timestamp = self.timestamp.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "duration": duration,
                "event": event,
                "event_id": event_id,
                "event_session_index": event_session_index,
                "severity": severity,
                "timestamp": timestamp,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        duration = d.pop("duration")

        event = check_event_type(d.pop("event"))

        event_id = d.pop("event_id")

        event_session_index = d.pop("event_session_index")

        severity = check_severity(d.pop("severity"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        session_end_event = cls(
            duration=duration,
            event=event,
            event_id=event_id,
            event_session_index=event_session_index,
            severity=severity,
            timestamp=timestamp,
        )

        session_end_event.additional_properties = d
        return session_end_event

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
