"""Every way a TrainingClient method refuses a call with InvalidInputError, one case per check.

Shared by the unit test (in-process server) and the integration test (real servers): after each refusal
the next call on the same client must be sent at once with the next contiguous seq_id.

The cases were enumerated from the raise sites (`grep -n "InvalidInputError(" tinker_ext/`) reached
from each public TrainingClient method: the method's own argument checks, `check_datums`,
`validate_forward_backward_input` (incl. the per-loss required inputs), `check_finite_datums`, the
checkpoint-name / metadata / recipients / tinker-path checks, `optim_params_body`, `check_retry_config`,
and what `generated_request` refuses while building the body (unencodable strings, NaN).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import tinker_ext as tinker

TOKENS = [5, 6, 7, 8]


def datum(**inputs: Any) -> tinker.Datum:
    """A valid cross_entropy datum (4 positions); `inputs` add or replace loss_fn_inputs."""
    loss_fn_inputs: dict[str, Any] = {"target_tokens": [*TOKENS[1:], 9], "weights": [1.0] * 4}
    loss_fn_inputs.update(inputs)
    loss_fn_inputs = {k: v for k, v in loss_fn_inputs.items() if v is not None}
    return tinker.Datum(model_input=tinker.ModelInput.from_ints(TOKENS), loss_fn_inputs=loss_fn_inputs)


def _not_callable(tc: tinker.TrainingClient) -> Any:
    return tc.forward_backward_custom([datum()], "not a function")  # type: ignore[arg-type]


Refusal = Callable[[tinker.TrainingClient], Any]

REFUSALS: dict[str, Refusal] = {
    # forward / forward_backward: argument shape
    "fb_single_datum": lambda tc: tc.forward_backward(datum(), "cross_entropy"),  # type: ignore[arg-type]
    "fb_no_data": lambda tc: tc.forward_backward([], "cross_entropy"),
    "fb_not_a_datum": lambda tc: tc.forward_backward(["x"], "cross_entropy"),  # type: ignore[list-item]
    "fb_unknown_loss": lambda tc: tc.forward_backward([datum()], "nope"),
    "fb_custom_without_loss_id": lambda tc: tc.forward_backward([datum()], "custom"),
    "fb_config_not_mapping": lambda tc: tc.forward_backward([datum()], "ppo", [1]),  # type: ignore[arg-type]
    "fb_config_bad_value": lambda tc: tc.forward_backward([datum()], "ppo", {"x": [1]}),
    "fb_config_nan": lambda tc: tc.forward_backward(
        [datum(logprobs=[-1.0] * 4, advantages=[1.0] * 4)], "ppo", {"clip_low_threshold": math.nan}
    ),
    # forward / forward_backward: the datums
    "fb_targets_not_int": lambda tc: tc.forward_backward(
        [datum(target_tokens=tinker.TensorData(data=[1.0] * 4, dtype="float32"))], "cross_entropy"
    ),
    "fb_no_targets": lambda tc: tc.forward_backward([datum(target_tokens=None)], "cross_entropy"),
    "fb_weights_length": lambda tc: tc.forward_backward([datum(weights=[1.0] * 3)], "cross_entropy"),
    "fb_targets_length": lambda tc: tc.forward_backward([datum(target_tokens=[1, 2])], "cross_entropy"),
    "fb_negative_token": lambda tc: tc.forward_backward(
        [datum(target_tokens=[1, 2, 3, -4])], "cross_entropy"
    ),
    "fb_nan_weight": lambda tc: tc.forward_backward(
        [datum(weights=[1.0, math.nan, 1.0, 1.0])], "cross_entropy"
    ),
    "fb_empty_model_input": lambda tc: tc.forward(
        [tinker.Datum(model_input=tinker.ModelInput(chunks=[]), loss_fn_inputs={"target_tokens": [1]})]
    ),
    "is_without_advantages": lambda tc: tc.forward_backward(
        [datum(logprobs=[-1.0] * 4)], "importance_sampling"
    ),
    "ppo_without_logprobs": lambda tc: tc.forward_backward([datum(advantages=[1.0] * 4)], "ppo"),
    # forward_backward_custom
    "custom_loss_type_input": lambda tc: tc.forward_backward_custom(
        [datum()],
        lambda d, lp: (0, {}),
        loss_type_input="probs",  # type: ignore[arg-type]
    ),
    "custom_not_callable": _not_callable,
    "custom_no_data": lambda tc: tc.forward_backward_custom([], lambda d, lp: (0, {})),
    # optim_step
    "optim_both_params": lambda tc: tc.optim_step(tinker.AdamParams(), adam_params=tinker.AdamParams()),
    "optim_no_params": lambda tc: tc.optim_step(),
    "optim_params_wrong_type": lambda tc: tc.optim_step("adam"),  # type: ignore[arg-type]
    # checkpoints: names, metadata, recipients, paths
    "save_state_name_surrogate": lambda tc: tc.save_state("ck\udcff"),
    "save_state_name_slash": lambda tc: tc.save_state("a/b"),
    "save_state_name_space": lambda tc: tc.save_state("a b"),
    "save_state_name_dotdot": lambda tc: tc.save_state(".."),
    "save_state_name_empty": lambda tc: tc.save_state(""),
    "save_state_name_not_str": lambda tc: tc.save_state(7),  # type: ignore[arg-type]
    "save_state_ttl_beyond_64_bits": lambda tc: tc.save_state("ok", ttl_seconds=2**70),
    "sampler_ttl_nan": lambda tc: tc.save_weights_for_sampler("ok", ttl_seconds=math.nan),  # type: ignore[arg-type]
    "save_state_metadata": lambda tc: tc.save_state("ok", user_metadata={"k": 1}),  # type: ignore[dict-item]
    "save_state_metadata_surrogate": lambda tc: tc.save_state("ok", user_metadata={"k": "\udcff"}),
    "sampler_name_surrogate": lambda tc: tc.save_weights_for_sampler("ck\udcff"),
    "sampler_name_nul": lambda tc: tc.save_weights_for_sampler("a\x00b"),
    "sampler_metadata": lambda tc: tc.save_weights_for_sampler("ok", user_metadata=[("k", "v")]),  # type: ignore[arg-type]
    "external_name_long": lambda tc: tc.save_weights_external("n" * 1000),
    "external_recipients_str": lambda tc: tc.save_weights_external("ok", age_encryption_recipients="age1x"),
    "external_recipients_many": lambda tc: tc.save_weights_external(
        "ok", age_encryption_recipients=["age1x"] * 11
    ),
    "load_state_bad_path": lambda tc: tc.load_state("not-a-tinker-path"),
    "load_state_dotdot": lambda tc: tc.load_state("tinker://run/weights/.."),
    "load_state_surrogate": lambda tc: tc.load_state("tinker://run/weights/ck\udcff"),
    "load_optimizer_not_str": lambda tc: tc.load_state_with_optimizer(7),  # type: ignore[arg-type]
    "load_state_token_surrogate": lambda tc: tc.load_state("tinker://run/weights/ok", "\udcff"),
    # save_weights_and_get_sampling_client
    "sampling_client_kind": lambda tc: tc.save_weights_and_get_sampling_client(kind="live"),  # type: ignore[arg-type]
    "sampling_client_retry_config": lambda tc: tc.save_weights_and_get_sampling_client(
        retry_config="fast"  # type: ignore[arg-type]
    ),
}
