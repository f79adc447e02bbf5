"""The measuring bench of the semantic checks: fresh models, one training step, logprobs, samplers.

Nothing here trusts a server metric: what training did is read from the logprobs a `forward` returns
before and after one step. With Adam's `eps` far above every gradient entry, Adam's first step is
θ −= (lr/eps)·g, i.e. plain SGD, so the logprob change is linear in the gradient the server computed;
comparing the changes of related inputs (w, 2w, −w, a duplicated datum) tests the loss's linearity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ._probe import StepRecorder
from ._rules import logprobs_of
from ._run import LORA_RANK, Run
from ._spec import short_repr
from ._wire import decode_forward_output, decode_sample, forward_request

__all__ = ["SGD_ADAM", "TOKENS_A", "TOKENS_B", "Lab", "ce_datum", "distance", "rl_datum"]

# Two different 12-token sequences (small ids are valid in any vocabulary; 12 tokens keep one shape bucket).
TOKENS_A = list(range(1, 13))
TOKENS_B = [7, 3, 11, 5, 2, 9, 4, 12, 6, 1, 10, 8]
# Adam as SGD with step lr/eps = 1e-4 (see the module docstring): logprobs move by ~1e-2, far above float
# noise and small enough to stay linear.
SGD_ADAM = {"learning_rate": 10.0, "beta1": 0.9, "beta2": 0.95, "eps": 1e5, "weight_decay": 0.0}


def _tensor(values: Sequence[float], dtype: str = "float32") -> dict[str, Any]:
    return {"data": list(values), "dtype": dtype, "shape": [len(values)]}


def _chunk(tokens: Sequence[int]) -> dict[str, Any]:
    return {"chunks": [{"type": "encoded_text", "tokens": list(tokens[:-1])}]}


def ce_datum(tokens: Sequence[int], weights: Sequence[float]) -> dict[str, Any]:
    return {
        "model_input": _chunk(tokens),
        "loss_fn_inputs": {"target_tokens": _tensor(tokens[1:], "int64"), "weights": _tensor(weights)},
    }


def rl_datum(tokens: Sequence[int], advantages: Sequence[float], logprobs: Sequence[float]) -> dict[str, Any]:
    """An importance_sampling / ppo / cispo datum (Tinker's inputs: targets, sampling logprobs, advantages)."""
    return {
        "model_input": _chunk(tokens),
        "loss_fn_inputs": {
            "target_tokens": _tensor(tokens[1:], "int64"),
            "logprobs": _tensor(logprobs),
            "advantages": _tensor(advantages),
        },
    }


def distance(a: Sequence[float], b: Sequence[float]) -> float:
    """Euclidean distance (inf when the lengths differ)."""
    if len(a) != len(b):
        return math.inf
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)))


