"""`get_tokenizer`: the model's tokenizer with the transformers API, offline first.

What it returns: transformers' own fast tokenizer when transformers is installed (`tinker-ext[transformers]`;
`TINKER_TOKENIZER_BACKEND=tokenizers` opts out), else a `TokenizerAdapter` with the same methods and return
types over `tokenizers.Tokenizer` (`.backend_tokenizer` is the raw one either way).

Tokenizer id (official selection rules): the model name is cut at the first `:`; an explicit
`tokenizer_id` (also cut at `:`) wins; otherwise `meta-llama/Llama-3*` uses the ungated
`thinkingmachineslabinc/meta-llama-3-instruct-tokenizer`, and `org/model/variant` uses `org/model`.

Lookup order for `tokenizer.json`, first hit wins (Tinker servers serve no tokenizer files, so after the
local places only the hub is left):
1. the id itself as a local path (a directory holding `tokenizer.json`, or the file);
2. `$TINKER_TOKENIZER_DIR`: either a JSON object `{"<id>": "<dir or file>"}` or a directory searched
   for `<id>/tokenizer.json`, `<org>--<name>/tokenizer.json`, then a catch-all `tokenizer.json`;
3. `cache_dir/<id>`, then the Hugging Face cache layout `models--<org>--<name>/snapshots/<rev>/` under
   `cache_dir`, `$HF_HUB_CACHE`, `$HF_HOME/hub`, `~/.cache/huggingface/hub` (`refs/main` preferred), then
   what an earlier hub fetch stored (`~/.cache/tinker-ext/tokenizers/<org>--<name>/`);
4. only then one bounded fetch from the hub (`_tokenizers.hub`); failure raises `TokenizerNotFoundError`.
`tokenizer_config.json` beside the file gives the special tokens and the chat template.
Results are cached per (id, cache_dir); `clear_tokenizer_cache()` empties the cache.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from pathlib import Path
from typing import Any, TypeAlias

from tinker_ext._core.exceptions import TinkerError
from tinker_ext._tokenizers.adapter import TokenizerAdapter
from tinker_ext._tokenizers.hub import (
    HUB_TIMEOUT_ENV,
    HubFetchError,
    fetch_from_hub,
    hub_cache_root,
    hub_disabled,
)

# What get_tokenizer returns: transformers' PreTrainedTokenizerFast (an optional dependency, so not
# nameable here) or a TokenizerAdapter; both have the transformers tokenizer API.
Tokenizer: TypeAlias = Any

__all__ = [
    "LLAMA3_TOKENIZER_ID",
    "TokenizerAdapter",
    "TokenizerNotFoundError",
    "clear_tokenizer_cache",
    "find_local_tokenizer_file",
    "get_tokenizer",
    "local_vocab_size",
    "resolve_tokenizer_id",
]

LLAMA3_TOKENIZER_ID = "thinkingmachineslabinc/meta-llama-3-instruct-tokenizer"
TOKENIZER_DIR_ENV = "TINKER_TOKENIZER_DIR"
BACKEND_ENV = "TINKER_TOKENIZER_BACKEND"  # "transformers" | "tokenizers" | unset (transformers if installed)
_TOKENIZER_FILE = "tokenizer.json"


class TokenizerNotFoundError(TinkerError, LookupError):
    """No tokenizer.json was found locally and fetching it from the hub failed (or is disabled)."""


def _not_found_message(tokenizer_id: str, why: str) -> str:
    # The fix first: a long message is cut in logs and notebooks, the cause matters less.
    return (
        f"Set {TOKENIZER_DIR_ENV}=<dir with {tokenizer_id}/tokenizer.json> (or a JSON map "
        f'{{"{tokenizer_id}": "<dir>"}}), pass a local tokenizer path as model name/tokenizer_id, put it '
        f"in the HF cache (HF_HUB_CACHE/HF_HOME), or allow the hub (network; HF_TOKEN if gated; "
        f"{HUB_TIMEOUT_ENV}). No tokenizer for {tokenizer_id!r}: {why[:160]}"
    )


def resolve_tokenizer_id(model_name: str, tokenizer_id: str | None = None) -> str:
    """The tokenizer repository id for a model (see module docstring)."""
    if tokenizer_id:
        return tokenizer_id if os.path.exists(tokenizer_id) else tokenizer_id.split(":", 1)[0]
    if os.path.exists(model_name):  # a local tokenizer directory or file is used as it is
        return model_name
    name = model_name.split(":", 1)[0]
    if name.startswith("meta-llama/Llama-3"):
        return LLAMA3_TOKENIZER_ID
    parts = name.split("/")
    if len(parts) == 3:
        return f"{parts[0]}/{parts[1]}"
    return name


def _file_in(path: Path) -> Path | None:
    if path.is_file():
        return path
    candidate = path / _TOKENIZER_FILE
    return candidate if candidate.is_file() else None


def _from_env(tokenizer_id: str) -> Path | None:
    value = os.environ.get(TOKENIZER_DIR_ENV, "").strip()
    if not value:
        return None
    if value.startswith("{"):
        try:
            mapping = json.loads(value)
        except json.JSONDecodeError:
            return None
        target = mapping.get(tokenizer_id) if isinstance(mapping, dict) else None
        return _file_in(Path(target).expanduser()) if isinstance(target, str) else None
    root = Path(value).expanduser()
    for candidate in (root / tokenizer_id, root / tokenizer_id.replace("/", "--")):
        found = _file_in(candidate)
        if found is not None:
            return found
    return _file_in(root) if root.is_dir() else None


def _hub_cache_dirs(cache_dir: str | os.PathLike[str] | None) -> list[Path]:
    dirs: list[Path] = []
    if cache_dir is not None:
        dirs.append(Path(cache_dir).expanduser())
    if os.environ.get("HF_HUB_CACHE"):
        dirs.append(Path(os.environ["HF_HUB_CACHE"]).expanduser())
    if os.environ.get("HF_HOME"):
        dirs.append(Path(os.environ["HF_HOME"]).expanduser() / "hub")
    dirs.append(Path.home() / ".cache" / "huggingface" / "hub")
    return dirs


def _from_hub_cache(tokenizer_id: str, hub_dir: Path) -> Path | None:
    repo = hub_dir / ("models--" + tokenizer_id.replace("/", "--"))
    snapshots = repo / "snapshots"
    if not snapshots.is_dir():
        return None
    ref = repo / "refs" / "main"
    if ref.is_file():
        found = _file_in(snapshots / ref.read_text().strip())
        if found is not None:
            return found
    candidates = [p for p in snapshots.glob(f"*/{_TOKENIZER_FILE}") if p.is_file()]
    return max(candidates, key=lambda p: p.stat().st_mtime) if candidates else None


def find_local_tokenizer_file(
    tokenizer_id: str, *, cache_dir: str | os.PathLike[str] | None = None
) -> Path | None:
    """The local tokenizer.json for `tokenizer_id`, or None (no network)."""
    as_path = Path(tokenizer_id).expanduser()
    if as_path.exists():
        found = _file_in(as_path)
        if found is not None:
            return found
    found = _from_env(tokenizer_id)
    if found is not None:
        return found
    if cache_dir is not None:
        found = _file_in(Path(cache_dir).expanduser() / tokenizer_id)
        if found is not None:
            return found
    for hub_dir in _hub_cache_dirs(cache_dir):
        found = _from_hub_cache(tokenizer_id, hub_dir)
        if found is not None:
            return found
    return _file_in(hub_cache_root() / tokenizer_id.replace("/", "--"))


_cache: dict[tuple[str, str | None], Any] = {}
_cache_lock = threading.Lock()


def clear_tokenizer_cache() -> None:
    with _cache_lock:
        _cache.clear()
    _file_vocab_size.cache_clear()


def _use_transformers() -> bool:
    choice = os.environ.get(BACKEND_ENV, "").strip().lower()
    if choice == "tokenizers":
        return False
    try:
        import transformers  # noqa: F401
    except ImportError:
        if choice == "transformers":
            raise TokenizerNotFoundError(
                f"{BACKEND_ENV}=transformers but transformers is not installed: pip install 'tinker-ext[transformers]'"
            ) from None
        return False
    return True


def _open(local: Path, tokenizer_id: str) -> Tokenizer:
    """transformers' fast tokenizer for the directory of `local` (when installed), else the adapter."""
    try:
        if not _use_transformers():
            return TokenizerAdapter.from_file(local, tokenizer_id)
        from transformers import AutoTokenizer, PreTrainedTokenizerFast

        if (local.parent / "tokenizer_config.json").is_file():
            loaded: Tokenizer = AutoTokenizer.from_pretrained(str(local.parent), local_files_only=True)
            return loaded
        return PreTrainedTokenizerFast(tokenizer_file=str(local))
    except TokenizerNotFoundError:
        raise
    except Exception as exc:  # tokenizers/transformers raise plain Exception subclasses for bad files
        raise TokenizerNotFoundError(
            f"could not load tokenizer {local} ({type(exc).__name__}: {str(exc)[:200]})"
        ) from exc


