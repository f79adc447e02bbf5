"""`create_lora_training_client` refuses a base model the server does not list (naming the ones it
serves) before any session or model is created; servers that list nothing are not checked. Keys the
service never issues are warned about, not refused."""

from __future__ import annotations

import logging

import pytest
from _fault_server import FakeTiming, FakeTinker, json_response

import tinker_ext as tinker

SERVED = {"supported_models": [{"model_name": "tiny/qwen3-2l"}, {"model_name": "Org/Other-1B"}]}
CAPABILITIES = "/api/v1/get_server_capabilities"


def make(server: FakeTinker, key: str = "tml-served-model-key") -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key=key, base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )


def test_an_unserved_base_model_is_refused_before_anything_is_created() -> None:
    server = FakeTinker()
    server.handlers[CAPABILITIES] = lambda rec: json_response(200, SERVED)
    with make(server) as service:
        with pytest.raises(tinker.InvalidInputError) as caught:
            service.create_lora_training_client(base_model="Qwen/Qwen3-8B", rank=4)
        assert "does not serve base model 'Qwen/Qwen3-8B'" in str(caught.value)
        assert "it serves: tiny/qwen3-2l, Org/Other-1B" in str(caught.value)
        assert server.paths() == [CAPABILITIES]  # no session, no model

        service.create_lora_training_client(base_model="tiny/qwen3-2l", rank=4)
        service.create_lora_training_client(base_model="Org/Other-1B:variant", rank=4)
        assert server.paths().count(CAPABILITIES) == 1  # asked once per ServiceClient
        assert server.paths().count("/api/v1/create_model") == 2


@pytest.mark.parametrize(
    "answer",
    [
        json_response(404, {"detail": "Not Found"}),
        json_response(200, {"supported_models": []}),
        json_response(200, {"supported_models": [{"model_name": None}]}),
    ],
    ids=["no route", "empty list", "unusable list"],
)
def test_servers_that_do_not_list_models_are_not_checked(answer) -> None:
    server = FakeTinker()
    server.handlers[CAPABILITIES] = lambda rec: answer
    with make(server) as service:
        service.create_lora_training_client(base_model="any/model", rank=4)
    assert server.paths().count("/api/v1/create_model") == 1


def test_a_key_of_a_form_the_service_never_issues_is_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="tinker_ext"):
        make(FakeTinker(), key="sk-abc123").close()
        make(FakeTinker(), key="tml-abc123").close()
        make(FakeTinker(), key="eyJhbGciOiJIUzI1NiJ9.e30.sig").close()
    warnings = [r.getMessage() for r in caplog.records if "forms the Tinker service issues" in r.getMessage()]
    assert len(warnings) == 1
    assert "sk-abc123" not in caplog.text
