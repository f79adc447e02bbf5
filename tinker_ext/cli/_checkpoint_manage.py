"""`tinker-ext checkpoint expiry | extend-ttl | prune | export-peft`: the checkpoint manager's commands
(tinker_ext.checkpoints), added to the `checkpoint` group.

    checkpoint expiry [--run-id ID] [--within DUR]     {"checkpoints": [{"tinker_path", "expires_at",
                                                        "remaining_seconds", "expired"}]}
    checkpoint extend-ttl PATH... --ttl DUR            {"extended": [str], "failed": {path: error}}
    checkpoint extend-ttl --run-id ID --within DUR --ttl DUR   (every checkpoint of the run expiring soon)
    checkpoint prune [--run-id ID] [--older-than DUR] [--match GLOB] [--type T] [--keep-latest N] [--yes]
                                                       {"dry_run": bool, "would_delete"|"deleted": [str],
                                                        "kept": [str], "failed": {path: error}}
    checkpoint export-peft PATH -o DIR [--base-model NAME_OR_DIR] [--force]
                                                       {"path", "rank", "lora_alpha", "target_modules"}

DUR: seconds, or a number with s/m/h/d/w (`90m`, `7d`). `prune` without `--yes` is a dry run: it prints
what would be deleted and deletes nothing.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import click

from tinker_ext import checkpoints as ckpt

from ._app import cli_context, fail
from ._output import emit_json, emit_table, format_time

__all__ = ["MANAGER_COMMANDS"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(value: str, option: str) -> _dt.timedelta:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", value)
    if match is None:
        raise click.BadParameter(f"not a duration: {value!r} (e.g. 3600, 90m, 12h, 7d)", param_hint=option)
    return _dt.timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2) or "s"])


def _remaining(row: ckpt.CheckpointExpiry) -> str:
    if row.remaining is None:
        return "never"
    if row.expired:
        return "expired"
    return str(_dt.timedelta(seconds=int(row.remaining.total_seconds())))


@click.command("expiry")
@click.option("--run-id", default=None, help="Only this training run's checkpoints.")
@click.option("--within", default=None, help="Only those expiring within this duration (e.g. 24h).")
def expiry(run_id: str | None, within: str | None) -> None:
    """List checkpoints with their expiry, soonest first."""
    ctx = cli_context()
    window = parse_duration(within, "--within") if within is not None else None
    rows = ckpt.list_with_expiry(ctx.rest(), run_id, expiring_within=window)
    if ctx.json:
        emit_json(
            {
                "checkpoints": [
                    {
                        "tinker_path": r.tinker_path,
                        "expires_at": r.expires_at.isoformat() if r.expires_at else None,
                        "remaining_seconds": r.remaining.total_seconds() if r.remaining is not None else None,
                        "expired": r.expired,
                    }
                    for r in rows
                ]
            }
        )
        return
    emit_table(
        f"{len(rows)} checkpoint(s), soonest to expire first",
        ["Expires", "Remaining", "Path"],
        [[format_time(r.expires_at, never="Never"), _remaining(r), r.tinker_path] for r in rows],
    )


@click.command("extend-ttl")
@click.argument("tinker_paths", nargs=-1)
@click.option("--ttl", "ttl", required=True, help="New time to live from now (1h .. 10 years), e.g. 30d.")
@click.option("--run-id", default=None, help="Extend this run's checkpoints that expire within --within.")
@click.option("--within", default=None, help="With --run-id: only those expiring within this duration.")
def extend_ttl(tinker_paths: tuple[str, ...], ttl: str, run_id: str | None, within: str | None) -> None:
    """Extend checkpoints' time to live (set it to --ttl from now). Exit 1 if any failed."""
    ctx = cli_context()
    seconds = int(parse_duration(ttl, "--ttl").total_seconds())
    if not ckpt.MIN_TTL_SECONDS <= seconds <= ckpt.MAX_TTL_SECONDS:
        raise click.BadParameter(
            f"must be between {ckpt.MIN_TTL_SECONDS} and {ckpt.MAX_TTL_SECONDS} seconds", param_hint="--ttl"
        )
    if bool(tinker_paths) == (run_id is not None):
        fail("pass checkpoint paths or --run-id (with --within), not both")
    paths = list(tinker_paths)
    if run_id is not None:
        if within is None:
            fail("--run-id needs --within (which expiring checkpoints to extend)")
        window = parse_duration(within, "--within")
        paths = [r.tinker_path for r in ckpt.list_with_expiry(ctx.rest(), run_id, expiring_within=window)]
    outcome = ckpt.extend_ttl(ctx.rest(), paths, seconds)
    extended = [p for p, error in outcome.items() if error is None]
    failed = {p: error for p, error in outcome.items() if error is not None}
    if ctx.json:
        emit_json({"extended": extended, "failed": failed})
    else:
        click.echo(f"Extended {len(extended)} checkpoint(s) to {seconds} s from now")
        for path, error in failed.items():
            click.echo(f"Failed to extend {path}: {error}", err=True)
    if failed:
        raise click.exceptions.Exit(1)


