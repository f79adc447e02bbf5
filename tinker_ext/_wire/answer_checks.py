"""Result answers checked against the request that asked for them, before they are converted.

A result body is bounded three ways, each before the allocation it guards:

1. Bytes: `result_bytes` is the largest body the request can legitimately produce (its value budget times
   a generous size per JSON value); a longer body is a `LimitExceededError` before it is parsed.
2. Values: the answer's counts (protobuf byte lengths, JSON list lengths; for the absolute cap, a JSON
   body's separators, counted before it is parsed) are added up before any value is converted; more than
   the request's budget, or than `Limits.max_answer_values`, is a `LimitExceededError`. The budget of a
   sample is num_samples x max_tokens x (2 + 2 x topk) for the sequences plus prompt_length x
   (1 + 2 x topk_prompt + target columns + 2 x alt k) for the prompt; of a forward(_backward) chunk, 8
   output values per target value of its datums.
3. Shapes: one sequence per sample, at most max_tokens tokens each, logprobs as long as the tokens, top-k
   widths within what was asked, prompt arrays within the prompt; one output per datum, per-token arrays
   of the datum's length (built-in losses); token ids in [0, vocab) when the vocabulary is known. A
   mismatch is an `APIResponseValidationError` with the JSON pointer of the offending value, so an
   answer of a newer server (a field moved, an unknown type) is refused rather than read as empty.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from tinker_ext_raw.proto import tinker_public_pb2 as pb

from tinker_ext._core.exceptions import InvalidInputError, LimitExceededError
from tinker_ext._wire.answers import invalid_answer

if TYPE_CHECKING:
    from tinker_ext._wire.limits import Limits
    from tinker_ext.types import Datum, ForwardBackwardOutput, ModelInput, SampleResponse

__all__ = [
    "ForwardExpectation",
    "SampleExpectation",
    "aligned_to_prompt",
    "check_json_values",
    "prompt_length",
]

# A sampled sequence may hold max_tokens tokens (both real servers: a stop token counts within them).
_STOP_SLACK = 0
_JSON_BYTES_PER_VALUE = 64  # "-1.2345678901234567e-05, " with indentation, or a [id, logprob] pair half
_JSON_BYTES_PER_ITEM = 512  # keys and punctuation of one sequence / datum output
_JSON_BYTES_FIXED = 64 * 1024
_OUTPUT_VALUES_PER_TARGET = 8  # output fields per target value a forward pass may return
# Losses whose outputs are per-token arrays (first dimension = the datum's target length).
_PER_TOKEN_LOSSES = frozenset(
    {"cross_entropy", "importance_sampling", "ppo", "cispo", "dro", "gspo", "stable_reinforce"}
)


def _over_budget(
    what: str, count: int, budget: int, because: str, limits: Limits
) -> LimitExceededError | None:
    if count > limits.max_answer_values:
        return limits.breach(
            "max_answer_values", f"The {what} answer holds {count} values (tokens, logprobs, tensor elements)"
        )
    if count > budget:
        return LimitExceededError(
            f"The {what} answer holds {count} values, more than the request can produce ({budget}: "
            f"{because}); refused before decoding it.",
            limit="request_budget",
        )
    return None


_ITEMSIZE: dict[int, int] = {pb.DTYPE_FLOAT32: 4, pb.DTYPE_INT32: 4, pb.DTYPE_INT64: 8}


def _itemsize(wire_dtype: int) -> int:
    """Bytes per value of a protobuf dtype (an unknown one counts as the narrowest, bf16: the decoder
    refuses it, this only must not undercount)."""
    return _ITEMSIZE.get(wire_dtype, 2)


def check_json_values(content: bytes, limits: Limits) -> None:
    """Refuse a JSON body holding more than `limits.max_answer_values` values before it is parsed: every
    value (and key-value pair) ends at a ',', ']' or '}', so their count bounds the values from above
    (three scans of the bytes, no allocation)."""
    bound = content.count(b",") + content.count(b"]") + content.count(b"}")
    if bound > limits.max_answer_values:
        raise limits.breach(
            "max_answer_values",
            f"A JSON result of {len(content)} bytes holds up to {bound} values (refused unparsed)",
        )


def _json_list_len(value: Any) -> int:
    return len(value) if isinstance(value, list | np.ndarray) else 0  # ndarray: 1-D, see _json_arrays


def _json_topk(value: Any) -> tuple[int, int]:
    """(rows, widest row) of a JSON top-k list."""
    if not isinstance(value, list):
        return 0, 0
    return len(value), max((len(row) for row in value if isinstance(row, list)), default=0)


def _json_tensor_values(value: Any) -> int:
    return _json_list_len(value.get("data")) if isinstance(value, Mapping) else 0


def prompt_length(prompt: ModelInput) -> int | None:
    try:
        return prompt.length
    except InvalidInputError:  # an image chunk without expected_tokens: length unknown
        return None


def _length_bound(model_input: ModelInput, limits: Limits) -> int:
    length = prompt_length(model_input)
    return limits.max_input_tokens if length is None else length  # unknown: the server's to say


def _nan_to_none(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def aligned_to_prompt(response: SampleResponse, prompt: ModelInput) -> SampleResponse:
    """Prompt logprobs in the official shape: one entry per prompt token, entry 0 None, NaN -> None.

    skyrl-tx returns only the len(prompt) - 1 computable entries (no leading None); those get the None
    prepended. Any other length is passed through unchanged (NaN -> None only).
    """
    prompt_logprobs = response.prompt_logprobs
    topk = response.topk_prompt_logprobs
    if prompt_logprobs is None and topk is None:
        return response
    length = prompt_length(prompt)
    if prompt_logprobs is not None:
        prompt_logprobs = [_nan_to_none(lp) for lp in prompt_logprobs]
        if length is not None and length > 0 and len(prompt_logprobs) == length - 1:
            prompt_logprobs = [None, *prompt_logprobs]
    if topk is not None and length is not None and length > 0 and len(topk) == length - 1:
        topk = [None, *topk]
    return response._replaced(prompt_logprobs=prompt_logprobs, topk_prompt_logprobs=topk)


@attrs.frozen
class _SequenceCounts:
    tokens: int
    logprobs: int | None
    topk: tuple[int, int]  # (rows, k)


@attrs.frozen
class _SampleCounts:
    sequences: list[_SequenceCounts]
    prompt_logprobs: int
    topk_prompt: tuple[int, int]
    extra_values: dict[str, int]  # pointer -> values of a prompt tensor (target logprobs, alt tokens)

    def values(self) -> int:
        total = self.prompt_logprobs + 2 * self.topk_prompt[0] * self.topk_prompt[1]
        total += sum(self.extra_values.values())
        for seq in self.sequences:
            total += seq.tokens + (seq.logprobs or 0) + 2 * seq.topk[0] * seq.topk[1]
        return total


@attrs.frozen
class SampleExpectation:
    """What one sample request can be answered with."""

    prompt: ModelInput
    finish: Callable[[SampleResponse], SampleResponse]  # the caller's last checks (options asked for)
    num_samples: int
    max_tokens: int
    prompt_length: int
    topk_sample: int
    topk_prompt: int
    target_columns: int  # n of target_prompt_logprobs [prompt_len, n]; 0 = not asked
    alt_k: int
    vocab_size: int | None
    limits: Limits

    @classmethod
    def of(
        cls,
        *,
        prompt: ModelInput,
        finish: Callable[[SampleResponse], SampleResponse],
        num_samples: int,
        max_tokens: int | None,
        topk_sample: int,
        topk_prompt: int,
        target_shape: Sequence[int] | None,
        alt_k: int,
        vocab_size: int | None,
        limits: Limits,
    ) -> SampleExpectation:
        return cls(
            prompt=prompt,
            finish=finish,
            num_samples=num_samples,
            max_tokens=limits.max_sample_tokens if max_tokens is None else max_tokens,
            prompt_length=_length_bound(prompt, limits),
            topk_sample=topk_sample,
            topk_prompt=topk_prompt,
            target_columns=target_shape[-1] if target_shape else 0,
            alt_k=alt_k,
            vocab_size=vocab_size,
            limits=limits,
        )

    @property
    def budget(self) -> int:
        per_sequence = (self.max_tokens + _STOP_SLACK) * (2 + 2 * self.topk_sample)
        prompt = self.prompt_length * (1 + 2 * self.topk_prompt + self.target_columns + 2 * self.alt_k)
        return self.num_samples * per_sequence + prompt

    @property
    def result_bytes(self) -> int:
        """The largest result body (JSON or protobuf) this request can produce."""
        items = self.num_samples + 4
        return self.budget * _JSON_BYTES_PER_VALUE + items * _JSON_BYTES_PER_ITEM + _JSON_BYTES_FIXED

    def decode_json(self, data: Any) -> SampleResponse:
        """A parsed JSON result -> the SampleResponse, checked against the request."""
        from tinker_ext.types import SampleResponse

        self.check_json(data)
        return self._finished(SampleResponse.from_wire(data))

    def decode_protobuf(self, content: bytes) -> SampleResponse:
        """A protobuf result -> the SampleResponse, checked against the request."""
        from tinker_ext._wire.proto import decode_sample_response

        return self._finished(decode_sample_response(content, self))

    def _finished(self, response: SampleResponse) -> SampleResponse:
        return self.finish(aligned_to_prompt(self.check_result(response), self.prompt))

    def check_json(self, data: Any) -> None:
        """Counts of a JSON SampleResponse (already parsed, not converted); malformed parts are left to
        the converter's typed errors."""
        if not isinstance(data, Mapping):
            return
        sequences = data.get("sequences")
        counts = [
            _SequenceCounts(
                tokens=_json_list_len(seq.get("tokens")),
                logprobs=_json_list_len(seq["logprobs"]) if isinstance(seq.get("logprobs"), list) else None,
                topk=_json_topk(seq.get("topk_logprobs")),
            )
            for seq in (sequences if isinstance(sequences, list) else [])
            if isinstance(seq, Mapping)
        ]
        alt = data.get("prompt_alt_tokens")
        extra = {"/target_prompt_logprobs": _json_tensor_values(data.get("target_prompt_logprobs"))}
        if isinstance(alt, Mapping):
            extra["/prompt_alt_tokens/tokens"] = _json_tensor_values(alt.get("tokens"))
            extra["/prompt_alt_tokens/logprobs"] = _json_tensor_values(alt.get("logprobs"))
        self._check(
            _SampleCounts(
                counts,
                _json_list_len(data.get("prompt_logprobs")),
                _json_topk(data.get("topk_prompt_logprobs")),
                extra,
            ),
            sequences_listed=isinstance(sequences, list),
        )

    def check_protobuf(self, message: Any) -> None:
        """Counts of a parsed `tinker_public.SampleResponse` (byte lengths only: nothing decoded yet)."""

        def topk(field: Any) -> tuple[int, int]:
            length = max(len(field.token_ids), len(field.logprobs)) // 4
            return (field.length, field.k) if field.length * field.k >= length else (length, 1)

        def tensor_values(tensor: Any) -> int:
            size = _itemsize(tensor.dtype)
            if tensor.WhichOneof("encoding") == "sparse_csr":
                return len(tensor.sparse_csr.values) // size + len(tensor.sparse_csr.col_indices) // 8
            return len(tensor.dense) // size

        counts = [
            _SequenceCounts(
                tokens=len(seq.tokens) // 4,
                logprobs=len(seq.logprobs) // 4 if seq.logprobs else None,
                topk=topk(seq.topk_sampled_logprobs) if seq.HasField("topk_sampled_logprobs") else (0, 0),
            )
            for seq in message.sequences
        ]
        extra = {}
        if message.HasField("target_prompt_logprobs"):
            extra["/target_prompt_logprobs"] = tensor_values(message.target_prompt_logprobs)
        if message.HasField("prompt_alt_tokens"):
            extra["/prompt_alt_tokens/tokens"] = tensor_values(message.prompt_alt_tokens.tokens)
            extra["/prompt_alt_tokens/logprobs"] = tensor_values(message.prompt_alt_tokens.logprobs)
        self._check(
            _SampleCounts(
                counts,
                len(message.prompt_logprobs) // 4 if message.HasField("prompt_logprobs") else 0,
                topk(message.topk_prompt_logprobs) if message.HasField("topk_prompt_logprobs") else (0, 0),
                extra,
            ),
            sequences_listed=True,
        )

    def _check(self, counts: _SampleCounts, *, sequences_listed: bool) -> None:
        because = (
            f"num_samples={self.num_samples}, max_tokens={self.max_tokens}, topk={self.topk_sample}, "
            f"prompt of {self.prompt_length} tokens, topk_prompt_logprobs={self.topk_prompt}"
        )
        error = _over_budget("sample", counts.values(), self.budget, because, self.limits)
        if error is not None:
            raise error
        if sequences_listed and len(counts.sequences) != self.num_samples:
            raise self._invalid(
                "/sequences", f"{self.num_samples} sequences (num_samples)", f"got {len(counts.sequences)}"
            )
        for index, seq in enumerate(counts.sequences):
            where = f"/sequences/{index}"
            if seq.tokens > self.max_tokens + _STOP_SLACK:
                raise self._invalid(
                    f"{where}/tokens", f"at most {self.max_tokens} tokens", f"got {seq.tokens}"
                )
            if seq.logprobs is not None and seq.logprobs != seq.tokens:
                raise self._invalid(f"{where}/logprobs", f"{seq.tokens} logprobs", f"got {seq.logprobs}")
            self._check_topk(f"{where}/topk_logprobs", seq.topk, seq.tokens, self.topk_sample)
        if counts.prompt_logprobs > self.prompt_length:
            raise self._invalid(
                "/prompt_logprobs", f"at most {self.prompt_length} entries", f"got {counts.prompt_logprobs}"
            )
        self._check_topk("/topk_prompt_logprobs", counts.topk_prompt, self.prompt_length, self.topk_prompt)
        widths = {
            "/target_prompt_logprobs": self.target_columns,
            "/prompt_alt_tokens/tokens": self.alt_k,
            "/prompt_alt_tokens/logprobs": self.alt_k,
        }
        for pointer, values in counts.extra_values.items():
            if values > self.prompt_length * widths[pointer]:
                raise self._invalid(
                    pointer, f"at most {self.prompt_length}x{widths[pointer]} values", f"got {values}"
                )

    def _check_topk(self, pointer: str, topk: tuple[int, int], rows: int, k: int) -> None:
        length, width = topk
        if length == 0 or width == 0:
            return
        if length > rows or width > k:
            raise self._invalid(pointer, f"at most {rows} rows of {k} entries", f"got {length}x{width}")

    def _invalid(self, pointer: str, expected: str, detail: str) -> Exception:
        return invalid_answer("SampleResponse", pointer, expected, None, detail=detail)

    def check_result(self, response: SampleResponse) -> SampleResponse:
        """Token ids of the converted answer: >= 0, and below the vocabulary size when it is known."""
        high = self.vocab_size
        for index, seq in enumerate(response.sequences):
            tokens = seq.tokens_np  # numpy: the list form is built only if the user reads it
            if (
                tokens is not None
                and tokens.size
                and (tokens.min() < 0 or (high is not None and tokens.max() >= high))
            ):
                bad = next(int(t) for t in tokens if t < 0 or (high is not None and t >= high))
                expected = f"token ids in [0, {high})" if high is not None else "token ids >= 0"
                raise self._invalid(f"/sequences/{index}/tokens", expected, f"got {bad}")
        return response


