"""The `semantics` group: does training compute what the Tinker API promises? Each check is a step whose
detail holds the measured numbers; a failed check blocks the workloads it breaks (`WORKLOADS`).

- CE weight linearity: cross_entropy's loss is −Σ w·logprob over tokens, summed over datums, so 2w gives
  twice the update, −w the opposite one, and a datum sent twice the same update as its weights doubled.
- Advantage linearity: the same for importance_sampling's advantages.
- Built-in losses at ratio 1: with sampling logprobs = the current ones, importance_sampling, ppo and cispo
  have the gradient of cross_entropy with weights = advantages; a reported `loss:sum` must be the value
  computed from the returned logprobs.
- Model isolation, sampler follows the weights, snapshot isolation: one model trained at a high learning
  rate next to an untouched one; samplers saved after step 1 (S1) and step 2 (S2).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tinker_ext._session.server_facts import Advantages, CeWeights, ServerFacts

from ._probe import StepRecorder
from ._report import Outcome, StepResult, WorkloadVerdict
from ._run import WEIGHTS, Run
from ._semantics_lab import TOKENS_A, TOKENS_B, Lab, ce_datum, distance, rl_datum

__all__ = ["SEMANTICS_PREFIX", "WORKLOADS", "semantics_steps", "server_facts", "workload_verdicts"]

SEMANTICS_PREFIX = "semantics: "
LINEARITY = SEMANTICS_PREFIX + "CE weight linearity"
ADVANTAGES = SEMANTICS_PREFIX + "advantage linearity (importance_sampling)"
LOSSES = SEMANTICS_PREFIX + "built-in losses at ratio 1"
MODEL_ISOLATION = SEMANTICS_PREFIX + "model isolation"
SAMPLER_FOLLOWS = SEMANTICS_PREFIX + "sampler follows the weights"
SNAPSHOT = SEMANTICS_PREFIX + "snapshot isolation"

# Which workloads each check's failure breaks.
WORKLOADS: dict[str, tuple[str, ...]] = {
    "SFT": (MODEL_ISOLATION, SAMPLER_FOLLOWS),
    "weighted SFT / custom loss": (LINEARITY, MODEL_ISOLATION),
    "RL on-policy": (ADVANTAGES, LOSSES, MODEL_ISOLATION, SAMPLER_FOLLOWS),
    "RL off-policy / DPO": (LINEARITY, SNAPSHOT, MODEL_ISOLATION, SAMPLER_FOLLOWS),
}
# A change that linear inputs must reproduce, relative to its size (the step is ~1e-2 of SGD: second-order
# effects stay below 1%).
LINEAR_TOLERANCE = 0.05
# Logprobs that must be unchanged (same weights, two computations).
SAME_TOLERANCE = 1e-3
# The trained model must move at least this far (max |Δ logprob|) for "follows" to mean anything.
MOVED = 0.05
_WEIGHTS_B = list(reversed(WEIGHTS))
_HIGH_LR_ADAM = {"learning_rate": 0.05, "beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "weight_decay": 0.0}


def workload_verdicts(steps: Sequence[StepResult]) -> tuple[WorkloadVerdict, ...]:
    by_name = {s.name: s for s in steps if s.name.startswith(SEMANTICS_PREFIX)}
    if not by_name:
        return ()
    verdicts = []
    for workload, checks in WORKLOADS.items():
        failed = [by_name[c] for c in checks if c in by_name and by_name[c].outcome is Outcome.FAIL]
        unmeasured = [c for c in checks if c not in by_name or by_name[c].outcome is not Outcome.PASS]
        blockers = tuple(
            f"{s.name.removeprefix(SEMANTICS_PREFIX)}: " + "; ".join(v.got for v in s.errors) for s in failed
        )
        ok = False if failed else (None if unmeasured else True)
        verdicts.append(WorkloadVerdict(workload, ok, blockers))
    return tuple(verdicts)


def _flat(values: Sequence[Sequence[float]]) -> list[float]:
    return [x for row in values for x in row]


def _sub(a: Sequence[float], b: Sequence[float]) -> list[float]:
    return [x - y for x, y in zip(a, b, strict=True)]


def _norm(a: Sequence[float]) -> float:
    return math.sqrt(sum(x * x for x in a))


def _scaled(a: Sequence[float], k: float) -> list[float]:
    return [k * x for x in a]


def _rel(got: Sequence[float], expected: Sequence[float]) -> float:
    return distance(got, expected) / max(_norm(expected), 1e-12)


def _relations(
    step: StepRecorder, measured: Mapping[str, list[float]], cases: Sequence[tuple[str, str, list[float]]]
) -> None:
    """Each case: (what, which measured change, the change a linear loss gives); records the ratios."""
    notes = []
    for what, key, expected in cases:
        rel = _rel(measured[key], expected)
        got = f"{key}: |Δlogprob| {_norm(measured[key]):.3g}, linear {_norm(expected):.3g}, off by {rel:.0%}"
        notes.append(got)
        if not rel <= LINEAR_TOLERANCE:
            step.add(
                "semantics:linearity",
                f"forward logprobs after one SGD-like step ({key})",
                "",
                f"{what} (within {LINEAR_TOLERANCE:.0%})",
                got,
            )
    step.notes.append("; ".join(notes))


def _response(lab: Lab, data: Sequence[Mapping[str, Any]], loss_fn: str, before: list[float]) -> list[float]:
    """The change of the logprobs of [A, B] after one step on `data` from a fresh model."""
    model_id = lab.fresh()
    lab.train(model_id, data, loss_fn)
    return _sub(_flat(lab.logprobs(model_id, _PAIR)), before)


_PAIR = [ce_datum(TOKENS_A, WEIGHTS), ce_datum(TOKENS_B, _WEIGHTS_B)]


def _fresh_logprobs(run: Run, lab: Lab) -> list[list[float]]:
    if "semantics_fresh_logprobs" not in run.values:
        run.put("semantics_fresh_logprobs", lab.logprobs(lab.fresh(), _PAIR))
    fresh: list[list[float]] = run.values["semantics_fresh_logprobs"]
    return fresh


def _ce(scale_a: float, scale_b: float) -> list[dict[str, Any]]:
    return [ce_datum(TOKENS_A, _scaled(WEIGHTS, scale_a)), ce_datum(TOKENS_B, _scaled(_WEIGHTS_B, scale_b))]


def _weight_linearity(run: Run, lab: Lab, step: StepRecorder) -> None:
    before = _flat(_fresh_logprobs(run, lab))
    base = _response(lab, _ce(1, 1), "cross_entropy", before)
    measured = {
        "w": base,
        "2w": _response(lab, _ce(2, 2), "cross_entropy", before),
        "−w": _response(lab, _ce(-1, -1), "cross_entropy", before),
        "B doubled": _response(lab, _ce(1, 2), "cross_entropy", before),
        "B sent twice": _response(lab, [*_ce(1, 1), _ce(1, 1)[1]], "cross_entropy", before),
    }
    run.put("semantics_ce", measured)
    _relations(
        step,
        measured,
        [
            ("2w gives twice the change of w", "2w", _scaled(base, 2)),
            ("−w gives the opposite change", "−w", _scaled(base, -1)),
            ("a datum sent twice = its weights doubled", "B sent twice", measured["B doubled"]),
        ],
    )


def _rl(
    loss_fn: str, before: list[list[float]], scale_a: float, scale_b: float, dup: bool = False
) -> list[dict[str, Any]]:
    data = [
        rl_datum(TOKENS_A, _scaled(WEIGHTS, scale_a), before[0]),
        rl_datum(TOKENS_B, _scaled(_WEIGHTS_B, scale_b), before[1]),
    ]
    return [*data, data[1]] if dup else data


def _advantage_linearity(run: Run, lab: Lab, step: StepRecorder) -> None:
    fresh = _fresh_logprobs(run, lab)
    before = _flat(fresh)
    loss = "importance_sampling"
    base = _response(lab, _rl(loss, fresh, 1, 1), loss, before)
    measured = {
        "a": base,
        "2a": _response(lab, _rl(loss, fresh, 2, 2), loss, before),
        "B doubled": _response(lab, _rl(loss, fresh, 1, 2), loss, before),
        "B sent twice": _response(lab, _rl(loss, fresh, 1, 1, dup=True), loss, before),
    }
    run.put("semantics_is", measured)
    _relations(
        step,
        measured,
        [
            ("2a gives twice the change of a", "2a", _scaled(base, 2)),
            ("a datum sent twice = its advantages doubled", "B sent twice", measured["B doubled"]),
        ],
    )
    run.put("semantics_is", measured)


def _builtin_losses(run: Run, lab: Lab, step: StepRecorder) -> None:
    fresh = _fresh_logprobs(run, lab)
    before = _flat(fresh)
    reference = _response(lab, _ce(1, 1), "cross_entropy", before)
    cases = []
    measured = {}
    for loss in ("importance_sampling", "ppo", "cispo"):
        model_id = lab.fresh()
        exchange_refused = _refused(lab, model_id, loss, fresh)
        if exchange_refused:
            step.notes.append(f"{loss}: not offered ({exchange_refused})")
            continue
        measured[loss] = _sub(_flat(lab.logprobs(model_id, _PAIR)), before)
        cases.append((f"{loss} = cross_entropy with weights = advantages", loss, reference))
    _relations(step, measured, cases)


def _refused(lab: Lab, model_id: str, loss: str, fresh: list[list[float]]) -> str:
    """Train one step with `loss` (advantages = the CE weights, ratio 1), checking a reported `loss:sum`;
    returns why the server refused the loss ("" when it trained)."""
    step = lab.step
    mark = len(step.violations)
    try:
        output = lab.train(model_id, _rl(loss, fresh, 1, 1), loss)
    except Exception:
        refusal = [v for v in step.violations[mark:] if v.rule == "status" and v.got.startswith("HTTP 4")]
        if not refusal:
            raise
        del step.violations[mark:]
        return refusal[0].got
    metrics = output.get("metrics") if isinstance(output, Mapping) else None
    value = metrics.get("loss:sum") if isinstance(metrics, Mapping) else None
    if isinstance(value, int | float):
        # At ratio 1 (sampling logprobs = current) every built-in policy loss is −Σ a.
        expected = -sum(WEIGHTS) - sum(_WEIGHTS_B)
        if not math.isclose(float(value), expected, rel_tol=1e-3, abs_tol=1e-3):
            step.add(
                "semantics:loss-sum",
                f"retrieve_future(forward_backward ({loss})) result",
                "/metrics/loss:sum",
                f"−Σ ratio·advantages = {expected:.6g} (ratio 1)",
                repr(value),
            )
    return ""


def _train_and_sample(run: Run, lab: Lab, step: StepRecorder) -> None:
    """One model trained 2 steps at a high learning rate, next to an untouched one; samplers S1 (after step
    1) and S2 (after step 2). Records what the three checks below judge."""
    data = [ce_datum(TOKENS_A, [1.0] * len(WEIGHTS))]
    bystander, trained = lab.fresh(), lab.fresh()
    m: dict[str, Any] = {"untouched_before": lab.logprobs(bystander, data)[0]}
    m["base_sampler"] = lab.prompt_logprobs(TOKENS_A, model_path=None)
    lab.train(trained, data, adam=_HIGH_LR_ADAM)
    m["after_1"] = lab.logprobs(trained, data)[0]
    s1 = lab.sampler(trained, "semantics-s1")
    lab.train(trained, data, adam=_HIGH_LR_ADAM)
    m["after_2"] = lab.logprobs(trained, data)[0]
    m["untouched_after"] = lab.logprobs(bystander, data)[0]
    s2 = lab.sampler(trained, "semantics-s2")
    m["s2_sampler"] = lab.prompt_logprobs(TOKENS_A, model_path=s2)
    m["s1_sampler"] = lab.prompt_logprobs(TOKENS_A, model_path=s1)
    m["after_sampling_s1"] = lab.logprobs(trained, data)[0]
    run.put("semantics_measures", m)


def _max_abs(a: Sequence[float], b: Sequence[float]) -> float:
    return (
        max((abs(x - y) for x, y in zip(a, b, strict=True)), default=math.inf)
        if len(a) == len(b)
        else math.inf
    )


def _judge(step: StepRecorder, rule: str, ok: bool, expected: str, got: str) -> None:
    step.notes.append(got)
    if not ok:
        step.add(rule, "forward / compute_logprobs logprobs", "", expected, got)


def _fits(got: Sequence[float] | None, expected: Sequence[float] | None) -> bool:
    return got is not None and expected is not None and _rel(got, expected) <= LINEAR_TOLERANCE


def server_facts(run: Run) -> ServerFacts | None:
    """How the server trains, from the semantic measurements (None when they did not run). The
    normalising model: each datum's sum divided by its Σ weights (cross_entropy) or its token count (policy
    losses, all-one mask), averaged over the datums: then 2w moves as far as w, a datum sent twice in
    [A, B, B] gives 2/3 of the change of [A, 2B], and importance_sampling is (Σw / tokens) × cross_entropy."""
    ce, adv = run.values.get("semantics_ce"), run.values.get("semantics_is")
    if ce is None or adv is None:
        return None
    ce_weights: CeWeights = "unknown"
    if _fits(ce["2w"], _scaled(ce["w"], 2)) and _fits(ce["−w"], _scaled(ce["w"], -1)):
        ce_weights = "sum"
    elif _fits(ce["2w"], ce["w"]):
        ce_weights = "datum_normalised"
    advantages: Advantages = "unknown"
    scale_ok = _fits(adv["2a"], _scaled(adv["a"], 2))
    if (
        scale_ok
        and ce_weights == "sum"
        and _fits(adv["B sent twice"], adv["B doubled"])
        and _fits(adv["a"], ce["w"])
    ):
        advantages = "sum"
    per_token = sum(WEIGHTS) / len(WEIGHTS)  # Σw / token count of both datums
    if (
        scale_ok
        and ce_weights == "datum_normalised"
        and _fits(adv["B sent twice"], _scaled(adv["B doubled"], 2 / 3))
        and _fits(adv["a"], _scaled(ce["w"], per_token))
    ):
        advantages = "token_mean_batch_mean"
    snapshot = next((r for r in run.results if r.name == SNAPSHOT), None)
    rewinds = snapshot is not None and any("rewound" in v.got for v in snapshot.errors)
    return ServerFacts(ce_weights, advantages, rewinds, "tinker-ext contract check")


def semantics_steps(run: Run) -> None:
    def with_lab(body: Callable[[Run, Lab, StepRecorder], None]) -> Callable[[StepRecorder], None]:
        def step_body(step: StepRecorder) -> None:
            lab = Lab(run, step)
            try:
                body(run, lab, step)
            finally:
                lab.close()

        return step_body

    def model_isolation(step: StepRecorder) -> None:
        m = run.need("semantics_measures")
        moved = _max_abs(m["untouched_after"], m["untouched_before"])
        trained = _max_abs(m["after_2"], m["untouched_before"])
        _judge(
            step,
            "semantics:model-isolation",
            moved <= SAME_TOLERANCE,
            "an untouched LoRA client keeps its logprobs while another one trains",
            f"untouched client moved by {moved:.3g} (the trained one by {trained:.3g})",
        )

    def sampler_follows(step: StepRecorder) -> None:
        m = run.need("semantics_measures")
        trained = _max_abs(m["after_2"], m["base_sampler"])
        from_base = _max_abs(m["s2_sampler"], m["base_sampler"])
        from_trainer = _max_abs(m["s2_sampler"], m["after_2"])
        _judge(
            step,
            "semantics:sampler-follows",
            trained >= MOVED and from_trainer <= max(0.1 * trained, 1e-2),
            "the saved sampler's logprobs = the trainer's (not the base model's)",
            f"sampler vs trainer {from_trainer:.3g}, vs base model {from_base:.3g} "
            f"(training moved the trainer by {trained:.3g})",
        )

    def snapshot(step: StepRecorder) -> None:
        m = run.need("semantics_measures")
        change = _max_abs(m["after_sampling_s1"], m["after_2"])
        to_s1 = _max_abs(m["after_sampling_s1"], m["after_1"])
        rewound = " (rewound to the snapshot: the later steps are lost)" if to_s1 <= SAME_TOLERANCE else ""
        _judge(
            step,
            "semantics:snapshot-isolation",
            change <= SAME_TOLERANCE,
            "the trainer's logprobs unchanged by sampling from an older sampler snapshot",
            f"trainer changed by {change:.3g} after sampling from S1{rewound}",
        )

    run.step(LINEARITY, with_lab(_weight_linearity), required=False)
    run.step(ADVANTAGES, with_lab(_advantage_linearity), required=False)
    run.step(LOSSES, with_lab(_builtin_losses), required=False)
    run.step(
        SEMANTICS_PREFIX + "train, save samplers, sample",
        with_lab(_train_and_sample),
        required=False,
        produces=("semantics_measures",),
    )
    run.step(MODEL_ISOLATION, model_isolation, required=False)
    run.step(SAMPLER_FOLLOWS, sampler_follows, required=False)
    run.step(SNAPSHOT, snapshot, required=False)
