"""forward_backward_custom on a server whose cross_entropy is not linear in the weights (measured by
`tinker-ext contract` and kept as server facts): the SDK sends the same gradient through
importance_sampling, undoing the server's token mean and batch mean, or refuses with a typed error before
sending anything. Proven on the in-process server that really trains (tests/unit/_semantic_server.py): the
gradient it accumulates equals the one of a server that computes what the Tinker API promises, i.e.
Σ ∂C/∂logprob · ∂logprob/∂θ with ∂C/∂logprob from torch autograd."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinker_ext as tinker
from tests.unit._semantic_server import SemanticKnobs, SemanticTinker
from tests.unit.contract_mock import BASE_MODEL
from tinker_ext._session.server_facts import ServerFacts, save_server_facts

torch = pytest.importorskip("torch")
BASE_URL = "http://tinker.test"
SKYRL_FACTS = ServerFacts("datum_normalised", "token_mean_batch_mean", True, "test")
PAIRS = [([1, 2, 3, 4, 5, 6], [1, 2, 3, 9, 8, 7]), ([4, 3, 2, 1, 5], [4, 3, 2, 11, 12])]


def _datum(tokens: list[int]) -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={
            "target_tokens": tinker.TensorData.from_numpy(np.asarray(tokens[1:], dtype=np.int64))
        },
    )


DATA = [_datum(t) for pair in PAIRS for t in pair]  # chosen, rejected, chosen, rejected


def dpo_loss(data: list[Any], logprobs: list[Any]) -> tuple[Any, dict[str, float]]:
    # The reference model = the starting weights (toy logprobs at θ = 0 are what the first forward sees).
    margins = [
        (logprobs[i].sum() - logprobs[i].detach().sum())
        - (logprobs[i + 1].sum() - logprobs[i + 1].detach().sum())
        for i in range(0, len(logprobs), 2)
    ]
    losses = [-torch.nn.functional.logsigmoid(0.1 * m + 0.0) for m in margins]
    return torch.stack(losses).sum(), {}


def gradient(server: SemanticTinker) -> np.ndarray:
    """The gradient the server accumulates for one forward_backward_custom of `dpo_loss` on DATA."""
    service = tinker.ServiceClient(
        base_url=BASE_URL, api_key="tml-test", wire="json", _transport=server.transport()
    )
    try:
        training = service.create_lora_training_client(base_model=BASE_MODEL, rank=8)
        training.forward_backward_custom(DATA, dpo_loss).result()
        (model_id,) = server.params
        return server.params[model_id].grad.copy()
    finally:
        service.close()


def test_custom_loss_gradient_on_a_normalising_server_equals_the_tinker_one() -> None:
    promised = gradient(SemanticTinker())  # cross_entropy with weights −∂C/∂ℓ on a linear server
    assert np.abs(promised).max() > 1e-3
    as_measured = gradient(SemanticTinker(SemanticKnobs(normalise=True)))  # no facts: the CE surrogate
    assert not np.allclose(as_measured, promised, rtol=1e-2, atol=1e-6)  # the deviation, unhandled
    save_server_facts(BASE_URL, SKYRL_FACTS)
    server = SemanticTinker(SemanticKnobs(normalise=True))
    corrected = gradient(server)
    np.testing.assert_allclose(corrected, promised, rtol=1e-4, atol=1e-7)


def test_custom_loss_is_refused_before_sending_when_no_linear_path_is_known() -> None:
    save_server_facts(
        BASE_URL, ServerFacts("datum_normalised", "unknown", False, "tinker-ext contract check")
    )
    server = SemanticTinker(SemanticKnobs(normalise=True))
    service = tinker.ServiceClient(
        base_url=BASE_URL, api_key="tml-test", wire="json", _transport=server.transport()
    )
    try:
        training = service.create_lora_training_client(base_model=BASE_MODEL, rank=8)
        with pytest.raises(tinker.ServerDeviationError, match="not linear in the weights"):
            training.forward_backward_custom(DATA, dpo_loss)
        assert server.fwd_bodies == []  # nothing was sent
    finally:
        service.close()


def test_sampling_from_a_saved_sampler_warns_once_on_a_server_that_rewinds(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = SemanticTinker(SemanticKnobs(rewind=True))
    service = tinker.ServiceClient(
        base_url=BASE_URL, api_key="tml-test", wire="json", _transport=server.transport()
    )
    try:
        training = service.create_lora_training_client(base_model=BASE_MODEL, rank=8)
        path = training.save_weights_for_sampler("s1").result().path
        service.create_sampling_client(model_path=path)
        assert not [r for r in caplog.records if "snapshot isolation" in r.getMessage()]  # nothing measured
        save_server_facts(BASE_URL, SKYRL_FACTS)
        with caplog.at_level("WARNING", logger="tinker_ext"):
            service.create_sampling_client(model_path=path)
            service.create_sampling_client(model_path=path)
        warnings = [r.getMessage() for r in caplog.records if "snapshot isolation" in r.getMessage()]
        assert len(warnings) == 1 and path in warnings[0] and "tinker-ext contract check" in warnings[0]
    finally:
        service.close()
