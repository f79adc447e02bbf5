"""Export of a sampler checkpoint's LoRA weights to a PEFT adapter directory.

What the archives hold (skyrl-tx 0.3.0 and skyrl 0.4.0, measured): `adapter_model.safetensors` with keys
`base_model.model.<module>.lora_A.weight` (shape `[r, in]`) / `.lora_B.weight` (`[out, r]`), float32, for
every trained module, and an `adapter_config.json` with `r`, `lora_alpha` (32) and
`base_model_name_or_path` but **`target_modules: null`**. Loaded as is, `peft` falls back to its default
targets for the architecture (`q_proj`, `v_proj` for Qwen3) and silently drops the k/o/MLP adapters: the
model loads, and is wrong. The export:

- takes the target modules from the tensors (the module names that have a `lora_A`/`lora_B` pair; every
  pair must be complete and of the same rank), and checks the rank against the run's `lora_rank` when known;
- converts embedding adapters to PEFT's layout (`lora_embedding_A` `[r, vocab]`, `lora_embedding_B`
  `[hidden, r]`; the servers store them as `[vocab, r]` / `[r, hidden]`, like their lookup);
- writes `adapter_config.json` (PEFT's LoRA fields: `peft_type`, `task_type: CAUSAL_LM`, `r`, `lora_alpha`,
  `target_modules`, `base_model_name_or_path`, no dropout, no bias) and `adapter_model.safetensors`.

Needs `safetensors` and `numpy` (the `peft` extra); loading the result (`load_peft_model`) needs `peft`,
`transformers` and `torch`. Nothing is imported before it is used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinker_ext._core.exceptions import InvalidInputError, TinkerError
from tinker_ext._rest.checkpoints import download_checkpoint
from tinker_ext.types.checkpoint_path import ParsedCheckpointTinkerPath

__all__ = ["PeftExport", "PeftExportError", "export_peft", "export_peft_adapter", "load_peft_model"]

ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
DEFAULT_LORA_ALPHA = 32.0  # what both local servers use (and Tinker's documented default)
_KEY = re.compile(r"^(?:base_model\.model\.)?(?P<module>.+)\.(?P<part>lora_A|lora_B)(?:\.weight)?$")
_EMBEDDING_NAMES = ("embed_tokens", "wte", "word_embeddings")


class PeftExportError(TinkerError):
    """A checkpoint directory is not a LoRA adapter this exporter understands (missing file, incomplete
    A/B pair, rank that disagrees with the run)."""


@dataclass(frozen=True)
class PeftExport:
    """An exported adapter directory and what it holds."""

    path: Path
    rank: int
    lora_alpha: float
    target_modules: tuple[str, ...]
    base_model_name_or_path: str
    tensors: int


def _require(module: str, extra: str = "peft") -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{module} is needed for PEFT export: pip install 'tinker-ext[{extra}]' ({exc})"
        ) from exc


def _read_adapter(source: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(adapter_config.json as a dict, {key: numpy array}) of an extracted checkpoint directory."""
    weights = source / ADAPTER_WEIGHTS
    if not weights.is_file():
        found = sorted(p.name for p in source.iterdir()) if source.is_dir() else []
        raise PeftExportError(f"{source} holds no {ADAPTER_WEIGHTS} (found: {found or 'nothing'})")
    config_file = source / ADAPTER_CONFIG
    config: dict[str, Any] = {}
    if config_file.is_file():
        try:
            loaded = json.loads(config_file.read_text())
        except ValueError as exc:
            raise PeftExportError(f"{config_file} is not JSON: {exc}") from exc
        if isinstance(loaded, dict):
            config = loaded
    numpy_io = _require("safetensors.numpy")
    try:
        tensors = dict(numpy_io.load_file(str(weights)))
    except Exception as exc:  # safetensors raises its own SafetensorError / OSError
        raise PeftExportError(f"{weights} is not a readable safetensors file: {exc}") from exc
    return config, tensors


def _convert(tensors: dict[str, Any]) -> tuple[dict[str, Any], int, set[str]]:
    """PEFT-layout tensors, the rank, and the target module names."""
    pairs: dict[str, dict[str, Any]] = {}
    for key, value in tensors.items():
        match = _KEY.match(key)
        if match is None:
            raise PeftExportError(
                f"tensor {key!r} is not a LoRA A/B weight (expected '<module>.lora_A.weight')"
            )
        pairs.setdefault(match["module"], {})[match["part"]] = value
    if not pairs:
        raise PeftExportError("the adapter holds no LoRA tensors")
    out: dict[str, Any] = {}
    ranks: set[int] = set()
    for module, pair in sorted(pairs.items()):
        if set(pair) != {"lora_A", "lora_B"}:
            raise PeftExportError(f"module {module!r} has {sorted(pair)} but not both lora_A and lora_B")
        a, b = pair["lora_A"], pair["lora_B"]
        if a.ndim != 2 or b.ndim != 2:
            raise PeftExportError(f"module {module!r}: LoRA weights must be 2-D, got {a.shape} and {b.shape}")
        prefix = f"base_model.model.{module}"
        if module.rsplit(".", 1)[-1] in _EMBEDDING_NAMES:
            # stored as the lookup uses them: A [vocab, r], B [r, hidden]; PEFT: A [r, vocab], B [hidden, r]
            rank = a.shape[1]
            out[f"{prefix}.lora_embedding_A"] = a.T.copy()
            out[f"{prefix}.lora_embedding_B"] = b.T.copy()
            b_rank = b.shape[0]
        else:
            rank, b_rank = a.shape[0], b.shape[1]
            out[f"{prefix}.lora_A.weight"] = a
            out[f"{prefix}.lora_B.weight"] = b
        if rank != b_rank:
            raise PeftExportError(f"module {module!r}: lora_A has rank {rank}, lora_B {b_rank}")
        ranks.add(int(rank))
    if len(ranks) != 1:
        raise PeftExportError(f"the adapter mixes LoRA ranks {sorted(ranks)}")
    return out, ranks.pop(), {module.rsplit(".", 1)[-1] for module in pairs}


