"""tinker_ext.testing.TinkerTestServer through the SDK: the model trains, samples follow the weights and
every SamplingParams option does what it says, semantics hold by construction (linear weights, isolated
snapshots and models, seq_id order), checkpoints and REST work, and the tokenizer resolves."""

from __future__ import annotations

import ast
import io
import itertools
import tarfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

import tinker_ext as tinker
from tinker_ext.testing import TinkerTestServer


@pytest.fixture(scope="module")
def server() -> Iterator[TinkerTestServer]:
    with TinkerTestServer() as running:
        yield running


@pytest.fixture
def service(server: TinkerTestServer) -> Iterator[tinker.ServiceClient]:
    with tinker.ServiceClient(base_url=server.base_url, api_key=server.api_key) as client:
        yield client


def _datum(tokens: list[int], weights: list[float] | None = None) -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={
            "target_tokens": tokens[1:],
            "weights": weights if weights is not None else [1.0] * (len(tokens) - 1),
        },
    )


TEXT = list(b"abcdefghijklmnopqrstuvwxyz")  # every byte has one successor: greedy sampling can recite it
# Adam's first step with eps far above every gradient entry is SGD with step lr/eps = 1e-2
SGD = tinker.AdamParams(learning_rate=1e3, beta1=0.9, beta2=0.95, eps=1e5, weight_decay=0.0)


def _logprobs(training: tinker.TrainingClient, data: list[tinker.Datum]) -> np.ndarray:
    out = training.forward(data, "cross_entropy").result()
    return np.concatenate([np.asarray(o["logprobs"].data) for o in out.loss_fn_outputs])


def test_the_loss_goes_down_and_samples_follow_the_trained_weights(
    service: tinker.ServiceClient, server: TinkerTestServer
) -> None:
    training = service.create_lora_training_client(base_model=server.base_model, rank=8)
    data = [_datum(TEXT)]
    losses = []
    for _ in range(15):
        result = training.forward_backward(data, "cross_entropy").result()
        losses.append(result.metrics["loss:sum"])
        training.optim_step(tinker.AdamParams(learning_rate=0.2)).result()
    assert all(b < a for a, b in itertools.pairwise(losses)), losses
    assert losses[-1] < 0.5 * losses[0]
    sampler = training.save_weights_and_get_sampling_client("trained")
    prompt = tinker.ModelInput.from_ints(list(b"ab"))
    greedy = sampler.sample(prompt, 1, tinker.SamplingParams(max_tokens=6, temperature=0.0)).result()
    assert bytes(greedy.sequences[0].tokens) == b"cdefgh"  # the trained text, not the random base model
    base = service.create_sampling_client(base_model=server.base_model)
    untrained = base.sample(prompt, 1, tinker.SamplingParams(max_tokens=6, temperature=0.0)).result()
    assert list(untrained.sequences[0].tokens) != list(b"cdefgh")


def test_a_seed_makes_sampling_deterministic_and_options_apply(
    service: tinker.ServiceClient, server: TinkerTestServer
) -> None:
    sampler = service.create_sampling_client(base_model=server.base_model)
    prompt = tinker.ModelInput.from_ints([10, 20, 30])

    def run(**params: object) -> tinker.SampleResponse:
        return sampler.sample(prompt, 3, tinker.SamplingParams(**params)).result()  # type: ignore[arg-type]

    a, b = run(max_tokens=12, seed=7), run(max_tokens=12, seed=7)
    assert [s.tokens for s in a.sequences] == [s.tokens for s in b.sequences]
    assert [list(s.tokens) for s in run(max_tokens=12, seed=8).sequences] != [
        list(s.tokens) for s in a.sequences
    ]
    assert all(len(s.tokens) == 12 and s.stop_reason == "length" for s in a.sequences)
    top1 = run(max_tokens=8, seed=1, top_k=1)
    greedy = run(max_tokens=8, temperature=0.0)
    assert [list(s.tokens) for s in top1.sequences] == [list(s.tokens) for s in greedy.sequences]
    assert [list(s.tokens) for s in run(max_tokens=8, seed=1, top_p=1e-6).sequences] == [
        list(s.tokens) for s in greedy.sequences
    ]
    first = int(greedy.sequences[0].tokens[2])
    stopped = run(max_tokens=8, temperature=0.0, stop=[first])
    assert [list(s.tokens) for s in stopped.sequences] == [list(greedy.sequences[0].tokens[:3])] * 3
    assert {s.stop_reason for s in stopped.sequences} == {"stop"}
    text = bytes(greedy.sequences[0].tokens[:4]).decode("latin-1")
    if text.isprintable():
        by_string = run(max_tokens=8, temperature=0.0, stop=[text[-2:]])
        assert by_string.sequences[0].stop_reason == "stop" and len(by_string.sequences[0].tokens) <= 4


