"""tinker_ext.contract against the real local servers (both kinds of the `tinker_server` fixture): the verdict
per client generation is what the real clients do there, for the same reason (docs/SERVERS.md, and on skyrl
0.4.0 the official tinker 0.25 SDK itself, run from the server's venv):

- skyrl-tx 0.3.0: the JSON wire works; 0.25 and 0.38 stop at `client/config` (404), and would then meet a
  500 on protobuf bodies and JSON sample results.
- skyrl 0.4.0: 0.25 works; the JSON wire is refused (415 on a JSON forward_backward, no /forward); 0.38's
  training and sampling flow is blocked only by the missing `sample_sequence_ids` in the asample promise,
  and its `create_training_client_from_state` (always create-via-load in 0.38: `load_weights` with
  `session_id` + `model_seq_id`, no `model_id`) is refused with 422 "body.model_id: Field required".

With TINKER_EXT_SDK038_PYTHON set, the official tinker 0.38.0 SDK runs the same calls and must fail exactly
where the 0.38 verdict says (measured: it does, on both servers). And `tinker-ext contract fuzz` runs
schemathesis over the read-only operations of a local server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tinker_ext.cli import cli
from tinker_ext.contract import ContractReport, Outcome, check_server

ADVANTAGES = "semantics: advantage linearity (importance_sampling)"

pytestmark = pytest.mark.timeout(300)

_PROTOBUF_FLOW = ["forward_backward", "forward", "asample (base model)", "asample (saved sampler path)"]
# What each local server kind lets each generation do: True, or the names of the steps that block it.
EXPECTED: dict[str, dict[str, Any]] = {
    "skyrl-tx": {
        "json": True,
        # the official 0.24.1 needs client/config (measured: it fails at once there)
        "0.24": ["client_config"],
        # protobuf bodies get a 500, results are JSON (and the promise has no sample_sequence_ids)
        "0.25": ["client_config", *_PROTOBUF_FLOW],
        "0.38": ["client_config", *_PROTOBUF_FLOW, "create_training_client_from_state"],
    },
    "skyrl": {
        "json": ["forward_backward", "forward"],
        "0.24": ["forward_backward", "forward"],
        "0.25": True,
        "0.38": ["asample (base model)", "asample (saved sampler path)", "create_training_client_from_state"],
    },
}
SEMANTICS_GENERATION = {"skyrl-tx": "json", "skyrl": "0.25"}
FLOW_SCRIPT = Path(__file__).resolve().parent / "official_sdk025_flow.py"
# A python with the official tinker==0.38.0 (e.g. the parity_038 nox venv); the cross-check skips without it.
SDK038_PYTHON = os.environ.get("TINKER_EXT_SDK038_PYTHON")
# The start of the official-SDK probes: `attempt(call, fn)` records {call: "ok" | error} in `out`.
_PROBE_PRELUDE = """
import json, os, sys
import tinker
from tinker import types
base_url, base_model = sys.argv[1], sys.argv[2]
out = {}
def attempt(name, fn):
    try:
        value = fn()
        out[name] = "ok"
        return value
    except BaseException as exc:
        out[name] = f"{type(exc).__name__}: {exc}"[:400]
"""
# Run by SDK038_PYTHON: the 0.38 calls behind each step the check blocks on; prints {call: "ok" | error}.
SDK038_PROBE = (
    _PROBE_PRELUDE
    + """
service = tinker.ServiceClient(base_url=base_url)
tc = attempt("create_model", lambda: service.create_lora_training_client(base_model=base_model, rank=4).result())
if tc is not None:
    datum = types.Datum(
        model_input=types.ModelInput.from_ints(list(range(1, 12))),
        loss_fn_inputs={"target_tokens": list(range(2, 13)), "weights": [1.0] * 11},
    )
    attempt("forward_backward", lambda: tc.forward_backward([datum], "cross_entropy").result())
    attempt("optim_step", lambda: tc.optim_step(types.AdamParams(learning_rate=1e-3)).result())
    path = attempt("save_weights", lambda: tc.save_state("contract-sdk038").result().path)
    if path:
        attempt("create_training_client_from_state", lambda: service.create_training_client_from_state(path).result())
sc = attempt("create_sampling_session", lambda: service.create_sampling_client(base_model=base_model).result())
if sc is not None:
    prompt, params = types.ModelInput.from_ints([1, 2, 3, 4]), types.SamplingParams(max_tokens=4)
    attempt("asample (base model)", lambda: sc.sample(prompt, 1, params).result())
