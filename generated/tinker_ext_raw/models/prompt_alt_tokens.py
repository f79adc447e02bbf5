# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tensor_data import TensorData


T = TypeVar("T", bound="PromptAltTokens")


@_attrs_define
class PromptAltTokens:
    """Per prompt position, the k alternative tokens and their logprobs (0.38, prompt_alt_tokens_k)."""

    tokens: TensorData
    """ An int64/float32 tensor (numpy-backed; equality and hash by identity, as 0.38). """
    logprobs: TensorData
    """ An int64/float32 tensor (numpy-backed; equality and hash by identity, as 0.38). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tokens = self.tokens.to_dict()

        logprobs = self.logprobs.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tokens": tokens,
                "logprobs": logprobs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tensor_data import TensorData  # noqa: PLC0415

        d = dict(src_dict)
        tokens = TensorData.from_dict(d.pop("tokens"))

        logprobs = TensorData.from_dict(d.pop("logprobs"))

        prompt_alt_tokens = cls(
            tokens=tokens,
            logprobs=logprobs,
        )

        prompt_alt_tokens.additional_properties = d
        return prompt_alt_tokens

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