def test_prompt_logprobs_equal_the_trainers_and_topk_is_sorted(
    service: tinker.ServiceClient, server: TinkerTestServer
) -> None:
    training = service.create_lora_training_client(base_model=server.base_model, rank=4)
    tokens = [5, 9, 14, 3, 7]
    trainer = _logprobs(training, [_datum(tokens)])
    sampler = training.save_weights_and_get_sampling_client("probe")
    response = sampler.sample(
        tinker.ModelInput.from_ints(tokens),
        1,
        tinker.SamplingParams(max_tokens=1),
        include_prompt_logprobs=True,
        topk_prompt_logprobs=3,
    ).result()
    assert response.prompt_logprobs[0] is None
    np.testing.assert_allclose(response.prompt_logprobs[1:], trainer, rtol=1e-5)
    rows = response.topk_prompt_logprobs
    assert all(len(r) == 3 for r in rows[1:])  # position 0 has none (null in JSON, NaN in protobuf)
    assert all([v for _, v in r] == sorted((v for _, v in r), reverse=True) for r in rows[1:])
    computed = sampler.compute_logprobs(tinker.ModelInput.from_ints(tokens)).result()
    np.testing.assert_allclose(computed[1:], trainer, rtol=1e-5)


def _delta(
    service: tinker.ServiceClient, base_model: str, data: list[tinker.Datum], loss: str = "cross_entropy"
) -> np.ndarray:
    probe = [_datum(TEXT[:10])]
    training = service.create_lora_training_client(base_model=base_model, rank=4, seed=0)
    before = _logprobs(training, probe)
    training.forward_backward(data, loss).result()
    training.optim_step(SGD).result()
    return _logprobs(training, probe) - before


def test_weights_are_linear_not_normalised(service: tinker.ServiceClient, server: TinkerTestServer) -> None:
    w = [0.5, 1.0, 2.0, 0.25, 1.5, 1.0, 0.75, 1.0, 2.0]
    one = _delta(service, server.base_model, [_datum(TEXT[:10], w)])
    two = _delta(service, server.base_model, [_datum(TEXT[:10], [2 * x for x in w])])
    twice = _delta(service, server.base_model, [_datum(TEXT[:10], w)] * 2)
    np.testing.assert_allclose(two, 2 * one, rtol=0.02)
    np.testing.assert_allclose(twice, two, rtol=1e-6)


def test_policy_losses_at_ratio_one_train_as_weighted_cross_entropy(
    service: tinker.ServiceClient, server: TinkerTestServer
) -> None:
    tokens = TEXT[:10]
    training = service.create_lora_training_client(base_model=server.base_model, rank=4)
    current = _logprobs(training, [_datum(tokens)])
    adv = np.linspace(-1, 1, len(tokens) - 1)
    reference = _delta(service, server.base_model, [_datum(tokens, adv.tolist())])
    for loss in ("importance_sampling", "ppo", "cispo", "gspo", "stable_reinforce"):
        datum = tinker.Datum(
            model_input=tinker.ModelInput.from_ints(tokens[:-1]),
            loss_fn_inputs={
                "target_tokens": tokens[1:],
                "logprobs": current.tolist(),
                "advantages": adv.tolist(),
            },
        )
        if loss == "gspo":  # a sequence-level ratio: the mean advantage moves every token alike
            continue
        np.testing.assert_allclose(
            _delta(service, server.base_model, [datum], loss), reference, rtol=0.02, atol=1e-9
        )
    body = {
        "model_id": training.model_id,
        "forward_backward_input": {
            "loss_fn": "ppo",
            "data": [
                {
                    "model_input": {"chunks": [{"type": "encoded_text", "tokens": tokens[:-1]}]},
                    "loss_fn_inputs": {"target_tokens": {"data": tokens[1:], "dtype": "int64"}},
                }
            ],
        },
    }
    refused = httpx.post(
        f"{server.base_url}/api/v1/forward_backward", json=body, headers={"X-API-Key": server.api_key}
    )
    assert refused.status_code == 200  # a future; its result is the refusal
    result = httpx.post(
        f"{server.base_url}/api/v1/retrieve_future",
        json={"request_id": refused.json()["request_id"]},
        headers={"X-API-Key": server.api_key},
    ).json()
    assert "is required by this loss" in result["error"] and result["category"] == "user"


