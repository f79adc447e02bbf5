"""Issue 19 item 3: every public type is generated from openapi.yaml. Each class `tinker_ext.types` exports
is defined in the generated package (its `__module__` under `tinker_ext_raw.public`), except the exceptions
and the client-side tinker:// path parser. The names that are no classes are type aliases (unions,
Literals), constants and helper functions."""

from __future__ import annotations

import enum

import tinker_ext
import tinker_ext.types as public_types

HAND_WRITTEN = {"ParsedCheckpointTinkerPath"}  # the client-side tinker:// parser


def _exported_classes() -> dict[str, type]:
    return {
        name: value
        for name in public_types.__all__
        if isinstance(value := getattr(public_types, name), type)
        and not issubclass(value, BaseException)
        and value.__module__ != "builtins"  # ModelID = str, RequestID = str: aliases
    }


def test_every_exported_type_is_defined_in_generated_code() -> None:
    classes = _exported_classes()
    assert len(classes) > 100
    not_generated = {
        name: cls.__module__
        for name, cls in classes.items()
        if name not in HAND_WRITTEN and not cls.__module__.startswith("tinker_ext_raw.public")
    }
    assert not_generated == {}
    for name in HAND_WRITTEN:
        assert classes[name].__module__.startswith("tinker_ext.types")


def test_the_nine_last_types_and_the_enums_come_from_the_spec() -> None:
    nine = (
        "CreateModelRequest",
        "GetInfoResponse",
        "LoadWeightsRequest",
        "OptimStepRequest",
        "WeightsInfoResponse",
        "OptimParamsBase",
        "OptimizerConfigBase",
        "QueueState",
        "RequestErrorCategory",
    )
    for name in nine:
        cls = getattr(public_types, name)
        assert cls.__module__ == "tinker_ext_raw.public._types", name
        assert getattr(tinker_ext, name, cls) is cls, name  # a top-level name is the same class
    assert issubclass(public_types.QueueState, enum.StrEnum)


def test_one_queue_state_class_at_runtime() -> None:
    from tinker_ext._session import polling
    from tinker_ext.types import RequestErrorCategory

    assert polling.QueueState is public_types.QueueState
    assert RequestErrorCategory is public_types.RequestErrorCategory
    assert public_types.QueueState.parse("paused_capacity") is public_types.QueueState.PAUSED_CAPACITY
    assert public_types.QueueState.parse("new_state") is public_types.QueueState.UNKNOWN
    assert public_types.QueueState.parse(None) is public_types.QueueState.UNKNOWN
    assert public_types.RequestErrorCategory.parse("SERVER") is public_types.RequestErrorCategory.Server
