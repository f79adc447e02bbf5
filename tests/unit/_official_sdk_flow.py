"""Run by an official tinker SDK's python (0.24.1 from the tests venv, 0.38 from TINKER_EXT_SDK038_PYTHON)
against a tinker_ext.testing server: the calls a user's training script makes; prints {call: "ok" | error}.
argv: base_url base_model."""

import json
import os
import sys

import tinker
from tinker import types

base_url, base_model = sys.argv[1], sys.argv[2]
v038 = not tinker.__version__.startswith("0.24")
out = {}


def attempt(name, fn):
    try:
        value = fn()
        out[name] = "ok"
        return value
    except BaseException as exc:
        out[name] = f"{type(exc).__name__}: {exc}"[:400]
        return None


def done(value):
    return (
        value.result() if hasattr(value, "result") and not isinstance(value, tinker.SamplingClient) else value
    )


text = list(b"abcdefghijklmnop")
datum = types.Datum(
    model_input=types.ModelInput.from_ints(text[:-1]),
    loss_fn_inputs={"target_tokens": text[1:], "weights": [1.0] * (len(text) - 1)},
)
service = tinker.ServiceClient(base_url=base_url)
tc = attempt("create_model", lambda: done(service.create_lora_training_client(base_model=base_model, rank=4)))
if tc is not None:
    attempt("get_tokenizer", lambda: tc.get_tokenizer().encode("ab"))
    losses = []
    for _ in range(15):
        result = attempt("forward_backward", lambda: tc.forward_backward([datum], "cross_entropy").result())
        if result is not None:
            losses.append(result.metrics["loss:sum"])
        attempt("optim_step", lambda: tc.optim_step(types.AdamParams(learning_rate=0.2)).result())
    out["loss_goes_down"] = "ok" if len(losses) == 15 and losses[-1] < losses[0] else f"losses {losses}"
    fwd = attempt("forward", lambda: tc.forward([datum], "cross_entropy").result())
    path = attempt("save_state", lambda: tc.save_state("official-state").result().path)
    sampler = attempt(
        "save_weights_and_get_sampling_client",
        lambda: done(tc.save_weights_and_get_sampling_client("official-sampler")),
    )
    if sampler is not None:
        params = types.SamplingParams(max_tokens=5, temperature=0.0)
        sample = attempt(
            "sample", lambda: sampler.sample(types.ModelInput.from_ints(text[:2]), 2, params).result()
        )
        if sample is not None:
            got = [list(s.tokens) for s in sample.sequences]
            out["sample_follows_training"] = "ok" if got == [text[2:7]] * 2 else f"sampled {got}"
        attempt(
            "compute_logprobs",
            lambda: sampler.compute_logprobs(types.ModelInput.from_ints(text[:5])).result(),
        )
    if path:
        attempt(
            "create_training_client_from_state", lambda: done(service.create_training_client_from_state(path))
        )
    rest = service.create_rest_client()
    attempt("list_checkpoints", lambda: done(rest.list_checkpoints(tc.model_id)))
sc = attempt("create_sampling_client", lambda: done(service.create_sampling_client(base_model=base_model)))
if sc is not None:
    attempt(
        "sample (base model, seed, stop, top_k, top_p)",
        lambda: sc.sample(
            types.ModelInput.from_ints(text[:3]),
            2,
            types.SamplingParams(max_tokens=4, seed=3, top_k=5, top_p=0.9, stop=[7]),
        ).result(),
    )
print(json.dumps(out), flush=True)
os._exit(0)
