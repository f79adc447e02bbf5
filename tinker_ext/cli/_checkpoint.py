"""`tinker-ext checkpoint ...`: list, info, download, publish, unpublish, set-ttl, delete."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from tinker_ext._core.exceptions import NotFoundError, TinkerError
from tinker_ext._rest.archive_fetch import ArchiveDownload
from tinker_ext._rest.checkpoints import checkpoint_dir_name, download_checkpoint

from ..types.checkpoint_path import ParsedCheckpointTinkerPath
from ._app import cli_context, fail, resolved
from ._commands import all_training_runs
from ._errors import error_message
from ._output import emit_json, emit_table, format_bytes, format_time, progress_bar

__all__ = ["checkpoint"]

MIN_TTL_SECONDS = 3600
MAX_TTL_SECONDS = 10 * 365 * 24 * 3600
_USER_CHECKPOINT_BATCH = 1000
_RUN_BATCH = 100
_DELETE_WORKERS = 8


def _parse(path: str) -> ParsedCheckpointTinkerPath:
    return ParsedCheckpointTinkerPath.from_tinker_path(path)


def _same_checkpoint(a: str, b: str) -> bool:
    try:
        return _parse(a).canonical_path == _parse(b).canonical_path
    except TinkerError:
        return a == b


def _checkpoint_rows(checkpoints: Sequence[Any]) -> list[list[Any]]:
    return [
        [
            c.checkpoint_id,
            c.checkpoint_type,
            format_bytes(c.size_bytes),
            "yes" if c.public else "no",
            format_time(c.time),
            format_time(c.expires_at, never="Never"),
            c.tinker_path,
        ]
        for c in checkpoints
    ]


_CHECKPOINT_COLUMNS = ["Checkpoint ID", "Type", "Size", "Public", "Created", "Expires", "Path"]


def _user_checkpoints(rest: Any, limit: int, show_progress: bool) -> tuple[list[Any], int]:
    """The user's checkpoints, newest first, and how many the server has; `limit` 0 = all (fetched in
    batches)."""
    found: list[Any] = []
    total: int | None = None
    try:
        with progress_bar(show_progress and limit == 0) as progress:
            task = progress.add_task("Listing checkpoints", total=None) if progress else None
            while limit == 0 or len(found) < limit:
                batch = (
                    _USER_CHECKPOINT_BATCH if limit == 0 else min(_USER_CHECKPOINT_BATCH, limit - len(found))
                )
                page = resolved(rest.list_user_checkpoints(limit=batch, offset=len(found)))
                found.extend(page.checkpoints)
                total = page.cursor.total_count if page.cursor is not None else None
                if progress is not None and task is not None:
                    progress.update(task, completed=len(found), total=total)
                if len(page.checkpoints) < batch or (total is not None and len(found) >= total):
                    break
        return found, total if total is not None else len(found)
    except NotFoundError:
        pass
    # Servers without GET /checkpoints (e.g. skyrl-tx): gather them run by run.
    runs = all_training_runs(rest, show_progress)
    for run in runs:
        found.extend(resolved(rest.list_checkpoints(run.training_run_id)).checkpoints)
    found.sort(key=lambda c: c.time, reverse=True)
    return (found if limit == 0 else found[:limit]), len(found)


@click.group()
def checkpoint() -> None:
    """Manage checkpoints (tinker://RUN/weights|sampler_weights/NAME)."""


@checkpoint.command("list")
@click.option("--run-id", default=None, help="Only this training run's checkpoints.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="0 = all.")
def list_checkpoints(run_id: str | None, limit: int) -> None:
    """List checkpoints (newest first)."""
    ctx = cli_context()
    rest = ctx.rest()
    if run_id is not None:
        checkpoints = list(resolved(rest.list_checkpoints(run_id)).checkpoints)
        checkpoints.sort(key=lambda c: c.time, reverse=True)
        total = len(checkpoints)
        if limit:
            checkpoints = checkpoints[:limit]
    else:
        checkpoints, total = _user_checkpoints(rest, limit, show_progress=not ctx.json)
    if ctx.json:
        emit_json({"checkpoints": [c.to_json() for c in checkpoints], "total": total})
    else:
        emit_table(
            f"{len(checkpoints)} of {total} checkpoint(s), newest first",
            _CHECKPOINT_COLUMNS,
            _checkpoint_rows(checkpoints),
        )


@checkpoint.command("info")
@click.argument("tinker_path")
def info(tinker_path: str) -> None:
    """Show one checkpoint and its training run."""
    ctx = cli_context()
    parsed = _parse(tinker_path)
    rest = ctx.rest()
    listing = resolved(rest.list_checkpoints(parsed.training_run_id))
    match = next((c for c in listing.checkpoints if _same_checkpoint(c.tinker_path, tinker_path)), None)
    if match is None:
        fail(f"checkpoint {tinker_path} not found in training run {parsed.training_run_id}")
    run = resolved(rest.get_training_run(parsed.training_run_id))
    if ctx.json:
        emit_json({"checkpoint": match.to_json(), "training_run": run.to_json()})
        return
    rows = [
        ["Path", match.tinker_path],
        ["Checkpoint ID", match.checkpoint_id],
        ["Type", match.checkpoint_type],
        ["Created", format_time(match.time)],
        ["Size", format_bytes(match.size_bytes)],
        ["Public", "yes" if match.public else "no"],
        ["Expires", format_time(match.expires_at, never="Never")],
        ["Training run", run.training_run_id],
        ["Base model", run.base_model],
        ["LoRA rank", run.lora_rank if run.is_lora else "full"],
    ]
    emit_table(None, ["Field", "Value"], rows)


@checkpoint.command("download")
@click.argument("tinker_path")
@click.option(
    "--output",
    "-o",
    "output_dir",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Parent directory; the checkpoint goes to <DIR>/<run>_<kind>_<name>.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing download.")
@click.option(
    "--max-retries",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Resume attempts after a reset or truncated body.",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="Per-read timeout (s)."
)
def download(tinker_path: str, output_dir: str, force: bool, max_retries: int, timeout: float) -> None:
    """Download a checkpoint's archive (resumable: an interrupted download continues from its .part) and
    extract it safely."""
    ctx = cli_context()
    parsed = _parse(tinker_path)
    existing = Path(output_dir) / checkpoint_dir_name(tinker_path)
    if existing.exists() and not force:
        fail(f"{existing} already exists; pass --force to overwrite it")
    outcomes: list[ArchiveDownload] = []
    with progress_bar(not ctx.json, transfer=True) as progress, _explain_missing_archive(ctx, parsed):
        task = progress.add_task("Downloading", total=None) if progress else None

        def on_progress(done: int, total: int | None) -> None:
            if progress is not None and task is not None:
                progress.update(task, completed=done, total=total)

        target = download_checkpoint(
            ctx.base_url,
            tinker_path,
            Path(output_dir),
            api_key=ctx.api_key,
            force=force,
            progress=on_progress,
            max_retries=max_retries,
            on_complete=outcomes.append,
            timeout=timeout,
        )
    if ctx.json:
        outcome = outcomes[0]
        emit_json(
            {
                "tinker_path": tinker_path,
                "path": str(target),
                "bytes": outcome.size,
                "resumed_from": outcome.resumed_from,
                "verified": list(outcome.verified),
            }
        )
    else:
        outcome = outcomes[0]
        resumed = f", resumed {len(outcome.resumed_from)}x" if outcome.resumed_from else ""
        checked = ", ".join(outcome.verified) or "size"
        click.echo(
            f"Downloaded {tinker_path} ({format_bytes(outcome.size)}{resumed}; verified {checked}) to {target}"
        )


@contextmanager
def _explain_missing_archive(ctx: Any, parsed: ParsedCheckpointTinkerPath) -> Iterator[None]:
    """A 404 for the archive of a checkpoint the server lists is not "not found": the server cannot
    archive it (skyrl 0.4.0 archives only sampler checkpoints)."""
    try:
        yield
    except NotFoundError:
        listing = resolved(ctx.rest().list_checkpoints(parsed.training_run_id))
        if not any(_same_checkpoint(c.tinker_path, parsed.tinker_path) for c in listing.checkpoints):
            raise
        fail(
            f"the server lists {parsed.tinker_path} ('tinker-ext checkpoint info' shows it) but has no archive "
            "for it (HTTP 404 on its archive route): this server cannot archive this kind of checkpoint; "
            "servers such as skyrl archive only sampler checkpoints (tinker://RUN/sampler_weights/NAME, "
            "made by save_weights_for_sampler)"
        )


def _publish(tinker_path: str, public: bool) -> None:
    ctx = cli_context()
    _parse(tinker_path)
    rest = ctx.rest()
    if public:
        resolved(rest.publish_checkpoint_from_tinker_path(tinker_path))
    else:
        resolved(rest.unpublish_checkpoint_from_tinker_path(tinker_path))
    if ctx.json:
        emit_json({"tinker_path": tinker_path, "public": public})
    else:
        click.echo(f"{'Published' if public else 'Unpublished'} {tinker_path}")


@checkpoint.command("publish")
@click.argument("tinker_path")
def publish(tinker_path: str) -> None:
    """Make a checkpoint public."""
    _publish(tinker_path, True)


@checkpoint.command("unpublish")
@click.argument("tinker_path")
def unpublish(tinker_path: str) -> None:
    """Make a checkpoint private again."""
    _publish(tinker_path, False)


@checkpoint.command("set-ttl")
@click.argument("tinker_path")
@click.option(
    "--ttl", "ttl_seconds", type=int, default=None, help=f"Seconds ({MIN_TTL_SECONDS} .. 10 years)."
)
@click.option("--remove", is_flag=True, help="Remove the expiry (keep forever).")
def set_ttl(tinker_path: str, ttl_seconds: int | None, remove: bool) -> None:
    """Set or remove a checkpoint's time to live."""
    ctx = cli_context()
    if (ttl_seconds is None) == (not remove):
        raise click.UsageError("give exactly one of --ttl SECONDS or --remove")
    if ttl_seconds is not None and not MIN_TTL_SECONDS <= ttl_seconds <= MAX_TTL_SECONDS:
        raise click.BadParameter(
            f"must be between {MIN_TTL_SECONDS} and {MAX_TTL_SECONDS} seconds", param_hint="--ttl"
        )
    _parse(tinker_path)
    resolved(ctx.rest().set_checkpoint_ttl_from_tinker_path(tinker_path, ttl_seconds))
    if ctx.json:
        emit_json({"tinker_path": tinker_path, "ttl_seconds": ttl_seconds})
    elif ttl_seconds is None:
        click.echo(f"Removed the expiry of {tinker_path}")
    else:
        click.echo(f"Set the TTL of {tinker_path} to {ttl_seconds} s")


# `checkpoint delete --type`: both spellings of 0.38, to the checkpoint_type values of listings.
_KIND_ALIASES = {
    "weights": "training",
    "training": "training",
    "sampler_weights": "sampler",
    "sampler": "sampler",
    "external_weights": "external",
    "external": "external",
}


def _utc(value: str | None, option: str) -> _dt.datetime | None:
    """ISO-8601 date or date-time; a date is midnight UTC, a naive time is UTC, a trailing Z is accepted."""
    if value is None:
        return None
    try:
        parsed = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        fail(f"{option}: not an ISO-8601 date or date-time: {value!r}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_dt.UTC)


def _run_checkpoint_paths(
    ctx: Any, run_id: str, kind: str | None, before: _dt.datetime | None, after: _dt.datetime | None
) -> list[str]:
    listing = resolved(ctx.rest().list_checkpoints(run_id))
    wanted = None if kind is None else _KIND_ALIASES[kind]
    paths = []
    for item in listing.checkpoints:
        created = item.time if item.time.tzinfo is not None else item.time.replace(tzinfo=_dt.UTC)
        if wanted is not None and item.checkpoint_type != wanted:
            continue
        if (before is not None and created >= before) or (after is not None and created <= after):
            continue
        paths.append(item.tinker_path)
    return paths


@checkpoint.command("delete")
@click.argument("tinker_paths", nargs=-1)
@click.option("--run-id", default=None, help="Delete checkpoints of this training run (instead of paths).")
@click.option(
    "--type",
    "kind",
    type=click.Choice(sorted(_KIND_ALIASES)),
    default=None,
    help="With --run-id: only this kind (weights, sampler_weights, external_weights; or training, sampler, external).",
)
@click.option(
    "--before", default=None, help="With --run-id: created before this ISO-8601 date/time (UTC if naive)."
)
@click.option(
    "--after", default=None, help="With --run-id: created after this ISO-8601 date/time (UTC if naive)."
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def delete(
    tinker_paths: tuple[str, ...],
    run_id: str | None,
    kind: str | None,
    before: str | None,
    after: str | None,
    yes: bool,
) -> None:
    """Delete checkpoints (permanent): the given paths, or those of --run-id matching the filters. Exit
    code 1 if any deletion failed."""
    ctx = cli_context()
    if tinker_paths and run_id is not None:
        fail("pass checkpoint paths or --run-id, not both")
    if run_id is None and (kind or before or after):
        fail("--type, --before and --after need --run-id")
    if run_id is not None:
        tinker_paths = tuple(
            _run_checkpoint_paths(ctx, run_id, kind, _utc(before, "--before"), _utc(after, "--after"))
        )
        if not tinker_paths:
            click.echo("No matching checkpoints.", err=True)
            if ctx.json:
                emit_json({"deleted_count": 0, "deleted": [], "failed": []})
            return
    elif not tinker_paths:
        fail("pass checkpoint paths or --run-id")
    problems = []
    for path in tinker_paths:
        try:
            _parse(path)
        except TinkerError as exc:
            problems.append(str(exc))
    if problems:
        fail(f"{len(problems)} invalid path(s), nothing deleted: " + "; ".join(problems))
    paths = list(dict.fromkeys(tinker_paths))  # each once, in the given order
    if not yes:
        listing = "\n".join(f"  {p}" for p in paths)
        click.echo(f"About to delete {len(paths)} checkpoint(s):\n{listing}", err=True)
        click.echo("WARNING: This action is permanent and cannot be undone.", err=True)
        if not click.confirm(f"Delete {len(paths)} checkpoint(s)?", default=False, err=True):
            click.echo("Nothing deleted.", err=True)
            raise click.exceptions.Exit(1)
    rest = ctx.rest()
    secret = ctx.api_key

    def delete_one(path: str) -> str | None:
        try:
            resolved(rest.delete_checkpoint_from_tinker_path(path))
        except Exception as exc:
            return error_message(exc, base_url=ctx.base_url, secret=secret)
        return None

    failed: list[dict[str, str]] = []
    deleted: list[str] = []
    with progress_bar(not ctx.json) as progress, ThreadPoolExecutor(_DELETE_WORKERS) as pool:
        task = progress.add_task("Deleting", total=len(paths)) if progress else None
        for path, error in zip(paths, pool.map(delete_one, paths), strict=True):
            if error is None:
                deleted.append(path)
            else:
                failed.append({"tinker_path": path, "error": error})
            if progress is not None and task is not None:
                progress.advance(task)
    if ctx.json:
        emit_json({"deleted_count": len(deleted), "deleted": deleted, "failed": failed})
    else:
        click.echo(f"Deleted {len(deleted)} checkpoint(s)")
        for failure in failed:
            click.echo(f"Failed to delete {failure['tinker_path']}: {failure['error']}", err=True)
    if failed:
        raise click.exceptions.Exit(1)
