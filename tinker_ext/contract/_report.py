"""What a contract check found: one `StepResult` per step, SDK generation verdicts, JSON and rich renders."""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Sequence
from typing import Any

import attrs

from tinker_ext._session.server_facts import ServerFacts

__all__ = [
    "MATRIX_SCHEMA_VERSION",
    "Cleanup",
    "ContractMatrix",
    "ContractReport",
    "GenerationVerdict",
    "Outcome",
    "Severity",
    "StepResult",
    "Violation",
    "WorkloadVerdict",
]


class Outcome(enum.StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    # The server answered 404/405 on a documented route (route missing, not "resource not found").
    NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
    # Not run: a value it needs (a model id, a checkpoint path, ...) comes from a step that did not produce it.
    SKIPPED = "SKIPPED"


class Severity(enum.StrEnum):
    ERROR = "error"  # makes the step FAIL
    WARNING = "warning"  # reported; the step can still PASS


@attrs.frozen
class Violation:
    """One broken rule. `pointer` is a JSON pointer into the document named by `where`."""

    rule: str
    where: str
    pointer: str
    expected: str
    got: str
    severity: Severity = Severity.ERROR

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "where": self.where,
            "pointer": self.pointer,
            "expected": self.expected,
            "got": self.got,
            "severity": self.severity.value,
        }

    def one_line(self, *, with_where: bool = True) -> str:
        pointer = self.pointer or "/"
        where = f"{self.where} " if with_where else ""
        marker = "warning " if self.severity is Severity.WARNING else ""
        return f"[{marker}{self.rule}] {where}{pointer}: expected {self.expected}, got {self.got}"


@attrs.frozen
class StepResult:
    name: str
    outcome: Outcome
    # Required: the checked client generation fails when this step does not pass (its verdict is "no").
    required: bool
    operation: str | None = None  # the spec's operationId of the main request, when there is one
    http_status: int | None = None
    elapsed_s: float = 0.0
    violations: tuple[Violation, ...] = ()
    detail: str = ""

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity is Severity.WARNING)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "outcome": self.outcome.value,
            "required": self.required,
            "operation": self.operation,
            "http_status": self.http_status,
            "elapsed_s": round(self.elapsed_s, 3),
            "detail": self.detail,
            "violations": [v.to_json() for v in self.violations],
        }


@attrs.frozen
class GenerationVerdict:
    """Whether one generation of client SDKs can use the server: `blockers` are the failed steps it needs
    (the first is what a user meets first), `caveats` optional features that fail and tolerated differences."""

    generation: str  # "json" | "0.25" | "0.38"
    label: str
    supported: bool
    blockers: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "generation": self.generation,
            "label": self.label,
            "supported": self.supported,
            "blockers": list(self.blockers),
            "caveats": list(self.caveats),
        }

    def lines(self) -> str:
        """The verdict, then one reason per line (a terminal wraps each; none is hundreds of columns)."""
        verdict = "yes" if self.supported else "no"
        reasons = self.blockers if not self.supported else self.caveats
        return "\n".join([f"{self.label}: {verdict}", *(f"  - {reason}" for reason in reasons)])


@attrs.frozen
class WorkloadVerdict:
    """Whether a kind of training runs correctly on the server, from the semantic checks: `blockers` are the
    failed checks with their measurements; `ok` is None when a check it needs did not run."""

    workload: str
    ok: bool | None
    blockers: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"workload": self.workload, "ok": self.ok, "blockers": list(self.blockers)}

    def one_line(self) -> str:
        verdict = {True: "yes", False: "NO", None: "not measured"}[self.ok]
        return f"{self.workload}: {verdict}" + (f" — {'; '.join(self.blockers)}" if self.blockers else "")


def _workloads_lines(workloads: Sequence[WorkloadVerdict]) -> list[str]:
    """The workload verdicts for a pipe: one workload per line, each blocker on a line of its own."""
    if not workloads:
        return []
    lines = ["Which training workloads compute what the Tinker API promises"]
    for w in workloads:
        lines.append(WorkloadVerdict(w.workload, w.ok).one_line())
        lines += [f"  - {blocker}" for blocker in w.blockers]
    return lines


def _workloads_table(workloads: Sequence[WorkloadVerdict]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text("Which training workloads compute what the Tinker API promises"))
    table.add_column("Workload", style="cyan")
    table.add_column("Correct")
    table.add_column("Broken by (semantic check: measured)", overflow="fold")
    styles = {True: ("yes", "green"), False: ("NO", "bold red"), None: ("not measured", "dim")}
    for w in workloads:
        label, style = styles[w.ok]
        table.add_row(Text(w.workload), Text(label, style=style), Text("\n".join(w.blockers)))
    return table