def test_models_and_snapshots_are_isolated(service: tinker.ServiceClient, server: TinkerTestServer) -> None:
    data = [_datum(TEXT)]
    trained = service.create_lora_training_client(base_model=server.base_model, rank=4)
    bystander = service.create_lora_training_client(base_model=server.base_model, rank=4)
    untouched = _logprobs(bystander, data)
    trained.forward_backward(data, "cross_entropy").result()
    trained.optim_step(tinker.AdamParams(learning_rate=0.1)).result()
    s1 = trained.save_weights_for_sampler("s1").result().path
    after_1 = _logprobs(trained, data)
    trained.forward_backward(data, "cross_entropy").result()
    trained.optim_step(tinker.AdamParams(learning_rate=0.1)).result()
    after_2 = _logprobs(trained, data)
    old = service.create_sampling_client(model_path=s1)
    old_lp = old.compute_logprobs(tinker.ModelInput.from_ints(TEXT)).result()
    np.testing.assert_allclose(old_lp[1:], after_1, rtol=1e-5)  # the snapshot keeps step 1
    np.testing.assert_allclose(_logprobs(trained, data), after_2)  # sampling it does not rewind the trainer
    np.testing.assert_allclose(_logprobs(bystander, data), untouched)
    assert np.abs(after_2 - untouched).max() > 0.1


def test_seq_ids_are_applied_in_order(server: TinkerTestServer, service: tinker.ServiceClient) -> None:
    """optim_step seq 2 sent before forward seq 1: the forward still sees the weights of before the step."""
    training = service.create_lora_training_client(base_model=server.base_model, rank=4)
    training.forward_backward([_datum(TEXT)], "cross_entropy").result()
    before = _logprobs(training, [_datum(TEXT)])
    model_id = training.model_id
    used = 3  # create 0, forward_backward 1, forward 2
    headers = {"X-API-Key": server.api_key}
    with httpx.Client(base_url=server.base_url, headers=headers) as http:
        optim = http.post(
            "/api/v1/optim_step",
            json={"model_id": model_id, "seq_id": used + 1, "adam_params": {"learning_rate": 0.5}},
        ).json()["request_id"]
        forward = {
            "model_id": model_id,
            "seq_id": used,
            "forward_input": {
                "loss_fn": "cross_entropy",
                "data": [
                    {
                        "model_input": {"chunks": [{"type": "encoded_text", "tokens": TEXT[:-1]}]},
                        "loss_fn_inputs": {"target_tokens": {"data": TEXT[1:], "dtype": "int64"}},
                    }
                ],
            },
        }
        fwd = http.post("/api/v1/forward", json=forward).json()["request_id"]
        result = http.post("/api/v1/retrieve_future", json={"request_id": fwd}).json()
        np.testing.assert_allclose(result["loss_fn_outputs"][0]["logprobs"]["data"], before, rtol=1e-6)
        assert "metrics" in http.post("/api/v1/retrieve_future", json={"request_id": optim}).json()
        again = http.post("/api/v1/forward", json=forward)
        assert again.status_code == 409 and "Sequence conflict" in again.text


def test_save_and_load_state_with_optimizer_resumes_exactly(
    service: tinker.ServiceClient, server: TinkerTestServer
) -> None:
    data, other = (
        [_datum(TEXT)],
        [_datum(TEXT[::-1])],
    )  # the resumed step's gradient differs from the moments'
    adam = tinker.AdamParams(
        learning_rate=0.05, beta1=0.8, beta2=0.9, eps=1e-6, weight_decay=0.01, grad_clip_norm=5.0
    )
    first = service.create_lora_training_client(base_model=server.base_model, rank=4)
    for _ in range(2):
        first.forward_backward(data, "cross_entropy").result()
        first.optim_step(adam).result()
    path = first.save_state("resume-me").result().path
    first.forward_backward(other, "cross_entropy").result()
    first.optim_step(adam).result()
    resumed = service.create_training_client_from_state_with_optimizer(path)
    weights_only = service.create_training_client_from_state(path)
    for client in (resumed, weights_only):
        client.forward_backward(other, "cross_entropy").result()
        client.optim_step(adam).result()
    np.testing.assert_allclose(_logprobs(resumed, data), _logprobs(first, data), rtol=1e-9)
    assert np.abs(_logprobs(weights_only, data) - _logprobs(first, data)).max() > 1e-4  # fresh Adam moments


