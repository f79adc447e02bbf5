"""SampleResponse decoding builds common sequences without the dataclass __init__ (tinker_ext._wire.proto):
they must be the same objects, field for field and type for type, as the checked path builds, and stay lazy
(no token list made until it is read)."""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
from tinker_ext_raw.proto import tinker_public_pb2 as pb

from tinker_ext._wire.proto import decode_sample_response
from tinker_ext.types import SampledSequence


def body(with_logprobs: bool) -> bytes:
    message = pb.SampleResponse()
    for n in (0, 1, 5):
        sequence = message.sequences.add(stop_reason=pb.STOP_REASON_STOP if n else pb.STOP_REASON_LENGTH)
        sequence.tokens = np.arange(n, dtype="<i4").tobytes()
        if with_logprobs:
            sequence.logprobs = np.linspace(-1, 0, n, dtype="<f4").tobytes()
    return message.SerializeToString()


def test_fast_sequences_equal_constructed_ones() -> None:
    for with_logprobs in (False, True):
        for got in decode_sample_response(body(with_logprobs)).sequences:
            assert type(got) is SampledSequence
            assert "tokens" not in got.__dict__  # nothing converted yet
            built = SampledSequence(got.stop_reason, None, got.tokens_np, got.logprobs_np, None)
            for field in dataclasses.fields(SampledSequence):
                mine, theirs = getattr(got, field.name), getattr(built, field.name)
                assert type(mine) is type(theirs), field.name
                if isinstance(mine, np.ndarray):
                    assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs)
                else:
                    assert mine == theirs, field.name
            assert got.tokens == built.tokens and type(got.tokens[0] if got.tokens else 0) is int
            assert got.logprobs == built.logprobs
            assert dataclasses.replace(got, sequence_id="s").tokens == got.tokens
            assert pickle.loads(pickle.dumps(got)).tokens == got.tokens


def test_the_sequences_keep_the_wire_values() -> None:
    sequences = decode_sample_response(body(True)).sequences
    assert [s.stop_reason for s in sequences] == ["length", "stop", "stop"]
    assert sequences[2].tokens == [0, 1, 2, 3, 4]
    assert sequences[2].tokens_np.dtype == np.int32
    assert sequences[2].logprobs == np.linspace(-1, 0, 5, dtype="<f4").tolist()
    assert sequences[0].logprobs is None and sequences[0].tokens == []
