# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.dmel_chunk import DmelChunk
    from ..models.encoded_text_chunk import EncodedTextChunk
    from ..models.image_asset_pointer_chunk import ImageAssetPointerChunk
    from ..models.image_chunk import ImageChunk


T = TypeVar("T", bound="ModelInput")


@_attrs_define
class ModelInput:
    chunks: list[DmelChunk | EncodedTextChunk | ImageAssetPointerChunk | ImageChunk]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.encoded_text_chunk import EncodedTextChunk  # noqa: PLC0415
        from ..models.image_asset_pointer_chunk import ImageAssetPointerChunk  # noqa: PLC0415
        from ..models.image_chunk import ImageChunk  # noqa: PLC0415

        chunks = []
        for chunks_item_data in self.chunks:
            chunks_item: dict[str, Any]
            if isinstance(chunks_item_data, EncodedTextChunk):
                chunks_item = chunks_item_data.to_dict()
            elif isinstance(chunks_item_data, ImageAssetPointerChunk):
                chunks_item = chunks_item_data.to_dict()
            elif isinstance(chunks_item_data, ImageChunk):
                chunks_item = chunks_item_data.to_dict()
            else:
                chunks_item = chunks_item_data.to_dict()

            chunks.append(chunks_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunks": chunks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dmel_chunk import DmelChunk  # noqa: PLC0415
        from ..models.encoded_text_chunk import EncodedTextChunk  # noqa: PLC0415
        from ..models.image_asset_pointer_chunk import ImageAssetPointerChunk  # noqa: PLC0415
        from ..models.image_chunk import ImageChunk  # noqa: PLC0415

        d = dict(src_dict)
        chunks = []
        _chunks = d.pop("chunks")
        for chunks_item_data in _chunks:

            def _parse_chunks_item(
                data: object,
            ) -> DmelChunk | EncodedTextChunk | ImageAssetPointerChunk | ImageChunk:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_model_input_chunk_type_0 = EncodedTextChunk.from_dict(data)

                    return componentsschemas_model_input_chunk_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_model_input_chunk_type_1 = ImageAssetPointerChunk.from_dict(data)

                    return componentsschemas_model_input_chunk_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_model_input_chunk_type_2 = ImageChunk.from_dict(data)

                    return componentsschemas_model_input_chunk_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_model_input_chunk_type_3 = DmelChunk.from_dict(data)

                return componentsschemas_model_input_chunk_type_3

            chunks_item = _parse_chunks_item(chunks_item_data)

            chunks.append(chunks_item)

        model_input = cls(
            chunks=chunks,
        )

        model_input.additional_properties = d
        return model_input

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
