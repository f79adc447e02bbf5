"""tinker_ext.checkpoints: TTL listing/extension/pruning (module and CLI, dry run), PEFT export layout and
errors, and the optimizer-restore check's verdicts (with fake clients)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import numpy as np
import pytest
from click.testing import CliRunner

from tinker_ext import checkpoints
from tinker_ext._core.exceptions import InvalidInputError, NotFoundError
from tinker_ext.cli import cli
from tinker_ext.cli._app import Dependencies
from tinker_ext.types import Checkpoint, CheckpointsListResponse

NOW = dt.datetime.now(dt.UTC)  # the CLI measures expiry from the real clock
KEY = "tml-manager-secret"


class Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        if isinstance(self.value, BaseException):
            raise self.value
        return self.value


def ckpt(
    name: str, age_days: float, kind: str = "sampler_weights", expires_in_h: float | None = None
) -> Checkpoint:
    return Checkpoint(
        checkpoint_id=f"{kind}/{name}",
        checkpoint_type="sampler" if kind == "sampler_weights" else "training",
        time=NOW - dt.timedelta(days=age_days),
        tinker_path=f"tinker://run1/{kind}/{name}",
        expires_at=None if expires_in_h is None else NOW + dt.timedelta(hours=expires_in_h),
    )


CHECKPOINTS = [
    ckpt("step_10", 20, expires_in_h=-1),
    ckpt("step_20", 10, expires_in_h=5),
    ckpt("step_30", 3, expires_in_h=48),
    ckpt("final", 1),
    ckpt("state_30", 3, kind="weights"),
]


class FakeRest:
    def __init__(self) -> None:
        self.deleted: list[str] = []
        self.ttl: list[tuple[str, int | None]] = []

    def list_checkpoints(self, run_id: str) -> Done:
        return Done(CheckpointsListResponse(checkpoints=list(CHECKPOINTS)))

    def list_user_checkpoints(self, limit: int = 100, offset: int = 0) -> Done:
        response = httpx.Response(404, request=httpx.Request("GET", "http://tinker.test/api/v1/checkpoints"))
        return Done(NotFoundError("Error code: 404", response=response, body={"detail": "Not Found"}))

    def list_training_runs(self, limit: int = 20, offset: int = 0) -> Done:
        return Done(SimpleNamespace(training_runs=[SimpleNamespace(training_run_id="run1")]))

    def delete_checkpoint_from_tinker_path(self, path: str) -> Done:
        self.deleted.append(path)
        return Done(None)

    def set_checkpoint_ttl_from_tinker_path(self, path: str, ttl: int | None) -> Done:
        self.ttl.append((path, ttl))
        return Done(None)


def names(items: list[Any]) -> list[str]:
    return [c.checkpoint_id.split("/", 1)[1] for c in items]


def test_listing_with_expiry_soonest_first_and_within_a_window():
    rows = checkpoints.list_with_expiry(FakeRest(), "run1", now=NOW)
    assert [r.tinker_path.rsplit("/", 1)[1] for r in rows] == [
        "step_10",
        "step_20",
        "step_30",
        "final",
        "state_30",
    ]
    assert rows[0].expired and not rows[1].expired and rows[3].remaining is None
    soon = checkpoints.list_with_expiry(FakeRest(), "run1", expiring_within=dt.timedelta(hours=6), now=NOW)
    assert [r.tinker_path.rsplit("/", 1)[1] for r in soon] == ["step_10", "step_20"]
    # without a run id: a server without GET /checkpoints is asked run by run
    assert len(checkpoints.all_checkpoints(FakeRest())) == len(CHECKPOINTS)


def test_extend_ttl_validates_before_sending():
    rest = FakeRest()
    with pytest.raises(InvalidInputError, match="between"):
        checkpoints.extend_ttl(rest, ["tinker://run1/sampler_weights/final"], 60)
    assert rest.ttl == []
    assert checkpoints.extend_ttl(rest, ["tinker://run1/sampler_weights/final"], 7200) == {
        "tinker://run1/sampler_weights/final": None
    }
    assert rest.ttl == [("tinker://run1/sampler_weights/final", 7200)]


def test_prune_plan_by_age_pattern_kind_and_keep_latest():
    plan = checkpoints.plan_prune(CHECKPOINTS, older_than=dt.timedelta(days=2), now=NOW)
    assert names(plan.delete) == ["step_30", "state_30", "step_20", "step_10"]
    plan = checkpoints.plan_prune(CHECKPOINTS, pattern="sampler_weights/step_*", keep_latest=1, now=NOW)
    assert names(plan.delete) == ["step_20", "step_10"] and names(plan.kept) == ["step_30"]
    plan = checkpoints.plan_prune(CHECKPOINTS, older_than=dt.timedelta(days=2), kind="weights", now=NOW)
    assert names(plan.delete) == ["state_30"]
    with pytest.raises(InvalidInputError, match="older_than or pattern"):
        checkpoints.plan_prune(CHECKPOINTS)


def test_prune_dry_run_deletes_nothing_and_a_real_run_deletes_the_plan():
    rest = FakeRest()
    plan = checkpoints.plan_prune(CHECKPOINTS, pattern="*step_1*", now=NOW)
    assert checkpoints.prune(rest, plan).dry_run and rest.deleted == []
    result = checkpoints.prune(rest, plan, dry_run=False)
    assert result.deleted == rest.deleted == ["tinker://run1/sampler_weights/step_10"]


def invoke(rest: FakeRest, *args: str) -> Any:
    return CliRunner().invoke(
        cli, ["--api-key", KEY, *args], obj=Dependencies(rest_client=lambda url, key: rest)
    )


def test_cli_prune_is_a_dry_run_without_yes():
    rest = FakeRest()
    result = invoke(rest, "checkpoint", "prune", "--run-id", "run1", "--match", "sampler_weights/step_*")
    assert result.exit_code == 0, result.output
    assert "Dry run: would delete 3 checkpoint(s)" in result.output
    assert "tinker://run1/sampler_weights/step_10" in result.output and rest.deleted == []
    result = invoke(
        rest, "-f", "json", "checkpoint", "prune", "--run-id", "run1", "--match", "*step_2*", "--yes"
    )
    assert json.loads(result.output) == {
        "dry_run": False,
        "deleted": ["tinker://run1/sampler_weights/step_20"],
        "kept": [],
        "failed": {},
    }
    assert rest.deleted == ["tinker://run1/sampler_weights/step_20"]
    refused = invoke(rest, "checkpoint", "prune", "--run-id", "run1")
    assert refused.exit_code == 1 and "--older-than" in refused.output


def test_cli_expiry_and_extend_ttl():
    rest = FakeRest()
    listed = invoke(rest, "-f", "json", "checkpoint", "expiry", "--run-id", "run1")
    rows = json.loads(listed.output)["checkpoints"]
    assert [r["expired"] for r in rows][:2] == [True, False] and rows[-1]["expires_at"] is None
    result = invoke(
        rest, "checkpoint", "extend-ttl", "--run-id", "run1", "--within", "1000000h", "--ttl", "30d"
    )
    assert result.exit_code == 0, result.output
    assert {ttl for _, ttl in rest.ttl} == {30 * 86400} and len(rest.ttl) == 3  # the 3 that expire
    bad = invoke(rest, "checkpoint", "extend-ttl", "tinker://run1/sampler_weights/final", "--ttl", "10m")
    assert bad.exit_code == 2 and len(rest.ttl) == 3


# ------------------------------------------------------------------------------------------ PEFT export


def server_layout(
    path: Path, rank: int = 4, *, config: dict[str, Any] | None = None, **extra: np.ndarray
) -> Path:
    """An extracted archive as skyrl-tx / skyrl write it: target_modules null, A [r, in], B [out, r]."""
    from safetensors.numpy import save_file

    rng = np.random.default_rng(0)
    tensors = {}
    for layer in range(2):
        for module, (inp, out) in {"self_attn.q_proj": (16, 16), "mlp.down_proj": (32, 16)}.items():
            prefix = f"base_model.model.model.layers.{layer}.{module}"
            tensors[f"{prefix}.lora_A.weight"] = rng.standard_normal((rank, inp), dtype=np.float32)
            tensors[f"{prefix}.lora_B.weight"] = rng.standard_normal((out, rank), dtype=np.float32)
    tensors.update(extra)
    path.mkdir(parents=True)
    save_file(tensors, str(path / "adapter_model.safetensors"))
    default = {
        "r": rank,
        "lora_alpha": 32,
        "target_modules": None,
        "base_model_name_or_path": "tiny/qwen3-2l",
    }
    (path / "adapter_config.json").write_text(json.dumps(config or default))
    return path


def test_export_fills_target_modules_and_rank(tmp_path):
    pytest.importorskip("safetensors")
    from safetensors.numpy import load_file

    source = server_layout(tmp_path / "src")
    export = checkpoints.export_peft_adapter(source, tmp_path / "out", rank=4, base_model_name_or_path="/m")
    config = json.loads((tmp_path / "out" / "adapter_config.json").read_text())
    assert config["target_modules"] == ["down_proj", "q_proj"] == list(export.target_modules)
    assert (config["r"], config["lora_alpha"], config["base_model_name_or_path"]) == (4, 32.0, "/m")
    assert config["peft_type"] == "LORA" and config["task_type"] == "CAUSAL_LM"
    written = load_file(str(tmp_path / "out" / "adapter_model.safetensors"))
    original = load_file(str(source / "adapter_model.safetensors"))
    assert written.keys() == original.keys()
    assert all(np.array_equal(written[k], original[k]) for k in written)
    with pytest.raises(InvalidInputError, match="already exists"):
        checkpoints.export_peft_adapter(source, tmp_path / "out")


def test_export_refuses_a_rank_mismatch_and_incomplete_pairs(tmp_path):
    pytest.importorskip("safetensors")
    source = server_layout(tmp_path / "src")
    with pytest.raises(checkpoints.PeftExportError, match="rank is 8"):
        checkpoints.export_peft_adapter(source, tmp_path / "out", rank=8)
    lonely = server_layout(
        tmp_path / "src2", **{"base_model.model.lm_head.lora_A.weight": np.zeros((4, 16), np.float32)}
    )
    with pytest.raises(checkpoints.PeftExportError, match="not both lora_A and lora_B"):
        checkpoints.export_peft_adapter(lonely, tmp_path / "out2")
    with pytest.raises(checkpoints.PeftExportError, match=r"holds no adapter_model\.safetensors"):
        checkpoints.export_peft_adapter(tmp_path, tmp_path / "out3")
    assert not (tmp_path / "out").exists() and not (tmp_path / "out2").exists()


def test_embedding_adapter_is_converted_to_peft_layout_and_loads(tmp_path):
    """The servers store an embedding LoRA as the lookup uses it (A [vocab, r], B [r, hidden]); PEFT
    wants lora_embedding_A [r, vocab] / B [hidden, r]. Checked by loading in peft on a tiny Qwen3."""
    pytest.importorskip("peft")
    import torch
    import transformers

    config = transformers.Qwen3Config(
        vocab_size=64, hidden_size=16, intermediate_size=32, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=1, head_dim=8, tie_word_embeddings=False,
    )  # fmt: skip
    torch.manual_seed(0)
    transformers.Qwen3ForCausalLM(config).save_pretrained(tmp_path / "model")
    rng = np.random.default_rng(1)
    a = rng.standard_normal((64, 4), dtype=np.float32)
    b = rng.standard_normal((4, 16), dtype=np.float32)
    source = server_layout(
        tmp_path / "src",
        **{
            "base_model.model.model.embed_tokens.lora_A.weight": a,
            "base_model.model.model.embed_tokens.lora_B.weight": b,
        },
    )
    export = checkpoints.export_peft_adapter(
        source, tmp_path / "adapter", base_model_name_or_path=str(tmp_path / "model")
    )
    assert "embed_tokens" in export.target_modules
    model = checkpoints.load_peft_model(export.path, tmp_path / "model")
    ids = torch.tensor([[1, 5, 63]])
    with torch.no_grad():
        got = model.get_input_embeddings()(ids)[0].numpy()
    base = transformers.Qwen3ForCausalLM.from_pretrained(tmp_path / "model").get_input_embeddings().weight
    expected = base.detach().numpy()[[1, 5, 63]] + (32 / 4) * (a[[1, 5, 63]] @ b)
    assert np.allclose(got, expected, atol=1e-5)


# ------------------------------------------------------------------------------------------ optimizer restore


class FakeTrainer:
    """One scalar weight with momentum: a step from restored moments differs from one from fresh ones."""

    def __init__(self, weight: float, momentum: float) -> None:
        self.weight, self.momentum = weight, momentum

    def forward_backward(self, data: list[Any], loss_fn: str) -> Done:
        return Done(self._output())

    def optim_step(self, params: Any) -> Done:
        self.momentum = 0.9 * self.momentum + (self.weight - 1.0)
        self.weight -= 0.1 * self.momentum
        return Done(None)

    def forward(self, data: list[Any], loss_fn: str) -> Done:
        return Done(self._output())

    def _output(self) -> Any:
        logprobs = SimpleNamespace(data=[-abs(self.weight - 1.0)])
        return SimpleNamespace(
            loss_fn_outputs=[{"logprobs": logprobs}], metrics={"loss:sum": abs(self.weight - 1)}
        )


class FakeService:
    def __init__(self, saved: FakeTrainer, drops_optimizer: bool) -> None:
        self.saved = (saved.weight, saved.momentum)
        self.drops_optimizer = drops_optimizer

    def create_training_client_from_state(self, path: str) -> Done:
        return Done(FakeTrainer(self.saved[0], 0.0))

    def create_training_client_from_state_with_optimizer(self, path: str) -> Done:
        return Done(FakeTrainer(self.saved[0], 0.0 if self.drops_optimizer else self.saved[1]))


STATE = "tinker://run1/weights/state"


@pytest.mark.parametrize("drops", [False, True], ids=["restored", "dropped"])
def test_verify_resume_tells_a_restored_optimizer_from_a_dropped_one(drops):
    live = FakeTrainer(3.0, 0.7)
    service = FakeService(live, drops_optimizer=drops)
    if not drops:
        check = checkpoints.verify_resume(service, live, STATE, ["datum"], None)
        assert check.restored and check.resumed_diff == 0.0 and check.weights_only_diff > 0
        return
    with pytest.raises(checkpoints.OptimizerStateNotRestoredError, match="did not restore the optimizer"):
        checkpoints.verify_resume(service, live, STATE, ["datum"], None)
    with pytest.warns(checkpoints.OptimizerStateWarning):
        check = checkpoints.verify_resume(
            service, FakeTrainer(3.0, 0.7), STATE, ["datum"], None, strict=False
        )
    assert not check.restored


def test_verify_resume_refuses_a_sampler_path():
    with pytest.raises(InvalidInputError, match="not a state checkpoint"):
        checkpoints.verify_resume(None, None, "tinker://run1/sampler_weights/s", ["d"], None)