print(json.dumps(out), flush=True)
os._exit(0)
"""
)

_reports: dict[tuple[str, str], ContractReport] = {}


def _report(tinker_server: Any, generation: str) -> ContractReport:
    key = (tinker_server.kind, generation)
    if key not in _reports:
        _reports[key] = check_server(
            tinker_server.base_url,
            tinker_server.api_key,
            tinker_server.base_model,
            generation_name=generation,  # type: ignore[arg-type]
            timeout=90,
            # The semantic checks are facts of the server: run once, as the generation that trains there.
            semantics=SEMANTICS_GENERATION.get(tinker_server.kind) == generation,
        )
    return _reports[key]


def _expected(tinker_server: Any, generation: str) -> Any:
    if tinker_server.kind not in EXPECTED:
        pytest.skip("expectations are for the local servers")
    return EXPECTED[tinker_server.kind][generation]


@pytest.mark.parametrize("generation", ["json", "0.24", "0.25", "0.38"])
def test_verdict_per_generation_and_its_reason(tinker_server: Any, generation: str) -> None:
    expected = _expected(tinker_server, generation)
    report = _report(tinker_server, generation)
    assert not [s.name for s in report.steps if any(v.rule == "checker" for v in s.violations)]
    assert tinker_server.api_key not in report.to_json_str()
    if expected is True:
        assert report.passed, report.verdict.blockers
        return
    assert not report.passed
    blocking = [b.split(":")[0] for b in report.verdict.blockers]
    assert blocking == expected, report.verdict.blockers


def test_skyrl_040_reasons_name_the_field_and_status(tinker_server: Any) -> None:
    if tinker_server.kind != "skyrl":
        pytest.skip("skyrl 0.4.0 facts")
    v038 = _report(tinker_server, "0.38")
    sampling, loading = v038.verdict.blockers[:2], v038.verdict.blockers[2]
    assert all("/sample_sequence_ids" in b for b in sampling)
    assert "load_weights → 422" in loading and "body.model_id: Field required" in loading
    legacy = _report(tinker_server, "json")
    assert "forward_backward → 415" in legacy.verdict.blockers[0]
    v025 = _report(tinker_server, "0.25")
    states = {s.name: s.outcome for s in v025.steps}
    # what both SDKs live with on skyrl 0.4.0: warnings, not failures
    assert states["delete_checkpoint"] is Outcome.PASS and v025.step("delete_checkpoint").http_status == 204
    assert {w.rule for w in v025.step("optim_step").warnings} == {"metrics:key"}
    assert [w.rule for w in v025.step("load_weights into a trained model").warnings] == [
        "load_weights:trained-model"
    ]
    # behaviour: sampling from the saved path and save -> load -> same logprobs really work there
    assert states["asample (saved sampler path)"] is Outcome.PASS
    assert states["save → load → same logprobs"] is Outcome.PASS
    # a replay with the same body (same seq_id) gets the first request's future back here, under another
    # key too: skyrl 0.4.0 deduplicates training requests by (model, seq_id), not by X-Idempotency-Key
    replay = v025.step("idempotency-key replay")
    assert replay.outcome is Outcome.PASS, replay
    assert replay.detail.startswith("deduplicated by model and seq_id, not by the key"), replay


def test_official_sdk_025_agrees_with_the_025_verdict(tinker_server: Any) -> None:
    if tinker_server.server_python is None or tinker_server.kind != "skyrl":
        pytest.skip("the official 0.25 SDK is installed in the skyrl 0.4.0 server venv only")
    result = subprocess.run(
        [
            str(tinker_server.server_python),
            str(FLOW_SCRIPT),
            tinker_server.base_url,
            tinker_server.base_model,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env={"TINKER_API_KEY": tinker_server.api_key, "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
    )
    official_works = result.returncode == 0
    assert official_works == _report(tinker_server, "0.25").passed, result.stderr[-2000:]


def test_official_sdk_038_fails_exactly_where_the_038_verdict_says(tinker_server: Any) -> None:
    if SDK038_PYTHON is None or not tinker_server.is_local:
        pytest.skip("set TINKER_EXT_SDK038_PYTHON to a python with tinker==0.38.0 (e.g. the parity_038 venv)")
    result = subprocess.run(
        [SDK038_PYTHON, "-c", SDK038_PROBE, tinker_server.base_url, tinker_server.base_model],
        capture_output=True,
        text=True,
        timeout=240,
        env={"TINKER_API_KEY": tinker_server.api_key, "PATH": "/usr/bin:/bin", "TINKER_TELEMETRY": "0"},
    )
    official = json.loads(result.stdout.strip().splitlines()[-1])
    report = _report(tinker_server, "0.38")
    if report.step("client_config").outcome is not Outcome.PASS:
        # the SDK cannot even build its client there: nothing it tries works
        assert not [call for call, outcome in official.items() if outcome == "ok"], official
        return
    for call, outcome in official.items():
        if call == "create_sampling_session":
            continue  # lazy in the SDK: its request goes out with the first sample
        ours = report.step(call).outcome is Outcome.PASS
        assert ours == (outcome == "ok"), (call, outcome, report.step(call))


# Run by the tests venv's python (the official tinker 0.24.1): the calls behind the 0.24 verdict's steps.
SDK024_PROBE = (
    _PROBE_PRELUDE
    + """