def export_peft_adapter(
    source_dir: str | os.PathLike[str],
    output_dir: str | os.PathLike[str],
    *,
    base_model_name_or_path: str | None = None,
    rank: int | None = None,
    lora_alpha: float | None = None,
    force: bool = False,
) -> PeftExport:
    """Convert an extracted sampler checkpoint (`download_checkpoint`'s directory) into a PEFT adapter
    directory at `output_dir`.

    `base_model_name_or_path` goes into the config (default: the archive's own, e.g. `tiny/qwen3-2l`; pass
    a local model directory or a hub id that `transformers` can load); `rank` is the run's LoRA rank,
    checked against the tensors (a mismatch is an error); `lora_alpha` defaults to the archive's (else 32).
    An existing `output_dir` is an error unless `force=True`.
    """
    source, target = Path(source_dir), Path(output_dir)
    if rank is not None and rank < 1:
        raise InvalidInputError(f"rank must be >= 1, got {rank!r}")
    if target.exists() and not force:
        raise InvalidInputError(f"{target} already exists; pass force=True to overwrite it")
    config, tensors = _read_adapter(source)
    converted, found_rank, targets = _convert(tensors)
    if rank is not None and rank != found_rank:
        raise PeftExportError(
            f"the run's LoRA rank is {rank} but the checkpoint's tensors have rank {found_rank}"
        )
    alpha = float(lora_alpha if lora_alpha is not None else config.get("lora_alpha") or DEFAULT_LORA_ALPHA)
    base = base_model_name_or_path or config.get("base_model_name_or_path")
    if not base:
        raise InvalidInputError("the archive names no base model: pass base_model_name_or_path")
    peft_config = {
        **{k: v for k, v in config.items() if not k.startswith("_")},
        "peft_type": "LORA",
        "task_type": "CAUSAL_LM",
        "base_model_name_or_path": str(base),
        "r": found_rank,
        "lora_alpha": alpha,
        "target_modules": sorted(targets),
        "lora_dropout": 0.0,
        "bias": "none",
        "fan_in_fan_out": False,
        "use_rslora": False,
        "modules_to_save": None,
        "inference_mode": True,
        "layers_to_transform": None,
        "rank_pattern": {},
        "alpha_pattern": {},
    }
    numpy_io = _require("safetensors.numpy")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tinker-peft-"))
    try:
        numpy_io.save_file(converted, str(staging / ADAPTER_WEIGHTS), metadata={"format": "pt"})
        (staging / ADAPTER_CONFIG).write_text(json.dumps(peft_config, indent=2, sort_keys=True) + "\n")
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return PeftExport(target, found_rank, alpha, tuple(sorted(targets)), str(base), len(converted))


def _resolved(value: Any) -> Any:
    result = getattr(value, "result", None)
    return result() if callable(result) else value


def export_peft(
    rest_client: Any,
    tinker_path: str,
    output_dir: str | os.PathLike[str],
    *,
    base_model_name_or_path: str | None = None,
    force: bool = False,
    **download_options: Any,
) -> PeftExport:
    """Download a sampler checkpoint (`tinker://RUN/sampler_weights/NAME`) and export it as a PEFT adapter
    directory. The rank of the run comes from the server's weights info (checked against the tensors);
    `download_options` go to `download_checkpoint` (retries, timeouts, progress)."""
    parsed = ParsedCheckpointTinkerPath.from_tinker_path(tinker_path)
    if parsed.checkpoint_type != "sampler":
        raise InvalidInputError(
            f"{tinker_path} is a {parsed.checkpoint_type} checkpoint; PEFT export needs sampler weights "
            "(tinker://RUN/sampler_weights/NAME, from save_weights_for_sampler)"
        )
    rank: int | None = None
    base = base_model_name_or_path
    try:
        info = _resolved(rest_client.get_weights_info_by_tinker_path(tinker_path))
        rank = getattr(info, "lora_rank", None)
        base = base or getattr(info, "base_model", None)
    except TinkerError:
        pass  # a server without weights info: the tensors alone say the rank
    with tempfile.TemporaryDirectory(prefix=".tinker-peft-src-", dir=Path(output_dir).parent) as scratch:
        source = download_checkpoint(rest_client, tinker_path, scratch, **download_options)
        return export_peft_adapter(source, output_dir, base_model_name_or_path=base, rank=rank, force=force)


def load_peft_model(adapter_dir: str | os.PathLike[str], base_model_path: str | os.PathLike[str]) -> Any:
    """The base model (a local transformers directory) with the exported adapter applied, in eval mode
    (imports torch, transformers and peft)."""
    transformers = _require("transformers")
    peft = _require("peft")
    base = transformers.AutoModelForCausalLM.from_pretrained(str(base_model_path), local_files_only=True)
    model = peft.PeftModel.from_pretrained(base, str(adapter_dir), is_trainable=False)
    model.eval()
    return model
