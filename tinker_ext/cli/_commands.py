"""`tinker-ext run|session|model|sample|version`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import click

from ._app import cli_context, fail, resolved
from ._output import emit_json, emit_table, format_time, progress_bar, waiting

__all__ = ["all_training_runs", "model", "run", "sample", "session", "version"]

_RUN_BATCH = 100
MAX_TRACE_BYTES = 4 * 1024**3  # a bound on `session export-trace` downloads


def _last_checkpoint(run: Any) -> Any:
    return run.last_checkpoint or run.last_sampler_checkpoint


# `run list --columns`: name -> (table header, cell of a TrainingRun), in 0.38's vocabulary.
_RUN_COLUMNS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "id": ("Run ID", lambda r: r.training_run_id),
    "model": ("Base model", lambda r: r.base_model),
    "owner": ("Owner", lambda r: r.model_owner),
    "lora": ("LoRA", lambda r: f"rank {r.lora_rank}" if r.is_lora else "full"),
    "updated": ("Last request", lambda r: format_time(r.last_request_time)),
    "status": ("Status", lambda r: "corrupted" if r.corrupted else "ok"),
    "checkpoint": ("Last checkpoint", lambda r: getattr(_last_checkpoint(r), "checkpoint_id", None) or "-"),
    "checkpoint_time": (
        "Checkpoint time",
        lambda r: format_time(_last_checkpoint(r).time) if _last_checkpoint(r) is not None else "-",
    ),
}
_DEFAULT_RUN_COLUMNS = "id,model,lora,updated,status"


def _run_columns(spec: str) -> list[str]:
    names = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in names if c not in _RUN_COLUMNS]
    if unknown or not names:
        fail(
            f"--columns: unknown column(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(_RUN_COLUMNS)}"
        )
    return names


@click.group()
def run() -> None:
    """Training runs."""


@run.command("list")
@click.option(
    "--limit", type=click.IntRange(min=0), default=20, show_default=True, help="Show at most N; 0 = all."
)
@click.option(
    "--columns",
    "-c",
    default=_DEFAULT_RUN_COLUMNS,
    show_default=True,
    help=f"Comma-separated table columns: {', '.join(_RUN_COLUMNS)}.",
)
def list_runs(limit: int, columns: str) -> None:
    """List training runs, most recently used first."""
    ctx = cli_context()
    names = _run_columns(columns)
    # Servers page in their own order (skyrl: oldest first), so the newest can be on the last page:
    # all pages are read, then sorted.
    runs = all_training_runs(ctx.rest(), show_progress=not ctx.json)
    runs.sort(key=lambda r: r.last_request_time, reverse=True)
    total = len(runs)
    shown = runs if limit == 0 else runs[:limit]
    if ctx.json:
        emit_json({"training_runs": [r.to_json() for r in shown], "total": total})
    else:
        headers = [_RUN_COLUMNS[n][0] for n in names]
        emit_table(
            f"{len(shown)} of {total} training run(s), most recently used first",
            headers,
            [[_RUN_COLUMNS[n][1](r) for n in names] for r in shown],
        )


def all_training_runs(rest: Any, show_progress: bool) -> list[Any]:
    """Every training run, read in pages (a progress bar on stderr from the second page on)."""
    runs: list[Any] = []
    with contextlib.ExitStack() as stack:
        progress, task = None, None
        while True:
            page = resolved(rest.list_training_runs(limit=_RUN_BATCH, offset=len(runs)))
            runs.extend(page.training_runs)
            total = page.cursor.total_count if page.cursor is not None else None
            # A server may cap its pages below _RUN_BATCH: only an empty page or the total ends the list.
            if not page.training_runs or (total is not None and len(runs) >= total):
                return runs
            if progress is None and show_progress:
                progress = stack.enter_context(progress_bar(True))
                task = progress.add_task("Listing training runs", total=total) if progress else None
            if progress is not None and task is not None:
                progress.update(task, completed=len(runs), total=total)


@run.command("info")
@click.argument("run_id")
def run_info(run_id: str) -> None:
    """Show one training run."""
    ctx = cli_context()
    training_run = resolved(ctx.rest().get_training_run(run_id))
    if ctx.json:
        emit_json({"training_run": training_run.to_json()})
        return
    rows = [
        ["Run ID", training_run.training_run_id],
        ["Base model", training_run.base_model],
        ["Owner", training_run.model_owner],
        ["LoRA", f"rank {training_run.lora_rank}" if training_run.is_lora else "full"],
        ["Last request", format_time(training_run.last_request_time)],
        ["Corrupted", "yes" if training_run.corrupted else "no"],
        [
            "Last checkpoint",
            training_run.last_checkpoint.tinker_path if training_run.last_checkpoint else "-",
        ],
        [
            "Last sampler checkpoint",
            training_run.last_sampler_checkpoint.tinker_path if training_run.last_sampler_checkpoint else "-",
        ],
    ]
    emit_table(None, ["Field", "Value"], rows)


@click.group()
def session() -> None:
    """Sessions."""


@session.command("list")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
def list_sessions(limit: int, offset: int) -> None:
    """List session ids."""
    ctx = cli_context()
    sessions = list(resolved(ctx.rest().list_sessions(limit=limit, offset=offset)).sessions)
    if ctx.json:
        emit_json({"sessions": sessions})
    else:
        emit_table(f"{len(sessions)} session(s)", ["Session ID"], [[s] for s in sessions])


@session.command("export-trace")
@click.argument("session_id")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), default=None, help="File (default ./<id>.pftrace)."
)
@click.option("--url-only", is_flag=True, help="Print the signed URL instead of downloading the trace.")
def export_trace(session_id: str, output: str | None, url_only: bool) -> None:
    """Export a session's Perfetto trace (the server prepares it; this waits, then downloads it)."""
    ctx = cli_context()
    url = resolved(ctx.rest().export_session_trace(session_id))
    if url_only:
        if ctx.json:
            emit_json({"session_id": session_id, "url": url})
        else:
            click.echo(url)
        return
    target = Path(output or f"{session_id}.pftrace")
    size = _download(url, target)
    if ctx.json:
        emit_json({"session_id": session_id, "path": str(target), "size_bytes": size})
    else:
        click.echo(f"Wrote {size} bytes to {target}")


