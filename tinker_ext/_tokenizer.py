"""`get_tokenizer`: the model's tokenizer as a HF `tokenizers.Tokenizer` (no transformers), offline first.

Tokenizer id (official selection rules): the model name is cut at the first `:`; an explicit
`tokenizer_id` (also cut at `:`) wins; otherwise `meta-llama/Llama-3*` uses the ungated
`thinkingmachineslabinc/meta-llama-3-instruct-tokenizer`, and `org/model/variant` uses `org/model`.

Lookup order for `tokenizer.json`, first hit wins:
1. the id itself as a local path (a directory holding `tokenizer.json`, or the file);
2. `$TINKER_TOKENIZER_DIR`: either a JSON object `{"<id>": "<dir or file>"}` or a directory searched
   for `<id>/tokenizer.json`, `<org>--<name>/tokenizer.json`, then a catch-all `tokenizer.json`;
3. the Hugging Face cache layout `models--<org>--<name>/snapshots/<rev>/tokenizer.json` under
   `cache_dir`, `$HF_HUB_CACHE`, `$HF_HOME/hub`, `~/.cache/huggingface/hub` (the `refs/main`
   snapshot preferred);
4. only then `Tokenizer.from_pretrained(id)` (network); failure raises `TokenizerNotFoundError`.
Results are cached per (id, cache_dir); `clear_tokenizer_cache()` empties the cache.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._exceptions import TinkerError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = [
    "LLAMA3_TOKENIZER_ID",
    "TokenizerNotFoundError",
    "clear_tokenizer_cache",
    "find_local_tokenizer_file",
    "get_tokenizer",
    "local_vocab_size",
    "resolve_tokenizer_id",
]

LLAMA3_TOKENIZER_ID = "thinkingmachineslabinc/meta-llama-3-instruct-tokenizer"
TOKENIZER_DIR_ENV = "TINKER_TOKENIZER_DIR"
_TOKENIZER_FILE = "tokenizer.json"


class TokenizerNotFoundError(TinkerError, LookupError):
    """No tokenizer.json was found locally and downloading it failed."""


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
    return None


_cache: dict[tuple[str, str | None], Any] = {}
_cache_lock = threading.Lock()


def clear_tokenizer_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _download(tokenizer_id: str) -> Tokenizer:
    """Last resort: fetch tokenizer.json from the Hugging Face hub (needs network)."""
    from tokenizers import Tokenizer

    return Tokenizer.from_pretrained(tokenizer_id)


def _load(tokenizer_id: str, cache_dir: str | None) -> Tokenizer:
    from tokenizers import Tokenizer

    local = find_local_tokenizer_file(tokenizer_id, cache_dir=cache_dir)
    if local is not None:
        try:
            return Tokenizer.from_file(str(local))
        except Exception as exc:  # the tokenizers library raises plain Exception subclasses
            raise TokenizerNotFoundError(f"could not load tokenizer file {local}: {exc}") from exc
    try:
        return _download(tokenizer_id)
    except Exception as exc:
        raise TokenizerNotFoundError(
            f"no local tokenizer for {tokenizer_id!r} and downloading it failed ({type(exc).__name__}: {exc}). "
            f"Put its tokenizer.json in a directory and set {TOKENIZER_DIR_ENV}, or pass a local path."
        ) from exc


def get_tokenizer(
    model_name: str,
    tokenizer_id: str | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Tokenizer:
    """The `tokenizers.Tokenizer` of a model (cached; offline when the file is available locally)."""
    resolved = resolve_tokenizer_id(model_name, tokenizer_id)
    key = (resolved, None if cache_dir is None else str(cache_dir))
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        tokenizer: Tokenizer = cached
        return tokenizer
    tokenizer = _load(resolved, key[1])
    with _cache_lock:
        return _cache.setdefault(key, tokenizer)  # type: ignore[no-any-return]


def local_vocab_size(model_name: str | None, tokenizer_id: str | None = None) -> int | None:
    """The vocabulary size of the model's tokenizer when its file is on this machine (never downloads),
    else None. Lets the clients check token ids even when the user never loaded the tokenizer."""
    from tinker_ext._validation import vocab_size_of

    if not model_name and not tokenizer_id:
        return None
    resolved = resolve_tokenizer_id(model_name or "", tokenizer_id)
    if find_local_tokenizer_file(resolved) is None:
        return None
    try:
        return vocab_size_of(get_tokenizer(model_name or "", tokenizer_id))
    except TokenizerNotFoundError:  # a corrupt file: the check is skipped, as without a tokenizer
        return None
