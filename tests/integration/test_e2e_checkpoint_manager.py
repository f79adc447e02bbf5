"""The checkpoint manager against the real local servers: a download that survives a connection cut
mid-body (a loopback TCP proxy in front of the server), a PEFT export loaded by `peft` whose logprobs
match the server's sampler, and an optimizer-state restore whose next step equals the uninterrupted run's.

Measured numbers are printed (`-s`): archive size, resume time, logprob differences."""

from __future__ import annotations

import contextlib
import math
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import tinker_ext as tinker
from tinker_ext import checkpoints
from tinker_ext.types.checkpoint_path import ParsedCheckpointTinkerPath

pytestmark = pytest.mark.integration

TOKENS = [5, 17, 42, 99, 7, 300, 12, 64, 8, 250, 33, 1000]
# max |Δ logprob| between the server's sampler and the PEFT model on the same weights (float32 on both
# sides, different kernels: JAX on the server, torch here); the measured value is printed.
LOGPROB_TOLERANCE = 1e-4


def resolved(value: Any) -> Any:
    result = getattr(value, "result", None)
    return result() if callable(result) else value


def datum(tokens: list[int]) -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={"target_tokens": tokens[1:], "weights": [1.0] * (len(tokens) - 1)},
    )


DATA = [datum(TOKENS), datum([9, 8, 7, 6, 5, 4, 3, 2])]
ADAM = tinker.AdamParams(learning_rate=5e-2)


class CuttingProxy:
    """A loopback TCP proxy that, once, closes a connection after `cut_after` bytes went to the client."""

    def __init__(self, upstream: tuple[str, int], cut_after: int) -> None:
        self.upstream = upstream
        self.cut_after = cut_after
        self.cuts = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, to_client: bool) -> None:
        sent = 0
        try:
            while data := source.recv(4096):
                if to_client and self.cuts == 0 and sent + len(data) > self.cut_after:
                    sink.sendall(data[: self.cut_after - sent])
                    self.cuts += 1
                    raise ConnectionResetError("cut by the proxy")
                sink.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def close(self) -> None:
        self._closed = True
        self.listener.close()


@pytest.fixture(scope="module")
def trained(tinker_server):
    service = tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    rest = tinker.RestClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    training = resolved(
        service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=3)
    )
    for _ in range(3):
        resolved(training.forward_backward(DATA, "cross_entropy"))
        resolved(training.optim_step(ADAM))
    sampler_path = resolved(training.save_weights_for_sampler("mgr_sampler")).path
    yield service, rest, training, sampler_path
    rest.close()
    service.close()


