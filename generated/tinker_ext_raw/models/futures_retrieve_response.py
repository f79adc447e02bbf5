# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.future_failed import FutureFailed
    from ..models.future_finished import FutureFinished


T = TypeVar("T", bound="FuturesRetrieveResponse")


@_attrs_define
class FuturesRetrieveResponse:
    completions: list[FutureFailed | FutureFinished]
    cursor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.future_finished import FutureFinished  # noqa: PLC0415

        completions = []
        for completions_item_data in self.completions:
            completions_item: dict[str, Any]
            if isinstance(completions_item_data, FutureFinished):
                completions_item = completions_item_data.to_dict()
            else:
                completions_item = completions_item_data.to_dict()

            completions.append(completions_item)

        cursor = self.cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "completions": completions,
                "cursor": cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.future_failed import FutureFailed  # noqa: PLC0415
        from ..models.future_finished import FutureFinished  # noqa: PLC0415

        d = dict(src_dict)
        completions = []
        _completions = d.pop("completions")
        for completions_item_data in _completions:

            def _parse_completions_item(data: object) -> FutureFailed | FutureFinished:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_future_completion_type_0 = FutureFinished.from_dict(data)

                    return componentsschemas_future_completion_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_future_completion_type_1 = FutureFailed.from_dict(data)

                return componentsschemas_future_completion_type_1

            completions_item = _parse_completions_item(completions_item_data)

            completions.append(completions_item)

        cursor = d.pop("cursor")

        futures_retrieve_response = cls(
            completions=completions,
            cursor=cursor,
        )

        futures_retrieve_response.additional_properties = d
        return futures_retrieve_response

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
