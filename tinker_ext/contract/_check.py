"""`check_server`: a scripted run of the Tinker workflow, as one client generation, against one server;
`check_matrix`: the same for every generation.

Steps run in a fixed order over one session: service, training (_steps_training), checkpoints and
sampling (_steps_weights), REST and futures (_steps_rest). Each step validates statuses and bodies against
the spec and the behavioural rules; values later steps need are kept in `Run.values`, and a step whose
inputs were never produced is SKIPPED. A step is required when the generation's SDK fails without it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial

import httpx

from ._cleanup import clean_up
from ._generations import GENERATIONS, GenerationName, generation, verdict
from ._probe import Probe, StepNotImplemented, StepRecorder
from ._report import ContractMatrix, ContractReport, Outcome
from ._run import Run
from ._spec import ContractSpec, short_repr
from ._steps_rest import rest_steps
from ._steps_semantics import SEMANTICS_PREFIX, semantics_steps, server_facts, workload_verdicts
from ._steps_training import training_steps
from ._steps_weights import weights_steps

__all__ = ["check_matrix", "check_server"]

GENERATION_NAMES: tuple[GenerationName, ...] = tuple(g.name for g in GENERATIONS)


def check_server(
    base_url: str,
    api_key: str | None = None,
    base_model: str = "Qwen/Qwen3-8B",
    *,
    generation_name: GenerationName = "0.38",
    timeout: float = 120.0,
    spec: ContractSpec | None = None,
    transport: httpx.BaseTransport | None = None,
    keep: bool = False,
    on_step: Callable[[str, str], None] | None = None,
    semantics: bool = True,
) -> ContractReport:
    """Drive the Tinker workflow against `base_url` as client generation `generation_name` ("json",
    "0.24", "0.25" or "0.38") over plain HTTP and report every step and the verdict.

    `timeout` bounds each future (and each HTTP call, capped at 60 s). `transport` is for tests
    (httpx.MockTransport). `semantics` runs the semantic checks (training computes what the API promises)
    and judges the workloads from them. Nothing is raised for server misbehaviour; it is all in the report.
    A missing tool (jsonschema) raises MissingDependencyError. Afterwards its checkpoints are deleted, its
    models unloaded and its session finished unless `keep` (`report.cleanup` says what is left). `on_step` is
    called with (generation, step name) as each step starts."""
    gen = generation(generation_name)
    contract = spec if spec is not None else ContractSpec.load()
    contract.validate({}, {}, where="")  # a missing jsonschema is a tool error, before any request
    probe = Probe(contract, base_url, api_key, timeout=timeout, transport=transport)
    run = Run(probe, gen, base_model, on_step=None if on_step is None else partial(on_step, gen.name))
    started = time.monotonic()
    try:
        _service_steps(run)
        training_steps(run)
        weights_steps(run)
        rest_steps(run)
        if semantics and _trains(run):
            semantics_steps(run)
        cleanup = clean_up(run, keep=keep)
    finally:
        probe.close()
    return ContractReport(
        base_url=probe.base_url,
        base_model=base_model,
        generation=gen.name,
        steps=tuple(run.results),
        verdict=verdict(gen, run.results, run.values),
        elapsed_s=time.monotonic() - started,
        cleanup=cleanup,
        workloads=workload_verdicts(run.results),
        server_facts=server_facts(run),
    )


def check_matrix(
    base_url: str,
    api_key: str | None = None,
    base_model: str = "Qwen/Qwen3-8B",
    *,
    generations: Sequence[GenerationName] = GENERATION_NAMES,
    timeout: float = 120.0,
    spec: ContractSpec | None = None,
    transport: httpx.BaseTransport | None = None,
    keep: bool = False,
    on_step: Callable[[str, str], None] | None = None,
    semantics: bool = True,
) -> ContractMatrix:
    """`check_server` once per generation (each in its own session), in one matrix. The semantic checks
    are facts about the server, not the wire: they run in the first generation that trains."""
    reports: list[ContractReport] = []
    for name in generations:
        measured = any(_semantics_ran(r) for r in reports)
        reports.append(
            check_server(
                base_url,
                api_key,
                base_model,
                generation_name=name,
                timeout=timeout,
                spec=spec,
                transport=transport,
                keep=keep,
                on_step=on_step,
                semantics=semantics and not measured,
            )
        )
    return ContractMatrix(base_url=base_url.rstrip("/"), base_model=base_model, reports=tuple(reports))


def _trains(run: Run) -> bool:
    """This generation got through a training step: the semantic checks can measure something."""
    needed = {"create_model", "forward_backward", "forward", "optim_step"}
    return {r.name for r in run.results if r.name in needed and r.outcome is Outcome.PASS} == needed


def _semantics_ran(report: ContractReport) -> bool:
    return any(s.name.startswith(SEMANTICS_PREFIX) for s in report.steps)


def _service_steps(run: Run) -> None:
    probe, gen = run.probe, run.gen

    def healthz(step: StepRecorder) -> None:
        probe.call(step, "healthz")

    def capabilities(step: StepRecorder) -> None:
        body = probe.call(step, "get_server_capabilities").body
        models = body.get("supported_models", []) if isinstance(body, Mapping) else []
        names = [m.get("model_name") for m in models if isinstance(m, Mapping)]
        if run.base_model not in names:
            step.warn(
                "capabilities:base-model",
                "GET /api/v1/get_server_capabilities → 200",
                "/supported_models",
                f"{run.base_model!r} among the model names",
                short_repr(names),
            )

    def client_config(step: StepRecorder) -> None:
        try:
            body = probe.call(step, "client_config", body={"sdk_version": gen.sdk_version}).body
        except StepNotImplemented:
            run.put("client_config_missing", True)
            raise
        # zstd request bodies when the server asks (SDK >= 0.25 honour it).
        run.put(
            "zstd", gen.protobuf and isinstance(body, Mapping) and body.get("proto_compress_fwdbwd") is True
        )

    def create_session(step: StepRecorder) -> None:
        body = probe.call(
            step,
            "create_session",
            body={"tags": [], "user_metadata": {}, "sdk_version": gen.sdk_version, "type": "create_session"},
        ).body
        run.put("session_id", body["session_id"])

    def heartbeat(step: StepRecorder) -> None:
        session_id = run.need("session_id")
        probe.call(step, "session_heartbeat", body={"session_id": session_id, "type": "session_heartbeat"})

    run.step("client_config", client_config, required=gen.needs_client_config, operation="client_config")
    run.step("healthz", healthz, required=False, operation="healthz")
    run.step("get_server_capabilities", capabilities, required=False, operation="get_server_capabilities")
    run.step(
        "create_session", create_session, required=True, operation="create_session", produces=("session_id",)
    )
    # The SDKs only log failed heartbeats.
    run.step("session_heartbeat", heartbeat, required=False, operation="session_heartbeat")
