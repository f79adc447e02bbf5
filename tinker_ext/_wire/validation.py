"""Checks of a call's input that need the client (its `Limits`, the model's vocabulary): run at the
call, in the caller's thread, before anything is sent. Each error names the datum / field.

Order matters for cost: sizes are checked before any per-token work, so a 10^7-token datum is refused
in microseconds; token ids are checked with C-level passes (`set(map(type, ...))`, `min`, `max`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._wire.limits import Limits
from tinker_ext.types import Datum, EncodedTextChunk, ImageAssetPointerChunk, ModelInput, SamplingParams

__all__ = [
    "TOKEN_ID_BOUND",
    "check_datums",
    "check_encodable",
    "check_finite_values",
    "check_model_input",
    "check_sample_call",
    "check_token_ids",
    "vocab_size_of",
]

# Token ids travel as int32 in the binary wire; no vocabulary comes near this bound.
TOKEN_ID_BOUND = 2**31
_INT64 = (-(2**63), 2**64)  # what a JSON integer may hold (orjson: signed or unsigned 64-bit)
# Losses whose targets are one token per position: target_tokens must be 1-D.
_ONE_D_TARGET_LOSSES = frozenset({"importance_sampling", "ppo", "cispo", "dro", "gspo", "stable_reinforce"})


def vocab_size_of(tokenizer: Any) -> int | None:
    """The vocabulary size of a tokenizer (HF `tokenizers` or transformers), or None."""
    for attribute in ("get_vocab_size", "__len__"):
        method = getattr(tokenizer, attribute, None)
        if callable(method):
            try:
                size = method(with_added_tokens=True) if attribute == "get_vocab_size" else method()
            except (TypeError, ValueError):
                continue
            if isinstance(size, int) and size > 0:
                return size
    return None


def _bound_message(vocab_size: int | None) -> str:
    if vocab_size is None:
        return f"< {TOKEN_ID_BOUND}"
    return f"< the model's vocabulary size {vocab_size}"


def check_token_ids(tokens: Sequence[Any] | npt.NDArray[Any], where: str, vocab_size: int | None) -> None:
    """Every token id is an int (bool refused), >= 0 and below the vocabulary (when known)."""
    if isinstance(tokens, np.ndarray):  # `ModelInput.from_numpy`: integer dtype already checked
        if tokens.size:
            _check_token_range(int(tokens.min()), int(tokens.max()), tokens, where, vocab_size)
        return
    if not tokens:
        return
    if set(map(type, tokens)) != {int}:
        for index, token in enumerate(tokens):
            if type(token) is not int:
                raise InvalidInputError(
                    f"{where}[{index}]: token ids must be int, got {type(token).__name__} {token!r}"
                )
    _check_token_range(min(tokens), max(tokens), tokens, where, vocab_size)


def _check_token_range(
    low: int, high: int, tokens: Sequence[Any] | npt.NDArray[Any], where: str, vocab_size: int | None
) -> None:
    if low < 0:
        raise InvalidInputError(f"{where}[{list(tokens).index(low)}]: token id {low} is negative")
    bound = vocab_size or TOKEN_ID_BOUND
    if high >= bound:
        raise InvalidInputError(
            f"{where}[{list(tokens).index(high)}]: token id {high} is out of range "
            f"(token ids must be {_bound_message(vocab_size)})"
        )


def _utf8(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(f"{where}: the string is not valid UTF-8 (lone surrogate)") from None


def check_model_input(model_input: ModelInput, where: str, limits: Limits, vocab_size: int | None) -> None:
    """Not empty, at most `limits.max_input_tokens` tokens, valid token ids and strings."""
    if not isinstance(model_input, ModelInput):
        raise InvalidInputError(f"{where} must be a ModelInput, got {type(model_input).__name__}")
    if not model_input.chunks:
        raise InvalidInputError(f"{where} is empty: a model input needs at least one token")
    total = 0
    for chunk in model_input.chunks:
        if isinstance(chunk, EncodedTextChunk):
            total += len(chunk.tokens)
        elif chunk.type in ("image", "image_asset_pointer"):
            total += chunk.expected_tokens or 0
    if total > limits.max_input_tokens:
        raise InvalidInputError(
            f"{where} has {total} tokens, more than max_input_tokens={limits.max_input_tokens}; raise it "
            "with ServiceClient(limits=tinker_ext.Limits(max_input_tokens=...)) if this is intended"
        )
    has_text = False
    for index, chunk in enumerate(model_input.chunks):
        if isinstance(chunk, EncodedTextChunk):
            has_text = has_text or len(chunk.tokens) > 0
            check_token_ids(chunk.tokens, f"{where}.chunks[{index}].tokens", vocab_size)
        elif isinstance(chunk, ImageAssetPointerChunk):
            _utf8(chunk.location, f"{where}.chunks[{index}].location")
    if not has_text and all(isinstance(c, EncodedTextChunk) for c in model_input.chunks):
        raise InvalidInputError(f"{where} is empty: its text chunks hold no tokens")


def check_datums(data: Sequence[Datum], loss_fn: str, limits: Limits, vocab_size: int | None) -> None:
    """Per datum: the model input (see check_model_input) and target_tokens' shape and values."""
    if isinstance(data, Datum) or not isinstance(data, Sequence):
        return  # validate_forward_backward_input reports the wrong container
    for index, datum in enumerate(data):
        if not isinstance(datum, Datum):
            return
        where = f"data[{index}]"
        check_model_input(datum.model_input, f"{where}.model_input", limits, vocab_size)
        targets = datum.loss_fn_inputs.get("target_tokens")
        if targets is None:
            continue
        key = f"{where}.loss_fn_inputs['target_tokens']"
        if targets.dtype != "int64":
            raise InvalidInputError(f"{key} must be int64 token ids, got {targets.dtype}")
        shape = targets.shape
        if shape is not None and len(shape) != 1:
            weights = datum.loss_fn_inputs.get("weights")
            two_d_ok = (
                loss_fn == "cross_entropy"
                and len(shape) == 2
                and weights is not None
                and weights.shape == shape
            )
            if not two_d_ok or loss_fn in _ONE_D_TARGET_LOSSES:
                raise InvalidInputError(
                    f"{key} has shape {shape}; loss_fn {loss_fn!r} takes one target per position (1-D) "
                    "(2-D [positions, k] targets only with cross_entropy and weights of the same shape)"
                )
        values = np.asarray(targets.data if targets.is_sparse else targets.to_numpy())
        if values.size:
            low, high = int(values.min()), int(values.max())
            bound = vocab_size or TOKEN_ID_BOUND
            if low < 0 or high >= bound:
                bad = low if low < 0 else high
                raise InvalidInputError(
                    f"{key} holds token id {bad}; token ids must be >= 0 and {_bound_message(vocab_size)}"
                )


