"""Custom losses as traced graphs (tinker 0.38 `ServiceClient.create_custom_loss(fn, input_ranks)`).

`fn(logprobs, *inputs) -> (loss, {"custom/name:sum"|":mean": tensor})` is checked and traced with
`torch.fx.symbolic_trace` into a `LossHandle`. A server whose client/config sets `custom_loss_server_side`
registers the encoded graph (`POST create_custom_loss`) and the handle gets a `loss_id`: then
`forward_backward_custom(data, handle)` is one `forward_backward(data, "custom", {"loss_id": ...})`.
Without a `loss_id` the handle runs client-side, per datum, through the usual custom-loss path
(forward, gradient of the summed per-datum losses w.r.t. the logprobs, backward): docs/PROTOCOL.md,
Custom losses.
"""

from __future__ import annotations

import hashlib
import inspect
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from tinker_ext._core.exceptions import InvalidInputError

if TYPE_CHECKING:
    import torch.fx

    from tinker_ext.types import Datum

__all__ = ["LossHandle", "PerDatumLossFn", "encode_graph", "per_datum_loss_fn", "trace_loss"]

# fn(logprobs, *inputs) -> (loss tensor, {metric name: tensor})
PerDatumLossFn = Callable[..., tuple[Any, Mapping[str, Any]]]

MAX_PARAMETERS = 16
_PARAM_NAME = re.compile(r"[a-z_][a-z0-9_]{0,63}")
_METRIC_NAME = re.compile(r"custom/[a-z0-9_./-]{1,64}:(sum|mean)")
_ALLOWED_MODULES = frozenset({"torch", "math", "operator", "_operator"})
_FORBIDDEN_METHODS = frozenset({"backward", "item", "numpy", "tolist"})


@attrs.frozen
class LossHandle:
    """A traced per-datum loss, bound to the session it was created in."""

    name: str
    inputs: tuple[Any, ...]  # CustomLossInput, the first one `logprobs`
    session_id: str
    graph: torch.fx.GraphModule = attrs.field(repr=False, eq=False)
    loss_id: str | None = None

    @property
    def input_names(self) -> tuple[str, ...]:
        """The loss_fn_inputs keys the loss reads (every input after `logprobs`)."""
        return tuple(i.name for i in self.inputs[1:])

    @property
    def key(self) -> str:
        return hashlib.sha256((self.graph.code + repr(self.inputs)).encode()).hexdigest()


def _check_signature(fn: Any, input_ranks: Mapping[str, int]) -> list[str]:
    if not callable(fn):
        raise InvalidInputError("fn must be a function (logprobs, *inputs) -> (loss, metrics)")
    params = list(inspect.signature(fn).parameters.values())
    names = [p.name for p in params]
    if not names or names[0] != "logprobs":
        raise InvalidInputError("the first parameter of a custom loss must be named `logprobs`")
    if len(names) > MAX_PARAMETERS:
        raise InvalidInputError(f"a custom loss takes at most {MAX_PARAMETERS} parameters, got {len(names)}")
    for p in params:
        if not _PARAM_NAME.fullmatch(p.name):
            raise InvalidInputError(f"parameter name {p.name!r} must match [a-z_][a-z0-9_]{{0,63}}")
        if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) or p.default is not p.empty:
            raise InvalidInputError(f"parameter {p.name!r} must be positional without a default")
    if not isinstance(input_ranks, Mapping) or set(input_ranks) != set(names):
        raise InvalidInputError(f"input_ranks must give one rank per parameter: {names}")
    for name, rank in input_ranks.items():
        if rank not in (0, 1, 2) or isinstance(rank, bool):
            raise InvalidInputError(f"input_ranks[{name!r}] must be 0, 1 or 2, got {rank!r}")
    if input_ranks["logprobs"] == 0:
        raise InvalidInputError("logprobs cannot be rank 0")
    return names


def _check_graph(graph: torch.fx.GraphModule) -> None:
    import torch

    for node in graph.graph.nodes:
        if node.op == "call_function":
            module = getattr(node.target, "__module__", None) or ""
            if module.split(".")[0] not in _ALLOWED_MODULES and node.target is not getattr:
                raise InvalidInputError(
                    f"custom loss calls {node.target!r}: only torch, math and operator functions"
                )
        elif node.op == "call_method":
            if node.target in _FORBIDDEN_METHODS or not hasattr(torch.Tensor, str(node.target)):
                raise InvalidInputError(f"custom loss calls the method {node.target!r}, which is not allowed")
        elif node.op in ("call_module", "get_attr"):
            raise InvalidInputError("custom loss must not use modules or captured tensors")


