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
    from ..models.billing_usage_event import BillingUsageEvent
    from ..models.billing_usage_sessions import BillingUsageSessions


T = TypeVar("T", bound="BillingUsageResponse")


@_attrs_define
class BillingUsageResponse:
    data: list[BillingUsageEvent]
    sessions: BillingUsageSessions | Unset = UNSET
    cost_data_through: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        sessions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sessions, Unset):
            sessions = self.sessions.to_dict()

        cost_data_through: None | str | Unset
        if isinstance(self.cost_data_through, Unset):
            cost_data_through = UNSET
        elif isinstance(self.cost_data_through, datetime.datetime):
            cost_data_through = self.cost_data_through.isoformat()
        else:
            cost_data_through = self.cost_data_through

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if sessions is not UNSET:
            field_dict["sessions"] = sessions
        if cost_data_through is not UNSET:
            field_dict["cost_data_through"] = cost_data_through

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.billing_usage_event import BillingUsageEvent  # noqa: PLC0415
        from ..models.billing_usage_sessions import BillingUsageSessions  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = BillingUsageEvent.from_dict(data_item_data)

            data.append(data_item)

        _sessions = d.pop("sessions", UNSET)
        sessions: BillingUsageSessions | Unset
        if isinstance(_sessions, Unset):
            sessions = UNSET
        else:
            sessions = BillingUsageSessions.from_dict(_sessions)

        def _parse_cost_data_through(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cost_data_through_type_0 = datetime.datetime.fromisoformat(data)

                return cost_data_through_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        cost_data_through = _parse_cost_data_through(d.pop("cost_data_through", UNSET))

        billing_usage_response = cls(
            data=data,
            sessions=sessions,
            cost_data_through=cost_data_through,
        )

        billing_usage_response.additional_properties = d
        return billing_usage_response

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
