"""What the spec and the losses define is refused at the call, naming the field, with 0 requests sent:
checkpoint names (the `pattern` / `maxLength` of openapi.yaml, measured on skyrl 0.4.0 and skyrl-tx
0.3.0), the LoRA seed, max_tokens, each loss's required inputs, finite loss_fn_config values, and token
ids against the vocabulary of the model's tokenizer when it is on this machine (never loaded by the user).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _fault_server import FakeTiming, FakeTinker
from _refusals import datum

import tinker_ext as tinker
from tinker_ext._tokenizers.loader import clear_tokenizer_cache

# Accepted (200) and refused (422 / 400) by both real servers, as measured.
ACCEPTED_NAMES = ["ck-1_aB", "ABC", "-a", "_", "p" * 248]
REFUSED_NAMES = {
    "space": "a b",
    "dots": "a.b",
    "dotdot": "..",
    "slash": "a/b",
    "backslash": "a\\b",
    "colon": "a:b",
    "non_ascii": "é",
    "nul": "a\x00b",
    "newline": "a\nb",
    "trailing_newline": "ab\n",
    "len249": "n" * 249,
    "len1000": "n" * 1000,
    "surrogate": "ck\udcff",
}
SAVES: dict[str, Callable[[tinker.TrainingClient, str], Any]] = {
    "save_state": lambda tc, name: tc.save_state(name),
    "save_weights_for_sampler": lambda tc, name: tc.save_weights_for_sampler(name),
    "save_weights_external": lambda tc, name: tc.save_weights_external(name),
}


def refused(server: FakeTinker, call: Callable[[], Any], match: str) -> None:
    before = len(server.requests)
    with pytest.raises(tinker.InvalidInputError, match=match):
        call()
    assert len(server.requests) == before  # nothing was sent


@pytest.fixture
def tc(service: tinker.ServiceClient) -> tinker.TrainingClient:
    return service.create_lora_training_client("tiny/model")


@pytest.mark.parametrize("save", sorted(SAVES))
@pytest.mark.parametrize("label", sorted(REFUSED_NAMES))
def test_checkpoint_names_the_servers_refuse_are_refused_at_the_call(
    save: str, label: str, tc: tinker.TrainingClient, server: FakeTinker
) -> None:
    refused(server, lambda: SAVES[save](tc, REFUSED_NAMES[label]), r"\.path|not valid UTF-8|name")


@pytest.mark.parametrize("save", sorted(set(SAVES) - {"save_weights_external"}))
def test_checkpoint_names_the_servers_accept_are_sent(
    save: str, tc: tinker.TrainingClient, server: FakeTinker
) -> None:
    for name in ACCEPTED_NAMES:
        SAVES[save](tc, name).result(timeout=30)
    sent = [r.body["path"] for r in server.requests if r.path.startswith("/api/v1/save_weights")]
    assert sent == ACCEPTED_NAMES


def test_the_name_error_names_the_field_and_the_rule(tc: tinker.TrainingClient, server: FakeTinker) -> None:
    refused(
        server, lambda: tc.save_state("a b"), r"SaveWeightsRequest\.path must match \^\[a-zA-Z0-9_-\]\+\$"
    )
    refused(
        server, lambda: tc.save_state("n" * 1000), r"at most 248 characters, got 'nnn.*\(1000 characters\)"
    )


@pytest.mark.parametrize("seed", ["x", 1.5, True, [1]])
def test_lora_seed_must_be_an_int(seed: Any, service: tinker.ServiceClient, server: FakeTinker) -> None:
    refused(
        server, lambda: service.create_lora_training_client("tiny/model", seed=seed), "seed must be an int"
    )


def test_max_tokens_must_be_at_least_one(service: tinker.ServiceClient, server: FakeTinker) -> None:
    sampling = service.create_sampling_client(base_model="tiny/model")
    prompt = tinker.ModelInput.from_ints([1, 2])
    params = tinker.SamplingParams(max_tokens=0)
    refused(server, lambda: sampling.sample(prompt, 1, params), r"sampling_params\.max_tokens must be >= 1")
    assert sampling.sample(prompt, 1, tinker.SamplingParams(max_tokens=1)).result(timeout=30).sequences
    assert [b["seq_id"] for b in server.bodies("/api/v1/asample")] == [0]  # the refusal took no seq_id


RL_LOSSES = ["importance_sampling", "ppo", "cispo", "dro", "gspo", "stable_reinforce"]


@pytest.mark.parametrize("loss", RL_LOSSES)
@pytest.mark.parametrize("missing", ["logprobs", "advantages"])
def test_policy_gradient_losses_need_logprobs_and_advantages(
    loss: str, missing: str, tc: tinker.TrainingClient, server: FakeTinker
) -> None:
    inputs: dict[str, Any] = {"logprobs": [-1.0] * 4, "advantages": [1.0] * 4, missing: None}
    refused(
        server,
        lambda: tc.forward_backward([datum(**inputs)], loss),
        rf"data\[0\]: loss_fn '{loss}' needs loss_fn_inputs\['{missing}'\]",
    )


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_loss_fn_config_must_be_finite_at_the_call(
    value: float, tc: tinker.TrainingClient, server: FakeTinker
) -> None:
    full = datum(logprobs=[-1.0] * 4, advantages=[1.0] * 4)
    refused(
        server,
        lambda: tc.forward_backward([full], "ppo", {"clip_low_threshold": value}),
        r"loss_fn_config\['clip_low_threshold'\] must be finite",
    )


# ---- token ids against the vocabulary of a tokenizer found on this machine


def write_tokenizer(directory: Path, vocab_size: int) -> None:
    from tokenizers import Tokenizer, models

    vocab = {f"w{i}": i for i in range(vocab_size)}
    directory.mkdir(parents=True, exist_ok=True)
    Tokenizer(models.WordLevel(vocab=vocab, unk_token="w0")).save(str(directory / "tokenizer.json"))


@pytest.fixture
def local_tokenizer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    write_tokenizer(tmp_path / "tiny" / "model", 16)
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", str(tmp_path))
    clear_tokenizer_cache()
    yield
    clear_tokenizer_cache()


@pytest.fixture
def vocab_server() -> FakeTinker:
    return FakeTinker()


def client_on(server: FakeTinker) -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )


def test_token_ids_are_checked_against_the_local_tokenizer_without_loading_it(
    local_tokenizer: None, vocab_server: FakeTinker
) -> None:
    with client_on(vocab_server) as service:
        tc = service.create_lora_training_client("tiny/model")  # get_info names "tiny/model"
        beyond = tinker.Datum(
            model_input=tinker.ModelInput.from_ints([1, 2, 3, 16]),
            loss_fn_inputs={"target_tokens": [2, 3, 4, 5]},
        )
        refused(vocab_server, lambda: tc.forward_backward([beyond], "cross_entropy"), "vocabulary size 16")
        targets_beyond = datum(target_tokens=[6, 7, 8, 99])
        refused(vocab_server, lambda: tc.forward([targets_beyond]), "vocabulary size 16")
        assert tc.forward_backward([datum()], "cross_entropy").result(timeout=30).loss_fn_outputs
        sampling = service.create_sampling_client(base_model="tiny/model")
        prompt = tinker.ModelInput.from_ints([1, 20])
        refused(vocab_server, lambda: sampling.sample(prompt, 1, tinker.SamplingParams(max_tokens=2)), "16")


def test_without_a_local_tokenizer_ids_are_only_bounded_by_the_wire(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vocab_server: FakeTinker
) -> None:
    """Nothing is downloaded to find the vocabulary: with no local file the call is sent as before."""
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", str(tmp_path))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    clear_tokenizer_cache()

    def no_download(tokenizer_id: str) -> None:
        raise AssertionError(f"downloaded {tokenizer_id}")

    monkeypatch.setattr("tinker_ext._tokenizers.loader.fetch_from_hub", no_download)
    with client_on(vocab_server) as service:
        tc = service.create_lora_training_client("tiny/model")
        high = datum(target_tokens=[6, 7, 8, 5000])
        assert tc.forward([high]).result(timeout=30).loss_fn_outputs