@click.command("prune")
@click.option("--run-id", default=None, help="Only this training run's checkpoints (default: all of yours).")
@click.option("--older-than", default=None, help="Created more than this long ago (e.g. 7d).")
@click.option(
    "--match",
    "pattern",
    default=None,
    help="Glob on the checkpoint id or path, e.g. 'sampler_weights/step_*'.",
)
@click.option(
    "--type", "kind", type=click.Choice(sorted(ckpt.PRUNE_KINDS)), default=None, help="Only this kind."
)
@click.option(
    "--keep-latest", type=click.IntRange(min=0), default=0, help="Never delete the newest N matches."
)
@click.option(
    "--yes", "-y", is_flag=True, help="Delete (without it: a dry run listing what would be deleted)."
)
def prune(
    run_id: str | None,
    older_than: str | None,
    pattern: str | None,
    kind: str | None,
    keep_latest: int,
    yes: bool,
) -> None:
    """Delete checkpoints by age/pattern; a dry run unless --yes. Exit 1 if any deletion failed."""
    ctx = cli_context()
    if older_than is None and pattern is None:
        fail("give --older-than and/or --match (prune never selects every checkpoint)")
    age = parse_duration(older_than, "--older-than") if older_than is not None else None
    rest = ctx.rest()
    plan = ckpt.plan_prune(
        ckpt.all_checkpoints(rest, run_id),
        older_than=age,
        pattern=pattern,
        kind=kind,
        keep_latest=keep_latest,
    )
    result = ckpt.prune(rest, plan, dry_run=not yes)
    planned = [c.tinker_path for c in plan.delete]
    kept = [c.tinker_path for c in plan.kept]
    if ctx.json:
        key = "would_delete" if result.dry_run else "deleted"
        emit_json(
            {
                "dry_run": result.dry_run,
                key: planned if result.dry_run else result.deleted,
                "kept": kept,
                "failed": result.failed,
            }
        )
    elif result.dry_run:
        click.echo(f"Dry run: would delete {len(planned)} checkpoint(s) (pass --yes to delete):")
        for item in plan.delete:
            click.echo(f"  {item.tinker_path}  (created {format_time(item.time)})")
        if kept:
            click.echo(f"Kept (--keep-latest): {len(kept)}")
    else:
        click.echo(f"Deleted {len(result.deleted)} checkpoint(s)")
        for path, error in result.failed.items():
            click.echo(f"Failed to delete {path}: {error}", err=True)
    if result.failed:
        raise click.exceptions.Exit(1)


@click.command("export-peft")
@click.argument("tinker_path")
@click.option(
    "--output", "-o", "output_dir", type=click.Path(file_okay=False), required=True, help="Adapter directory."
)
@click.option(
    "--base-model",
    default=None,
    help="base_model_name_or_path for the config (default: the run's base model).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output directory.")
def export_peft(tinker_path: str, output_dir: str, base_model: str | None, force: bool) -> None:
    """Export a sampler checkpoint's LoRA weights as a PEFT adapter directory."""
    ctx = cli_context()
    result = ckpt.export_peft(
        ctx.rest(), tinker_path, Path(output_dir), base_model_name_or_path=base_model, force=force
    )
    if ctx.json:
        emit_json(
            {
                "path": str(result.path),
                "rank": result.rank,
                "lora_alpha": result.lora_alpha,
                "target_modules": list(result.target_modules),
                "base_model_name_or_path": result.base_model_name_or_path,
            }
        )
    else:
        click.echo(
            f"Exported {tinker_path} to {result.path} (PEFT LoRA r={result.rank}, alpha={result.lora_alpha:g}, "
            f"targets {', '.join(result.target_modules)})"
        )


MANAGER_COMMANDS = (expiry, extend_ttl, prune, export_peft)
