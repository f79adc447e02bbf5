"""An in-process Tinker server that really trains (JSON wire): a bigram toy model whose logits are a fixed
random table plus trained parameters (zero at creation, like LoRA), Tinker's losses with their exact
gradients, Adam, and sampler snapshots. By default it computes what the Tinker API promises; knobs add, one
at a time, the deviations measured on real servers (docs/SERVERS.md, "Training semantics"):

- `normalise`: skyrl 0.4.0 / skyrl-tx 0.3.0: each datum's sum divided by max(Σ weights, 1e-9) (all-one mask
  for the policy losses), gradients averaged over the datums;
- `rewind`: skyrl 0.4.0 / skyrl-tx 0.3.0: sampling from a snapshot loads it into the training model;
- `shared_model`: tuft 0.2.2: every LoRA client trains one model;
- `sampler_ignores_weights`: tuft 0.2.2: samplers compute with the base model only;
- `ignore_weights`: tuft 0.2.2: cross_entropy weights treated as 1.
"""

from __future__ import annotations

from typing import Any

import attrs
import httpx
import numpy as np

from tests.unit.contract_mock import BASE_MODEL, Json, MockTinker

VOCAB = 16
_BASE = np.random.default_rng(0).normal(size=(VOCAB, VOCAB))


@attrs.define
class SemanticKnobs:
    normalise: bool = False
    rewind: bool = False
    shared_model: bool = False
    sampler_ignores_weights: bool = False
    ignore_weights: bool = False


@attrs.define
class Params:
    theta: np.ndarray = attrs.field(factory=lambda: np.zeros((VOCAB, VOCAB)))
    grad: np.ndarray = attrs.field(factory=lambda: np.zeros((VOCAB, VOCAB)))
    m: np.ndarray = attrs.field(factory=lambda: np.zeros((VOCAB, VOCAB)))
    v: np.ndarray = attrs.field(factory=lambda: np.zeros((VOCAB, VOCAB)))
    steps: int = 0


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def logprobs(theta: np.ndarray, inputs: list[int], targets: list[int]) -> np.ndarray:
    table = _log_softmax(_BASE + theta)
    return np.array([table[x, t] for x, t in zip(inputs, targets, strict=True)])


def _tokens(model_input: Json) -> list[int]:
    return [t for chunk in model_input["chunks"] for t in chunk["tokens"]]


def _data(inputs: Json, key: str, default: float, n: int) -> np.ndarray:
    tensor = inputs.get(key)
    return np.asarray(tensor["data"], dtype=float) if tensor is not None else np.full(n, default)