def test_get_tokenizer_resolves_the_servers_tokenizer(
    service: tinker.ServiceClient, server: TinkerTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    training = service.create_lora_training_client(base_model=server.base_model, rank=4)
    tokenizer = training.get_tokenizer()
    ids = tokenizer.encode("héllo")
    assert ids == list("héllo".encode()) and tokenizer.decode(ids) == "héllo"
    # a sampling client knows only the base model's name: server.tokenizer_env maps it to the files
    for name, value in server.tokenizer_env.items():
        monkeypatch.setenv(name, value)
    sampler = service.create_sampling_client(base_model=server.base_model)
    assert sampler.get_tokenizer().encode("ab") == [97, 98]


def test_rest_runs_checkpoints_ttl_delete_and_archive(
    service: tinker.ServiceClient, server: TinkerTestServer
) -> None:
    training = service.create_lora_training_client(base_model=server.base_model, rank=4)
    state = training.save_state("rest-state").result().path
    sampler_path = training.save_weights_for_sampler("rest-sampler").result().path
    rest = service.create_rest_client()
    run = rest.get_training_run(training.model_id).result()
    assert run.base_model == server.base_model and run.lora_rank == 4
    listed = rest.list_checkpoints(training.model_id).result()
    assert {c.tinker_path for c in listed.checkpoints} == {state, sampler_path}
    assert training.model_id in {
        r.training_run_id for r in rest.list_training_runs(limit=100).result().training_runs
    }
    rest.set_checkpoint_ttl_from_tinker_path(state, 3600).result()
    assert next(
        c for c in rest.list_checkpoints(training.model_id).result().checkpoints if c.tinker_path == state
    ).expires_at
    headers = {"X-API-Key": server.api_key}
    url = httpx.get(
        f"{server.base_url}/api/v1/training_runs/{training.model_id}/checkpoints/weights/rest-state/archive",
        headers=headers,
    ).json()["url"]
    whole = httpx.get(url, headers=headers).content
    tail = httpx.get(url, headers={**headers, "Range": "bytes=100-"})
    assert tail.status_code == 206 and tail.content == whole[100:]
    with tarfile.open(fileobj=io.BytesIO(whole)) as tar:
        assert sorted(tar.getnames()) == ["adapter.npz", "checkpoint.json"]
    rest.delete_checkpoint_from_tinker_path(sampler_path).result()
    assert [c.tinker_path for c in rest.list_checkpoints(training.model_id).result().checkpoints] == [state]
    with pytest.raises(tinker.ConflictError):
        training.save_state("rest-state").result()


def test_a_wrong_api_key_is_refused(server: TinkerTestServer) -> None:
    answer = httpx.post(
        f"{server.base_url}/api/v1/create_session", json={}, headers={"X-API-Key": "tml-wrong"}
    )
    assert answer.status_code == 401
    assert httpx.get(f"{server.base_url}/api/v1/healthz").json() == {"status": "ok"}


def test_the_subprocess_server_serves_the_same_api() -> None:
    with (
        TinkerTestServer.subprocess() as server,
        tinker.ServiceClient(base_url=server.base_url, api_key=server.api_key) as service,
    ):
        training = service.create_lora_training_client(base_model=server.base_model, rank=4)
        assert training.forward_backward([_datum(TEXT)], "cross_entropy").result().metrics["loss:sum"] > 0


def test_the_server_imports_only_its_own_modules_and_the_protobuf_messages() -> None:
    """The server side of the wire only: never a client module, so it checks the clients independently."""
    import tinker_ext.testing as package

    for path in Path(package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.startswith(("tinker_ext", "tinker_ext_raw")):
                    assert name.startswith(("tinker_ext.testing", "tinker_ext_raw.proto")), (path.name, name)


def test_what_it_keeps_and_how_long_a_seq_gap_waits_are_bounded() -> None:
    from tinker_ext.testing import Limits

    with (
        TinkerTestServer(limits=Limits(max_models=1), seq_gap_timeout=0.2) as server,
        httpx.Client(base_url=f"{server.base_url}/api/v1", headers={"X-API-Key": server.api_key}) as http,
    ):
        session = http.post("/create_session", json={"tags": [], "sdk_version": "test"}).json()["session_id"]
        create = {"session_id": session, "base_model": server.base_model, "lora_config": {"rank": 4}}
        model_id = http.post("/create_model", json={**create, "model_seq_id": 0}).json()["model_id"]
        refused = http.post("/create_model", json={**create, "model_seq_id": 1})
        assert refused.status_code == 429 and "at most 1 models" in refused.text
        early = http.post("/optim_step", json={"model_id": model_id, "seq_id": 2, "adam_params": {}}).json()
        answer = http.post("/retrieve_future", json={"request_id": early["request_id"]}).json()
        assert answer["category"] == "user" and "seq_id 1, which never arrived" in answer["error"]
        sample = {"prompt": {"chunks": [{"type": "encoded_text", "tokens": [-1]}]}, "sampling_params": {}}
        bad = http.post("/asample", json={**sample, "base_model": server.base_model})
        assert bad.status_code == 400 and "prompt token ids" in bad.text


def test_a_client_side_custom_loss_trains_as_its_gradient_says(
    service: tinker.ServiceClient, server: TinkerTestServer
) -> None:
    """forward_backward_custom: forward logprobs, then cross_entropy with weights = −∂C/∂logprob. With
    C = −Σ w·logprob the update is cross_entropy's with weights w."""
    torch = pytest.importorskip("torch")
    w = [0.5, 1.0, 2.0, 0.25, 1.5, 1.0, 0.75, 1.0, 2.0]
    reference = _delta(service, server.base_model, [_datum(TEXT[:10], w)])

    def loss(data: list[tinker.Datum], logprobs: list[object]) -> tuple[object, dict[str, float]]:
        return -(torch.tensor(w) * logprobs[0]).sum(), {}

    probe = [_datum(TEXT[:10])]
    training = service.create_lora_training_client(base_model=server.base_model, rank=4, seed=0)
    before = _logprobs(training, probe)
    datum = tinker.Datum(
        model_input=tinker.ModelInput.from_ints(TEXT[:9]), loss_fn_inputs={"target_tokens": TEXT[1:10]}
    )
    result = training.forward_backward_custom([datum], loss).result()
    training.optim_step(SGD).result()
    np.testing.assert_allclose(_logprobs(training, probe) - before, reference, rtol=1e-4, atol=1e-9)
    assert result.metrics["loss:sum"] == pytest.approx(-float(np.dot(w, before)), rel=1e-5)


def test_both_wires_give_the_same_training_and_samples(server: TinkerTestServer) -> None:
    seen = {}
    for wire in ("json", "protobuf"):
        with tinker.ServiceClient(base_url=server.base_url, api_key=server.api_key, wire=wire) as service:
            training = service.create_lora_training_client(base_model=server.base_model, rank=4)
            first = training.forward_backward([_datum(TEXT)], "cross_entropy").result().metrics["loss:sum"]
            training.optim_step(tinker.AdamParams(learning_rate=0.1)).result()
            after = _logprobs(training, [_datum(TEXT)])
            sampler = training.save_weights_and_get_sampling_client()
            params = tinker.SamplingParams(max_tokens=4, seed=5)
            sample = sampler.sample(
                tinker.ModelInput.from_ints([1, 2]), 2, params, include_prompt_logprobs=True
            ).result()
            assert service.wire == wire
            seen[wire] = (first, after, [list(s.tokens) for s in sample.sequences], sample.prompt_logprobs)
    (loss_j, after_j, tokens_j, prompt_j), (loss_p, after_p, tokens_p, prompt_p) = (
        seen["json"],
        seen["protobuf"],
    )
    assert loss_j == pytest.approx(loss_p, rel=1e-6) and tokens_j == tokens_p
    np.testing.assert_allclose(after_j, after_p, rtol=1e-6)
    assert prompt_j[0] is None and prompt_p[0] is None
    assert prompt_j[1] == pytest.approx(prompt_p[1], rel=1e-6)


def test_a_closed_server_answers_nothing_even_on_kept_alive_connections() -> None:
    with httpx.Client() as http:
        server = TinkerTestServer().start()
        url = f"{server.base_url}/api/v1/healthz"
        assert http.get(url).status_code == 200
        server.close()
        with pytest.raises(httpx.TransportError):
            http.get(url)