@attrs.frozen
class ForwardExpectation:
    """What one forward / forward_backward chunk can be answered with: one output per datum; for the
    built-in losses, arrays whose first dimension is the datum's target length."""

    lengths: list[int]  # per datum: first dimension of its target_tokens (else its model_input length)
    sizes: list[int]  # per datum: values of its target_tokens (else its model_input length)
    loss_fn: str
    limits: Limits

    @classmethod
    def of(cls, datums: Sequence[Datum], loss_fn: str, limits: Limits) -> ForwardExpectation:
        lengths, sizes = [], []
        for datum in datums:
            target = datum.loss_fn_inputs.get("target_tokens")
            shape = target.shape if target is not None else None
            if target is not None and shape:
                lengths.append(shape[0])
                sizes.append(max(math.prod(shape), 1))
            else:
                length = _length_bound(datum.model_input, limits)
                lengths.append(length)
                sizes.append(max(length, 1))
        return cls(lengths, sizes, loss_fn, limits)

    @property
    def budget(self) -> int:
        return _OUTPUT_VALUES_PER_TARGET * sum(self.sizes)

    @property
    def result_bytes(self) -> int:
        items = len(self.lengths) + 4
        return self.budget * _JSON_BYTES_PER_VALUE + items * _JSON_BYTES_PER_ITEM + _JSON_BYTES_FIXED

    def _check_counts(self, outputs: int, values: int) -> None:
        because = f"{len(self.lengths)} datums of {sum(self.sizes)} target values"
        error = _over_budget("forward/forward_backward", values, self.budget, because, self.limits)
        if error is not None:
            raise error
        if outputs != len(self.lengths):
            raise invalid_answer(
                "ForwardBackwardOutput",
                "/loss_fn_outputs",
                f"one output per datum ({len(self.lengths)})",
                None,
                detail=f"got {outputs}",
            )

    def check_json(self, data: Any) -> None:
        if not isinstance(data, Mapping) or not isinstance(data.get("loss_fn_outputs"), list):
            return  # malformed: the converter says where
        outputs = data["loss_fn_outputs"]
        values = sum(
            _json_tensor_values(tensor)
            for output in outputs
            if isinstance(output, Mapping)
            for tensor in output.values()
        )
        self._check_counts(len(outputs), values)

    def check_protobuf(self, message: Any) -> None:
        outputs = values = 0
        for record in message.loss_fn_outputs:
            datums = record.num_datums
            for name in record.fields:
                field = record.fields[name]
                values += len(field.data) // _itemsize(field.dtype)
                if datums == 0:  # older servers leave num_datums unset (as the decoder counts them)
                    datums = max(len(field.offsets) // 8 - 1, 0)
            outputs += datums
        self._check_counts(outputs, values)

    def check_result(self, output: ForwardBackwardOutput) -> ForwardBackwardOutput:
        """Shapes of the converted answer: per-token arrays of each datum's length (built-in losses)."""
        if self.loss_fn not in _PER_TOKEN_LOSSES:
            return output
        for index, (length, record) in enumerate(zip(self.lengths, output.loss_fn_outputs, strict=True)):
            if not record:  # an output whose fields we could not read is no output
                raise invalid_answer(
                    "ForwardBackwardOutput",
                    f"/loss_fn_outputs/{index}",
                    "per-token arrays",
                    None,
                    detail="got none",
                )
            for name, tensor in record.items():
                shape = tensor.shape if tensor.shape is not None else [tensor.size]
                if not shape or shape[0] != length:
                    raise invalid_answer(
                        "ForwardBackwardOutput",
                        f"/loss_fn_outputs/{index}/{name}",
                        f"a per-token array of the datum's length {length}",
                        None,
                        detail=f"got shape {shape}",
                    )
        return output
