"""Refused calls on the real servers: nothing sent, no turn taken, and what we refuse is what they refuse.

- Every InvalidInputError a TrainingClient method raises (tests/unit/_refusals.py) sends nothing, and
  the next call on the same client is sent at once with the next contiguous seq_id.
- Checkpoint names: the names the spec's pattern refuses are refused by the server too (raw requests),
  and accepted names (incl. the 248-character maximum) are saved.
- Token ids beyond the vocabulary are refused at the call, the tokenizer never loaded by the user
  (found locally from get_info's model name): the servers would answer NaN losses (skyrl 0.4.0) or 500s.
- skyrl 0.4.0 answers a duplicate checkpoint name with 409: NameConflictError at once, one request.
"""

from __future__ import annotations

import json

import httpx
import pytest
from _recording import RecordingTransport

import tinker_ext as tinker
from tests.unit._refusals import REFUSALS, datum

pytestmark = pytest.mark.integration

TRAINING = ("forward_backward", "forward", "optim_step", "save_weights", "save_weights_for_sampler")
# Refused by the servers as measured; a lone surrogate is left out of the raw requests: it makes both
# servers fail while writing their 422 answer (500 and a reset connection).
SERVER_REFUSED_NAMES = ["a b", "a.b", "..", "a/b", "é", "a\x00b", "a\nb", "n" * 256, "n" * 1000]
ACCEPTED_NAMES = ["ck-1_aB", "p" * 248]


def training_seq_ids(transport: RecordingTransport) -> list[int | None]:
    return [s.seq_id for s in transport.sent if s.endpoint in TRAINING]


def test_refusals_take_no_turn_and_what_we_refuse_the_server_refuses(tinker_server) -> None:  # type: ignore[no-untyped-def]
    transport = RecordingTransport()
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, _transport=transport
    ) as service:
        tc = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=0)
        steps = 0
        for case, refuse in REFUSALS.items():
            before = len(transport.sent)
            with pytest.raises(tinker.InvalidInputError):
                refuse(tc)
            assert len(transport.sent) == before, case  # nothing sent
            # Sent at once: a held turn would leave this waiting for the 2 h future_timeout.
            tc.optim_step(tinker.AdamParams(learning_rate=0.0)).result(timeout=120)
            steps += 1
        assert training_seq_ids(transport) == list(range(1, steps + 1))

        # The vocabulary of the model's tokenizer, found locally (never loaded by this test).
        beyond = datum(target_tokens=[6, 7, 8, 1024])
        with pytest.raises(tinker.InvalidInputError, match="vocabulary size 1024"):
            tc.forward([beyond])
        assert tc.forward([datum(target_tokens=[6, 7, 8, 1023])]).result(timeout=120).loss_fn_outputs

        for name in ACCEPTED_NAMES:
            assert tc.save_state(name).result(timeout=120).path.endswith("/" + name)
        assert training_seq_ids(transport) == list(range(1, steps + 4))

        for name in SERVER_REFUSED_NAMES:
            with pytest.raises(tinker.InvalidInputError, match=r"SaveWeightsRequest\.path"):
                tc.save_state(name)
        statuses = raw_save_statuses(tinker_server, tc.model_id, SERVER_REFUSED_NAMES)
        assert all(status in (400, 422) for status in statuses), statuses


def raw_save_statuses(tinker_server, model_id: str, names: list[str]) -> list[int]:  # type: ignore[no-untyped-def]
    """The server's own answer to save_weights with each name, bypassing the SDK's checks."""
    headers = {"X-API-Key": tinker_server.api_key, "content-type": "application/json"}
    with httpx.Client(base_url=tinker_server.base_url, headers=headers, timeout=60) as client:
        return [
            client.post(
                "/api/v1/save_weights",
                content=json.dumps({"model_id": model_id, "path": name, "type": "save_weights"}),
            ).status_code
            for name in names
        ]


def test_a_duplicate_checkpoint_name_is_a_name_conflict_at_once(tinker_server) -> None:  # type: ignore[no-untyped-def]
    if tinker_server.kind != "skyrl":
        pytest.skip("skyrl-tx 0.3.0 answers a duplicate name with 500 (no 409 to recognise)")
    transport = RecordingTransport()
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, _transport=transport
    ) as service:
        tc = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4)
        tc.save_weights_for_sampler("dup").result(timeout=120)
        with pytest.raises(tinker.NameConflictError, match="'dup' is already taken") as caught:
            tc.save_weights_for_sampler("dup").result(timeout=120)
        assert caught.value.name == "dup" and caught.value.status_code == 409
        assert [s.endpoint for s in transport.sent].count("save_weights_for_sampler") == 2  # not retried
        tc.optim_step(tinker.AdamParams(learning_rate=0.0)).result(timeout=120)
        assert training_seq_ids(transport) == [1, 2, 2]  # the refused save used no seq_id
