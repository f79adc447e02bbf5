"""`tinker-ext`: the command-line interface (click + rich).

    tinker-ext [--format table|json] [--base-url URL] [--api-key KEY] <group> ...

The three options may also follow the command (`tinker-ext run list --format json`). Defaults come from
TINKER_BASE_URL (else the hosted service) and TINKER_API_KEY (else the key `auth login` stored). Every
client a command opens is closed when it ends. Lists are newest first; `total` is how many the server
has, of which the list shows `--limit`. Tables fit the terminal and never break a tinker:// path; piped
output (or a terminal too narrow for the paths) gets plain space-separated columns. Commands and their
JSON output (stable keys; records are the official wire shapes of `Checkpoint`, `TrainingRun`,
`SupportedModel`):

    checkpoint list [--run-id ID] [--limit N]   {"checkpoints": [Checkpoint...], "total": int}
    checkpoint info PATH                        {"checkpoint": Checkpoint, "training_run": TrainingRun}
    checkpoint download PATH [-o DIR] [--force] [--max-retries N] [--timeout S]
                                                {"tinker_path": str, "path": str, "bytes": int,
                                                 "resumed_from": [int], "verified": [str]}
    checkpoint publish|unpublish PATH           {"tinker_path": str, "public": bool}
    checkpoint set-ttl PATH --ttl S | --remove  {"tinker_path": str, "ttl_seconds": int | null}
    checkpoint delete PATH... [-y]              {"deleted_count": int, "deleted": [str],
                                                 "failed": [{"tinker_path": str, "error": str}]}
    checkpoint expiry | extend-ttl | prune | export-peft   (see tinker_ext/cli/_checkpoint_manage.py)
    run list [--limit N]                        {"training_runs": [TrainingRun...], "total": int}
    run info RUN_ID                             {"training_run": TrainingRun}
    session list [--limit N]                    {"sessions": [str]}
    session info SESSION_ID                     {"session_id": str, "training_run_ids": [...], "sampler_ids": [...]}
    model list [SUBSTRING]                      {"models": [SupportedModel...]}
    sample (--base-model M | --model-path P) [PROMPT | --prompt-file F | --prompt-tokens 1,2,3]
                                                {"prompt_tokens": [int], "completions":
                                                 [{"text": str|null, "tokens": [int], "stop_reason": str}]}
    version                                     {"version": str}
    auth login [--no-verify] | logout | status | whoami; billing usage | checkpoint-storage
    contract check | matrix [--keep] | fuzz     (see tinker_ext/cli/_contract.py)
    doctor [--base-model M] [--timeout S]       {"schema_version": 1, "base_url": str, "base_model": str|null,
                                                 "ok": bool, "checks": [{"name", "status", "summary", "hint",
                                                 "details"}]}; exit 1 when a check FAILs

Errors: one line `Error: ...` on stderr, exit 1 (usage errors exit 2, Ctrl-C 130).
"""

from __future__ import annotations

import sys

from ._main import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="tinker-ext")
    except KeyboardInterrupt:  # pragma: no cover - outside a command (e.g. during import)
        sys.exit(130)