def test_download_resumes_after_a_forced_reset(trained, tinker_server, tmp_path):
    _, rest, _, sampler_path = trained
    outcomes: list[checkpoints.ArchiveDownload] = []
    direct = checkpoints.download_checkpoint(
        rest, sampler_path, tmp_path / "direct", on_complete=outcomes.append
    )
    size = outcomes[0].size
    host, port = tinker_server.base_url.split("//", 1)[1].rstrip("/").split(":")
    proxy = CuttingProxy((host, int(port)), cut_after=size // 2)
    try:
        started = time.monotonic()
        cut = checkpoints.download_checkpoint(
            f"http://127.0.0.1:{proxy.port}",
            sampler_path,
            tmp_path / "cut",
            api_key=tinker_server.api_key,
            retry_delay=0.1,
            on_complete=outcomes.append,
        )
        elapsed = time.monotonic() - started
    finally:
        proxy.close()
    outcome = outcomes[1]
    assert proxy.cuts == 1
    assert outcome.size == size and len(outcome.resumed_from) == 1 and 0 < outcome.resumed_from[0] < size
    files = sorted(p.relative_to(direct) for p in direct.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(cut) for p in cut.rglob("*") if p.is_file())
    for name in files:
        assert (cut / name).read_bytes() == (direct / name).read_bytes()
    assert sorted(p.name for p in (tmp_path / "cut").iterdir()) == [cut.name]  # .part removed
    print(
        f"\n[{tinker_server.kind}] archive {size} B, cut after {proxy.cut_after} B, resumed from "
        f"{outcome.resumed_from[0]} B, restarts (server ignored Range) {outcome.restarts}, verified "
        f"{outcome.verified or 'size only'}, {elapsed:.3f} s"
    )


def _peft_logprobs(model: Any, tokens: list[int]) -> list[float]:
    import torch

    with torch.no_grad():
        logits = model(input_ids=torch.tensor([tokens])).logits[0].double()
    logprobs = torch.log_softmax(logits, dim=-1)
    return [float(logprobs[i - 1, tokens[i]]) for i in range(1, len(tokens))]


def test_peft_export_loads_in_peft_and_matches_the_sampler(trained, tinker_server, tmp_path):
    pytest.importorskip("peft")
    import peft
    import transformers

    _, rest, _, sampler_path = trained
    model_dir = Path(tinker_server.tokenizer_file).parent
    export = checkpoints.export_peft(
        rest, sampler_path, tmp_path / "adapter", base_model_name_or_path=str(model_dir)
    )
    assert export.rank == 4 and export.lora_alpha == 32.0
    assert {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"} <= set(
        export.target_modules
    )
    sampler = resolved(trained[0].create_sampling_client(model_path=sampler_path))
    served = resolved(sampler.compute_logprobs(tinker.ModelInput.from_ints(TOKENS)))[1:]
    model = checkpoints.load_peft_model(export.path, model_dir)
    exported = _peft_logprobs(model, TOKENS)
    diff = max(abs(a - b) for a, b in zip(served, exported, strict=True))
    base = transformers.AutoModelForCausalLM.from_pretrained(str(model_dir), local_files_only=True)
    base_diff = max(abs(a - b) for a, b in zip(served, _peft_logprobs(base, TOKENS), strict=True))
    # the archive as the server ships it (target_modules null): peft loads only its default targets
    raw_dir = checkpoints.download_checkpoint(rest, sampler_path, tmp_path / "raw")
    raw = peft.PeftModel.from_pretrained(
        transformers.AutoModelForCausalLM.from_pretrained(str(model_dir), local_files_only=True), str(raw_dir)
    )
    raw_diff = max(abs(a - b) for a, b in zip(served, _peft_logprobs(raw, TOKENS), strict=True))
    print(
        f"\n[{tinker_server.kind}] max |Δ logprob| sampler vs PEFT export {diff:.3g}; vs the base model "
        f"{base_diff:.3g}; vs the archive loaded as shipped {raw_diff:.3g}; targets {export.target_modules}"
    )
    assert diff <= LOGPROB_TOLERANCE
    assert base_diff > 10 * LOGPROB_TOLERANCE  # the adapter changed the model, so the match means something
    assert raw_diff > 10 * LOGPROB_TOLERANCE  # and the raw archive is what loads wrong


def test_resumed_run_takes_the_uninterrupted_runs_next_step(trained, tinker_server):
    service = trained[0]
    live = resolved(service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=5))
    for _ in range(2):
        resolved(live.forward_backward(DATA, "cross_entropy"))
        resolved(live.optim_step(ADAM))
    state = resolved(live.save_state("mgr_state")).path
    assert ParsedCheckpointTinkerPath.from_tinker_path(state).checkpoint_type == "training"
    check = checkpoints.verify_resume(service, live, state, DATA, ADAM)
    print(
        f"\n[{tinker_server.kind}] optimizer restore: resumed vs live max |Δ logprob| {check.resumed_diff:.3g}; "
        f"weights-only (fresh moments) vs live {check.weights_only_diff:.3g}; losses "
        f"{check.loss_live:.6f} / {check.loss_resumed:.6f}"
    )
    assert check.restored
    assert math.isclose(check.loss_live, check.loss_resumed, rel_tol=1e-5, abs_tol=1e-5)


class WeightsOnlyResume:
    """A service whose "restore with optimizer" restores the weights only: a server dropping the moments."""

    def __init__(self, service: Any) -> None:
        self._service = service

    def create_training_client_from_state_with_optimizer(self, path: str) -> Any:
        return self._service.create_training_client_from_state(path)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)


@pytest.mark.local_server_kinds("skyrl")  # skyrl-tx restores the optimizer state on a weights-only load too
def test_a_resume_without_optimizer_state_is_detected(trained, tinker_server):
    service = trained[0]
    live = resolved(service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=6))
    for _ in range(2):
        resolved(live.forward_backward(DATA, "cross_entropy"))
        resolved(live.optim_step(ADAM))
    state = resolved(live.save_state("mgr_state_drop")).path
    with pytest.raises(checkpoints.OptimizerStateNotRestoredError, match="did not restore the optimizer"):
        checkpoints.verify_resume(WeightsOnlyResume(service), live, state, DATA, ADAM)
