# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sampling_session_futures_target import SamplingSessionFuturesTarget


T = TypeVar("T", bound="FuturesRetrieveRequest")


@_attrs_define
class FuturesRetrieveRequest:
    target: SamplingSessionFuturesTarget
    prev_cursor: int | Unset = 0
    timeout: float | None | Unset = UNSET
    retrieved_request_ids: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        target = self.target.to_dict()

        prev_cursor = self.prev_cursor

        timeout: float | None | Unset
        if isinstance(self.timeout, Unset):
            timeout = UNSET
        else:
            timeout = self.timeout

        retrieved_request_ids: list[str] | Unset = UNSET
        if not isinstance(self.retrieved_request_ids, Unset):
            retrieved_request_ids = self.retrieved_request_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "target": target,
            }
        )
        if prev_cursor is not UNSET:
            field_dict["prev_cursor"] = prev_cursor
        if timeout is not UNSET:
            field_dict["timeout"] = timeout
        if retrieved_request_ids is not UNSET:
            field_dict["retrieved_request_ids"] = retrieved_request_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sampling_session_futures_target import (
            SamplingSessionFuturesTarget,  # noqa: PLC0415
        )

        d = dict(src_dict)
        target = SamplingSessionFuturesTarget.from_dict(d.pop("target"))

        prev_cursor = d.pop("prev_cursor", UNSET)

        def _parse_timeout(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        timeout = _parse_timeout(d.pop("timeout", UNSET))

        retrieved_request_ids = cast(list[str], d.pop("retrieved_request_ids", UNSET))

        futures_retrieve_request = cls(
            target=target,
            prev_cursor=prev_cursor,
            timeout=timeout,
            retrieved_request_ids=retrieved_request_ids,
        )

        futures_retrieve_request.additional_properties = d
        return futures_retrieve_request

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
