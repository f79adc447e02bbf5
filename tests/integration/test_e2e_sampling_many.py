"""A few hundred concurrent samples through the sampling dispatcher on the real servers (issue 12), and
what those servers offer for batch polling.

Kept short on CPU: a 4-token prompt, max_tokens=2. Each sample must come back exactly once with a
result of its own request (same prompt length and seed => the same tokens for equal requests, so the
results are checked per distinct prompt), and the number of samples in flight must stay within the cap.
"""

from __future__ import annotations

import httpx
import pytest

import tinker_ext as tinker

pytestmark = pytest.mark.integration

N_SAMPLES = 200
MAX_IN_FLIGHT = 32


def test_200_concurrent_samples_each_answered_once(tinker_server):
    dispatch = tinker.SamplingDispatch(max_in_flight=MAX_IN_FLIGHT)
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, sampling_dispatch=dispatch
    ) as service:
        sampler = service.create_sampling_client(base_model=tinker_server.base_model)
        params = tinker.SamplingParams(max_tokens=2, temperature=0.0)
        prompts = [[11 + i % 5, 12, 13, 14] for i in range(N_SAMPLES)]
        futures = [sampler.sample(tinker.ModelInput.from_ints(p), 1, params) for p in prompts]
        results = [f.result(timeout=600) for f in futures]
        dispatcher = service.holder.sample_dispatcher
        assert dispatcher.in_flight == 0 and dispatcher.in_flight_bytes == 0  # every slot given back
        assert 1 <= dispatcher.max_seen_in_flight <= MAX_IN_FLIGHT
    assert len(results) == N_SAMPLES
    by_prompt: dict[tuple[int, ...], set[tuple[int, ...]]] = {}
    for prompt, result in zip(prompts, results, strict=True):
        assert len(result.sequences) == 1
        tokens = tuple(result.sequences[0].tokens)
        assert 1 <= len(tokens) <= 2
        by_prompt.setdefault(tuple(prompt), set()).add(tokens)
    # Greedy sampling: equal prompts give equal answers, so no answer went to another request.
    assert len(by_prompt) == 5 and all(len(answers) == 1 for answers in by_prompt.values())


def test_servers_offer_no_batch_polling(tinker_server):
    """`POST /api/v1/retrieve_futures` (docs/PROTOCOL.md, Futures and polling): neither skyrl 0.4.0
    nor skyrl-tx 0.3.0 has the route, so tinker_ext polls per request (`retrieve_future`), as 0.38 does
    by default."""
    if not tinker_server.is_local:
        pytest.skip("a fact about the local servers")
    answer = httpx.post(
        f"{tinker_server.base_url}/api/v1/retrieve_futures",
        json={"target": {"type": "sampling_session", "sampling_session_id": "x"}, "prev_cursor": 0},
        headers={"X-API-Key": tinker_server.api_key},
        timeout=30,
    )
    assert answer.status_code == 404, answer.text