def _download(url: str, target: Path) -> int:
    """Stream a signed URL (no credentials: the URL carries its own signature) into `target`."""
    import httpx

    size = 0
    with httpx.stream(
        "GET", url, timeout=httpx.Timeout(60.0, connect=5.0), follow_redirects=True
    ) as response:
        response.raise_for_status()
        with target.open("wb") as out:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_TRACE_BYTES:
                    fail(
                        f"the trace is larger than {MAX_TRACE_BYTES} bytes; use --url-only to fetch it yourself"
                    )
                out.write(chunk)
    return size


@session.command("info")
@click.argument("session_id")
def session_info(session_id: str) -> None:
    """Show a session's training runs and samplers."""
    ctx = cli_context()
    found = resolved(ctx.rest().get_session(session_id))
    if ctx.json:
        emit_json({"session_id": session_id, **found.to_json()})
        return
    rows = [
        ["Session ID", session_id],
        ["Training runs", ", ".join(found.training_run_ids) or "-"],
        ["Samplers", ", ".join(found.sampler_ids) or "-"],
    ]
    emit_table(None, ["Field", "Value"], rows)


@click.group()
def model() -> None:
    """Models the server offers."""


@model.command("list")
@click.argument("substring", required=False)
def list_models(substring: str | None) -> None:
    """List supported models and their capabilities (optionally filtered by a name substring)."""
    ctx = cli_context()
    models = list(resolved(ctx.rest().get_server_capabilities()).supported_models)
    if substring:
        models = [m for m in models if substring.lower() in (m.model_name or "").lower()]
        if not models:
            fail(f"no supported model name contains {substring!r}")
    if ctx.json:
        emit_json({"models": [m.to_json() for m in models]})
        return

    def flag(value: bool | None) -> str:
        return "-" if value is None else ("yes" if value else "no")

    rows = [
        [m.model_name, m.max_context_length or "-", flag(m.trainable), flag(m.sampleable)] for m in models
    ]
    emit_table(f"{len(models)} model(s)", ["Model", "Max context", "Trainable", "Sampleable"], rows)


