"""`tinker-ext doctor`: one line per check (OK / WARN / FAIL / SKIP and what to do); exit 0 when nothing
FAILed, else 1. `--format json` prints the `DoctorReport` document."""

from __future__ import annotations

import json
import os

import click

from tinker_ext._doctor.run import DEFAULT_TIMEOUT
from tinker_ext._doctor.run import doctor as run_doctor

from ._app import cli_context

__all__ = ["doctor"]


@click.command("doctor")
@click.option(
    "--base-model",
    envvar="TINKER_BASE_MODEL",
    default=None,
    help="The model to check (served? tokenizer here?) [env TINKER_BASE_MODEL].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=600),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds each network step may take.",
)
def doctor(base_model: str | None, timeout: float) -> None:
    """Check the URL, TLS, the key, the wire and SDK generations, the base model, the tokenizer, the
    clock and the server's limits; one line each with what to do. Exit 1 when a check FAILs."""
    ctx = cli_context()
    # A key that is TINKER_API_KEY's value is left for doctor() to find, so the report names its source.
    given = ctx.api_key if ctx.api_key and ctx.api_key != os.environ.get("TINKER_API_KEY") else None
    report = run_doctor(ctx.base_url, given, base_model, timeout=timeout)
    if ctx.json:
        click.echo(json.dumps(report.to_json(), indent=2, sort_keys=True))
    else:
        click.echo(report.render())
    raise click.exceptions.Exit(report.exit_code)
