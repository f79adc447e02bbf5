"""`tinker-ext checkpoint push-hf TINKER_PATH`: upload a LoRA checkpoint to the Hugging Face Hub as a PEFT
adapter (tinker 0.38's command). Needs `huggingface_hub` (and `hf auth login`); it is imported only here.

The checkpoint is downloaded into a temporary directory, must hold a PEFT adapter
(`adapter_config.json` + `adapter_model.safetensors` or `.bin`; encrypted `.age` exports are refused), gets
`base_model_name_or_path` from the checkpoint's weights info and, unless `--no-model-card`, a README model
card; then it is uploaded with `HfApi.upload_folder`.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import click

from tinker_ext._rest.checkpoints import download_checkpoint

from ..types.checkpoint_path import ParsedCheckpointTinkerPath
from ._app import cli_context, fail, resolved
from ._output import emit_json

__all__ = ["push_hf"]

_WEIGHT_FILES = ("adapter_model.safetensors", "adapter_model.bin")


def _hub() -> Any:
    try:
        import huggingface_hub
    except ImportError:
        fail("checkpoint push-hf needs huggingface_hub: `pip install huggingface_hub`, then `hf auth login`")
    return huggingface_hub


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "checkpoint"


def _prepare(folder: Path, base_model: str, tinker_path: str, model_card: bool) -> None:
    if any(p.suffix == ".age" for p in folder.rglob("*")):
        fail("the checkpoint is encrypted (.age files): decrypt it before pushing")
    config_file = folder / "adapter_config.json"
    if not config_file.is_file() or not any((folder / name).is_file() for name in _WEIGHT_FILES):
        fail("the checkpoint is not a PEFT adapter (adapter_config.json and adapter_model.safetensors/.bin)")
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except ValueError:
        fail("adapter_config.json is not valid JSON")
    if not isinstance(config, dict):
        fail("adapter_config.json is not a JSON object")
    config["base_model_name_or_path"] = base_model
    config_file.write_text(json.dumps(config, indent=2), encoding="utf-8")
    readme = folder / "README.md"
    if model_card and not readme.exists():
        readme.write_text(
            f"---\nbase_model: {base_model}\nlibrary_name: peft\ntags:\n- tinker\n- lora\n---\n\n"
            f"# LoRA adapter for {base_model}\n\nTrained with Tinker; exported from `{tinker_path}`.\n",
            encoding="utf-8",
        )


@click.command("push-hf")
@click.argument("tinker_path")
@click.option(
    "--repo", "-r", "repo_id", default=None, help="Hub repo id (default tinker-<base model>-<run id>)."
)
@click.option("--public", is_flag=True, help="Create the repo public (default private).")
@click.option("--revision", default=None, help="Branch to push to (default: the checkpoint name).")
@click.option("--commit-message", default=None, help="Commit message.")
@click.option("--create-pr", is_flag=True, help="Open a pull request instead of committing.")
@click.option("--allow-pattern", multiple=True, help="Only upload files matching (repeatable).")
@click.option("--ignore-pattern", multiple=True, help="Do not upload files matching (repeatable).")
@click.option("--no-model-card", is_flag=True, help="Do not write a README model card.")
def push_hf(
    tinker_path: str,
    repo_id: str | None,
    public: bool,
    revision: str | None,
    commit_message: str | None,
    create_pr: bool,
    allow_pattern: tuple[str, ...],
    ignore_pattern: tuple[str, ...],
    no_model_card: bool,
) -> None:
    """Upload a checkpoint to the Hugging Face Hub as a PEFT adapter."""
    ctx = cli_context()
    hub = _hub()
    parsed = ParsedCheckpointTinkerPath.from_tinker_path(tinker_path)
    base_model = str(resolved(ctx.rest().get_weights_info_by_tinker_path(tinker_path)).base_model)
    repo = repo_id or f"tinker-{_slug(base_model.split('/')[-1])}-{_slug(parsed.training_run_id)}"
    branch = revision or _slug(parsed.checkpoint_id.rsplit("/", 1)[-1])
    with tempfile.TemporaryDirectory(prefix="tinker-push-hf-") as tmp:
        folder = download_checkpoint(ctx.base_url, tinker_path, Path(tmp), api_key=ctx.api_key)
        _prepare(folder, base_model, tinker_path, not no_model_card)
        api = hub.HfApi()
        api.create_repo(repo_id=repo, private=not public, exist_ok=True)
        api.create_branch(repo_id=repo, branch=branch, exist_ok=True)
        commit = api.upload_folder(
            folder_path=str(folder),
            repo_id=repo,
            revision=branch,
            commit_message=commit_message or f"Upload {tinker_path}",
            create_pr=create_pr,
            allow_patterns=list(allow_pattern) or None,
            ignore_patterns=list(ignore_pattern) or None,
        )
    url = str(getattr(commit, "commit_url", None) or f"https://huggingface.co/{repo}/tree/{branch}")
    if ctx.json:
        emit_json({"tinker_path": tinker_path, "repo_id": repo, "revision": branch, "url": url})
    else:
        click.echo(f"Pushed {tinker_path} to {url}")
