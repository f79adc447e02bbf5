"""What `doctor` found: one `DoctorCheck` per check, in order, in a `DoctorReport` (text or JSON)."""

from __future__ import annotations

import enum
from typing import Any

import attrs

__all__ = ["REPORT_SCHEMA_VERSION", "CheckStatus", "DoctorCheck", "DoctorReport"]

REPORT_SCHEMA_VERSION = 1


class CheckStatus(enum.StrEnum):
    """OK: nothing to do. WARN: works, but read the hint. FAIL: this blocks the SDK; the hint says what to
    do. SKIP: not checked (an earlier check failed, or nothing to check, e.g. no base model given)."""

    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"
    SKIP = "SKIP"


@attrs.frozen
class DoctorCheck:
    """One check: `summary` says what was found, `hint` what to do about it (empty when nothing);
    `details` holds the measured values (JSON-able; never the API key)."""

    name: str
    status: CheckStatus
    summary: str
    hint: str = ""
    details: dict[str, Any] = attrs.field(factory=dict)

    def line(self, name_width: int = 10) -> str:
        """One line: `STATUS  name  summary -> hint`."""
        text = f"{self.status.value:<5} {self.name:<{name_width}} {self.summary}"
        return f"{text} -> {self.hint}" if self.hint else text

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status.value,
            "summary": self.summary,
            "hint": self.hint,
            "details": dict(self.details),
        }


@attrs.frozen
class DoctorReport:
    """Every check of one `doctor` run, in the order they ran. `ok`: no check FAILed."""

    base_url: str
    base_model: str | None
    checks: tuple[DoctorCheck, ...]

    @property
    def ok(self) -> bool:
        return not any(check.status is CheckStatus.FAIL for check in self.checks)

    @property
    def exit_code(self) -> int:
        """0 when nothing FAILed, else 1 (`tinker-ext doctor`'s exit code)."""
        return 0 if self.ok else 1

    @property
    def failures(self) -> tuple[DoctorCheck, ...]:
        return tuple(check for check in self.checks if check.status is CheckStatus.FAIL)

    def check(self, name: str) -> DoctorCheck:
        """The check called `name` (KeyError if there is none)."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def render(self) -> str:
        """The text report: a header line, then one line per check."""
        model = f" (base model {self.base_model})" if self.base_model else ""
        width = max((len(c.name) for c in self.checks), default=0)
        lines = [f"tinker-ext doctor: {self.base_url}{model}"]
        lines += [check.line(width) for check in self.checks]
        fails = len(self.failures)
        lines.append("all checks passed" if fails == 0 else f"{fails} check(s) FAILED")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """A stable JSON document (`schema_version`, `base_url`, `base_model`, `ok`, `checks`)."""
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "base_url": self.base_url,
            "base_model": self.base_model,
            "ok": self.ok,
            "checks": [check.to_json() for check in self.checks],
        }
