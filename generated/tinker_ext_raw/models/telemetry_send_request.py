# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.generic_event import GenericEvent
    from ..models.session_end_event import SessionEndEvent
    from ..models.session_start_event import SessionStartEvent
    from ..models.unhandled_exception_event import UnhandledExceptionEvent


T = TypeVar("T", bound="TelemetrySendRequest")


@_attrs_define
class TelemetrySendRequest:
    events: list[GenericEvent | SessionEndEvent | SessionStartEvent | UnhandledExceptionEvent]
    platform: str
    sdk_version: str
    session_id: str
    process_uuid: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.generic_event import GenericEvent  # noqa: PLC0415
        from ..models.session_end_event import SessionEndEvent  # noqa: PLC0415
        from ..models.unhandled_exception_event import UnhandledExceptionEvent  # noqa: PLC0415

        events = []
        for events_item_data in self.events:
            events_item: dict[str, Any]
            if isinstance(events_item_data, UnhandledExceptionEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, SessionEndEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, GenericEvent):
                events_item = events_item_data.to_dict()
            else:
                events_item = events_item_data.to_dict()

            events.append(events_item)

        platform = self.platform

        sdk_version = self.sdk_version

        session_id = self.session_id

        process_uuid = self.process_uuid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "events": events,
                "platform": platform,
                "sdk_version": sdk_version,
                "session_id": session_id,
                "process_uuid": process_uuid,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generic_event import GenericEvent  # noqa: PLC0415
        from ..models.session_end_event import SessionEndEvent  # noqa: PLC0415
        from ..models.session_start_event import SessionStartEvent  # noqa: PLC0415
        from ..models.unhandled_exception_event import UnhandledExceptionEvent  # noqa: PLC0415

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:

            def _parse_events_item(
                data: object,
            ) -> GenericEvent | SessionEndEvent | SessionStartEvent | UnhandledExceptionEvent:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_telemetry_event_type_0 = UnhandledExceptionEvent.from_dict(data)

                    return componentsschemas_telemetry_event_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_telemetry_event_type_1 = SessionEndEvent.from_dict(data)

                    return componentsschemas_telemetry_event_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_telemetry_event_type_2 = GenericEvent.from_dict(data)

                    return componentsschemas_telemetry_event_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_telemetry_event_type_3 = SessionStartEvent.from_dict(data)

                return componentsschemas_telemetry_event_type_3

            events_item = _parse_events_item(events_item_data)

            events.append(events_item)

        platform = d.pop("platform")

        sdk_version = d.pop("sdk_version")

        session_id = d.pop("session_id")

        process_uuid = d.pop("process_uuid")

        telemetry_send_request = cls(
            events=events,
            platform=platform,
            sdk_version=sdk_version,
            session_id=session_id,
            process_uuid=process_uuid,
        )

        telemetry_send_request.additional_properties = d
        return telemetry_send_request

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
