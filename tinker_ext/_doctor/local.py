"""The checks that need no server: where the base model's tokenizer would come from on this machine."""

from __future__ import annotations

import os
from pathlib import Path

from tinker_ext._tokenizers.hub import HUB_TIMEOUT_ENV, hub_cache_root, hub_disabled, hub_timeout
from tinker_ext._tokenizers.loader import (
    TOKENIZER_DIR_ENV,
    find_local_tokenizer_file,
    local_vocab_size,
    resolve_tokenizer_id,
)

from .report import CheckStatus, DoctorCheck

__all__ = ["tokenizer_check"]


def _source(found: Path, tokenizer_id: str) -> str:
    """Which of the loader's places `found` came from (the order get_tokenizer looks in)."""
    resolved = found.resolve()

    def under(root: str | Path) -> bool:
        try:
            return resolved.is_relative_to(Path(root).expanduser().resolve())
        except OSError:
            return False

    if Path(tokenizer_id).expanduser().exists():
        return "a local path given as the model name"
    env = os.environ.get(TOKENIZER_DIR_ENV, "").strip()
    if env and (env.startswith("{") or under(env)):
        return TOKENIZER_DIR_ENV
    if under(hub_cache_root()):
        return "an earlier hub download"
    return "the Hugging Face cache"


def tokenizer_check(base_model: str) -> DoctorCheck:
    """Can `get_tokenizer()` resolve the model's tokenizer here, and from where (no download)."""
    tokenizer_id = resolve_tokenizer_id(base_model)
    found = find_local_tokenizer_file(tokenizer_id)
    if found is not None:
        vocab = local_vocab_size(base_model)
        size = f", vocabulary {vocab}" if vocab else ""
        return DoctorCheck(
            "tokenizer",
            CheckStatus.OK,
            f"{tokenizer_id}: {found} (from {_source(found, tokenizer_id)}{size})",
            details={"tokenizer_id": tokenizer_id, "path": str(found), "vocab_size": vocab},
        )
    fix = f"set {TOKENIZER_DIR_ENV}=<dir with {tokenizer_id}/tokenizer.json> (sampling from token ids needs none)"
    if hub_disabled():
        return DoctorCheck(
            "tokenizer",
            CheckStatus.WARN,
            f"no tokenizer for {tokenizer_id} on this machine and the hub is off: get_tokenizer() will fail",
            fix,
            {"tokenizer_id": tokenizer_id},
        )
    return DoctorCheck(
        "tokenizer",
        CheckStatus.WARN,
        f"no tokenizer for {tokenizer_id} on this machine: get_tokenizer() will try the Hugging Face hub "
        f"(one attempt, {HUB_TIMEOUT_ENV}={hub_timeout():g} s)",
        fix + " to work offline",
        {"tokenizer_id": tokenizer_id},
    )
