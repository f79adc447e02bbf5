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
    from ..models.checkpoint_billing_event import CheckpointBillingEvent
    from ..models.sampling_prefill_billing_event import SamplingPrefillBillingEvent
    from ..models.sampling_sample_billing_event import SamplingSampleBillingEvent
    from ..models.storage_billing_event import StorageBillingEvent
    from ..models.training_billing_event import TrainingBillingEvent


T = TypeVar("T", bound="BillingUsageEvent")


@_attrs_define
class BillingUsageEvent:
    bucket_start: datetime.datetime
    bucket_end: datetime.datetime
    event_info: (
        CheckpointBillingEvent
        | SamplingPrefillBillingEvent
        | SamplingSampleBillingEvent
        | StorageBillingEvent
        | TrainingBillingEvent
    )
    base_model: None | str | Unset = UNSET
    user_id: None | str | Unset = UNSET
    user_name: None | str | Unset = UNSET
    session_id: None | str | Unset = UNSET
    project_id: None | str | Unset = UNSET
    estimated_cost_usd: float | None | Unset = UNSET
    effective_rate_usd_per_million_tokens: float | None | Unset = UNSET
    effective_rate_usd_per_gigabyte_month: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.checkpoint_billing_event import CheckpointBillingEvent  # noqa: PLC0415
        from ..models.sampling_prefill_billing_event import SamplingPrefillBillingEvent  # noqa: PLC0415
        from ..models.sampling_sample_billing_event import SamplingSampleBillingEvent  # noqa: PLC0415
        from ..models.training_billing_event import TrainingBillingEvent  # noqa: PLC0415

        bucket_start = self.bucket_start.isoformat()

        bucket_end = self.bucket_end.isoformat()

        event_info: dict[str, Any]
        if isinstance(self.event_info, TrainingBillingEvent):
            event_info = self.event_info.to_dict()
        elif isinstance(self.event_info, SamplingPrefillBillingEvent):
            event_info = self.event_info.to_dict()
        elif isinstance(self.event_info, SamplingSampleBillingEvent):
            event_info = self.event_info.to_dict()
        elif isinstance(self.event_info, CheckpointBillingEvent):
            event_info = self.event_info.to_dict()
        else:
            event_info = self.event_info.to_dict()

        base_model: None | str | Unset
        if isinstance(self.base_model, Unset):
            base_model = UNSET
        else:
            base_model = self.base_model

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        user_name: None | str | Unset
        if isinstance(self.user_name, Unset):
            user_name = UNSET
        else:
            user_name = self.user_name

        session_id: None | str | Unset
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        else:
            session_id = self.session_id

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        estimated_cost_usd: float | None | Unset
        if isinstance(self.estimated_cost_usd, Unset):
            estimated_cost_usd = UNSET
        else:
            estimated_cost_usd = self.estimated_cost_usd

        effective_rate_usd_per_million_tokens: float | None | Unset
        if isinstance(self.effective_rate_usd_per_million_tokens, Unset):
            effective_rate_usd_per_million_tokens = UNSET
        else:
            effective_rate_usd_per_million_tokens = self.effective_rate_usd_per_million_tokens

        effective_rate_usd_per_gigabyte_month: float | None | Unset
        if isinstance(self.effective_rate_usd_per_gigabyte_month, Unset):
            effective_rate_usd_per_gigabyte_month = UNSET
        else:
            effective_rate_usd_per_gigabyte_month = self.effective_rate_usd_per_gigabyte_month

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bucket_start": bucket_start,
                "bucket_end": bucket_end,
                "event_info": event_info,
            }
        )
        if base_model is not UNSET:
            field_dict["base_model"] = base_model
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if user_name is not UNSET:
            field_dict["user_name"] = user_name
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if estimated_cost_usd is not UNSET:
            field_dict["estimated_cost_usd"] = estimated_cost_usd
        if effective_rate_usd_per_million_tokens is not UNSET:
            field_dict["effective_rate_usd_per_million_tokens"] = effective_rate_usd_per_million_tokens
        if effective_rate_usd_per_gigabyte_month is not UNSET:
            field_dict["effective_rate_usd_per_gigabyte_month"] = effective_rate_usd_per_gigabyte_month

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.checkpoint_billing_event import CheckpointBillingEvent  # noqa: PLC0415
        from ..models.sampling_prefill_billing_event import SamplingPrefillBillingEvent  # noqa: PLC0415
        from ..models.sampling_sample_billing_event import SamplingSampleBillingEvent  # noqa: PLC0415
        from ..models.storage_billing_event import StorageBillingEvent  # noqa: PLC0415
        from ..models.training_billing_event import TrainingBillingEvent  # noqa: PLC0415

        d = dict(src_dict)
        bucket_start = datetime.datetime.fromisoformat(d.pop("bucket_start"))

        bucket_end = datetime.datetime.fromisoformat(d.pop("bucket_end"))

        def _parse_event_info(
            data: object,
        ) -> (
            CheckpointBillingEvent
            | SamplingPrefillBillingEvent
            | SamplingSampleBillingEvent
            | StorageBillingEvent
            | TrainingBillingEvent
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_billing_event_info_type_0 = TrainingBillingEvent.from_dict(data)

                return componentsschemas_billing_event_info_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_billing_event_info_type_1 = SamplingPrefillBillingEvent.from_dict(data)

                return componentsschemas_billing_event_info_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_billing_event_info_type_2 = SamplingSampleBillingEvent.from_dict(data)

                return componentsschemas_billing_event_info_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_billing_event_info_type_3 = CheckpointBillingEvent.from_dict(data)

                return componentsschemas_billing_event_info_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_billing_event_info_type_4 = StorageBillingEvent.from_dict(data)

            return componentsschemas_billing_event_info_type_4

        event_info = _parse_event_info(d.pop("event_info"))

        def _parse_base_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base_model = _parse_base_model(d.pop("base_model", UNSET))

        def _parse_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_id = _parse_user_id(d.pop("user_id", UNSET))

        def _parse_user_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_name = _parse_user_name(d.pop("user_name", UNSET))

        def _parse_session_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        session_id = _parse_session_id(d.pop("session_id", UNSET))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        def _parse_estimated_cost_usd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        estimated_cost_usd = _parse_estimated_cost_usd(d.pop("estimated_cost_usd", UNSET))

        def _parse_effective_rate_usd_per_million_tokens(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        effective_rate_usd_per_million_tokens = _parse_effective_rate_usd_per_million_tokens(
            d.pop("effective_rate_usd_per_million_tokens", UNSET)
        )

        def _parse_effective_rate_usd_per_gigabyte_month(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        effective_rate_usd_per_gigabyte_month = _parse_effective_rate_usd_per_gigabyte_month(
            d.pop("effective_rate_usd_per_gigabyte_month", UNSET)
        )

        billing_usage_event = cls(
            bucket_start=bucket_start,
            bucket_end=bucket_end,
            event_info=event_info,
            base_model=base_model,
            user_id=user_id,
            user_name=user_name,
            session_id=session_id,
            project_id=project_id,
            estimated_cost_usd=estimated_cost_usd,
            effective_rate_usd_per_million_tokens=effective_rate_usd_per_million_tokens,
            effective_rate_usd_per_gigabyte_month=effective_rate_usd_per_gigabyte_month,
        )

        billing_usage_event.additional_properties = d
        return billing_usage_event

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
