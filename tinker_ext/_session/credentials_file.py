"""The official SDK's credentials file (`~/.tinker/credentials.json`, written by `tinker auth login`):
named API keys plus the name of the default one. tinker-ext uses the default key when neither `api_key=`
nor `TINKER_API_KEY` is given, as 0.38 does, and `tinker-ext auth login/logout` maintain the file.

Shape: `{"version": 1, "default": KEY_ID | null, "keys": {KEY_ID: {"type": "manual"|"generated", "key",
"name", "note"?, "details"?}}}`. Writes are atomic (temp file + rename), the file is 0600 in a 0700
directory, since it holds live keys. A malformed file is treated as holding no key.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "default_credentials_path",
    "delete_default_key",
    "load_credentials",
    "store_default_key",
    "stored_api_key",
]

MAX_CREDENTIALS_BYTES = 1024 * 1024


def default_credentials_path() -> Path:
    return Path("~/.tinker/credentials.json").expanduser()


def load_credentials(path: Path | None = None) -> dict[str, Any]:
    target = path or default_credentials_path()
    empty: dict[str, Any] = {"version": 1, "default": None, "keys": {}}
    try:
        if target.stat().st_size > MAX_CREDENTIALS_BYTES:
            return empty
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        return empty
    return data


def _default_record(data: dict[str, Any]) -> dict[str, Any] | None:
    record = data["keys"].get(data.get("default"))
    return (
        record if isinstance(record, dict) and isinstance(record.get("key"), str) and record["key"] else None
    )


def stored_api_key(path: Path | None = None) -> str | None:
    """The default stored API key, or None."""
    record = _default_record(load_credentials(path))
    return None if record is None else str(record["key"])


def _save(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".credentials-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            json.dump(data, out, indent=2, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store_default_key(key_id: str, record: dict[str, Any], path: Path | None = None) -> None:
    """Store `record` under `key_id` and make it the default."""
    target = path or default_credentials_path()
    data = load_credentials(target)
    data["keys"][key_id] = record
    data["default"] = key_id
    data["version"] = 1
    _save(data, target)


def delete_default_key(path: Path | None = None) -> tuple[str, dict[str, Any]] | None:
    """Remove the default key from the file; returns (key id, record), or None when there is none."""
    target = path or default_credentials_path()
    data = load_credentials(target)
    key_id = data.get("default")
    record = _default_record(data)
    if record is None or not isinstance(key_id, str):
        return None
    del data["keys"][key_id]
    data["default"] = None
    _save(data, target)
    return key_id, record
