"""Run in a subprocess by test_answer_memory.py: one sample call (or, for the case "forward_backward",
one forward_backward call of a datum of argv[3] tokens; for "big_sample", argv[3] samples of argv[4]
tokens) against the server at argv[1], then print its
outcome and the process's peak RSS growth during the call as JSON.

The peak is the kernel's high-water mark of this process's memory (VmHWM), reset to the current RSS just
before the call: ru_maxrss would not do, as it carries over the RSS of the forked parent (the test process,
which holds the answer) across exec, and the peak of building the request's data."""

from __future__ import annotations

import hashlib
import json
import sys
import time

import numpy as np

import tinker_ext as tinker

# case -> (num_samples, max_tokens, topk_sample_logprobs) of the request
REQUESTS = {"tokens": (1, 4, 0), "topk": (1, 4, 20), "json": (1, 4, 0)}


class PeakGrowth:
    """Peak RSS growth from now on (Linux: /proc/self/clear_refs, VmHWM)."""

    def __init__(self) -> None:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # the high-water mark := the current RSS
        self.before = self._status("VmRSS")

    @staticmethod
    def _status(field: str) -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError(f"no {field} in /proc/self/status")

    def bytes(self) -> int:
        return self._status("VmHWM") - self.before


def forward_backward(url: str, length: int) -> dict[str, object]:
    """The outputs' dtypes and shapes, a digest of their values, and the call's peak growth."""
    limits = tinker.Limits(max_input_tokens=length)
    with tinker.ServiceClient(api_key="tml-k", base_url=url, limits=limits) as sc:
        trainer = sc.create_lora_training_client(base_model="tiny/model")
        tokens = np.arange(length, dtype=np.int64) % 1000
        datum = tinker.Datum(
            model_input=tinker.ModelInput.from_ints(tokens.tolist()),
            loss_fn_inputs={"target_tokens": tinker.TensorData.from_numpy(tokens)},
        )
        peak = PeakGrowth()
        start = time.monotonic()
        output = trainer.forward_backward([datum], "cross_entropy").result(timeout=600)
        outcome: dict[str, object] = {"error": None, "peak_growth": peak.bytes()}
        outcome["seconds"] = round(time.monotonic() - start, 2)
    digest = hashlib.sha256()
    for name, tensor in sorted(output.loss_fn_outputs[0].items()):
        array = tensor.to_numpy()
        outcome[name] = [str(array.dtype), list(array.shape)]
        digest.update(array.tobytes())
    outcome["digest"] = digest.hexdigest()
    return outcome


def big_sample(url: str, num_samples: int, max_tokens: int) -> dict[str, object]:
    """A digest of the sampled token ids and logprobs (read as arrays: the list forms are never built)
    and the call's peak growth."""
    limits = tinker.Limits(max_sample_tokens=max_tokens)
    with tinker.ServiceClient(api_key="tml-k", base_url=url, limits=limits) as sc:
        sampler = sc.create_sampling_client(base_model="tiny/model")
        params = tinker.SamplingParams(max_tokens=max_tokens)
        peak = PeakGrowth()
        start = time.monotonic()
        response = sampler.sample(tinker.ModelInput.from_ints([1, 2]), num_samples, params).result(
            timeout=600
        )
        outcome: dict[str, object] = {"error": None, "peak_growth": peak.bytes()}
        outcome["seconds"] = round(time.monotonic() - start, 2)
    digest = hashlib.sha256()
    for sequence in response.sequences:
        digest.update(np.asarray(sequence.tokens_np, dtype="<i4").tobytes())
        digest.update(np.asarray(sequence.logprobs_np, dtype="<f8").tobytes())
    outcome["digest"] = digest.hexdigest()
    outcome["dtypes"] = sorted({f"{s.tokens_np.dtype}/{s.logprobs_np.dtype}" for s in response.sequences})
    outcome["converted"] = any("tokens" in s.__dict__ for s in response.sequences)
    return outcome


def main() -> None:
    url, case = sys.argv[1], sys.argv[2]
    if case == "forward_backward":
        print(json.dumps(forward_backward(url, int(sys.argv[3]))))
        return
    if case == "big_sample":
        print(json.dumps(big_sample(url, int(sys.argv[3]), int(sys.argv[4]))))
        return
    num_samples, max_tokens, topk = REQUESTS[case]
    with tinker.ServiceClient(api_key="tml-k", base_url=url) as sc:
        sampler = sc.create_sampling_client(base_model="tiny/model")
        params = tinker.SamplingParams(max_tokens=max_tokens)
        prompt = tinker.ModelInput.from_ints([1, 2])
        peak = PeakGrowth()
        start = time.monotonic()
        try:
            response = sampler.sample(prompt, num_samples, params, topk_sample_logprobs=topk).result(
                timeout=600
            )
            outcome: dict[str, object] = {
                "error": None,
                "tokens": sum(len(s.tokens) for s in response.sequences),
            }
        except Exception as exc:
            outcome = {"error": type(exc).__name__, "limit": getattr(exc, "limit", None), "message": str(exc)}
        outcome["peak_growth"] = peak.bytes()
        outcome["seconds"] = round(time.monotonic() - start, 2)
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