def trace_loss(fn: Any, input_ranks: Mapping[str, int], session_id: str) -> LossHandle:
    """Check `fn`, trace it and return its (not yet registered) handle."""
    import torch.fx

    from tinker_ext.types import CustomLossInput

    names = _check_signature(fn, input_ranks)
    try:
        graph = torch.fx.symbolic_trace(fn)
    except Exception as exc:
        raise InvalidInputError(f"custom loss could not be traced: {type(exc).__name__}: {exc}") from None
    _check_graph(graph)
    inputs = tuple(CustomLossInput(name=n, rank=input_ranks[n]) for n in names)  # type: ignore[arg-type]
    return LossHandle(name=getattr(fn, "__name__", "loss"), inputs=inputs, session_id=session_id, graph=graph)


def _encode_arg(value: Any) -> Any:
    import torch
    import torch.fx

    if isinstance(value, torch.fx.Node):
        return {"ref": value.name}
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": str(value)}
    if isinstance(value, list):
        return [_encode_arg(v) for v in value]
    if isinstance(value, tuple):
        return {"tuple": [_encode_arg(v) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _encode_arg(v) for k, v in value.items()}}
    if isinstance(value, slice):
        return {"slice": [_encode_arg(value.start), _encode_arg(value.stop), _encode_arg(value.step)]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if isinstance(value, torch.dtype):
        return {"dtype": str(value).removeprefix("torch.")}
    if isinstance(value, torch.device):
        return {"device": str(value)}
    if isinstance(value, torch.layout):
        return {"layout": str(value).removeprefix("torch.")}
    if isinstance(value, torch.memory_format):
        return {"memory_format": str(value).removeprefix("torch.")}
    raise InvalidInputError(f"custom loss graph argument {value!r} cannot be sent to the server")


def _target(node: Any) -> str:
    if node.op != "call_function":
        return str(node.target)
    if node.target is getattr:
        return "getattr"
    module = getattr(node.target, "__module__", "") or ""
    module = "operator" if module == "_operator" else module
    return f"{module}.{node.target.__name__}"


def encode_graph(graph: torch.fx.GraphModule) -> dict[str, Any]:
    """`CustomLossGraph` JSON: the nodes in execution order with their encoded arguments."""
    nodes = [
        {
            "op": node.op,
            "name": node.name,
            "target": _target(node),
            "args": [_encode_arg(a) for a in node.args],
            "kwargs": {k: _encode_arg(v) for k, v in node.kwargs.items()},
        }
        for node in graph.graph.nodes
    ]
    return {"format": 1, "nodes": nodes}


def _rank(tensor: Any) -> int:
    return 1 if tensor.shape is None else len(tensor.shape)


def per_datum_loss_fn(
    handle: LossHandle,
) -> Callable[[Sequence[Datum], list[Any]], tuple[Any, dict[str, float]]]:
    """The client-side form of a handle: run its graph per datum, sum the losses, reduce the metrics
    (summed; `:mean` keys divided by the datum count)."""

    def loss_fn(data: Sequence[Datum], logprobs_list: list[Any]) -> tuple[Any, dict[str, float]]:
        total: Any = None
        sums: dict[str, float] = {}
        for datum, logprobs in zip(data, logprobs_list, strict=True):
            args = [datum.loss_fn_inputs[i.name].to_torch() for i in handle.inputs[1:]]
            loss, metrics = handle.graph(logprobs, *args)
            if loss.dim() != 0:
                raise InvalidInputError(f"custom loss {handle.name!r} must return a scalar loss per datum")
            total = loss if total is None else total + loss
            for key, value in metrics.items():
                if not _METRIC_NAME.fullmatch(key):
                    raise InvalidInputError(f"custom loss metric {key!r} must match custom/<name>:sum|mean")
                sums[key] = sums.get(key, 0.0) + float(value.detach() if hasattr(value, "detach") else value)
        reduced = {k: (v / len(data) if k.endswith(":mean") else v) for k, v in sums.items()}
        return total, reduced

    return loss_fn


def check_handle_data(handle: LossHandle, data: Sequence[Datum], session_id: str | None) -> None:
    """The data must carry target_tokens and every declared input with its declared rank."""
    if handle.session_id != session_id:
        raise InvalidInputError(
            "this LossHandle belongs to another session (create it with this ServiceClient)"
        )
    for index, datum in enumerate(data):
        inputs = datum.loss_fn_inputs
        if "target_tokens" not in inputs:
            raise InvalidInputError(f"data[{index}]: a custom loss needs loss_fn_inputs['target_tokens']")
        for declared in handle.inputs[1:]:
            if declared.name not in inputs:
                raise InvalidInputError(f"data[{index}]: missing loss_fn_inputs[{declared.name!r}]")
            if _rank(inputs[declared.name]) != declared.rank:
                raise InvalidInputError(
                    f"data[{index}].loss_fn_inputs[{declared.name!r}]: rank {_rank(inputs[declared.name])}, "
                    f"declared {declared.rank}"
                )
