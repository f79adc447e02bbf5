"""Recovery end to end: the server is SIGKILLed mid-run and started again on the same database and
checkpoint directory (same port); the training loop, under a RecoveryPolicy, finishes by itself, and its
final logprobs equal those of an uninterrupted run that saved at the same steps.

This module starts its OWN server per kind (the shared session servers of the other tests are never
killed). Both runs start from one common checkpoint ("init"), so the comparison does not depend on how a
server seeds a new LoRA model. Loop: 6 steps of forward_backward + optim_step (pipelined: both submitted
before either result is read), save_state after steps 2, 4 and 6; the kill comes after step 3, so the
recovery recreates the model from "step2" (weights + Adam state), replays step 3 and resends step 4.

Measured (2026-12-06, both kinds): the restarted server reloads the previous process's checkpoint, and
the recovered run's logprobs are bit-identical to the uninterrupted run's (max |diff| = 0.0): the servers
are deterministic on CPU for the same inputs, so equality is asserted exactly.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

import tinker_ext as tinker
from tests.integration.conftest import REPO_ROOT, selected_local_kinds

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(bool(os.environ.get("TINKER_BASE_URL")), reason="kills and restarts a local server"),
]

STEPS = 6
SAVE_EVERY = 2
KILL_AFTER_STEP = 3
ADAM = tinker.AdamParams(learning_rate=1e-2)


def _datum(seed: int, length: int = 15) -> tinker.Datum:
    tokens = np.random.default_rng(seed).integers(1, 1000, size=length + 1).tolist()
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={"target_tokens": tokens[1:], "weights": [1.0] * length},
    )


DATA = [[_datum(10 + step)] for step in range(STEPS)]
PROBE = [_datum(99)]


class RestartableServer:
    """One local server whose database and checkpoints outlive its process (kept workdir, fixed port)."""

    def __init__(self, kind: str, workdir: Path) -> None:
        import sys

        if str(REPO_ROOT) not in sys.path:
            sys.path.insert(0, str(REPO_ROOT))
        from localserver.server import LocalServer

        self._cls = LocalServer
        self.kind = kind
        self.workdir = workdir
        self.server = LocalServer(kind=kind, workdir=workdir, startup_timeout=240.0).start()
        self.port = self.server.port
        self.restart_error: BaseException | None = None
        self._restart: threading.Thread | None = None
        self._restarted = threading.Event()
        self._release = threading.Event()

    def crash_and_restart(self) -> None:
        """SIGKILL the server now; start it again on the same workdir and port in the background."""
        self.server.kill()

        def restart() -> None:
            # LocalServer's parent-death signal fires when the THREAD that started the server ends: this
            # thread stays alive until the test is over.
            try:
                self.server = self._cls(
                    kind=self.kind, workdir=self.workdir, port=self.port, startup_timeout=240.0
                ).start()
            except BaseException as exc:  # reported by the test
                self.restart_error = exc
            self._restarted.set()
            self._release.wait()
            self.server.stop()

        self._restart = threading.Thread(target=restart, name="server-restart", daemon=True)
        self._restart.start()

    def join_restart(self) -> None:
        if self._restart is not None:
            self._restarted.wait(timeout=300)
        if self.restart_error is not None:
            raise self.restart_error

    def stop(self) -> None:
        if self._restart is None:
            self.server.stop()
            return
        self._release.set()
        self._restart.join(timeout=60)


@pytest.fixture(params=selected_local_kinds())
def own_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RestartableServer]:
    workdir = Path(tempfile.mkdtemp(prefix="tinker-recovery-", dir=tmp_path))
    server = RestartableServer(request.param, workdir)
    try:
        yield server
    finally:
        server.stop()


def run_loop(
    service: tinker.ServiceClient,
    init_path: str,
    policy: tinker.RecoveryPolicy,
    after_step: Callable[[int], None] = lambda step: None,
) -> tuple[np.ndarray, list[str]]:
    training = service.create_training_client_from_state_with_optimizer(init_path, recovery=policy)
    saved = []
    for step in range(1, STEPS + 1):
        fwd = training.forward_backward(DATA[step - 1], "cross_entropy")
        opt = training.optim_step(ADAM)
        fwd.result()
        opt.result()
        if step % SAVE_EVERY == 0:
            saved.append(training.save_state(f"step{step}").result().path)
        after_step(step)
    output = training.forward(PROBE, "cross_entropy").result()
    return output.loss_fn_outputs[0]["logprobs"].to_numpy(), saved


@pytest.mark.timeout(900)
@pytest.mark.parametrize("retries", ["default", "impatient"])
def test_loop_survives_a_server_crash_and_matches_an_uninterrupted_run(
    own_server: RestartableServer, retries: str, caplog: pytest.LogCaptureFixture
) -> None:
    """default: the HTTP retries outlast the restart, so the next call reaches the new process and fails
    with "Model ... not loaded" (model_lost). impatient (one HTTP retry): the call fails while the server
    is away (server_unreachable) and the recovery waits for the server to answer again."""
    caplog.set_level(logging.INFO, logger="tinker_ext.recovery")
    base_url, api_key = own_server.server.base_url, own_server.server.api_key
    with tinker.ServiceClient(base_url=base_url, api_key=api_key) as service:
        first = service.create_lora_training_client(own_server.server.base_model, rank=4, seed=0)
        init_path = first.save_state("init").result().path
        reference, reference_saves = run_loop(service, init_path, tinker.RecoveryPolicy())
        # a finished request whose id we keep, to re-attach to it after the crash from a new client
        kept = first.forward(PROBE, "cross_entropy")
        kept_logprobs = kept.result().loss_fn_outputs[0]["logprobs"].to_numpy()
        assert len(kept.request_ids) == 1

    policy = tinker.RecoveryPolicy(max_wait_s=300.0, probe_interval_s=0.5)

    def crash(step: int) -> None:
        if step == KILL_AFTER_STEP:
            own_server.crash_and_restart()

    retry_policy = tinker.RetryPolicy(max_retries=1) if retries == "impatient" else None
    with tinker.ServiceClient(base_url=base_url, api_key=api_key, retry_policy=retry_policy) as service:
        recovered, recovered_saves = run_loop(service, init_path, policy, crash)
    own_server.join_restart()

    # the loop finished by itself, with the same final model as the uninterrupted run
    diff = float(np.max(np.abs(recovered - reference)))
    print(f"{own_server.kind}: max |logprob diff| recovered vs uninterrupted = {diff}")
    np.testing.assert_array_equal(recovered, reference)
    counters = policy.counters.to_dict()
    print(f"{own_server.kind}: recovery counters {counters}")
    assert counters["recoveries_started"] == counters["recoveries_succeeded"] == 1
    assert counters["recoveries_failed"] == 0
    assert counters["models_recreated"] == 1
    # step 3 (forward_backward + optim_step) finished before the crash: replayed once on the new model;
    # step 4's two calls were in flight: resent. Nothing before the "step2" checkpoint is sent again.
    assert counters["calls_replayed"] == 2
    assert counters["calls_resent"] == 2
    assert counters["checkpoints_committed"] == STEPS // SAVE_EVERY
    if retries == "impatient":
        assert counters["by_reason"] == {"server_unreachable": 1}
        assert counters["server_wait_seconds"] > 0
    else:
        assert sum(counters["by_reason"].values()) == 1
    # the checkpoints after the crash belong to the recreated model (a new training run)
    assert recovered_saves[0].split("/")[2] != recovered_saves[1].split("/")[2]
    assert [p.rsplit("/", 1)[1] for p in recovered_saves] == [p.rsplit("/", 1)[1] for p in reference_saves]
    messages = [r.getMessage() for r in caplog.records if r.name == "tinker_ext.recovery"]
    assert any("recovering from tinker://" in m and "/weights/step2" in m for m in messages), messages
    assert any("recovered: 2 call(s) replayed" in m for m in messages), messages

    # a future of the previous server process, re-attached by id from a new client
    with tinker.ServiceClient(base_url=base_url, api_key=api_key) as service:
        again = service.retrieve_future(kept.request_ids[0], tinker.ForwardBackwardOutput).result()
    np.testing.assert_array_equal(again.loss_fn_outputs[0]["logprobs"].to_numpy(), kept_logprobs)


@pytest.mark.timeout(600)
def test_a_server_that_stays_away_ends_the_run_with_a_typed_error(own_server: RestartableServer) -> None:
    """Killed and not restarted: the recovery waits `max_wait_s`, then every waiting call and every later
    call raises RecoveryFailedError(reason="server_unavailable")."""
    policy = tinker.RecoveryPolicy(max_wait_s=3.0, probe_interval_s=0.5)
    server = own_server.server
    with tinker.ServiceClient(
        base_url=server.base_url, api_key=server.api_key, retry_policy=tinker.RetryPolicy(max_retries=1)
    ) as service:
        training = service.create_lora_training_client(server.base_model, rank=4, recovery=policy)
        training.forward_backward(DATA[0], "cross_entropy").result()
        training.optim_step(ADAM).result()
        training.save_state("step1").result()
        server.kill()
        fwd = training.forward_backward(DATA[1], "cross_entropy")
        opt = training.optim_step(ADAM)
        for future in (fwd, opt):
            with pytest.raises(tinker.RecoveryFailedError) as caught:
                future.result(timeout=120)
            assert caught.value.reason == "server_unavailable"
        with pytest.raises(tinker.RecoveryFailedError):
            training.forward_backward(DATA[2], "cross_entropy")
    counters = policy.counters.to_dict()
    assert counters["recoveries_failed"] == 1 and counters["models_recreated"] == 0
    assert counters["server_wait_seconds"] >= 3.0
