"""A 409 on a save with a client-chosen name is NameConflictError at once (not retried); the API key
must be a str; short keys are redacted only as whole tokens, realistic keys everywhere."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from _fault_server import FakeTiming, FakeTinker, Fault

import tinker_ext as tinker
from tinker_ext._wire.credentials import WHOLE_TOKEN_BELOW, ApiKey

CONFLICT = Fault(status=409, body={"detail": "Checkpoint 'dup' already exists for model 'model-0'"})
SAVES: dict[str, tuple[str, Callable[[tinker.TrainingClient], Any]]] = {
    "save_state": ("/api/v1/save_weights", lambda tc: tc.save_state("dup")),
    "save_weights_for_sampler": (
        "/api/v1/save_weights_for_sampler",
        lambda tc: tc.save_weights_for_sampler("dup"),
    ),
    "save_weights_external": ("/api/v1/save_weights_external", lambda tc: tc.save_weights_external("dup")),
}


@pytest.mark.parametrize("save", sorted(SAVES))
def test_a_taken_checkpoint_name_is_raised_at_once_naming_it(
    save: str, service: tinker.ServiceClient, server: FakeTinker
) -> None:
    path, call = SAVES[save]
    server.inject(path, *[CONFLICT] * 5)
    tc = service.create_lora_training_client("tiny/model")
    with pytest.raises(tinker.NameConflictError) as caught:
        call(tc).result(timeout=30)
    error = caught.value
    assert isinstance(error, tinker.ConflictError) and isinstance(error, tinker.APIStatusError)
    assert error.name == "dup" and error.status_code == 409
    assert "'dup' is already taken" in str(error) and "already exists" in str(error)
    assert server.paths().count(path) == 1  # not retried
    # The refused save used no seq_id: the next call goes out with the first one.
    tc.optim_step(tinker.AdamParams()).result(timeout=30)
    assert server.bodies("/api/v1/optim_step")[-1]["seq_id"] == 1

    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is tinker.NameConflictError
    assert (copy.name, copy.status_code, str(copy)) == ("dup", 409, str(error))


def test_a_conflict_after_a_retry_says_the_earlier_attempt_may_have_saved_it(
    service: tinker.ServiceClient, server: FakeTinker
) -> None:
    server.inject("/api/v1/save_weights", Fault(status=None), CONFLICT)  # a dropped connection, then 409
    tc = service.create_lora_training_client("tiny/model")
    with pytest.raises(tinker.NameConflictError, match="an earlier attempt of this call may have saved it"):
        tc.save_state("dup").result(timeout=30)
    assert server.paths().count("/api/v1/save_weights") == 2


def test_a_409_without_a_client_chosen_name_is_still_retried(
    service: tinker.ServiceClient, server: FakeTinker
) -> None:
    server.inject("/api/v1/optim_step", Fault(status=409, body={"detail": "busy"}))
    tc = service.create_lora_training_client("tiny/model")
    tc.optim_step(tinker.AdamParams()).result(timeout=30)
    assert server.paths().count("/api/v1/optim_step") == 2


@pytest.mark.parametrize("key", [b"tml-key", bytearray(b"tml-key"), 12345])
def test_a_key_that_is_not_a_str_says_so(key: Any) -> None:
    with pytest.raises(tinker.InvalidInputError, match="must be a str") as caught:
        tinker.ServiceClient(api_key=key, base_url="http://t")
    assert "required" not in str(caught.value)


def test_a_short_key_is_redacted_only_as_a_whole_token() -> None:
    key = ApiKey("k")
    assert (
        key.scrub("SocketTimeoutError: key=k, 'k' k")
        == "SocketTimeoutError: key=<redacted>, '<redacted>' <redacted>"
    )
    assert key.scrub("kk k1 knock") == "kk k1 knock"


def test_a_realistic_key_is_redacted_wherever_it_appears() -> None:
    secret = "tml-" + "Ab3" * 10
    assert len(secret) >= WHOLE_TOKEN_BELOW
    key = ApiKey(secret)
    assert key.scrub(f"x{secret}y {secret}") == "x<redacted>y <redacted>"


def test_errors_of_a_client_with_a_short_key_are_not_mangled() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("SocketTimeoutError while connecting", request=request)

    service = tinker.ServiceClient(
        api_key="k",
        base_url="http://t",
        _transport=httpx.MockTransport(refuse),
        _timing=FakeTiming().timing(),
    )
    try:
        with pytest.raises(tinker.APIConnectionError, match="SocketTimeoutError while connecting"):
            service.get_server_capabilities()
    finally:
        service.close()


def test_a_taken_custom_loss_name_is_raised_at_once() -> None:
    pytest.importorskip("torch")
    from test_surface_custom_loss import _server, _service, weighted_square

    fake = _server(server_side=True)
    fake.inject("/api/v1/create_custom_loss", *[Fault(status=409, body={"detail": "exists"})] * 3)
    with _service(fake) as sc, pytest.raises(tinker.NameConflictError) as caught:
        sc.create_custom_loss(weighted_square, {"logprobs": 1, "advantages": 1}).result()
    assert caught.value.name == "weighted_square"
    assert fake.paths().count("/api/v1/create_custom_loss") == 1