service = tinker.ServiceClient(base_url=base_url)
tc = attempt("create_model", lambda: service.create_lora_training_client(base_model=base_model, rank=4))
if tc is not None:
    datum = types.Datum(
        model_input=types.ModelInput.from_ints(list(range(1, 12))),
        loss_fn_inputs={"target_tokens": list(range(2, 13)), "weights": [1.0] * 11},
    )
    attempt("forward_backward", lambda: tc.forward_backward([datum], "cross_entropy").result())
print(json.dumps(out))
"""
)


def test_official_sdk_024_fails_exactly_where_the_024_verdict_says(tinker_server: Any) -> None:
    import tinker  # the tests venv holds the official 0.24.1

    if not tinker_server.is_local or not tinker.__version__.startswith("0.24"):
        pytest.skip("needs the local servers and the official tinker 0.24 SDK")
    result = subprocess.run(
        [sys.executable, "-c", SDK024_PROBE, tinker_server.base_url, tinker_server.base_model],
        capture_output=True,
        text=True,
        timeout=240,
        env={"TINKER_API_KEY": tinker_server.api_key, "PATH": "/usr/bin:/bin", "TINKER_TELEMETRY": "0"},
    )
    official = json.loads(result.stdout.strip().splitlines()[-1])
    report = _report(tinker_server, "0.24")
    assert not report.passed and set(official.values()) != {"ok"}, official
    if report.step("client_config").outcome is not Outcome.PASS:
        # it fetches client/config before its first request, and fails there: nothing works
        assert "ok" not in official.values(), official
        return
    for call, outcome in official.items():
        ours = report.step(call).outcome is Outcome.PASS
        assert ours == (outcome == "ok"), (call, outcome, report.step(call))


def test_cli_matrix_json(tinker_server: Any, tmp_path: Path) -> None:
    # The matrix of the reports above, through the CLI (one more check per generation would double the time).
    _expected(tinker_server, "json")
    runner = CliRunner()
    import tinker_ext.contract as contract_package
    from tinker_ext._session.server_facts import facts_file
    from tinker_ext.contract import ContractMatrix

    def cached(base_url: str, api_key: str | None, base_model: str, **_: Any) -> ContractMatrix:
        reports = tuple(_report(tinker_server, g) for g in ("json", "0.24", "0.25", "0.38"))
        return ContractMatrix(base_url=base_url, base_model=base_model, reports=reports)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(contract_package, "check_matrix", cached)
        require = "0.25" if tinker_server.kind == "skyrl" else "json"
        args = [
            "contract",
            "matrix",
            "--base-url",
            tinker_server.base_url,
            "--base-model",
            tinker_server.base_model,
        ]
        patch.setenv("TINKER_EXT_SERVER_FACTS_DIR", str(tmp_path))
        result = runner.invoke(cli, [*args, "--format", "json", "--require", require])
        facts = facts_file(tinker_server.base_url)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    # the server facts the SDK acts on were kept for this server (path on stderr)
    assert facts.is_relative_to(tmp_path) and facts.is_file()
    assert f"server facts for the SDK: {facts}" in result.stderr
    assert {g["generation"]: g["supported"] for g in document["generations"]} == {
        g: v is True for g, v in EXPECTED[tinker_server.kind].items()
    }
    workloads = {w["workload"]: w["ok"] for w in document["workloads"]}
    assert workloads == {
        "SFT": True,
        "weighted SFT / custom loss": False,
        "RL on-policy": False,
        "RL off-policy / DPO": False,
    }


def test_cli_fuzz_on_the_local_server(tinker_server: Any) -> None:
    if not tinker_server.is_local:
        pytest.skip("fuzzing is for loopback servers")
    if shutil.which("schemathesis", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("schemathesis (extra `contract`) is not installed in this environment")
    args = ["--api-key", tinker_server.api_key, "contract", "fuzz", "--base-url", tinker_server.base_url]
    operations = ["--operation", "healthz", "--operation", "get_server_capabilities"]
    result = CliRunner().invoke(
        cli, [*args, *operations, "--max-examples", "3", "--max-time", "20", "--format", "json"]
    )
    # A verdict about the server (0: clean, 1: findings), never a tool error (2).
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.output)
    assert set(document) == {"passed", "exit_code", "findings"}
    assert tinker_server.api_key not in result.output


def test_semantic_verdicts_on_the_local_server(tinker_server: Any) -> None:
    """Measured on both local servers (the same on skyrl-tx 0.3.0 and skyrl 0.4.0, as their code is): each
    datum's cross_entropy sum is divided by Σ weights and datums are averaged, so 2w moves the logprobs as
    much as w, −w explodes (÷1e-9) and a datum sent twice is not its weights doubled; importance_sampling is
    linear in the advantages' scale but divided by the token count and averaged over datums; sampling from an
    older sampler snapshot rewinds the trainer. LoRA clients are isolated and samplers follow the weights."""
    if tinker_server.kind not in SEMANTICS_GENERATION:
        pytest.skip("expectations are for the local servers")
    report = _report(tinker_server, SEMANTICS_GENERATION[tinker_server.kind])
    outcomes = {s.name: s.outcome for s in report.steps if s.name.startswith("semantics: ")}
    assert outcomes == {
        "semantics: CE weight linearity": Outcome.FAIL,
        "semantics: advantage linearity (importance_sampling)": Outcome.FAIL,
        "semantics: built-in losses at ratio 1": Outcome.FAIL,
        "semantics: train, save samplers, sample": Outcome.PASS,
        "semantics: model isolation": Outcome.PASS,
        "semantics: sampler follows the weights": Outcome.PASS,
        "semantics: snapshot isolation": Outcome.FAIL,
    }
    linearity = [v.got for v in report.step("semantics: CE weight linearity").errors]
    assert [g.split(":")[0] for g in linearity] == ["2w", "−w", "B sent twice"]
    assert "off by 50%" in linearity[0]  # normalised: 2w moves exactly as far as w
    advantages = [v.got.split(":")[0] for v in report.step(ADVANTAGES).errors]
    assert advantages == ["B sent twice"]  # the scale of the advantages is linear; the batch is averaged
    snapshot = report.step("semantics: snapshot isolation").errors[0].got
    assert "rewound to the snapshot" in snapshot
    assert {w.workload: w.ok for w in report.workloads} == {
        "SFT": True,
        "weighted SFT / custom loss": False,
        "RL on-policy": False,
        "RL off-policy / DPO": False,
    }
    # the generation verdict is about the wire: semantic failures are not its caveats
    assert not any(c.startswith("semantics") for c in report.verdict.caveats)


# Adam's first step with eps far above every gradient entry is SGD with step lr/eps = 1e-5 (the custom
# losses below have gradients ~20x the contract's: a smaller step keeps second-order effects under 1%).
_SGD = {"learning_rate": 1.0, "beta1": 0.9, "beta2": 0.95, "eps": 1e5, "weight_decay": 0.0}
_LONG, _SHORT = list(range(1, 13)), [7, 3, 11, 5, 2, 9, 4]


def _custom_datum(tokens: list[int]) -> Any:
    import numpy as np

    import tinker_ext as tinker

    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={
            "target_tokens": tinker.TensorData.from_numpy(np.asarray(tokens[1:], dtype=np.int64))
        },
    )


def _delta(service: Any, base_model: str, step: Any, probe: list[Any]) -> Any:
    """The change of the probe datums' logprobs after `step(training)` and one SGD-like Adam step, from a
    fresh model (seed 0: every fresh model starts from the same weights)."""
    import numpy as np

    import tinker_ext as tinker

    training = service.create_lora_training_client(base_model=base_model, rank=8, seed=0)
    before = training.forward(probe, "cross_entropy").result()
    step(training)
    training.optim_step(tinker.AdamParams(**_SGD)).result()
    after = training.forward(probe, "cross_entropy").result()
    flat = [np.asarray(o["logprobs"].data) for o in after.loss_fn_outputs]
    first = [np.asarray(o["logprobs"].data) for o in before.loss_fn_outputs]
    return np.concatenate(flat) - np.concatenate(first)


def test_custom_loss_gives_the_true_gradient_and_dpo_trains(
    tinker_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the server facts the contract measured, forward_backward_custom sends −∂C/∂logprob through
    importance_sampling (ratio 1) scaled by token count × datums, so on both local servers: the update of a
    two-datum loss is the sum of the single-datum updates (no batch mean), a custom −Σ logprob is n× the
    server's datum-normalised cross_entropy with all-one weights (no token mean), 2C moves twice as far as C;
    and a minimal DPO loop (reference = the starting logprobs) trains: the margin leaves 0."""
    import numpy as np
    import torch

    import tinker_ext as tinker
    from tinker_ext._session.server_facts import save_server_facts

    if tinker_server.kind not in SEMANTICS_GENERATION:
        pytest.skip("expectations are for the local servers")
    facts = _report(tinker_server, SEMANTICS_GENERATION[tinker_server.kind]).server_facts
    assert facts is not None
    assert (facts.ce_weights, facts.advantages, facts.snapshot_rewinds) == (
        "datum_normalised",
        "token_mean_batch_mean",
        True,
    )
    monkeypatch.setenv("TINKER_EXT_SERVER_FACTS_DIR", str(tmp_path))
    save_server_facts(tinker_server.base_url, facts)
    long, short = _custom_datum(_LONG), _custom_datum(_SHORT)
    probe = [long, short]

    def nll(scales: list[float]) -> Any:
        def loss(data: list[Any], logprobs: list[Any]) -> tuple[Any, dict[str, float]]:
            return -sum(s * lp.sum() for s, lp in zip(scales, logprobs, strict=True)), {}

        return loss

    service = tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    base = tinker_server.base_model
    try:
        both = _delta(
            service, base, lambda t: t.forward_backward_custom(probe, nll([1.0, 3.0])).result(), probe
        )
        one = _delta(service, base, lambda t: t.forward_backward_custom([long], nll([1.0])).result(), probe)
        two = _delta(service, base, lambda t: t.forward_backward_custom([short], nll([3.0])).result(), probe)
        double = _delta(
            service, base, lambda t: t.forward_backward_custom(probe, nll([2.0, 6.0])).result(), probe
        )
        ce = _delta(service, base, lambda t: t.forward_backward([short], "cross_entropy").result(), probe)

        def off(got: Any, expected: Any) -> float:
            return float(np.linalg.norm(got - expected) / np.linalg.norm(expected))

        measured = {
            "|Δ|": float(np.linalg.norm(both)),
            "additive": off(both, one + two),
            "halved (batch mean)": off(both, (one + two) / 2),
            "n × CE": off(two, 3 * (len(_SHORT) - 1) * ce),
            "2C = 2Δ": off(double, 2 * both),
        }
        assert measured["|Δ|"] > 1e-3, measured
        assert measured["additive"] < 0.05 and measured["halved (batch mean)"] > 0.2, measured
        assert measured["n × CE"] < 0.05 and measured["2C = 2Δ"] < 0.05, measured
        print("custom loss on", tinker_server.kind, measured)

        # A minimal DPO loop: pairs (chosen, rejected), reference = the starting logprobs, β = 0.1.
        pairs = [
            _custom_datum(t)
            for t in (_LONG, [1, 2, 3, 9, 8, 7, 6, 5, 4, 12, 11, 10], _SHORT, [7, 3, 11, 1, 1, 1, 1])
        ]
        training = service.create_lora_training_client(base_model=base, rank=8, seed=0)
        reference = [
            torch.tensor(o["logprobs"].data).sum()
            for o in training.forward(pairs, "cross_entropy").result().loss_fn_outputs
        ]
        margins: list[float] = []

        def dpo(data: list[Any], logprobs: list[Any]) -> tuple[Any, dict[str, float]]:
            diffs = [lp.sum() - ref for lp, ref in zip(logprobs, reference, strict=True)]
            margin = torch.stack([diffs[0] - diffs[1], diffs[2] - diffs[3]])
            margins.append(float(margin.mean()))
            return -torch.nn.functional.logsigmoid(0.1 * margin).sum(), {"margin": float(margin.mean())}

        losses = []
        for _ in range(3):
            out = training.forward_backward_custom(pairs, dpo).result()
            losses.append(out.metrics["loss:sum"])
            training.optim_step(tinker.AdamParams(learning_rate=0.01)).result()
        assert abs(losses[0] - 2 * np.log(2)) < 1e-3 and abs(margins[0]) < 1e-3
        assert margins[-1] > 0.1 and losses[-1] < losses[0] - 0.01, (margins, losses)
        print("DPO on", tinker_server.kind, "margins", margins, "losses", losses)
    finally:
        service.close()