def check_sample_call(
    prompt: Any,
    num_samples: Any,
    sampling_params: Any,
    include_prompt_logprobs: Any,
    topk_prompt_logprobs: Any,
    limits: Limits,
    vocab_size: int | None,
) -> None:
    """The arguments of `SamplingClient.sample`, against their domains and the client's caps."""
    check_model_input(prompt, "prompt", limits, vocab_size)
    if not isinstance(sampling_params, SamplingParams):
        raise InvalidInputError(
            f"sampling_params must be a SamplingParams, got {type(sampling_params).__name__}"
        )
    _bounded_int("num_samples", num_samples, 1, limits.max_num_samples, "max_num_samples")
    if not isinstance(include_prompt_logprobs, bool):
        raise InvalidInputError(
            f"include_prompt_logprobs must be a bool, got {type(include_prompt_logprobs).__name__}"
        )
    _bounded_int(
        "topk_prompt_logprobs",
        topk_prompt_logprobs,
        0,
        limits.max_topk_prompt_logprobs,
        "max_topk_prompt_logprobs",
    )
    max_tokens = sampling_params.max_tokens
    if max_tokens is not None:
        # >= 1: the servers refuse 0 (skyrl 0.4.0: 400 "max_tokens must be a positive number")
        _bounded_int(
            "sampling_params.max_tokens", max_tokens, 1, limits.max_sample_tokens, "max_sample_tokens"
        )
    stop = sampling_params.stop
    if isinstance(stop, list) and stop and isinstance(stop[0], int):
        check_token_ids(stop, "sampling_params.stop", vocab_size)


def _bounded_int(name: str, value: Any, low: int, high: int, limit: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < low:
        raise InvalidInputError(f"{name} must be >= {low}, got {value}")
    if value > high:
        raise InvalidInputError(
            f"{name}={value} is more than {limit}={high}; raise it with "
            f"ServiceClient(limits=tinker_ext.Limits({limit}=...)) if this is intended"
        )


def check_encodable(body: Any, where: str = "body") -> None:
    """Refuse a body the JSON encoder would refuse (ints beyond 64 bits, non-UTF-8 strings, unknown
    types) now, naming the field, instead of when it is sent."""
    try:
        orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY)
    except TypeError as exc:
        raise InvalidInputError(_unencodable(body, where) or f"{where} cannot be encoded: {exc}") from None


def _unencodable(value: Any, where: str) -> str | None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"{where}: the string is not valid UTF-8 (lone surrogate)"
        return None
    if isinstance(value, bool) or value is None or isinstance(value, float | np.ndarray | np.generic):
        return None
    if isinstance(value, int):
        if not _INT64[0] <= value < _INT64[1]:
            return f"{where}: integer {value} does not fit in 64 bits"
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{where}: keys must be strings, got {type(key).__name__}"
            found = _unencodable(key, f"{where} key {key!r}") or _unencodable(item, f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _unencodable(item, f"{where}[{index}]")
            if found:
                return found
        return None
    return f"{where}: a {type(value).__name__} cannot be sent as JSON"


def check_finite_values(values: npt.NDArray[Any], where: str) -> None:
    """Refuse NaN/inf in a float array: one vectorised pass (measured faster than a sum or min/max)."""
    if not bool(np.isfinite(values).all()):
        raise InvalidInputError(f"Out of range float value in array at {where}: NaN and inf cannot be sent")
