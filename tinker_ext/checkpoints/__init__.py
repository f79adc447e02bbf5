"""The checkpoint manager: resumable verified downloads, PEFT export, TTL listing/extension/pruning and
resuming a run with its optimizer state.

    from tinker_ext import checkpoints
    target = checkpoints.download_checkpoint(rest, "tinker://RUN/sampler_weights/step_100", "ckpts")
    checkpoints.export_peft(rest, "tinker://RUN/sampler_weights/step_100", "adapters/step_100",
                            base_model_name_or_path="Qwen/Qwen3-8B")
    plan = checkpoints.plan_prune(checkpoints.all_checkpoints(rest, "RUN"), older_than=timedelta(days=7))
    checkpoints.prune(rest, plan, dry_run=False)

See docs/CHECKPOINTS.md. `peft`/`safetensors`/`torch`/`transformers` are imported only by the PEFT
functions that need them (`pip install 'tinker-ext[peft]'`).
"""

from __future__ import annotations

from tinker_ext._rest.archive_fetch import ArchiveDownload, ChecksumMismatchError
from tinker_ext._rest.checkpoints import (
    CheckpointDownloadError,
    ProgressCallback,
    UnsafeArchiveError,
    download_checkpoint,
    partial_archive_path,
    resume,
    safe_extract,
)
from tinker_ext.checkpoints._optimizer import (
    OptimizerRestoreCheck,
    OptimizerStateNotRestoredError,
    OptimizerStateWarning,
    verify_resume,
)
from tinker_ext.checkpoints._peft import (
    PeftExport,
    PeftExportError,
    export_peft,
    export_peft_adapter,
    load_peft_model,
)
from tinker_ext.checkpoints._ttl import (
    MAX_TTL_SECONDS,
    MIN_TTL_SECONDS,
    PRUNE_KINDS,
    CheckpointExpiry,
    PrunePlan,
    PruneResult,
    all_checkpoints,
    extend_ttl,
    list_with_expiry,
    plan_prune,
    prune,
)

__all__ = [
    "MAX_TTL_SECONDS",
    "MIN_TTL_SECONDS",
    "PRUNE_KINDS",
    "ArchiveDownload",
    "CheckpointDownloadError",
    "CheckpointExpiry",
    "ChecksumMismatchError",
    "OptimizerRestoreCheck",
    "OptimizerStateNotRestoredError",
    "OptimizerStateWarning",
    "PeftExport",
    "PeftExportError",
    "ProgressCallback",
    "PrunePlan",
    "PruneResult",
    "UnsafeArchiveError",
    "all_checkpoints",
    "download_checkpoint",
    "export_peft",
    "export_peft_adapter",
    "extend_ttl",
    "list_with_expiry",
    "load_peft_model",
    "partial_archive_path",
    "plan_prune",
    "prune",
    "resume",
    "safe_extract",
    "verify_resume",
]
