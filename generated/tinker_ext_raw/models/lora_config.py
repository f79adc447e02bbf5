# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoraConfig")


@_attrs_define
class LoraConfig:
    rank: int
    seed: int | None | Unset = UNSET
    """ null = random. """
    train_unembed: bool | Unset = True
    train_mlp: bool | Unset = True
    train_attn: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rank = self.rank

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        train_unembed = self.train_unembed

        train_mlp = self.train_mlp

        train_attn = self.train_attn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rank": rank,
            }
        )
        if seed is not UNSET:
            field_dict["seed"] = seed
        if train_unembed is not UNSET:
            field_dict["train_unembed"] = train_unembed
        if train_mlp is not UNSET:
            field_dict["train_mlp"] = train_mlp
        if train_attn is not UNSET:
            field_dict["train_attn"] = train_attn

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rank = d.pop("rank")

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        train_unembed = d.pop("train_unembed", UNSET)

        train_mlp = d.pop("train_mlp", UNSET)

        train_attn = d.pop("train_attn", UNSET)

        lora_config = cls(
            rank=rank,
            seed=seed,
            train_unembed=train_unembed,
            train_mlp=train_mlp,
            train_attn=train_attn,
        )

        lora_config.additional_properties = d
        return lora_config

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