class SemanticTinker(MockTinker):
    def __init__(self, semantics: SemanticKnobs | None = None) -> None:
        super().__init__()
        self.s = semantics or SemanticKnobs()
        self.params: dict[str, Params] = {}
        self.shared = Params()
        self.snapshots: dict[str, tuple[str, np.ndarray]] = {}  # sampler path -> (model, theta)
        self.sessions: dict[str, str | None] = {}  # sampling session -> sampler path (None: base)

    def op_create_model(self, request: httpx.Request, body: Any) -> httpx.Response:
        response = super().op_create_model(request, body)
        model_id = f"{body['session_id']}:train:{body['model_seq_id']}"
        self.params[model_id] = self.shared if self.s.shared_model else Params()
        return response

    def op_unload_model(self, request: httpx.Request, body: Any) -> httpx.Response:
        return self.future("unload_model", {"model_id": body["model_id"], "type": "unload_model"})

    def _coefficients(self, loss_fn: str, inputs: Json, lp: np.ndarray, config: Json | None) -> np.ndarray:
        """dL/dlogprob per token for one datum, and its mask (what a normalising server divides by)."""
        n = len(lp)
        if loss_fn == "cross_entropy":
            weights = _data(inputs, "weights", 1.0, n)
            return -(np.ones(n) if self.s.ignore_weights else weights)
        ratio = np.exp(lp - _data(inputs, "logprobs", 0.0, n))
        advantages = _data(inputs, "advantages", 0.0, n)
        low, high = (
            (config or {}).get("clip_low_threshold", 0.8),
            (config or {}).get("clip_high_threshold", 1.2),
        )
        clipped = np.clip(ratio, low, high)
        if loss_fn == "importance_sampling":
            return -ratio * advantages
        if loss_fn == "ppo":
            return np.where(ratio * advantages <= clipped * advantages, -ratio * advantages, 0.0)
        return -clipped * advantages  # cispo

    def _run(self, model_id: str, seq_id: int, fwd: Json, forward_only: bool) -> httpx.Response:
        model = self.training(model_id, seq_id)
        if isinstance(model, httpx.Response):
            return model
        params = self.params[model_id]
        outputs, total = [], 0.0
        grad = np.zeros_like(params.theta)
        for datum in fwd["data"]:
            tokens, inputs = _tokens(datum["model_input"]), datum["loss_fn_inputs"]
            targets = [int(t) for t in inputs["target_tokens"]["data"]]
            lp = logprobs(params.theta, tokens, targets)
            coefficients = self._coefficients(fwd["loss_fn"], inputs, lp, fwd.get("loss_fn_config"))
            total += float(np.dot(coefficients, lp)) if fwd["loss_fn"] == "cross_entropy" else 0.0
            if self.s.normalise:
                mask = _data(inputs, "weights", 1.0, len(lp))
                coefficients = coefficients / max(float(mask.sum()), 1e-9)
            probs = np.exp(_log_softmax(_BASE + params.theta))
            for x, t, c in zip(tokens, targets, coefficients, strict=True):
                grad[x] += c * (np.eye(VOCAB)[t] - probs[x])
            outputs.append({"logprobs": {"data": lp.tolist(), "dtype": "float32", "shape": [len(lp)]}})
        if not forward_only:
            params.grad += grad / (len(fwd["data"]) if self.s.normalise else 1)
        metrics = {"loss:sum": total} if fwd["loss_fn"] == "cross_entropy" else {}
        result = {"loss_fn_output_type": "ArrayRecord", "loss_fn_outputs": outputs, "metrics": metrics}
        return self.future("forward" if forward_only else "forward_backward", result)

    def op_forward_backward(self, request: httpx.Request, body: Any) -> httpx.Response:
        self.fwd_bodies.append("json")
        return self._run(body["model_id"], body["seq_id"], body["forward_backward_input"], False)

    def op_forward(self, request: httpx.Request, body: Any) -> httpx.Response:
        self.fwd_bodies.append("json")
        return self._run(body["model_id"], body["seq_id"], body["forward_input"], True)

    def op_optim_step(self, request: httpx.Request, body: Any) -> httpx.Response:
        response = super().op_optim_step(request, body)
        p, adam = self.params[body["model_id"]], body["adam_params"]
        b1, b2 = adam.get("beta1", 0.9), adam.get("beta2", 0.95)
        p.steps += 1
        p.m = b1 * p.m + (1 - b1) * p.grad
        p.v = b2 * p.v + (1 - b2) * p.grad**2
        m_hat, v_hat = p.m / (1 - b1**p.steps), p.v / (1 - b2**p.steps)
        # Descent on the loss: the gradient above is ∂L/∂θ.
        p.theta = p.theta - adam["learning_rate"] * (m_hat / (np.sqrt(v_hat) + adam.get("eps", 1e-8)))
        p.grad = np.zeros_like(p.grad)
        return response

    def op_save_weights_for_sampler(self, request: httpx.Request, body: Any) -> httpx.Response:
        response = super().op_save_weights_for_sampler(request, body)
        path = self.tinker_path(body["model_id"], "sampler_weights", body["path"])
        self.snapshots[path] = (body["model_id"], self.params[body["model_id"]].theta.copy())
        return response

    def op_create_sampling_session(self, request: httpx.Request, body: Any) -> httpx.Response:
        response = super().op_create_sampling_session(request, body)
        self.sessions[f"sampler-{body['sampling_session_seq_id']}"] = body.get("model_path")
        return response

    def op_get_sampler(self, request: httpx.Request, body: Any, sampler_id: str) -> httpx.Response:
        path = self.sessions.get(sampler_id)
        return httpx.Response(
            200, json={"sampler_id": sampler_id, "base_model": BASE_MODEL, "model_path": path}
        )

    def op_finish_session(self, request: httpx.Request, body: Any, session_id: str) -> httpx.Response:
        return httpx.Response(200, json={})

    def op_asample(self, request: httpx.Request, body: Any) -> httpx.Response:
        path = self.sessions[body["sampling_session_id"]]
        theta = np.zeros((VOCAB, VOCAB))
        if path is not None:
            owner, snapshot = self.snapshots[path]
            if self.s.rewind:
                self.params[owner].theta = snapshot.copy()
            theta = theta if self.s.sampler_ignores_weights else snapshot
        prompt = _tokens(body["prompt"])
        prompt_lp = [None, *logprobs(theta, prompt[:-1], prompt[1:]).tolist()]
        token = int(np.argmax(_BASE[prompt[-1]] + theta[prompt[-1]]))
        sequences = [{"stop_reason": "length", "tokens": [token], "logprobs": [-1.0]}] * body["num_samples"]
        result: Json = {"sequences": sequences, "type": "sample"}
        if body.get("prompt_logprobs"):
            result["prompt_logprobs"] = prompt_lp
        ids = [f"seq-{i}" for i in range(body["num_samples"])]
        return self.future("asample", result, sample_sequence_ids=ids)
