"""The root `tinker-ext` group and its global options."""

from __future__ import annotations

import os

import click

from ._account import auth, billing
from ._app import DEFAULT_BASE_URL, CliContext, Dependencies, TinkerGroup
from ._checkpoint import checkpoint
from ._commands import model, run, sample, session, version
from ._contract import contract
from ._push_hf import push_hf

__all__ = ["cli"]


@click.group(cls=TinkerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format (json is stable and machine-readable).",
)
@click.option(
    "--base-url", envvar="TINKER_BASE_URL", default=None, help="API base URL [env TINKER_BASE_URL]."
)
@click.option(
    "--api-key",
    envvar="TINKER_API_KEY",
    default=None,
    show_envvar=False,
    help="API key [env TINKER_API_KEY].",
)
@click.pass_context
def cli(ctx: click.Context, output_format: str, base_url: str | None, api_key: str | None) -> None:
    """tinker-ext: manage Tinker checkpoints, runs and sessions, list models, and sample."""
    dependencies = ctx.obj if isinstance(ctx.obj, Dependencies) else Dependencies()
    ctx.obj = CliContext(
        output_format="json" if output_format == "json" else "table",
        base_url=(base_url or os.environ.get("TINKER_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
        api_key=api_key,
        dependencies=dependencies,
    )


checkpoint.add_command(push_hf)
for command in (auth, billing, checkpoint, run, session, model, sample, version, contract):
    cli.add_command(command)
