"""Service-level behaviour against the real server: health, capabilities, session and client creation,
and errors surfacing as typed exceptions."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from tinker_ext_raw import endpoints

import tinker_ext as tinker
from tinker_ext._wire.calls import request_for

pytestmark = pytest.mark.integration


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.fixture(scope="module")
def counted(tinker_server) -> Iterator[tuple[tinker.ServiceClient, CountingTransport]]:
    transport = CountingTransport()
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, _transport=transport
    ) as service:
        yield service, transport


@pytest.fixture(scope="module")
def training(counted, tinker_server) -> tinker.TrainingClient:
    service, _ = counted
    return service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=51)


def test_health(counted):
    """The SDK has no public health call (neither has the official one); its HTTP layer reaches it."""
    service, _ = counted
    health = service._ctx.run(service._ctx.perform(request_for(endpoints.HEALTHZ)))
    assert health.status == "ok"


def test_capabilities_list_the_base_model(counted, tinker_server):
    service, _ = counted
    capabilities = service.get_server_capabilities()  # 0.38: the value, not a future
    assert tinker_server.base_model in [m.model_name for m in capabilities.supported_models]


def test_session_is_created_lazily_once(tinker_server):
    transport = CountingTransport()
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, _transport=transport
    ) as service:
        assert service.session_id is None and transport.paths == []
        first = service.create_sampling_client(base_model=tinker_server.base_model)
        second = service.create_sampling_client(base_model=tinker_server.base_model)
        assert service.session_id
        assert transport.paths.count("/api/v1/create_session") == 1
        assert first.sampling_session_id != second.sampling_session_id


def test_training_client_info_and_tokenizer(training, tinker_server):
    info = training.get_info()
    assert info.model_id == training.model_id
    assert info.model_data.model_name == tinker_server.base_model
    if tinker_server.tokenizer_file is not None or not tinker_server.is_local:
        tokenizer = training.get_tokenizer()
        ids = tokenizer.encode("one plus two")
        assert ids and tokenizer.decode(ids).strip() == "one plus two"


def test_sampling_client_from_the_base_model(counted, tinker_server):
    service, _ = counted
    sampler = service.create_sampling_client(base_model=tinker_server.base_model)
    assert sampler.get_base_model() == tinker_server.base_model
    response = sampler.sample(
        tinker.ModelInput.from_ints([5, 6, 7, 8]),
        num_samples=2,
        sampling_params=tinker.SamplingParams(max_tokens=8, seed=0),
    ).result()
    assert len(response.sequences) == 2
    for seq in response.sequences:
        # max_tokens bounds the length; a shorter sequence must say it stopped on a stop token.
        assert 1 <= len(seq.tokens) <= 8
        assert seq.stop_reason == ("length" if len(seq.tokens) == 8 else "stop")


# -- errors


def test_unknown_training_run_is_not_found(counted, tinker_server):
    service, _ = counted
    with pytest.raises(tinker.NotFoundError) as caught:
        service.create_rest_client().get_training_run("model_does_not_exist").result()
    error = caught.value
    assert isinstance(error, tinker.TinkerError) and error.status_code == 404
    assert "not found" in str(error).lower()
    assert tinker_server.api_key not in str(error) and tinker_server.api_key not in repr(error)


def test_state_that_does_not_exist_is_not_found(counted):
    service, _ = counted
    with pytest.raises(tinker.NotFoundError):
        service.create_training_client_from_state("tinker://model_does_not_exist/weights/nothing")


def test_sampling_weights_that_do_not_exist(counted):
    service, _ = counted
    with pytest.raises(tinker.NotFoundError):
        sampler = service.create_sampling_client(model_path="tinker://model_does_not_exist/sampler_weights/x")
        sampler.sample(tinker.ModelInput.from_ints([1, 2]), 1, tinker.SamplingParams(max_tokens=1)).result()


def test_server_side_failure_of_a_request_is_a_request_failed_error(counted, tinker_server):
    """A rank the server refuses: the create_model future fails with the server's reason."""
    service, _ = counted
    with pytest.raises(tinker.TinkerError) as caught:
        service.create_lora_training_client(base_model=tinker_server.base_model, rank=4096)
    assert "rank" in str(caught.value).lower()


def test_invalid_input_is_refused_before_anything_is_sent(counted, training):
    _, transport = counted
    before = len(transport.paths)
    mismatched = tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2, 3]),
        loss_fn_inputs={"target_tokens": [2, 3, 4], "weights": [1.0, 1.0]},
    )
    with pytest.raises(tinker.InvalidInputError, match="weights"):
        training.forward_backward([mismatched], loss_fn="cross_entropy")
    with pytest.raises(tinker.InvalidInputError):
        training.forward_backward([], loss_fn="cross_entropy")
    with pytest.raises(tinker.InvalidInputError):
        training.forward_backward([mismatched], loss_fn="no_such_loss")
    with pytest.raises(tinker.InvalidInputError):
        training.optim_step({"learning_rate": 1e-3})  # type: ignore[arg-type]
    with pytest.raises(tinker.InvalidInputError):
        training.save_state("a/b")
    assert transport.paths[before:] == []
    # The client is still usable after the refused calls.
    good = tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2, 3]),
        loss_fn_inputs={"target_tokens": [2, 3, 4], "weights": [1.0, 1.0, 1.0]},
    )
    assert len(training.forward([good]).result().loss_fn_outputs) == 1
