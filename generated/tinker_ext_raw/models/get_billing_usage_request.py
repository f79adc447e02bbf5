# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GetBillingUsageRequest")


@_attrs_define
class GetBillingUsageRequest:
    """The query of GET /api/v1/billing/usage/events (sent as query parameters, RFC 3339)."""

    starting_on: datetime.datetime
    ending_before: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        starting_on = self.starting_on.isoformat()

        ending_before = self.ending_before.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "starting_on": starting_on,
                "ending_before": ending_before,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        starting_on = datetime.datetime.fromisoformat(d.pop("starting_on"))

        ending_before = datetime.datetime.fromisoformat(d.pop("ending_before"))

        get_billing_usage_request = cls(
            starting_on=starting_on,
            ending_before=ending_before,
        )

        get_billing_usage_request.additional_properties = d
        return get_billing_usage_request

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
