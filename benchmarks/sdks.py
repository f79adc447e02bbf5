"""The same operations through each SDK: `Official` (tinker==0.24.1, JSON wire) and `Ours` (tinker_ext).

Each adapter goes through the SDK's public types and the code path its client really uses, so the
benchmark times what a user pays, not a shortcut:

- official 0.24.1 request body: `ForwardBackwardRequest` -> `to_pydantic_request` -> `model_dump(
  exclude_unset=False, exclude_none=True, mode="json")` (resources/training.py) -> httpx's JSON encoder
  `json.dumps(ensure_ascii=False, separators=(",", ":"), allow_nan=False)`;
- official result decode: `orjson.loads` (its APIResponse.json) -> `deserialize_json_response`;
- official chunking: `TrainingClient._chunked_requests_generator` (1024 datums / 5,000,000 estimated
  bytes), merge: `chunked_fwdbwd_helpers.combine_fwd_bwd_output_results`;
- tinker_ext request body: NaN/inf check on the arrays, then the chunk's body written once from the
  datums' own JSON and encoded once (orjson), as `_training.fwdbwd.ChunkRequest.build` does; result decode: orjson
  -> `ForwardBackwardOutput.from_json` (parsed once, as `_training.fwdbwd.run_chunks`); chunking `plan_chunk_bounds` + slicing (as `_training.fwdbwd.plan_chunks`),
  merge `combine_forward_backward_outputs`.

Private helpers of either SDK are used only where the public client calls them internally; if one is
renamed the benchmark fails loudly rather than measuring something else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import MethodType, SimpleNamespace
from typing import Any

import numpy as np
import orjson

LOSS_FN = "cross_entropy"


class Batch:
    """Token/target/weight arrays for a batch of sequences (the user's numpy data)."""

    def __init__(self, lengths: Sequence[int], seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.tokens: list[np.ndarray] = []
        self.targets: list[np.ndarray] = []
        self.weights: list[np.ndarray] = []
        for length in lengths:
            seq = rng.integers(0, 151_000, size=length + 1, dtype=np.int64)
            prompt = int(rng.integers(length // 8, length // 2 + 1))
            weights = np.ones(length, dtype=np.float32)
            weights[:prompt] = 0.0  # SFT: no loss on the prompt
            self.tokens.append(seq[:-1])
            self.targets.append(seq[1:].copy())
            self.weights.append(weights)

    def __len__(self) -> int:
        return len(self.tokens)


class Official:
    name = "tinker 0.24.1"

    def __init__(self) -> None:
        import tinker
        from tinker import types
        from tinker._compat import model_dump
        from tinker.lib import chunked_fwdbwd_helpers
        from tinker.lib._pydantic_conv import deserialize_json_response, to_pydantic_request
        from tinker.lib.internal_client_holder import InternalClientHolder
        from tinker.lib.public_interfaces.training_client import TrainingClient

        self.tinker = tinker
        self.types = types
        self._model_dump = model_dump
        self._to_pydantic_request = to_pydantic_request
        self._deserialize = deserialize_json_response
        self._combine = chunked_fwdbwd_helpers.combine_fwd_bwd_output_results
        # The planner is a TrainingClient method that reaches the (stateless) byte estimators on its
        # holder; give it just those instead of a connected client.
        holder = SimpleNamespace()
        holder.estimate_bytes_count_in_chunk = MethodType(
            InternalClientHolder.estimate_bytes_count_in_chunk, holder
        )
        holder.estimate_bytes_count_in_model_input = MethodType(
            InternalClientHolder.estimate_bytes_count_in_model_input, holder
        )
        planner = SimpleNamespace(holder=holder)
        planner._estimate_bytes_count = MethodType(TrainingClient._estimate_bytes_count, planner)
        self._planner = planner
        self._chunk_generator = TrainingClient._chunked_requests_generator

    def datums(self, batch: Batch) -> list[Any]:
        t = self.types
        return [
            t.Datum(
                model_input=t.ModelInput.from_ints(tokens.tolist()),
                loss_fn_inputs={
                    "target_tokens": t.TensorData.from_numpy(targets),
                    "weights": t.TensorData.from_numpy(w),
                },
            )
            for tokens, targets, w in zip(batch.tokens, batch.targets, batch.weights, strict=True)
        ]

    def request_bytes(self, datums: list[Any], model_id: str, seq_id: int) -> bytes:
        t = self.types
        request = t.ForwardBackwardRequest(
            forward_backward_input=t.ForwardBackwardInput(data=datums, loss_fn=LOSS_FN, loss_fn_config=None),
            model_id=model_id,
            seq_id=seq_id,
        )
        body = self._model_dump(
            self._to_pydantic_request(request), exclude_unset=False, exclude_none=True, mode="json"
        )
        # exactly httpx's `json=` encoder (httpx/_content.py encode_json)
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")

    def decode_result(self, body: bytes) -> Any:
        return self._deserialize(orjson.loads(body), self.types.ForwardBackwardOutput)

    def plan(self, datums: list[Any]) -> list[list[Any]]:
        return list(self._chunk_generator(self._planner, datums))

    def output(self, n_datums: int, seq_len: int, metrics: dict[str, float]) -> Any:
        t = self.types
        values = -np.abs(np.random.default_rng(n_datums).standard_normal(seq_len)).astype(np.float32)
        outputs = [{"logprobs": t.TensorData.from_numpy(values)} for _ in range(n_datums)]
        return t.ForwardBackwardOutput(
            loss_fn_output_type="ArrayRecord", loss_fn_outputs=outputs, metrics=metrics
        )

    def combine(self, outputs: list[Any]) -> Any:
        return self._combine(outputs)

    def service_client(self, base_url: str, api_key: str) -> Any:
        return self.tinker.ServiceClient(base_url=base_url, api_key=api_key)

    @staticmethod
    def logprobs(output: Any, index: int) -> np.ndarray:
        return np.asarray(output.loss_fn_outputs[index]["logprobs"].to_numpy())


class Ours:
    name = "tinker_ext"

    def __init__(self) -> None:
        import tinker_ext
        from tinker_ext import types as ext_types
        from tinker_ext._training import chunking as _chunking
        from tinker_ext._wire import http as _http

        self.tinker = tinker_ext
        self.types = ext_types
        self._http = _http
        self._chunking = _chunking

    def datums(self, batch: Batch) -> list[Any]:
        t = self.types
        return [
            t.Datum(
                model_input=t.ModelInput.from_ints(tokens.tolist()),
                loss_fn_inputs={
                    "target_tokens": t.TensorData.from_numpy(targets),
                    "weights": t.TensorData.from_numpy(w),
                },
            )
            for tokens, targets, w in zip(batch.tokens, batch.targets, batch.weights, strict=True)
        ]

    def request_bytes(self, datums: list[Any], model_id: str, seq_id: int) -> bytes:
        # Exactly the TrainingClient's path: NaN/inf check on the arrays at call time, the body encoded
        # once when the chunk's turn comes.
        from tinker_ext._training.fwdbwd import check_finite_datums, chunk_requests

        check_finite_datums(datums)
        chunk = chunk_requests(model_id, [datums], LOSS_FN, None, False)[0]
        encoded = chunk.build(seq_id, "json", False).content
        assert encoded is not None
        return encoded

    def decode_result(self, body: bytes) -> Any:
        return self.types.ForwardBackwardOutput.from_json(orjson.loads(body))

    def plan(self, datums: list[Any]) -> list[list[Any]]:
        return [list(datums[a:b]) for a, b in self._chunking.plan_chunk_bounds(datums)]

    def output(self, n_datums: int, seq_len: int, metrics: dict[str, float]) -> Any:
        t = self.types
        values = -np.abs(np.random.default_rng(n_datums).standard_normal(seq_len)).astype(np.float32)
        outputs = [{"logprobs": t.TensorData.from_numpy(values)} for _ in range(n_datums)]
        return t.ForwardBackwardOutput(
            loss_fn_output_type="ArrayRecord", loss_fn_outputs=outputs, metrics=metrics
        )

    def combine(self, outputs: list[Any]) -> Any:
        return self._chunking.combine_forward_backward_outputs(outputs)

    def service_client(self, base_url: str, api_key: str) -> Any:
        # The JSON wire, as 0.24.1 speaks it (the fake server answers client/config, so "auto" would
        # pick protobuf and the two SDKs' bodies could not be compared).
        return self.tinker.ServiceClient(base_url=base_url, api_key=api_key, wire="json")

    @staticmethod
    def logprobs(output: Any, index: int) -> np.ndarray:
        return np.asarray(output.loss_fn_outputs[index]["logprobs"].to_numpy())


SDKS: dict[str, type[Official] | type[Ours]] = {"official": Official, "ours": Ours}
