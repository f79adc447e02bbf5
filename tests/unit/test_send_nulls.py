"""Requests whose nulls must be sent (`x-tinker-ext-send-nulls`): the typed bodies send exactly the bytes the
hand-built dicts sent before they had a type (`finish` with `detail: null`, the TTL `null` = no expiry)."""

from __future__ import annotations

import json

import pytest
from tinker_ext_raw import endpoints
from tinker_ext_raw.public import (
    FinishSessionRequest,
    SessionFinishReason,
    SessionFinishReasonType,
    SetCheckpointTtlRequest,
)

from tinker_ext._wire.calls import request_for


@pytest.mark.parametrize("ttl", [None, 7200])
def test_checkpoint_ttl_body_sends_its_null(ttl: int | None) -> None:
    typed = request_for(endpoints.SET_CHECKPOINT_TTL, SetCheckpointTtlRequest(ttl_seconds=ttl), "r", "k", "n")
    as_dict = request_for(endpoints.SET_CHECKPOINT_TTL, {"ttl_seconds": ttl}, "r", "k", "n")  # type: ignore[arg-type]
    assert typed.request.content == as_dict.request.content
    assert json.loads(typed.request.content or b"") == {"ttl_seconds": ttl}


@pytest.mark.parametrize("detail", [None, "disk full"])
def test_finish_body_sends_detail_null(detail: str | None) -> None:
    reason = SessionFinishReason(type=SessionFinishReasonType("errored"))
    typed = request_for(endpoints.FINISH_SESSION, FinishSessionRequest(reason=reason, detail=detail), "s")
    old = {"reason": {"type": "errored"}, "detail": detail}
    as_dict = request_for(endpoints.FINISH_SESSION, old, "s")  # type: ignore[arg-type]
    assert typed.request.content == as_dict.request.content
    assert json.loads(typed.request.content or b"") == old


def test_only_marked_types_send_nulls() -> None:
    """Every other request type still omits a None field (the official SDK's dump)."""
    from tinker_ext_raw.public import CreateSamplingSessionRequest

    body = CreateSamplingSessionRequest(session_id="s", sampling_session_seq_id=0, base_model="b")
    assert "model_path" not in body.to_json()
    assert FinishSessionRequest(
        reason=SessionFinishReason(type=SessionFinishReasonType.SUCCESS)
    ).to_json() == {
        "reason": {"type": "success"},
        "detail": None,
    }


@pytest.mark.parametrize("bad", ["3600", 3600.5, True])
def test_checkpoint_ttl_bad_input_is_refused_before_sending(bad: object) -> None:
    """The typed body refuses what the hand-built dict used to send (and the server then refused)."""
    from tinker_ext._core.exceptions import InvalidInputError

    with pytest.raises(InvalidInputError, match="ttl_seconds must be an int"):
        SetCheckpointTtlRequest(ttl_seconds=bad)  # type: ignore[arg-type]