def _load(tokenizer_id: str, cache_dir: str | None) -> Tokenizer:
    local = find_local_tokenizer_file(tokenizer_id, cache_dir=cache_dir)
    if local is None:
        if hub_disabled():
            raise TokenizerNotFoundError(
                _not_found_message(tokenizer_id, "not found locally; the hub is disabled")
            )
        try:
            local = fetch_from_hub(tokenizer_id)
        except (HubFetchError, OSError) as exc:
            raise TokenizerNotFoundError(
                _not_found_message(tokenizer_id, f"not found locally; hub fetch failed ({exc})")
            ) from None
    return _open(local, tokenizer_id)


def get_tokenizer(
    model_name: str,
    tokenizer_id: str | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Tokenizer:
    """The model's tokenizer with the transformers API (cached; offline when its files are local)."""
    resolved = resolve_tokenizer_id(model_name, tokenizer_id)
    key = (resolved, None if cache_dir is None else str(cache_dir))
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        tokenizer: Tokenizer = cached
        return tokenizer
    tokenizer = _load(resolved, key[1])
    with _cache_lock:
        return _cache.setdefault(key, tokenizer)


def local_vocab_size(model_name: str | None, tokenizer_id: str | None = None) -> int | None:
    """The vocabulary size of the model's tokenizer when its file is on this machine (never downloads),
    else None. Lets the clients check token ids even when the user never loaded the tokenizer."""
    if not model_name and not tokenizer_id:
        return None
    local = find_local_tokenizer_file(resolve_tokenizer_id(model_name or "", tokenizer_id))
    return None if local is None else _file_vocab_size(str(local))


@functools.cache
def _file_vocab_size(path: str) -> int | None:
    # The raw `tokenizers` file only: no transformers import for a size.
    from tokenizers import Tokenizer as RawTokenizer

    try:
        size = RawTokenizer.from_file(path).get_vocab_size(with_added_tokens=True)
    except Exception:  # a corrupt file: the check is skipped, as without a tokenizer
        return None
    return size if isinstance(size, int) and size > 0 else None
