"""`fuzz_server`: bounded schemathesis fuzzing of a loopback server against the same spec (extra `contract`).

Runs the schemathesis 4.x CLI in a subprocess (its Python API is pytest/hypothesis-shaped) over the bundled
spec, reads its JUnit report, and returns one `FuzzFinding` per failing operation. By default only
operations that neither create models nor write checkpoints are fuzzed: a fuzzer must not fill a
server's adapter slots or disk. Traffic goes to the given URL only, which must be a loopback address
unless `allow_remote=True`.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs

from ._spec import ContractSpec, MissingDependencyError

__all__ = ["DEFAULT_FUZZ_OPERATIONS", "FuzzFinding", "FuzzReport", "fuzz_server"]

DEFAULT_FUZZ_OPERATIONS = (
    "healthz",
    "get_server_capabilities",
    "session_heartbeat",
    "get_info",
    "retrieve_future",
    "get_weights_info",
    "list_training_runs",
    "get_training_run",
    "list_checkpoints",
)
_LOCAL_NAMES = {"localhost"}


@attrs.frozen
class FuzzFinding:
    operation: str  # e.g. "POST /api/v1/retrieve_future"
    message: str

    def to_json(self) -> dict[str, str]:
        return {"operation": self.operation, "message": self.message}


@attrs.frozen
class FuzzReport:
    exit_code: int
    findings: tuple[FuzzFinding, ...]
    output_tail: str = attrs.field(repr=False)

    @property
    def passed(self) -> bool:
        return self.exit_code == 0 and not self.findings

    @property
    def tool_failed(self) -> bool:
        """schemathesis itself failed (bad spec, config, crash): no verdict about the server."""
        return self.exit_code not in (0, 1) and not self.findings

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "exit_code": self.exit_code,
            "findings": [f.to_json() for f in self.findings],
        }

    def render(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.text import Text

        target = console if console is not None else Console()
        for finding in self.findings:
            target.print(Text(f"FAIL {finding.operation}", style="bold red"))
            target.print(Text(finding.message))
        verdict = "no findings" if self.passed else f"{len(self.findings)} finding(s)"
        target.print(Text(f"schemathesis exit {self.exit_code}: {verdict}"))


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _schemathesis_command() -> list[str]:
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which(
        "schemathesis"
    )
    if found is None:
        raise MissingDependencyError(
            "fuzzing needs schemathesis, which is not installed: pip install 'tinker-ext[contract]' "
            "(or 'schemathesis==4.32.5')"
        )
    return [found]


def _findings(junit: Path) -> tuple[FuzzFinding, ...]:
    if not junit.exists():
        return ()
    found = []
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        for failure in [*case.iter("failure"), *case.iter("error")]:
            text = (failure.text or failure.get("message") or "").strip()
            found.append(FuzzFinding(case.get("name", "?"), text[:2000]))
    return tuple(found)


def fuzz_server(
    base_url: str,
    api_key: str | None = None,
    *,
    operation_ids: Sequence[str] = DEFAULT_FUZZ_OPERATIONS,
    max_examples: int = 10,
    max_time_s: float = 60.0,
    request_timeout_s: float = 10.0,
    seed: int = 42,
    allow_remote: bool = False,
) -> FuzzReport:
    """Fuzz `operation_ids` of the server at `base_url` (examples, coverage and fuzzing phases)."""
    if not allow_remote and not _is_loopback(base_url):
        raise ValueError(
            f"fuzz_server only targets loopback servers unless allow_remote=True (got {base_url!r})"
        )
    command = _schemathesis_command()
    with tempfile.TemporaryDirectory(prefix="tinker-ext-fuzz-") as workdir:
        junit = Path(workdir) / "junit.xml"
        spec_file = Path(workdir) / "openapi.json"
        spec_file.write_text(json.dumps(ContractSpec.load().document), encoding="utf-8")
        args = [
            *command,
            "run",
            str(spec_file),
            "--url",
            base_url.rstrip("/"),
            "--max-examples",
            str(max_examples),
            "--max-time",
            str(int(max_time_s)),
            "--request-timeout",
            str(request_timeout_s),
            "--seed",
            str(seed),
            "--phases",
            "examples,coverage,fuzzing",
            "--checks",
            "not_a_server_error,status_code_conformance,response_schema_conformance",
            "--report",
            "junit",
            "--report-junit-path",
            str(junit),
            "--output-sanitize",
            "false",
            "--generation-database",
            "none",
        ]
        for operation_id in operation_ids:
            args += ["--include-operation-id", operation_id]
        env = dict(os.environ)
        if api_key:
            # Through the environment, not argv (visible in `ps`); schemathesis reads -H values literally,
            # so the header goes in a config file that refers to the variable.
            config = Path(workdir) / "schemathesis.toml"
            config.write_text(
                '[auth.openapi.ApiKeyAuth]\napi_key = "${TINKER_EXT_FUZZ_API_KEY}"\n', encoding="utf-8"
            )
            env["TINKER_EXT_FUZZ_API_KEY"] = api_key
            args[1:1] = ["--config-file", str(config)]
        completed = subprocess.run(
            args,
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=max_time_s + 120,
            check=False,
        )
        output = completed.stdout + completed.stderr
        if api_key:
            output = output.replace(api_key, "<redacted>")
        return FuzzReport(completed.returncode, _findings(junit), output[-4000:])
