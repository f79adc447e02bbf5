"""`tinker-ext contract`: which Tinker clients can use a server (see `tinker_ext.contract`).

    tinker-ext contract matrix --base-url URL --base-model M [--require GEN ...] [--keep] [--format json]
    tinker-ext contract check  --base-url URL --base-model M [--generation json|0.25|0.38] [--keep] [--format json]
    tinker-ext contract fuzz   --base-url http://127.0.0.1:PORT [--max-examples N] [--operation ID ...]

Exit codes (stable, for CI):
  matrix  0 every required generation (--require, default all) can use the server, 1 one cannot
  check   0 the generation can use the server, 1 it cannot
  fuzz    0 no finding, 1 findings
  all     2 tool or usage error (a missing tool such as schemathesis, a bad option): never a server verdict
The options may also be given to the `tinker-ext` group (and come from TINKER_BASE_URL/TINKER_API_KEY).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from ._app import cli_context
from ._output import emit_json

__all__ = ["contract"]

_GENERATIONS = ("json", "0.24", "0.25", "0.38")
TOOL_ERROR = 2


def _tool_error(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    raise click.exceptions.Exit(TOOL_ERROR)


def _format_option(function: Any) -> Any:
    return click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(["table", "json"]),
        default=None,
        help="Output format (default: the tinker-ext --format).",
    )(function)


def _server_options(function: Any) -> Any:
    for option in reversed(
        (
            click.option(
                "--base-url", default=None, help="Server to check (default: the tinker-ext --base-url)."
            ),
            click.option("--api-key", default=None, help="API key (default: the tinker-ext --api-key)."),
            click.option(
                "--base-model", required=True, help="A base model the server serves (for create_model)."
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(min=1.0),
                default=120.0,
                show_default=True,
                help="Seconds allowed for each future (first JIT compiles can be slow).",
            ),
            click.option(
                "--keep",
                is_flag=True,
                help="Leave what the check created on the server (by default its checkpoints are deleted, "
                "its models unloaded and its session finished).",
            ),
            click.option(
                "--semantics/--no-semantics",
                default=True,
                show_default=True,
                help="Also check that training computes what the API promises (workload verdicts).",
            ),
        )
    ):
        function = option(function)
    return _format_option(function)


def _finish(result: Any, output_format: str | None, ok: bool) -> NoReturn:
    """Print `result` (its to_json() or its rich render) and exit 0 if `ok`, else 1."""
    as_json = output_format == "json" if output_format is not None else cli_context().json
    if as_json:
        emit_json(result.to_json())
    else:
        result.render()
    raise click.exceptions.Exit(0 if ok else 1)


@contextmanager
def _step_progress(output_format: str | None) -> Iterator[Callable[[str, str], None] | None]:
    """A one-line spinner on stderr naming the running step (steps can wait minutes for a server's first
    compile); none in JSON mode or when stderr is not a terminal."""
    as_json = output_format == "json" if output_format is not None else cli_context().json
    if as_json or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    with Console(file=sys.stderr).status("starting") as status:

        def on_step(generation: str, step: str) -> None:
            status.update(f"contract check as {generation}: {step}")

        yield on_step


def _keep_facts(base_url: str, facts: Any) -> None:
    """Keep what the semantic checks measured for the SDK's clients of this server (see _server_facts)."""
    if facts is None:
        return
    from tinker_ext._session.server_facts import save_server_facts

    path = save_server_facts(base_url, facts)
    click.echo(f"server facts for the SDK: {path}", err=True)


@click.group()
def contract() -> None:
    """Which Tinker client generations can use a server, and why not."""


@contract.command("check")
@_server_options
@click.option(
    "--generation",
    type=click.Choice(_GENERATIONS),
    default="0.38",
    show_default=True,
    help="Client generation to check as (json = SDK <= 0.17, tinkex, tinker-ext wire=json; 0.24 = the "
    "official 0.18-0.24, which need client/config).",
)
def check(
    base_url: str | None,
    api_key: str | None,
    base_model: str,
    timeout: float,
    keep: bool,
    output_format: str | None,
    semantics: bool,
    generation: str,
) -> None:
    """Run the workflow as one client generation; every step and the verdict."""
    from .. import contract as contract_package

    ctx = cli_context()
    try:
        with _step_progress(output_format) as on_step:
            report = contract_package.check_server(
                (base_url or ctx.base_url).rstrip("/"),
                api_key or ctx.api_key,
                base_model,
                generation_name=generation,  # type: ignore[arg-type]
                timeout=timeout,
                keep=keep,
                on_step=on_step,
                semantics=semantics,
            )
    except contract_package.MissingDependencyError as exc:
        _tool_error(str(exc))
    _keep_facts((base_url or ctx.base_url).rstrip("/"), report.server_facts)
    _finish(report, output_format, report.passed)


@contract.command("matrix")
@_server_options
@click.option(
    "--require",
    "required",
    type=click.Choice(_GENERATIONS),
    multiple=True,
    help="Generations that must be able to use the server for exit 0 (repeatable; default: all).",
)
def matrix(
    base_url: str | None,
    api_key: str | None,
    base_model: str,
    timeout: float,
    keep: bool,
    output_format: str | None,
    semantics: bool,
    required: tuple[str, ...],
) -> None:
    """Run the check for every client generation; one matrix (JSON schema: ContractMatrix)."""
    from .. import contract as contract_package

    ctx = cli_context()
    try:
        with _step_progress(output_format) as on_step:
            result = contract_package.check_matrix(
                (base_url or ctx.base_url).rstrip("/"),
                api_key or ctx.api_key,
                base_model,
                timeout=timeout,
                keep=keep,
                on_step=on_step,
                semantics=semantics,
            )
    except contract_package.MissingDependencyError as exc:
        _tool_error(str(exc))
    _keep_facts((base_url or ctx.base_url).rstrip("/"), result.server_facts)
    needed = required or _GENERATIONS
    _finish(result, output_format, all(result.verdict(name).supported for name in needed))


@contract.command("fuzz")
@click.option("--base-url", default=None, help="A loopback server (default: the tinker-ext --base-url).")
@click.option("--api-key", default=None, help="API key (default: the tinker-ext --api-key).")
@click.option("--max-examples", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--max-time", type=click.FloatRange(min=1.0), default=60.0, show_default=True, help="Seconds.")
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--operation",
    "operations",
    multiple=True,
    help="operationId to fuzz (repeatable; default: the read-only ones, see DEFAULT_FUZZ_OPERATIONS).",
)
@_format_option
def fuzz(
    base_url: str | None,
    api_key: str | None,
    max_examples: int,
    max_time: float,
    seed: int,
    operations: tuple[str, ...],
    output_format: str | None,
) -> None:
    """Fuzz a loopback server against the spec with schemathesis (pip install 'tinker-ext[contract]')."""
    from .. import contract as contract_package

    ctx = cli_context()
    try:
        report = contract_package.fuzz_server(
            (base_url or ctx.base_url).rstrip("/"),
            api_key or ctx.api_key,
            operation_ids=operations or contract_package.DEFAULT_FUZZ_OPERATIONS,
            max_examples=max_examples,
            max_time_s=max_time,
            seed=seed,
        )
    except (contract_package.MissingDependencyError, ValueError) as exc:
        _tool_error(str(exc))
    if report.tool_failed:
        _tool_error(f"schemathesis failed (exit {report.exit_code}):\n{report.output_tail}")
    _finish(report, output_format, report.passed)
