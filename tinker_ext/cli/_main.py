"""The root `tinker-ext` group and its global options."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click

from ._account import auth, billing
from ._app import DEFAULT_BASE_URL, CliContext, Dependencies, TinkerGroup
from ._checkpoint import checkpoint
from ._checkpoint_manage import MANAGER_COMMANDS
from ._commands import model, run, sample, session, version
from ._contract import contract
from ._doctor import doctor
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
    state = CliContext(
        output_format="json" if output_format == "json" else "table",
        base_url=(base_url or os.environ.get("TINKER_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
        api_key=api_key,
        dependencies=dependencies,
    )
    ctx.obj = state
    ctx.call_on_close(state.close_clients)


def _set_global(field: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    """A subcommand's copy of a global option: a value given there replaces the group's."""

    def callback(ctx: click.Context, _: click.Parameter, value: Any) -> None:
        state = ctx.find_object(CliContext)
        if value is None or state is None:
            return
        if field == "base_url":
            value = value.rstrip("/")
        setattr(state, field, value)

    return callback


_GLOBAL_OPTIONS: list[tuple[list[str], str, Any]] = [
    (["--format", "-f"], "output_format", click.Choice(["table", "json"])),
    (["--base-url"], "base_url", None),
    (["--api-key"], "api_key", None),
]


def _global_options() -> list[click.Option]:
    """--format, --base-url and --api-key for a subcommand (`tinker-ext run list --format json`); no
    defaults or environment variables here: the group's own options supply those."""
    return [
        click.Option(
            opts,
            type=kind,
            default=None,
            expose_value=False,
            callback=_set_global(field),
            help="Same as before the command (tinker-ext --help).",
        )
        for opts, field, kind in _GLOBAL_OPTIONS
    ]


def _accept_global_options(command: click.Command) -> None:
    """Add the global options to every leaf command that has no option of the same name (the
    `contract` commands have their own --format/--base-url/--api-key, which already fall back)."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_global_options(sub)
        return
    taken = {opt for param in command.params for opt in param.opts}
    command.params += [o for o in _global_options() if not taken.intersection(o.opts)]


checkpoint.add_command(push_hf)
for manager_command in MANAGER_COMMANDS:  # expiry, extend-ttl, prune, export-peft (tinker_ext.checkpoints)
    checkpoint.add_command(manager_command)
for command in (auth, billing, checkpoint, run, session, model, sample, version, contract, doctor):
    _accept_global_options(command)
    cli.add_command(command)