_OUTCOME_STYLE = {
    Outcome.PASS: "green",
    Outcome.FAIL: "bold red",
    Outcome.NOT_IMPLEMENTED: "yellow",
    Outcome.SKIPPED: "dim",
}


@attrs.frozen
class Cleanup:
    """What a check removed from the server afterwards and what it left there (each with the reason)."""

    removed: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    kept: bool = False  # --keep: nothing was removed on purpose

    def to_json(self) -> dict[str, Any]:
        return {"kept": self.kept, "removed": list(self.removed), "left": list(self.left)}

    def lines(self, label: str) -> list[str]:
        head = f"{label}: removed {len(self.removed)} checkpoint(s)" if not self.kept else f"{label}: kept"
        return [head, *(f"  left: {what}" for what in self.left)]


def _console(console: Any) -> Any:
    """`console`, else one on stdout; `None` when stdout is not a terminal (the caller prints plain
    lines then: no table is wider than a pipe's reader expects, no pointer or path is folded)."""
    from rich.console import Console

    if console is not None:
        return console
    terminal = Console(highlight=False)
    return terminal if terminal.is_terminal else None


def _print_plain(lines: Sequence[str]) -> None:
    sys.stdout.write("".join(f"{line}\n" for line in lines))


@attrs.frozen
class ContractReport:
    """One check of one server as one client generation."""

    base_url: str
    base_model: str
    generation: str
    steps: tuple[StepResult, ...]
    verdict: GenerationVerdict
    elapsed_s: float = 0.0
    cleanup: Cleanup | None = None
    workloads: tuple[WorkloadVerdict, ...] = ()  # from the semantic checks, when they ran
    server_facts: ServerFacts | None = None  # how the server trains (what the SDK acts on), when measured

    @property
    def passed(self) -> bool:
        """This generation can use the server: every step it needs passed (the CLI's exit status)."""
        return self.verdict.supported

    def step(self, name: str) -> StepResult:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def by_outcome(self, outcome: Outcome) -> list[StepResult]:
        return [step for step in self.steps if step.outcome is outcome]

    def to_json(self) -> dict[str, Any]:
        counts = {outcome.value: len(self.by_outcome(outcome)) for outcome in Outcome}
        return {
            "base_url": self.base_url,
            "base_model": self.base_model,
            "generation": self.generation,
            "passed": self.passed,
            "elapsed_s": round(self.elapsed_s, 3),
            "counts": counts,
            "verdict": self.verdict.to_json(),
            "workloads": [w.to_json() for w in self.workloads],
            "steps": [s.to_json() for s in self.steps],
            "cleanup": None if self.cleanup is None else self.cleanup.to_json(),
        }

    def to_json_str(self) -> str:
        return json.dumps(self.to_json(), indent=2, sort_keys=True)

    def rich_renderables(self) -> Sequence[Any]:
        """The steps table and the verdict (rich objects; all server text is plain Text, never markup)."""
        from rich.table import Table
        from rich.text import Text

        steps = Table(
            title=Text(
                f"Tinker contract check of {self.base_url} ({self.base_model}) as {self.verdict.label}"
            ),
            show_lines=False,
        )
        for column in ("Step", "Result", "Req", "HTTP", "Time", "Details"):
            steps.add_column(column, overflow="fold", style="cyan" if column == "Step" else None)
        for step in self.steps:
            details = [v.one_line(with_where=False) for v in step.violations]
            if step.detail:
                details.insert(0, step.detail)
            steps.add_row(
                Text(step.name),
                Text(step.outcome.value, style=_OUTCOME_STYLE[step.outcome]),
                "yes" if step.required else "",
                "" if step.http_status is None else str(step.http_status),
                f"{step.elapsed_s:.2f}s",
                Text("\n".join(details)),
            )
        cleanup = [Text("\n".join(self.cleanup.lines("Clean-up")))] if self.cleanup is not None else []
        verdict = Text(self.verdict.lines(), style="green" if self.passed else "bold red")
        workloads = [_workloads_table(self.workloads)] if self.workloads else []
        return [steps, verdict, *workloads, *cleanup]

    def plain_lines(self) -> list[str]:
        """The report as lines for a pipe: one per step, its details indented below it."""
        lines = [f"Tinker contract check of {self.base_url} ({self.base_model}) as {self.verdict.label}"]
        for step in self.steps:
            status = "" if step.http_status is None else f" HTTP {step.http_status}"
            required = " (required)" if step.required else ""
            lines.append(f"{step.outcome.value:<15} {step.name}{required}{status} {step.elapsed_s:.2f}s")
            details = ([step.detail] if step.detail else []) + [
                v.one_line(with_where=False) for v in step.violations
            ]
            lines += [f"    {detail}" for detail in details]
        lines += self.verdict.lines().splitlines()
        lines += _workloads_lines(self.workloads)
        return lines + (self.cleanup.lines("Clean-up") if self.cleanup is not None else [])

    def render(self, console: Any = None) -> None:
        """Print the tables (to `console`, a rich Console; stdout by default: plain lines when piped)."""
        target = _console(console)
        if target is None:
            _print_plain([*self.plain_lines(), f"({self.elapsed_s:.1f}s)"])
            return
        for renderable in self.rich_renderables():
            target.print(renderable)
        target.print(f"({self.elapsed_s:.1f}s)")