class Lab:
    """Fresh models (same seed, so the same starting weights) and the requests the checks make, reported
    into one step. Models created here are unloaded by `close`."""

    def __init__(self, run: Run, step: StepRecorder) -> None:
        self.run, self.step = run, step
        self.models: list[str] = []

    def fresh(self) -> str:
        run = self.run
        model_seq_id = run.values.get("semantics_model_seq_id", 2)
        run.put("semantics_model_seq_id", model_seq_id + 1)
        body = run.gen.create_model(run.need("session_id"), run.base_model, LORA_RANK, model_seq_id)
        model_id = self._string_result("create_model", body, "CreateModelResponse", "model_id")
        self.models.append(model_id)
        # The check's clean-up deletes these models' checkpoints too (contract/_cleanup.py).
        run.put("semantics_models", [*run.values.get("semantics_models", ()), model_id])
        return model_id

    def _string_result(self, operation: str, body: Any, schema: str, field: str) -> str:
        """Submit `operation` and return the string `field` of its result (the step FAILs without one)."""
        probe = self.run.probe
        output = probe.result(self.step, probe.submit(self.step, operation, body), schema, label=operation)
        value = output.get(field) if isinstance(output, Mapping) else None
        if not isinstance(value, str):
            self.step.fail(
                f"{operation}:{field}",
                f"retrieve_future({operation}) result",
                f"/{field}",
                "a string",
                short_repr(value),
            )
        return value

    def _forward(
        self, model_id: str, data: Sequence[Mapping[str, Any]], loss_fn: str, *, forward_only: bool
    ) -> Any:
        run = self.run
        request = forward_request(
            run.gen,
            model_id=model_id,
            seq_id=run.next_seq(model_id),
            data=data,
            forward_only=forward_only,
            zstd=bool(run.values.get("zstd")),
            loss_fn=loss_fn,
        )
        label = "forward" if forward_only else f"forward_backward ({loss_fn})"
        request_id = run.probe.submit(
            self.step, request.operation, request.body, content=request.content, headers=request.headers
        )
        return run.probe.result(
            self.step,
            request_id,
            "ForwardBackwardOutput",
            label=label,
            decoder=decode_forward_output,
            protobuf_required=run.gen.protobuf,
        )

    def logprobs(self, model_id: str, data: Sequence[Mapping[str, Any]]) -> list[list[float]]:
        """Per datum, the target logprobs a `forward` returns."""
        output = self._forward(model_id, data, "cross_entropy", forward_only=True)
        outputs = output.get("loss_fn_outputs") if isinstance(output, Mapping) else None
        got = [logprobs_of(o) for o in outputs] if isinstance(outputs, list) else []
        if len(got) != len(data) or any(g is None for g in got):
            self.step.fail(
                "forward:logprobs",
                "retrieve_future(forward) result",
                "/loss_fn_outputs",
                f"{len(data)} logprob lists",
                short_repr(outputs),
            )
        return [list(g) for g in got if g is not None]

    def train(
        self,
        model_id: str,
        data: Sequence[Mapping[str, Any]],
        loss_fn: str = "cross_entropy",
        adam: Mapping[str, float] = SGD_ADAM,
    ) -> Any:
        """One forward_backward and one optim_step; returns the forward_backward result."""
        output = self._forward(model_id, data, loss_fn, forward_only=False)
        run = self.run
        request = {
            "model_id": model_id,
            "adam_params": dict(adam),
            "seq_id": run.next_seq(model_id),
            "type": "optim_step",
        }
        run.probe.result(
            self.step,
            run.probe.submit(self.step, "optim_step", request),
            "OptimStepResponse",
            label="optim_step",
        )
        return output

    def sampler(self, model_id: str, name: str) -> str:
        run = self.run
        request = run.gen.save_for_sampler(model_id, f"{name}-{run.suffix}", run.next_seq(model_id))
        return self._string_result(
            "save_weights_for_sampler", request, "SaveWeightsForSamplerResponseInternal", "path"
        )

    def prompt_logprobs(self, tokens: Sequence[int], *, model_path: str | None) -> list[float]:
        """The logprobs of `tokens[1:]` as the sampler of `model_path` (the base model when None) computes
        them (`compute_logprobs`: an asample with prompt_logprobs and one new token)."""
        run, probe = self.run, self.run.probe
        seq = run.values.get("sampling_session_seq_id", 0)
        run.put("sampling_session_seq_id", seq + 1)
        request: dict[str, Any] = {
            "session_id": run.need("session_id"),
            "sampling_session_seq_id": seq,
            "type": "create_sampling_session",
        }
        request |= {"base_model": run.base_model} if model_path is None else {"model_path": model_path}
        session = probe.call(self.step, "create_sampling_session", body=request).body.get(
            "sampling_session_id"
        )
        body = run.gen.sample(str(session), 0, tokens, 1, 1) | {"prompt_logprobs": True}
        exchange = probe.call(self.step, "asample", body=body)
        output = probe.result(
            self.step,
            probe.submit_from(self.step, exchange),
            "SampleResponse",
            label="asample (prompt_logprobs)",
            decoder=decode_sample,
            protobuf_required=run.gen.protobuf,
        )
        values = output.get("prompt_logprobs") if isinstance(output, Mapping) else None
        # One per prompt token, the first null; some servers leave the first out.
        if isinstance(values, list) and len(values) == len(tokens):
            values = values[1:]
        if not isinstance(values, list) or len(values) != len(tokens) - 1 or None in values:
            self.step.fail(
                "sample:prompt-logprobs",
                "retrieve_future(asample) result",
                "/prompt_logprobs",
                f"{len(tokens)} prompt logprobs (the first null)",
                short_repr(values),
            )
        return [float(v) for v in values]

    def close(self) -> None:
        # Servers hold a few adapters at once; a failed unload only costs the server memory.
        for model_id in self.models:
            try:
                self.run.probe.call(
                    StepRecorder("unload"),
                    "unload_model",
                    body={"model_id": model_id, "type": "unload_model"},
                )
            except Exception:  # best effort clean-up
                continue
        self.models.clear()
