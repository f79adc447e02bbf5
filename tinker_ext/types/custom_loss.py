"""Server-side custom loss registration (tinker 0.38): the declared inputs, the encoded graph, and the
create_custom_loss request/answer. See `tinker_ext._loss_handle` for tracing and encoding."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs
from tinker_ext_raw.public import CreateCustomLossResponse

from ._wire import WireModel

__all__ = [
    "CreateCustomLossRequest",
    "CreateCustomLossResponse",
    "CustomLossGraph",
    "CustomLossInput",
    "CustomLossInputRank",
    "CustomLossNode",
]

# 0: a scalar, 1: one value per token [T], 2: a table per token [T, K].
CustomLossInputRank: TypeAlias = Literal[0, 1, 2]


@attrs.frozen
class CustomLossInput(WireModel):
    name: str
    rank: CustomLossInputRank


@attrs.frozen
class CustomLossNode(WireModel):
    op: Literal["placeholder", "get_attr", "call_function", "call_method", "call_module", "output"]
    name: str
    target: str
    args: list[Any] = attrs.field(factory=list)
    kwargs: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class CustomLossGraph(WireModel):
    nodes: list[CustomLossNode]
    format: Literal[1] = 1


@attrs.frozen
class CreateCustomLossRequest(WireModel):
    session_id: str
    custom_loss_seq_id: int
    name: str
    inputs: list[CustomLossInput]
    graph: CustomLossGraph
    type: Literal["create_custom_loss"] = "create_custom_loss"
