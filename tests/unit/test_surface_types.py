"""0.38 types added for the surface: billing event variants, storage rows, optimizer configs read back
from answers, and the new request types' JSON."""

from __future__ import annotations

import pytest

import tinker_ext as tinker
from tinker_ext.types import ResponseFormatError
from tinker_ext.types.billing import billing_event_from_json
from tinker_ext.types.optim import optimizer_config_from_json

T = tinker.types


def test_billing_events_are_typed_by_their_tag() -> None:
    assert billing_event_from_json({"type": "sampling_prefill", "cached": True, "token_count": 5}) == (
        T.SamplingPrefillBillingEvent(cached=True, token_count=5)
    )
    assert billing_event_from_json({"type": "storage", "gigabyte_hours": 1.5}) == T.StorageBillingEvent(1.5)
    with pytest.raises(ResponseFormatError, match="unknown"):
        billing_event_from_json({"type": "gpu", "hours": 1})
    with pytest.raises(ResponseFormatError):
        billing_event_from_json({"type": "training"})  # token_count missing


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


def test_optimizer_config_from_answers() -> None:
    assert optimizer_config_from_json({"type": "adamw"}, "c") == T.AdamOptimizerConfig()
    assert optimizer_config_from_json({"type": "dimuon", "version": 1}, "c") == T.DimuonOptimizerConfig()
    other = optimizer_config_from_json({"type": "lion", "beta": 0.9}, "c")
    assert other == T.OptimizerConfigBase(type="lion", extra={"beta": 0.9}) and other.to_json()["beta"] == 0.9
    info = T.GetInfoResponse.from_json(
        {
            "model_id": "m",
            "model_data": {"model_name": "x"},
            "optimizer_config": {"type": "dimuon", "version": 1},
        }
    )
    assert info.optimizer_config == T.DimuonOptimizerConfig()
    with pytest.raises(ResponseFormatError):
        optimizer_config_from_json({"version": 1}, "c")


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
