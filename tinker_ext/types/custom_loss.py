"""Server-side custom loss registration (tinker 0.38): the declared inputs, the encoded graph, and the
create_custom_loss request/answer (generated from openapi.yaml). See `tinker_ext._training.loss_handle` for tracing and encoding."""

from __future__ import annotations

from typing import Literal, TypeAlias

from tinker_ext_raw.public import (
    CreateCustomLossRequest,
    CreateCustomLossResponse,
    CustomLossGraph,
    CustomLossInput,
    CustomLossNode,
)

__all__ = [
    "CreateCustomLossRequest",
    "CreateCustomLossResponse",
    "CustomLossGraph",
    "CustomLossInput",
    "CustomLossInputRank",
    "CustomLossNode",
    "CustomLossNodeOp",
]

# What a traced node does (torch.fx's node ops); 0.38 types CustomLossNode.op with it.
CustomLossNodeOp: TypeAlias = Literal[
    "placeholder", "get_attr", "call_function", "call_method", "call_module", "output"
]

# 0: a scalar, 1: one value per token [T], 2: a table per token [T, K].
CustomLossInputRank: TypeAlias = Literal[0, 1, 2]
