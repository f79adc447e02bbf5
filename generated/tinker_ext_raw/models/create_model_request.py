# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lora_config import LoraConfig
    from ..models.optimizer_config import OptimizerConfig
    from ..models.user_metadata import UserMetadata


T = TypeVar("T", bound="CreateModelRequest")


@_attrs_define
class CreateModelRequest:
    session_id: str
    model_seq_id: int
    base_model: str
    user_metadata: None | Unset | UserMetadata = UNSET
    lora_config: LoraConfig | None | Unset = UNSET
    optimizer_config: None | OptimizerConfig | Unset = UNSET
    """ AdamW by default (as 0.38); null leaves the key out (the server's default: the clients send null unless the
    user chose an optimizer, as tuft 0.2.2 refuses the key). """
    type_: Literal["create_model"] | Unset = "create_model"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.lora_config import LoraConfig  # noqa: PLC0415
        from ..models.optimizer_config import OptimizerConfig  # noqa: PLC0415
        from ..models.user_metadata import UserMetadata  # noqa: PLC0415

        session_id = self.session_id

        model_seq_id = self.model_seq_id

        base_model = self.base_model

        user_metadata: dict[str, Any] | None | Unset
        if isinstance(self.user_metadata, Unset):
            user_metadata = UNSET
        elif isinstance(self.user_metadata, UserMetadata):
            user_metadata = self.user_metadata.to_dict()
        else:
            user_metadata = self.user_metadata

        lora_config: dict[str, Any] | None | Unset
        if isinstance(self.lora_config, Unset):
            lora_config = UNSET
        elif isinstance(self.lora_config, LoraConfig):
            lora_config = self.lora_config.to_dict()
        else:
            lora_config = self.lora_config

        optimizer_config: dict[str, Any] | None | Unset
        if isinstance(self.optimizer_config, Unset):
            optimizer_config = UNSET
        elif isinstance(self.optimizer_config, OptimizerConfig):
            optimizer_config = self.optimizer_config.to_dict()
        else:
            optimizer_config = self.optimizer_config

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "session_id": session_id,
                "model_seq_id": model_seq_id,
                "base_model": base_model,
            }
        )
        if user_metadata is not UNSET:
            field_dict["user_metadata"] = user_metadata
        if lora_config is not UNSET:
            field_dict["lora_config"] = lora_config
        if optimizer_config is not UNSET:
            field_dict["optimizer_config"] = optimizer_config
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lora_config import LoraConfig  # noqa: PLC0415
        from ..models.optimizer_config import OptimizerConfig  # noqa: PLC0415
        from ..models.user_metadata import UserMetadata  # noqa: PLC0415

        d = dict(src_dict)
        session_id = d.pop("session_id")

        model_seq_id = d.pop("model_seq_id")

        base_model = d.pop("base_model")

        def _parse_user_metadata(data: object) -> None | Unset | UserMetadata:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_metadata_type_0 = UserMetadata.from_dict(data)

                return user_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserMetadata, data)

        user_metadata = _parse_user_metadata(d.pop("user_metadata", UNSET))

        def _parse_lora_config(data: object) -> LoraConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lora_config_type_0 = LoraConfig.from_dict(data)

                return lora_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LoraConfig | None | Unset, data)

        lora_config = _parse_lora_config(d.pop("lora_config", UNSET))

        def _parse_optimizer_config(data: object) -> None | OptimizerConfig | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                optimizer_config_type_0 = OptimizerConfig.from_dict(data)

                return optimizer_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OptimizerConfig | Unset, data)

        optimizer_config = _parse_optimizer_config(d.pop("optimizer_config", UNSET))

        type_ = cast(Literal["create_model"] | Unset, d.pop("type", UNSET))
        if type_ != "create_model" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'create_model', got '{type_}'")

        create_model_request = cls(
            session_id=session_id,
            model_seq_id=model_seq_id,
            base_model=base_model,
            user_metadata=user_metadata,
            lora_config=lora_config,
            optimizer_config=optimizer_config,
            type_=type_,
        )

        create_model_request.additional_properties = d
        return create_model_request

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
