"""`tinker-ext contract check`: is a server Tinker-compatible? (see `tinker_ext.contract`)

    tinker-ext contract check --base-url URL [--api-key K] --base-model M [--format json] [--timeout S]

Exit 0 when every required step passes, 1 otherwise. `--format json` prints `ContractReport.to_json()`.
The options may also be given to the `tinker-ext` group (and come from TINKER_BASE_URL/TINKER_API_KEY).
"""

from __future__ import annotations

import click

from ._app import cli_context, fail
from ._output import emit_json

__all__ = ["contract"]


@click.group()
def contract() -> None:
    """Contract testing of Tinker-compatible servers."""


@contract.command("check")
@click.option("--base-url", default=None, help="Server to check (default: the tinker-ext --base-url).")
@click.option("--api-key", default=None, help="API key (default: the tinker-ext --api-key).")
@click.option("--base-model", required=True, help="A base model the server serves (for create_model).")
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["table", "json"]),
    default=None,
    help="Output format (default: the tinker-ext --format).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1.0),
    default=120.0,
    show_default=True,
    help="Seconds allowed for each future (first JIT compiles can be slow).",
)
def check(
    base_url: str | None,
    api_key: str | None,
    base_model: str,
    output_format: str | None,
    timeout: float,
) -> None:
    """Drive the Tinker workflow against a server and report every deviation from the spec."""
    from ..contract import MissingDependencyError, check_server

    ctx = cli_context()
    url = (base_url or ctx.base_url).rstrip("/")
    try:
        report = check_server(url, api_key or ctx.api_key, base_model, timeout=timeout)
    except MissingDependencyError as exc:
        fail(str(exc))
    as_json = output_format == "json" if output_format is not None else ctx.json
    if as_json:
        emit_json(report.to_json())
    else:
        report.render()
    raise click.exceptions.Exit(0 if report.passed else 1)
