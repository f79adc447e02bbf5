"""0.38 types added for the surface: billing event variants, storage rows, optimizer configs read back
from answers, and the new request types' JSON."""

from __future__ import annotations

import pytest

import tinker_ext as tinker
from tinker_ext.types import ResponseFormatError

T = tinker.types


def _usage_event(event_info: object) -> dict[str, object]:
    return {
        "bucket_start": "2025-01-01T00:00:00Z",
        "bucket_end": "2025-01-01T01:00:00Z",
        "event_info": event_info,
    }


def test_billing_events_are_typed_by_their_tag() -> None:
    event = T.BillingUsageEvent.from_wire(
        _usage_event({"type": "sampling_prefill", "cached": True, "token_count": 5})
    )
    assert event.event_info == T.SamplingPrefillBillingEvent(cached=True, token_count=5)
    storage = T.BillingUsageEvent.from_wire(_usage_event({"type": "storage", "gigabyte_hours": 1.5}))
    assert storage.event_info == T.StorageBillingEvent(gigabyte_hours=1.5)
    assert storage.event_info.free is False and storage.model_dump(mode="json")["event_info"] == {
        "type": "storage",
        "free": False,
        "gigabyte_hours": 1.5,
    }
    with pytest.raises(ResponseFormatError, match="event_info/type: expected one of 'training'") as bad:
        T.BillingUsageEvent.from_wire(_usage_event({"type": "gpu", "hours": 1}))
    assert bad.value.pointer == "/event_info/type"
    with pytest.raises(ResponseFormatError) as missing:
        T.BillingUsageEvent.from_wire(_usage_event({"type": "training"}))  # token_count missing
    assert missing.value.pointer == "/event_info/token_count"


def test_storage_rows_keep_the_0_38_fields() -> None:
    row = T.CurrentCheckpointStorageUsageItem.from_json(
        {
            "checkpoint_count": 1,
            "size_bytes": 10,
            "size_gigabytes": 1e-8,
            "user_name": "u",
            "org_user_urn": "o",
        }
    )
    assert (row.size_gigabytes, row.user_name, row.org_user_urn) == (1e-8, "u", "o")
    with pytest.raises(ResponseFormatError):
        T.CurrentCheckpointStorageUsageItem.from_json(
            {"checkpoint_count": 1, "size_bytes": 1, "size_gigabytes": "x"}
        )


def _optimizer_config(body: object) -> object:
    return T.WeightsInfoResponse.from_wire(
        {"base_model": "b", "is_lora": False, "optimizer_config": body}
    ).optimizer_config


def test_optimizer_config_from_answers() -> None:
    assert _optimizer_config({"type": "adamw"}) == T.AdamOptimizerConfig()
    # as 0.38 (`AdamOptimizerConfig | OptimizerConfigBase`): a Dimuon config reads back as the family's
    dimuon = _optimizer_config({"type": "dimuon", "version": 1})
    assert dimuon == T.OptimizerConfigBase(type="dimuon", version=1)
    assert dimuon.to_json() == T.DimuonOptimizerConfig().to_json()
    other = _optimizer_config({"type": "lion", "beta": 0.9})
    assert type(other) is T.OptimizerConfigBase
    assert other == T.OptimizerConfigBase(type="lion", beta=0.9) and other.to_json() == {
        "type": "lion",
        "beta": 0.9,
    }
    assert other.beta == 0.9 and other.model_extra == {"beta": 0.9}  # type: ignore[attr-defined]
    # a known tag with fields its class does not have: the family keeps them all
    odd = _optimizer_config({"type": "adamw", "amsgrad": True})
    assert type(odd) is T.OptimizerConfigBase and odd.to_json() == {"type": "adamw", "amsgrad": True}
    info = T.GetInfoResponse.from_json(
        {
            "model_id": "m",
            "model_data": {"model_name": "x"},
            "optimizer_config": {"type": "dimuon", "version": 1},
        }
    )
    assert info.optimizer_config.model_dump() == T.DimuonOptimizerConfig().model_dump()
    # absent (servers before 0.38): AdamW, as 0.38's default
    bare = T.GetInfoResponse.from_json({"model_id": "m", "model_data": {}})
    assert bare.optimizer_config == T.AdamOptimizerConfig()
    with pytest.raises(ResponseFormatError) as bad:
        _optimizer_config({"version": 1})
    assert bad.value.pointer == "/optimizer_config/type"


def test_optimizer_family_members_refuse_unknown_fields() -> None:
    assert isinstance(T.DimuonParams(learning_rate=0.1), T.OptimParamsBase)
    assert isinstance(T.AdamOptimizerConfig(), T.OptimizerConfigBase)
    with pytest.raises(tinker.InvalidInputError, match="unexpected field"):
        T.AdamOptimizerConfig(beta=1)  # type: ignore[call-arg]
    assert T.AdamOptimizerConfig().model_extra is None


def test_optim_step_request_names_the_params_key_by_family() -> None:
    adam = T.OptimStepRequest(adam_params=T.AdamParams(), model_id="m")
    assert adam == T.OptimStepRequest(optim_params=T.AdamParams(), model_id="m")
    assert "adam_params" in adam.to_json() and "optim_params" not in adam.model_dump()
    lion = T.OptimStepRequest(optimizer_params=T.OptimParamsBase(type="lion", lr=1.0), model_id="m")
    assert lion.to_json()["optimizer_params"] == {"type": "lion", "lr": 1.0}
    back = T.OptimStepRequest.from_wire(lion.to_json())
    assert back == lion and type(back.optim_params) is T.OptimParamsBase
    with pytest.raises(tinker.InvalidInputError, match="pass one of"):
        T.OptimStepRequest(adam_params=T.AdamParams(), optim_params=T.AdamParams(), model_id="m")
    with pytest.raises(ResponseFormatError) as bad:
        T.OptimStepRequest.from_wire({"model_id": "m", "adam_params": {"beta1": "x"}})
    assert bad.value.pointer == "/adam_params/beta1"


def test_new_request_types_serialise_like_0_38() -> None:
    assert T.SaveWeightsExternalRequest(model_id="m", path="p").to_json() == {
        "model_id": "m",
        "path": "p",
        "type": "save_weights_external",
    }
    assert T.JoinSamplingSessionRequest(sampling_session_id="s").to_json() == {
        "sampling_session_id": "s",
        "type": "join_sampling_session",
    }
    copy_request = T.CopyWeightsRequest(source_path="tinker://r/weights/a", weights_access_token="wat-123")
    assert "wat-123" not in repr(copy_request) and "wat-123" not in str(copy_request)
    assert "secret" not in repr(T.AuthTokenResponse(jwt="a.secret.b"))


def test_search_cursor_in_an_answer_needs_a_timezone() -> None:
    body = {"sessions": [], "next_cursor": {"last_created_at": "2026-01-01T00:00:00", "last_session_id": "s"}}
    with pytest.raises(ResponseFormatError, match="timezone"):
        T.SessionSearchResponse.from_wire(body)
    body["next_cursor"]["last_created_at"] = "2026-01-01T00:00:00Z"  # type: ignore[index]
    assert T.SessionSearchResponse.from_wire(body).next_cursor == T.SessionSearchCursor.from_wire(
        body["next_cursor"]
    )
