"""Run in a subprocess by test_answer_memory.py: one sample call against the server at argv[1], then print
its outcome and the process's peak RSS growth during the call as JSON (ru_maxrss: the true peak)."""

from __future__ import annotations

import json
import resource
import sys
import time

import tinker_ext as tinker

# case -> (num_samples, max_tokens, topk_sample_logprobs) of the request
REQUESTS = {"tokens": (1, 4, 0), "topk": (1, 4, 20), "json": (1, 4, 0)}


def main() -> None:
    url, case = sys.argv[1], sys.argv[2]
    num_samples, max_tokens, topk = REQUESTS[case]
    with tinker.ServiceClient(api_key="tml-k", base_url=url) as sc:
        sampler = sc.create_sampling_client(base_model="tiny/model")
        params = tinker.SamplingParams(max_tokens=max_tokens)
        prompt = tinker.ModelInput.from_ints([1, 2])
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
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
        outcome["peak_growth"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
        outcome["seconds"] = round(time.monotonic() - start, 2)
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
