"""RecoveryPolicy / RecoveringTrainingClient against an in-process server that goes away, comes back and
loses its models (`_restart_server.RestartingTinker`); time is fake (retries and waits are instant).

Each decision of the policy: server away then back, model lost (a failed future naming the model, or a
404), the bounded wait exceeded (typed error), the journal replaying exactly the steps after the last
checkpoint (no step applied twice), errors that are not recoverable passed on untouched, and the journal
bound."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from _fault_server import FakeTiming, Fault
from _restart_server import RestartingTinker

import tinker_ext as tinker
from tinker_ext._training.recovery_policy import RecoveryPolicy

ADAM = tinker.AdamParams(learning_rate=1e-3)


def datum(tag: int) -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints([tag, 7]), loss_fn_inputs={"target_tokens": [7, 8]}
    )


@pytest.fixture
def server() -> RestartingTinker:
    return RestartingTinker()


@pytest.fixture
def service(server: RestartingTinker) -> Iterator[tinker.ServiceClient]:
    with tinker.ServiceClient(
        api_key="k", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    ) as client:
        yield client


def step(training: tinker.TrainingClient, tag: int) -> None:
    """One pipelined training step: both calls submitted before either result is read."""
    fwd = training.forward_backward([datum(tag)], "cross_entropy")
    opt = training.optim_step(ADAM)
    fwd.result(timeout=30)
    opt.result(timeout=30)


def saved_after_one_step(service: tinker.ServiceClient, policy: RecoveryPolicy) -> tinker.TrainingClient:
    """A recovering client that trained step 1 and saved it as "s1" (the recovery base)."""
    training = service.create_lora_training_client("tiny/model", recovery=policy)
    step(training, 1)
    training.save_state("s1").result(timeout=30)
    return training


def history_of(server: RestartingTinker, training: tinker.TrainingClient) -> list[str]:
    return server.histories[training.model_id]


def expected(*tags: int) -> list[str]:
    return [entry for tag in tags for entry in (f"fb:{tag}", "opt")]


@pytest.mark.parametrize("lost_as", ["failed_future", "404"])
def test_server_away_then_back_replays_exactly_the_steps_after_the_checkpoint(
    lost_as: str, service: tinker.ServiceClient, server: RestartingTinker, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="tinker_ext.recovery")
    server.lost_as = lost_as
    policy = RecoveryPolicy(max_wait_s=120.0, probe_interval_s=1.0)
    training = service.create_lora_training_client("tiny/model", seed=3, recovery=policy)
    first_model = training.model_id
    step(training, 1)
    saved = training.save_state("s1").result(timeout=30).path
    step(training, 2)
    server.go_down(back_after_probes=3)
    server.try_again_default = 2  # results take a few polls: calls sent at once would overlap
    step(training, 3)  # fails while the server is away; recovered; the loop goes on
    step(training, 4)
    assert training.model_id != first_model
    # the new model: the checkpoint's steps, step 2 replayed, steps 3 and 4 sent once each
    assert history_of(server, training) == expected(1, 2, 3, 4)
    assert server.sent(1) == 1  # before the checkpoint: never sent again
    assert server.sent(2) == 2  # after it: once on the old model, once replayed
    (load,) = [r.body for r in server.applied if r.path == "/api/v1/load_weights"]
    assert (load["model_id"], load["path"], load["optimizer"]) == (training.model_id, saved, True)
    counters = policy.counters.to_dict()
    assert counters["recoveries_started"] == counters["recoveries_succeeded"] == 1
    assert counters["models_recreated"] == 1
    assert counters["calls_replayed"] == 2  # step 2's forward_backward and optim_step
    # step 3's calls: in flight when the server went away (its optim_step may also be made only after the
    # instant fake-time recovery, and then goes straight to the new model)
    assert counters["calls_resent"] in (1, 2)
    assert counters["server_waits"] == 1 and counters["server_wait_seconds"] > 0
    assert counters["by_reason"] == {"server_unreachable": 1}
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"recovering from {saved}" in m for m in messages)
    assert any("The server answers again" in m for m in messages)
    # the replay sends one call at a time (each read before the next is sent): load, step 2's two calls
    replay = [(op, queued) for model, op, queued in server.queued_at_submit if model == training.model_id][:3]
    assert replay == [("load_weights", 0), ("forward_backward", 0), ("optim_step", 0)]
    # the new model's seq_ids continue its own order: 1 = load, then the replayed and new calls
    new_calls = [
        r.body["seq_id"] for r in server.applied if r.body and r.body.get("model_id") == training.model_id
    ]
    assert new_calls == list(range(1, len(new_calls) + 1))


@pytest.mark.parametrize("lost_as", ["failed_future", "404"])
def test_model_lost_while_the_server_answers(
    lost_as: str, service: tinker.ServiceClient, server: RestartingTinker
) -> None:
    server.lost_as = lost_as
    policy = RecoveryPolicy()
    training = saved_after_one_step(service, policy)
    server.restart()  # a restart between two calls: the model is gone, the server answers
    step(training, 2)
    forward = training.forward([datum(5)]).result(timeout=30)
    assert history_of(server, training) == expected(1, 2)
    assert forward.loss_fn_outputs[0]["logprobs"].tolist() == [-4.0, -4.0]  # the state after 2 steps
    assert policy.counters.by_reason == {"model_lost": 1}
    assert policy.counters.calls_replayed == 0


def test_calls_made_during_a_recovery_follow_the_replay_in_call_order(
    service: tinker.ServiceClient, server: RestartingTinker
) -> None:
    policy = RecoveryPolicy()
    training = saved_after_one_step(service, policy)
    step(training, 2)
    server.hold_probes.set()
    server.go_down(back_after_probes=1)
    pending = [training.forward_backward([datum(3)], "cross_entropy"), training.optim_step(ADAM)]
    deadline = time.monotonic() + 10
    while server.probes_started == 0:  # the recovery is waiting for the server
        assert time.monotonic() < deadline
        time.sleep(0.005)
    pending += [training.forward_backward([datum(4)], "cross_entropy"), training.optim_step(ADAM)]
    server.hold_probes.clear()
    for future in pending:
        future.result(timeout=30)
    assert history_of(server, training) == expected(1, 2, 3, 4)
    assert policy.counters.calls_replayed == 2 and policy.counters.calls_resent == 4
    seq_ids = [
        r.body["seq_id"] for r in server.applied if r.body and r.body.get("model_id") == training.model_id
    ]
    assert seq_ids == list(range(1, 8))  # load, step 2 replayed, steps 3 and 4: one contiguous order


def test_before_any_checkpoint_the_model_is_recreated_with_its_creation_settings(
    service: tinker.ServiceClient, server: RestartingTinker
) -> None:
    policy = RecoveryPolicy()
    training = service.create_lora_training_client("tiny/model", rank=8, seed=11, recovery=policy)
    step(training, 1)
    server.restart()
    step(training, 2)
    assert history_of(server, training) == expected(1, 2)
    creates = [r.body["lora_config"] for r in server.applied if r.path == "/api/v1/create_model"]
    assert len(creates) == 2 and creates[0] == creates[1] and creates[0]["seed"] == 11
    assert not [r for r in server.applied if r.path == "/api/v1/load_weights"]


def test_bounded_wait_exceeded_is_a_typed_error(
    service: tinker.ServiceClient, server: RestartingTinker
) -> None:
    policy = RecoveryPolicy(max_wait_s=30.0, probe_interval_s=5.0)
    training = saved_after_one_step(service, policy)
    server.go_down(back_after_probes=None)
    fwd = training.forward_backward([datum(2)], "cross_entropy")
    opt = training.optim_step(ADAM)
    with pytest.raises(tinker.RecoveryFailedError) as caught:
        fwd.result(timeout=30)
    assert caught.value.reason == "server_unavailable"
    assert "30 s" in str(caught.value)
    with pytest.raises(tinker.RecoveryFailedError):
        opt.result(timeout=30)
    assert 6 <= server.probes <= 8  # one probe every 5 s of (fake) time, for 30 s
    assert policy.counters.recoveries_failed == 1
    assert policy.counters.server_wait_seconds >= 30.0
    with pytest.raises(tinker.RecoveryFailedError):  # the run is over: later calls say so at once
        training.forward_backward([datum(3)], "cross_entropy")


def test_user_errors_are_not_recovered(service: tinker.ServiceClient, server: RestartingTinker) -> None:
    policy = RecoveryPolicy()
    training = service.create_lora_training_client("tiny/model", recovery=policy)
    step(training, 1)
    server.inject("/api/v1/forward_backward", Fault(status=400, body={"detail": "loss_fn_inputs are wrong"}))
    with pytest.raises(tinker.BadRequestError):
        training.forward_backward([datum(2)], "cross_entropy").result(timeout=30)
    # a failed future for a user error that does not name the model
    server.result_for["/api/v1/optim_step"] = lambda rec: {
        "error": "learning rate too high",
        "category": "user",
    }
    del server.handlers["/api/v1/optim_step"]
    with pytest.raises(tinker.RequestFailedError):
        training.optim_step(ADAM).result(timeout=30)
    assert policy.counters.not_recovered == 2
    assert policy.counters.recoveries_started == 0
    assert server.paths().count("/api/v1/forward_backward") == 2  # step 1 and the refused one, never resent
    assert server.paths().count("/api/v1/create_model") == 1
    # input refused before anything is sent: raised at the call, as without the policy
    with pytest.raises(tinker.InvalidInputError):
        training.forward_backward([datum(-5)], "cross_entropy")


def test_a_call_that_may_have_been_applied_stops_recovery_until_the_next_save(
    service: tinker.ServiceClient, server: RestartingTinker
) -> None:
    policy = RecoveryPolicy()
    training = saved_after_one_step(service, policy)
    server.inject("/api/v1/optim_step", *[Fault(status=500, after_apply=True)] * 11)
    fwd = training.forward_backward([datum(2)], "cross_entropy")
    with pytest.raises(tinker.InternalServerError):
        training.optim_step(ADAM).result(timeout=30)
    fwd.result(timeout=30)
    server.restart()
    with pytest.raises(tinker.RecoveryFailedError) as caught:
        training.forward_backward([datum(3)], "cross_entropy").result(timeout=30)
    assert caught.value.reason == "journal_incomplete"


def test_a_finished_save_clears_the_journal_and_the_next_recovery_starts_there(
    service: tinker.ServiceClient, server: RestartingTinker
) -> None:
    policy = RecoveryPolicy(max_journal_entries=4)
    training = service.create_lora_training_client("tiny/model", recovery=policy)
    step(training, 1)
    step(training, 2)
    step(training, 5)  # 6 calls since creation: over the bound, recovery off until a save
    assert policy.counters.journal_overflows == 1
    path = training.save_state("s2").result(timeout=30).path
    assert training.checkpoint == path  # type: ignore[attr-defined]
    step(training, 3)
    server.restart()
    step(training, 4)
    assert history_of(server, training) == expected(1, 2, 5, 3, 4)
    assert server.sent(1) == server.sent(2) == server.sent(5) == 1
    assert server.sent(3) == 2


def test_recovery_argument_is_checked_before_anything_is_sent(server: RestartingTinker) -> None:
    with (
        tinker.ServiceClient(
            api_key="k", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
        ) as service,
        pytest.raises(tinker.InvalidInputError),
    ):
        service.create_lora_training_client("tiny/model", recovery="yes")  # type: ignore[arg-type]
    assert "/api/v1/create_model" not in server.paths()
    for bad in (
        {"max_wait_s": 0},
        {"max_attempts": 1.5},
        {"max_journal_entries": True},
        {"model_lost_markers": ("",)},
    ):
        with pytest.raises(tinker.InvalidInputError):
            RecoveryPolicy(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "kind", "reason"),
    [
        (tinker.APIConnectionError(), "forward_backward", "server_unreachable"),
        (tinker.APITimeoutError(), "optim_step", "server_unreachable"),
        (
            tinker.RequestFailedError("Model m-1 not loaded", "9", tinker.RequestErrorCategory.USER),
            "optim_step",
            "model_lost",
        ),
        (tinker.RequestFailedError("bad targets", "9", tinker.RequestErrorCategory.USER), "optim_step", None),
        (
            tinker.RequestFailedError("Model m-2 not loaded", "9", tinker.RequestErrorCategory.USER),
            "optim_step",
            None,
        ),
        (tinker.FutureTimeoutError("late"), "forward", None),
        (tinker.InvalidInputError("bad"), "forward", None),
    ],
)
def test_classification(error: BaseException, kind: str, reason: str | None) -> None:
    assert RecoveryPolicy().classify(error, "m-1", kind) == reason