MATRIX_SCHEMA_VERSION = 1


@attrs.frozen
class ContractMatrix:
    """The check run once per client generation. `to_json()` is the stable, documented schema:

    {"schema_version": 1, "base_url": str, "base_model": str, "all_supported": bool,
     "generations": [{"generation": "json"|"0.25"|"0.38", "label": str, "supported": bool,
                      "blockers": [str], "caveats": [str],
                      "steps": {step name: "PASS"|"FAIL"|"NOT_IMPLEMENTED"|"SKIPPED"},
                      "cleanup": {"kept": bool, "removed": [str], "left": [str]} | null}],
     "workloads": [{"workload": str, "ok": bool|null, "blockers": [str]}]}
    """

    base_url: str
    base_model: str
    reports: tuple[ContractReport, ...]

    def verdict(self, generation: str) -> GenerationVerdict:
        for report in self.reports:
            if report.generation == generation:
                return report.verdict
        raise KeyError(generation)

    @property
    def all_supported(self) -> bool:
        return all(report.passed for report in self.reports)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": MATRIX_SCHEMA_VERSION,
            "base_url": self.base_url,
            "base_model": self.base_model,
            "all_supported": self.all_supported,
            "generations": [
                {
                    **r.verdict.to_json(),
                    "steps": {s.name: s.outcome.value for s in r.steps},
                    "cleanup": None if r.cleanup is None else r.cleanup.to_json(),
                }
                for r in self.reports
            ],
            "workloads": [w.to_json() for w in self.workloads],
            "server_facts": None if self.server_facts is None else self.server_facts.to_json(),
        }

    @property
    def server_facts(self) -> ServerFacts | None:
        return next((r.server_facts for r in self.reports if r.server_facts is not None), None)

    @property
    def workloads(self) -> tuple[WorkloadVerdict, ...]:
        """The server's workload verdicts (the semantic checks run once, in the first generation that trains)."""
        measured = [r.workloads for r in self.reports if any(w.ok is not None for w in r.workloads)]
        return measured[0] if measured else next((r.workloads for r in self.reports if r.workloads), ())

    def rich_renderables(self) -> Sequence[Any]:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(f"Which Tinker clients can use {self.base_url} ({self.base_model})"))
        table.add_column("Client generation", style="cyan")
        table.add_column("Can use it")
        table.add_column("Blocked by (first = what a user meets) / caveats", overflow="fold")
        for report in self.reports:
            v = report.verdict
            reasons = v.blockers if not v.supported else v.caveats
            table.add_row(
                Text(v.label),
                Text("yes", style="green") if v.supported else Text("no", style="bold red"),
                Text("\n".join(reasons)),
            )
        cleanups = self._cleanup_lines()
        workloads = [_workloads_table(self.workloads)] if self.workloads else []
        return [table, *workloads, *([Text("\n".join(cleanups))] if cleanups else [])]

    def _cleanup_lines(self) -> list[str]:
        return [
            line
            for r in self.reports
            if r.cleanup is not None
            for line in r.cleanup.lines(f"Clean-up ({r.generation})")
        ]

    def plain_lines(self) -> list[str]:
        """The matrix as lines for a pipe: each generation's verdict, one reason per line."""
        lines = [f"Which Tinker clients can use {self.base_url} ({self.base_model})"]
        for report in self.reports:
            lines += report.verdict.lines().splitlines()
        return lines + _workloads_lines(self.workloads) + self._cleanup_lines()

    def render(self, console: Any = None) -> None:
        target = _console(console)
        if target is None:
            _print_plain(self.plain_lines())
            return
        for renderable in self.rich_renderables():
            target.print(renderable)