def _token_ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(",", " ").split()]
    except ValueError:
        raise click.BadParameter(
            "must be integers separated by commas or spaces", param_hint="--prompt-tokens"
        ) from None


def _encode(tokenizer: Any, text: str) -> list[int]:
    encoded = tokenizer.encode(text)
    ids = getattr(encoded, "ids", encoded)
    return [int(t) for t in ids]


@click.command()
@click.argument("prompt", required=False)
@click.option("--base-model", default=None, help="Sample from a base model.")
@click.option("--model-path", default=None, help="Sample from a tinker:// sampler checkpoint.")
@click.option(
    "--prompt-file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Read the prompt from a file.",
)
@click.option(
    "--prompt-tokens",
    default=None,
    help="The prompt as token ids; completions are then shown as token ids (no tokenizer is looked up).",
)
@click.option("--max-tokens", type=click.IntRange(min=1), default=32, show_default=True)
@click.option("--num-samples", "-n", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--temperature", type=click.FloatRange(min=0.0), default=1.0, show_default=True)
@click.option("--seed", type=int, default=None)
def sample(
    prompt: str | None,
    base_model: str | None,
    model_path: str | None,
    prompt_file: str | None,
    prompt_tokens: str | None,
    max_tokens: int,
    num_samples: int,
    temperature: float,
    seed: int | None,
) -> None:
    """Sample completions for a prompt (text, --prompt-file or --prompt-tokens)."""
    if (base_model is None) == (model_path is None):
        raise click.UsageError("give exactly one of --base-model or --model-path")
    if sum(x is not None for x in (prompt, prompt_file, prompt_tokens)) != 1:
        raise click.UsageError("give exactly one prompt: PROMPT text, --prompt-file or --prompt-tokens")
    if model_path is not None and not model_path.startswith("tinker://"):
        raise click.BadParameter("must start with tinker://", param_hint="--model-path")
    token_ids = _token_ids(prompt_tokens) if prompt_tokens is not None else None
    if token_ids is not None and not token_ids:
        raise click.BadParameter("is empty", param_hint="--prompt-tokens")
    text = Path(prompt_file).read_text() if prompt_file is not None else prompt

    from ..types import ModelInput, SamplingParams

    ctx = cli_context()
    service = ctx.service()  # closed by the CLI group when the command ends
    sampler = resolved(service.create_sampling_client(model_path=model_path, base_model=base_model))
    # Token ids in, token ids out: no tokenizer lookup (it can mean a slow hub round trip).
    tokenizer = None
    if token_ids is None:
        try:
            tokenizer = sampler.get_tokenizer()
        except Exception as exc:
            fail(f"cannot load the model's tokenizer ({exc}); or pass --prompt-tokens 1,2,3 instead of text")
        assert text is not None
        token_ids = _encode(tokenizer, text)
    params = SamplingParams(max_tokens=max_tokens, temperature=temperature, seed=seed)
    with waiting(not ctx.json, "sampling (a server's first sample can take a while)"):
        response = resolved(
            sampler.sample(
                prompt=ModelInput.from_ints(token_ids), num_samples=num_samples, sampling_params=params
            )
        )
    completions: list[dict[str, Any]] = [
        {
            "tokens": list(seq.tokens),
            "text": tokenizer.decode(list(seq.tokens)) if tokenizer is not None else None,
            "stop_reason": str(seq.stop_reason),
        }
        for seq in response.sequences
    ]
    if ctx.json:
        emit_json({"prompt_tokens": token_ids, "completions": completions})
        return
    for index, completion in enumerate(completions):
        shown = (
            completion["text"] if completion["text"] is not None else " ".join(map(str, completion["tokens"]))
        )
        click.echo(
            f"--- completion {index} (stop: {completion['stop_reason']}, {len(completion['tokens'])} tokens)"
        )
        click.echo(shown)


def _version() -> str:
    try:
        return metadata.version("tinker-ext")
    except metadata.PackageNotFoundError:
        return "unknown"


@click.command()
def version() -> None:
    """Print the tinker-ext version."""
    ctx = cli_context()
    if ctx.json:
        emit_json({"version": _version()})
    else:
        click.echo(f"tinker-ext {_version()}")
