"""Testing code that uses Tinker, without a network or a GPU: the `tinker_server` fixture (installed with
tinker-ext) is an in-process Tinker server with a tiny deterministic model. Run: `pytest examples/test_with_tinker_server.py`.

The code under test is `train`, an ordinary SFT loop; the tests check that it trains, that a seeded sample
is reproducible, and that it survives the server's hiccups (docs/TESTING.md)."""

from __future__ import annotations

import tinker_ext as tinker
from tinker_ext.testing import TinkerTestServer


def train(
    service: tinker.ServiceClient, base_model: str, text: str, steps: int
) -> tuple[list[float], tinker.SamplingClient]:
    """The code under test: `steps` SFT steps on `text`; the losses and a sampler of the trained weights."""
    training = service.create_lora_training_client(base_model=base_model, rank=8)
    tokens = training.get_tokenizer().encode(text)
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={"target_tokens": tokens[1:], "weights": [1.0] * (len(tokens) - 1)},
    )
    losses = []
    for _ in range(steps):
        result = training.forward_backward([datum], "cross_entropy").result()
        training.optim_step(tinker.AdamParams(learning_rate=0.2)).result()
        losses.append(result.metrics["loss:sum"])
    return losses, training.save_weights_and_get_sampling_client("trained")


def test_twenty_steps_train_and_the_sampler_recites_the_text(tinker_server: TinkerTestServer) -> None:
    with tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key) as service:
        losses, sampler = train(service, tinker_server.base_model, "abcdefghijklmnopqrstuvwxyz", steps=20)
        assert losses[-1] < losses[0] / 2
        tokenizer = sampler.get_tokenizer()
        prompt = tinker.ModelInput.from_ints(tokenizer.encode("abc"))
        greedy = sampler.sample(prompt, 1, tinker.SamplingParams(max_tokens=5, temperature=0.0)).result()
        assert tokenizer.decode(greedy.sequences[0].tokens) == "defgh"
        seeded = [
            sampler.sample(prompt, 2, tinker.SamplingParams(max_tokens=8, seed=42)).result() for _ in range(2)
        ]
        assert [list(s.tokens) for s in seeded[0].sequences] == [list(s.tokens) for s in seeded[1].sequences]


def test_training_survives_server_errors(tinker_server: TinkerTestServer) -> None:
    tinker_server.faults.fail_next("forward_backward", status=503, times=2)
    tinker_server.faults.fail_next("optim_step", status=429, retry_after=0.05)
    with tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key) as service:
        losses, _ = train(service, tinker_server.base_model, "hello tinker", steps=3)
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert tinker_server.faults.injected["status:forward_backward"] == 2
