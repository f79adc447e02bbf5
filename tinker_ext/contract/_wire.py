"""The forward / forward_backward request of each client generation, and protobuf results as JSON shapes.

Bodies are built with tinker_ext's protobuf layer (`tinker_ext._wire.proto`, which writes exactly the 0.25 or
the 0.38 body); everything else in the contract tester is plain JSON over plain httpx.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ._generations import Generation

__all__ = ["ForwardCall", "decode_forward_output", "decode_sample", "forward_request"]

PROTOBUF = "application/x-protobuf"


@attrs.frozen
class ForwardCall:
    """An operation and the body a generation sends for forward/forward_backward (not a wire type)."""

    operation: str  # operationId
    body: Any = None  # JSON body, or
    content: bytes | None = None  # a protobuf body with its headers
    headers: Mapping[str, str] = attrs.field(factory=dict)


def forward_request(
    gen: Generation,
    *,
    model_id: str,
    seq_id: int,
    datum: Mapping[str, Any] | None = None,
    data: Sequence[Mapping[str, Any]] = (),
    forward_only: bool,
    zstd: bool = False,
    loss_fn: str = "cross_entropy",
) -> ForwardCall:
    """What `gen` sends for forward (`forward_only`) or forward_backward of `datum` (or of `data`) with
    `loss_fn`.

    JSON generations: `/forward` (`forward_input`) or `/forward_backward` (`forward_backward_input`).
    Protobuf generations: a `ForwardBackwardRequest` on `/forward_backward`, zstd-compressed when the
    server's client/config set `proto_compress_fwdbwd`."""
    datums = [dict(d) for d in ([datum] if datum is not None else data)]
    fwd_input = {"data": datums, "loss_fn": loss_fn}
    if not gen.protobuf:
        if forward_only:
            return ForwardCall(
                "forward", {"model_id": model_id, "forward_input": fwd_input, "seq_id": seq_id}
            )
        return ForwardCall(
            "forward_backward", {"model_id": model_id, "forward_backward_input": fwd_input, "seq_id": seq_id}
        )
    from tinker_ext._wire.proto import encode_forward_backward_request
    from tinker_ext.types import Datum

    content = encode_forward_backward_request(
        model_id=model_id,
        seq_id=seq_id,
        data=[Datum.from_json(d) for d in datums],
        loss_fn=loss_fn,
        forward_only=forward_only,
        generation="0.25" if gen.name == "0.25" else "0.38",
    )
    headers = {"Content-Type": PROTOBUF}
    if zstd:
        import zstandard

        content = zstandard.ZstdCompressor().compress(content)
        headers["Content-Encoding"] = "zstd"
    return ForwardCall("forward_backward", content=content, headers=headers)


def decode_forward_output(content: bytes) -> dict[str, Any]:
    """A protobuf `ForwardBackwardOutput` in its JSON shape (raises ValueError when malformed)."""
    from tinker_ext._wire.proto import decode_forward_backward_output

    return decode_forward_backward_output(content).to_json()


def decode_sample(content: bytes) -> dict[str, Any]:
    """A protobuf `SampleResponse` in its JSON shape (raises ValueError when malformed)."""
    from tinker_ext._wire.proto import decode_sample_response

    return decode_sample_response(content).to_json()
