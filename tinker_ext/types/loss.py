"""Loss function names and the client-side validation of forward/forward_backward input."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias, TypeGuard, get_args

from tinker_ext._core.exceptions import InvalidInputError

from .datum import LOSS_FN_INPUT_DTYPES, Datum
from .model_input import EncodedTextChunk

__all__ = [
    "LOSS_FN_TYPES",
    "REQUIRED_LOSS_FN_INPUTS",
    "LossFnConfig",
    "LossFnType",
    "check_loss_fn_type",
    "is_loss_fn_type",
    "validate_forward_backward_input",
]

# The official 0.38 list (0.24 has the first five).
LossFnType: TypeAlias = Literal[
    "cross_entropy",
    "importance_sampling",
    "ppo",
    "cispo",
    "dro",
    "gspo",
    "stable_reinforce",
    "custom",
]
LOSS_FN_TYPES: tuple[str, ...] = get_args(LossFnType)

LossFnConfig: TypeAlias = Mapping[str, float | str]

# Losses that read per-token targets: each datum needs target_tokens.
_TARGET_LOSSES = frozenset(
    {"cross_entropy", "importance_sampling", "ppo", "cispo", "dro", "gspo", "stable_reinforce"}
)
# What the policy-gradient losses read besides target_tokens: the sampler's logprobs and the advantages.
# Servers do not refuse a datum without them (skyrl 0.4.0, measured: importance_sampling / ppo / cispo
# compute a zero or meaningless loss from the missing tensor), so they are required here.
_RL_INPUTS = ("logprobs", "advantages")
REQUIRED_LOSS_FN_INPUTS: dict[str, tuple[str, ...]] = {
    "cross_entropy": ("target_tokens",),
    **{loss: ("target_tokens", *_RL_INPUTS) for loss in _TARGET_LOSSES - {"cross_entropy"}},
}
# Per-token inputs that must line up with target_tokens position by position.
_PER_TOKEN_KEYS = ("weights", "advantages", "logprobs", "sequence_ratio_mask")


def is_loss_fn_type(value: object) -> TypeGuard[LossFnType]:
    return isinstance(value, str) and value in LOSS_FN_TYPES


def check_loss_fn_type(value: object) -> LossFnType:
    """`value` if it is a known loss function name, else InvalidInputError."""
    if not is_loss_fn_type(value):
        raise InvalidInputError(
            f"unknown loss function {value!r}; expected one of {', '.join(LOSS_FN_TYPES)}"
        )
    return value


def _text_length(datum: Datum) -> int | None:
    """model_input length in tokens, or None when it cannot be known (image without expected_tokens)."""
    total = 0
    for chunk in datum.model_input.chunks:
        if isinstance(chunk, EncodedTextChunk):
            total += len(chunk.tokens)
            continue
        try:
            total += chunk.length
        except (InvalidInputError, ValueError):
            return None
    return total


def _leading_dim(datum: Datum, key: str) -> int:
    tensor = datum.loss_fn_inputs[key]
    if tensor.shape is not None:
        return tensor.shape[0] if tensor.shape else 1
    return tensor.size


def validate_forward_backward_input(
    data: Sequence[Datum],
    loss_fn: str,
    loss_fn_config: Mapping[str, Any] | None = None,
) -> None:
    """Reject input the server would reject, before anything is sent (raises InvalidInputError).

    Checks: non-empty list of Datum; known loss function; for target-based losses every datum has
    `target_tokens` of int64; the known per-token keys have their wire dtype; `weights` (and the
    other per-token inputs) have as many positions as `target_tokens`, which has as many as the
    model input (official semantics: targets are the inputs shifted by one, same length);
    `custom` needs `loss_fn_config["loss_id"]`; config values are finite numbers or strings; each loss
    has its required inputs (`REQUIRED_LOSS_FN_INPUTS`: the policy-gradient losses need `logprobs` and
    `advantages`).
    """
    if isinstance(data, Datum):
        raise InvalidInputError("data must be a list of Datum, not a single Datum")
    if not data:
        raise InvalidInputError("No data provided: forward/forward_backward needs at least one Datum")
    loss = check_loss_fn_type(loss_fn)
    if loss_fn_config is not None:
        if not isinstance(loss_fn_config, Mapping):
            raise InvalidInputError("loss_fn_config must be a mapping of str -> number or str")
        for key, value in loss_fn_config.items():
            if (
                not isinstance(key, str)
                or isinstance(value, bool)
                or not isinstance(value, int | float | str)
            ):
                raise InvalidInputError(f"loss_fn_config[{key!r}] must be a number or a string")
            if isinstance(value, float) and not math.isfinite(value):
                raise InvalidInputError(f"loss_fn_config[{key!r}] must be finite, got {value}")
    if loss == "custom" and not (loss_fn_config and "loss_id" in loss_fn_config):
        raise InvalidInputError("loss_fn 'custom' needs loss_fn_config={'loss_id': ...}")

    for index, datum in enumerate(data):
        where = f"data[{index}]"
        if not isinstance(datum, Datum):
            raise InvalidInputError(f"{where} must be a Datum, got {type(datum).__name__}")
        inputs = datum.loss_fn_inputs
        for key, expected in LOSS_FN_INPUT_DTYPES.items():
            if key in inputs and inputs[key].dtype != expected:
                raise InvalidInputError(
                    f"{where}.loss_fn_inputs[{key!r}] must be {expected}, got {inputs[key].dtype}"
                )
        if loss not in _TARGET_LOSSES:
            continue
        for key in REQUIRED_LOSS_FN_INPUTS[loss]:
            if key not in inputs:
                raise InvalidInputError(f"{where}: loss_fn {loss!r} needs loss_fn_inputs[{key!r}]")
        n_targets = _leading_dim(datum, "target_tokens")
        for key in _PER_TOKEN_KEYS:
            if key in inputs and _leading_dim(datum, key) != n_targets:
                raise InvalidInputError(
                    f"{where}: loss_fn_inputs[{key!r}] has {_leading_dim(datum, key)} positions but "
                    f"target_tokens has {n_targets}"
                )
        n_input = _text_length(datum)
        if n_input is not None and n_input != n_targets:
            raise InvalidInputError(
                f"{where}: target_tokens has {n_targets} positions but model_input has {n_input} tokens "
                f"(they must be the same length)"
            )
