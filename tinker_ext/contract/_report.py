"""What a contract check found: one `StepResult` per step, SDK generation verdicts, JSON and rich renders."""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Sequence
from typing import Any

import attrs

__all__ = ["ContractReport", "GenerationVerdict", "Outcome", "Severity", "StepResult", "Violation"]


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
    # Required steps are what the JSON SDK generation (<= 0.24, tinker-ext) relies on; the CLI exits 1 if
    # any of them is not PASS.
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
    """Whether one generation of client SDKs can use the server, and why not."""

    generation: str
    supported: bool
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"generation": self.generation, "supported": self.supported, "reasons": list(self.reasons)}

    def one_line(self) -> str:
        verdict = "yes" if self.supported else "no"
        return f"{self.generation}: {verdict}" + (f" — {'; '.join(self.reasons)}" if self.reasons else "")


_OUTCOME_STYLE = {
    Outcome.PASS: "green",
    Outcome.FAIL: "bold red",
    Outcome.NOT_IMPLEMENTED: "yellow",
    Outcome.SKIPPED: "dim",
}


@attrs.frozen
class ContractReport:
    base_url: str
    base_model: str
    steps: tuple[StepResult, ...]
    generations: tuple[GenerationVerdict, ...]
    elapsed_s: float = 0.0

    @property
    def passed(self) -> bool:
        """Every required step passed (the CLI's exit status)."""
        return all(step.outcome is Outcome.PASS for step in self.steps if step.required)

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
            "passed": self.passed,
            "elapsed_s": round(self.elapsed_s, 3),
            "counts": counts,
            "generations": [g.to_json() for g in self.generations],
            "steps": [s.to_json() for s in self.steps],
        }

    def to_json_str(self) -> str:
        return json.dumps(self.to_json(), indent=2, sort_keys=True)

    def rich_renderables(self) -> Sequence[Any]:
        """A steps table and a generations table (rich objects, for `Console.print`)."""
        from rich.table import Table
        from rich.text import Text

        steps = Table(title=f"Tinker contract check of {self.base_url} ({self.base_model})", show_lines=False)
        for column in ("Step", "Result", "Req", "HTTP", "Time", "Details"):
            steps.add_column(column, overflow="fold", style="cyan" if column == "Step" else None)
        for step in self.steps:
            details = [v.one_line(with_where=False) for v in step.violations]
            if step.detail:
                details.insert(0, step.detail)
            steps.add_row(
                step.name,
                Text(step.outcome.value, style=_OUTCOME_STYLE[step.outcome]),
                "yes" if step.required else "",
                "" if step.http_status is None else str(step.http_status),
                f"{step.elapsed_s:.2f}s",
                "\n".join(details),
            )
        generations = Table(title="SDK generations", show_lines=False)
        generations.add_column("Generation", style="cyan")
        generations.add_column("Can use this server")
        generations.add_column("Why not / caveats", overflow="fold")
        for verdict in self.generations:
            generations.add_row(
                verdict.generation,
                Text("yes", style="green") if verdict.supported else Text("no", style="bold red"),
                "\n".join(verdict.reasons),
            )
        return [steps, generations]

    def render(self, console: Any = None) -> None:
        """Print the tables (to `console`, a rich Console; stdout by default)."""
        from rich.console import Console

        if console is None:
            # Piped output gets a wide console so pointers and paths stay on one line.
            target = Console() if sys.stdout.isatty() else Console(width=200, soft_wrap=True)
        else:
            target = console
        for renderable in self.rich_renderables():
            target.print(renderable)
        summary = "PASS" if self.passed else "FAIL"
        target.print(f"Required steps: {summary} ({self.elapsed_s:.1f}s)")
