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
    from ..models.optimizer_config import OptimizerConfig
    from ..models.user_metadata import UserMetadata


T = TypeVar("T", bound="LoadWeightsRequest")


@_attrs_define
class LoadWeightsRequest:
    """Either `model_id` + `seq_id` (load into an existing model) or `session_id` + `model_seq_id`
    (create the model from the checkpoint).

    """

    path: str
    """ tinker:// path of the checkpoint. """
    optimizer: bool
    """ Also restore the optimizer state. """
    model_id: None | str | Unset = UNSET
    seq_id: int | None | Unset = UNSET
    session_id: None | str | Unset = UNSET
    model_seq_id: int | None | Unset = UNSET
    base_model: None | str | Unset = UNSET
    user_metadata: None | Unset | UserMetadata = UNSET
    optimizer_config: None | OptimizerConfig | Unset = UNSET
    weights_access_token: None | str | Unset = UNSET
    type_: Literal["load_weights"] | Unset = "load_weights"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.optimizer_config import OptimizerConfig  # noqa: PLC0415
        from ..models.user_metadata import UserMetadata  # noqa: PLC0415

        path = self.path

        optimizer = self.optimizer

        model_id: None | str | Unset
        if isinstance(self.model_id, Unset):
            model_id = UNSET
        else:
            model_id = self.model_id

        seq_id: int | None | Unset
        if isinstance(self.seq_id, Unset):
            seq_id = UNSET
        else:
            seq_id = self.seq_id

        session_id: None | str | Unset
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        else:
            session_id = self.session_id

        model_seq_id: int | None | Unset
        if isinstance(self.model_seq_id, Unset):
            model_seq_id = UNSET
        else:
            model_seq_id = self.model_seq_id

        base_model: None | str | Unset
        if isinstance(self.base_model, Unset):
            base_model = UNSET
        else:
            base_model = self.base_model

        user_metadata: dict[str, Any] | None | Unset
        if isinstance(self.user_metadata, Unset):
            user_metadata = UNSET
        elif isinstance(self.user_metadata, UserMetadata):
            user_metadata = self.user_metadata.to_dict()
        else:
            user_metadata = self.user_metadata

        optimizer_config: dict[str, Any] | None | Unset
        if isinstance(self.optimizer_config, Unset):
            optimizer_config = UNSET
        elif isinstance(self.optimizer_config, OptimizerConfig):
            optimizer_config = self.optimizer_config.to_dict()
        else:
            optimizer_config = self.optimizer_config

        weights_access_token: None | str | Unset
        if isinstance(self.weights_access_token, Unset):
            weights_access_token = UNSET
        else:
            weights_access_token = self.weights_access_token

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "optimizer": optimizer,
            }
        )
        if model_id is not UNSET:
            field_dict["model_id"] = model_id
        if seq_id is not UNSET:
            field_dict["seq_id"] = seq_id
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if model_seq_id is not UNSET:
            field_dict["model_seq_id"] = model_seq_id
        if base_model is not UNSET:
            field_dict["base_model"] = base_model
        if user_metadata is not UNSET:
            field_dict["user_metadata"] = user_metadata
        if optimizer_config is not UNSET:
            field_dict["optimizer_config"] = optimizer_config
        if weights_access_token is not UNSET:
            field_dict["weights_access_token"] = weights_access_token
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.optimizer_config import OptimizerConfig  # noqa: PLC0415
        from ..models.user_metadata import UserMetadata  # noqa: PLC0415

        d = dict(src_dict)
        path = d.pop("path")

        optimizer = d.pop("optimizer")

        def _parse_model_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_id = _parse_model_id(d.pop("model_id", UNSET))

        def _parse_seq_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seq_id = _parse_seq_id(d.pop("seq_id", UNSET))

        def _parse_session_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        session_id = _parse_session_id(d.pop("session_id", UNSET))

        def _parse_model_seq_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        model_seq_id = _parse_model_seq_id(d.pop("model_seq_id", UNSET))

        def _parse_base_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base_model = _parse_base_model(d.pop("base_model", UNSET))

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

        def _parse_weights_access_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        weights_access_token = _parse_weights_access_token(d.pop("weights_access_token", UNSET))

        type_ = cast(Literal["load_weights"] | Unset, d.pop("type", UNSET))
        if type_ != "load_weights" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'load_weights', got '{type_}'")

        load_weights_request = cls(
            path=path,
            optimizer=optimizer,
            model_id=model_id,
            seq_id=seq_id,
            session_id=session_id,
            model_seq_id=model_seq_id,
            base_model=base_model,
            user_metadata=user_metadata,
            optimizer_config=optimizer_config,
            weights_access_token=weights_access_token,
            type_=type_,
        )

        load_weights_request.additional_properties = d
        return load_weights_request

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
