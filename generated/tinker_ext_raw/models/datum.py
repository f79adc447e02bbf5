# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.loss_fn_inputs import LossFnInputs
    from ..models.model_input import ModelInput
    from ..models.prompt_provenance_span import PromptProvenanceSpan
    from ..models.sampled_provenance_span import SampledProvenanceSpan


T = TypeVar("T", bound="Datum")


@_attrs_define
class Datum:
    """One training example: the model input and its loss function inputs by name."""

    loss_fn_inputs: LossFnInputs
    """ Loss function inputs by name (`target_tokens`, `weights`, `advantages`, `logprobs`, ...). """
    model_input: ModelInput
    model_input_spans: list[PromptProvenanceSpan | SampledProvenanceSpan] | None | Unset = UNSET
    """ Provenance of the input tokens (client-side; only the protobuf body of 0.38 carries it). """
    loss_fn_input_spans: list[PromptProvenanceSpan | SampledProvenanceSpan] | None | Unset = UNSET
    """ Provenance of the loss rows (client-side; set together with model_input_spans). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.prompt_provenance_span import PromptProvenanceSpan  # noqa: PLC0415

        loss_fn_inputs = self.loss_fn_inputs.to_dict()

        model_input = self.model_input.to_dict()

        model_input_spans: list[dict[str, Any]] | None | Unset
        if isinstance(self.model_input_spans, Unset):
            model_input_spans = UNSET
        elif isinstance(self.model_input_spans, list):
            model_input_spans = []
            for model_input_spans_type_0_item_data in self.model_input_spans:
                model_input_spans_type_0_item: dict[str, Any]
                if isinstance(model_input_spans_type_0_item_data, PromptProvenanceSpan):
                    model_input_spans_type_0_item = model_input_spans_type_0_item_data.to_dict()
                else:
                    model_input_spans_type_0_item = model_input_spans_type_0_item_data.to_dict()

                model_input_spans.append(model_input_spans_type_0_item)

        else:
            model_input_spans = self.model_input_spans

        loss_fn_input_spans: list[dict[str, Any]] | None | Unset
        if isinstance(self.loss_fn_input_spans, Unset):
            loss_fn_input_spans = UNSET
        elif isinstance(self.loss_fn_input_spans, list):
            loss_fn_input_spans = []
            for loss_fn_input_spans_type_0_item_data in self.loss_fn_input_spans:
                loss_fn_input_spans_type_0_item: dict[str, Any]
                if isinstance(loss_fn_input_spans_type_0_item_data, PromptProvenanceSpan):
                    loss_fn_input_spans_type_0_item = loss_fn_input_spans_type_0_item_data.to_dict()
                else:
                    loss_fn_input_spans_type_0_item = loss_fn_input_spans_type_0_item_data.to_dict()

                loss_fn_input_spans.append(loss_fn_input_spans_type_0_item)

        else:
            loss_fn_input_spans = self.loss_fn_input_spans

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loss_fn_inputs": loss_fn_inputs,
                "model_input": model_input,
            }
        )
        if model_input_spans is not UNSET:
            field_dict["model_input_spans"] = model_input_spans
        if loss_fn_input_spans is not UNSET:
            field_dict["loss_fn_input_spans"] = loss_fn_input_spans

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loss_fn_inputs import LossFnInputs  # noqa: PLC0415
        from ..models.model_input import ModelInput  # noqa: PLC0415
        from ..models.prompt_provenance_span import PromptProvenanceSpan  # noqa: PLC0415
        from ..models.sampled_provenance_span import SampledProvenanceSpan  # noqa: PLC0415

        d = dict(src_dict)
        loss_fn_inputs = LossFnInputs.from_dict(d.pop("loss_fn_inputs"))

        model_input = ModelInput.from_dict(d.pop("model_input"))

        def _parse_model_input_spans(
            data: object,
        ) -> list[PromptProvenanceSpan | SampledProvenanceSpan] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                model_input_spans_type_0 = []
                _model_input_spans_type_0 = data
                for model_input_spans_type_0_item_data in _model_input_spans_type_0:

                    def _parse_model_input_spans_type_0_item(
                        data: object,
                    ) -> PromptProvenanceSpan | SampledProvenanceSpan:
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            componentsschemas_provenance_span_type_0 = PromptProvenanceSpan.from_dict(data)

                            return componentsschemas_provenance_span_type_0
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_provenance_span_type_1 = SampledProvenanceSpan.from_dict(data)

                        return componentsschemas_provenance_span_type_1

                    model_input_spans_type_0_item = _parse_model_input_spans_type_0_item(
                        model_input_spans_type_0_item_data
                    )

                    model_input_spans_type_0.append(model_input_spans_type_0_item)

                return model_input_spans_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PromptProvenanceSpan | SampledProvenanceSpan] | None | Unset, data)

        model_input_spans = _parse_model_input_spans(d.pop("model_input_spans", UNSET))

        def _parse_loss_fn_input_spans(
            data: object,
        ) -> list[PromptProvenanceSpan | SampledProvenanceSpan] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                loss_fn_input_spans_type_0 = []
                _loss_fn_input_spans_type_0 = data
                for loss_fn_input_spans_type_0_item_data in _loss_fn_input_spans_type_0:

                    def _parse_loss_fn_input_spans_type_0_item(
                        data: object,
                    ) -> PromptProvenanceSpan | SampledProvenanceSpan:
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            componentsschemas_provenance_span_type_0 = PromptProvenanceSpan.from_dict(data)

                            return componentsschemas_provenance_span_type_0
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_provenance_span_type_1 = SampledProvenanceSpan.from_dict(data)

                        return componentsschemas_provenance_span_type_1

                    loss_fn_input_spans_type_0_item = _parse_loss_fn_input_spans_type_0_item(
                        loss_fn_input_spans_type_0_item_data
                    )

                    loss_fn_input_spans_type_0.append(loss_fn_input_spans_type_0_item)

                return loss_fn_input_spans_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PromptProvenanceSpan | SampledProvenanceSpan] | None | Unset, data)

        loss_fn_input_spans = _parse_loss_fn_input_spans(d.pop("loss_fn_input_spans", UNSET))

        datum = cls(
            loss_fn_inputs=loss_fn_inputs,
            model_input=model_input,
            model_input_spans=model_input_spans,
            loss_fn_input_spans=loss_fn_input_spans,
        )

        datum.additional_properties = d
        return datum

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
