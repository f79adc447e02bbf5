"""What `tinker-ext contract` measured about how a server trains, kept per server so the SDK can act on it.

The contract's semantic checks (tinker_ext.contract) write one small JSON file per server origin under
`$TINKER_EXT_SERVER_FACTS_DIR` (default `$TINKER_EXT_CACHE/server-facts/`, i.e.
`~/.cache/tinker-ext/server-facts/`); clients of that origin read it. Without a file the SDK assumes the
Tinker API's own semantics. A file belongs to a URL, not to a server process: a different server later
answering on the same URL (a loopback port reused) inherits it until the contract is run again.

- `ce_weights`: "sum" (cross_entropy is −Σ w·logprob, Tinker) or "datum_normalised" (each datum's sum
  divided by its Σ w, datums averaged: skyrl 0.4.0, skyrl-tx 0.3.0).
- `advantages`: "sum" (importance_sampling is −Σ ratio·advantage), "token_mean_batch_mean" (each datum's
  sum divided by its token count, averaged over the datums accumulated before optim_step: skyrl 0.4.0,
  skyrl-tx 0.3.0) or "unknown".
- `snapshot_rewinds`: sampling from a saved sampler loads it into the training model (skyrl, skyrl-tx).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any, Literal

import attrs

__all__ = [
    "FACTS_DIR_ENV",
    "ServerFacts",
    "facts_file",
    "load_server_facts",
    "save_server_facts",
    "warn_if_snapshot_rewinds",
]

logger = logging.getLogger("tinker_ext")
_warned: set[tuple[str, str]] = set()

CeWeights = Literal["sum", "datum_normalised", "unknown"]
Advantages = Literal["sum", "token_mean_batch_mean", "unknown"]
_CE: tuple[str, ...] = ("sum", "datum_normalised", "unknown")
_ADV: tuple[str, ...] = ("sum", "token_mean_batch_mean", "unknown")


@attrs.frozen
class ServerFacts:
    ce_weights: CeWeights = "unknown"
    advantages: Advantages = "unknown"
    snapshot_rewinds: bool = False
    measured_by: str = ""  # the command that measured them (named in warnings and errors)

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @classmethod
    def from_json(cls, raw: Any) -> ServerFacts | None:
        """None for anything that is not a facts document of this version (a stale or foreign file)."""
        if not isinstance(raw, dict):
            return None
        ce, adv, rewinds = raw.get("ce_weights"), raw.get("advantages"), raw.get("snapshot_rewinds")
        if ce not in _CE or adv not in _ADV or not isinstance(rewinds, bool):
            return None
        return cls(ce, adv, rewinds, str(raw.get("measured_by", "")))


FACTS_DIR_ENV = "TINKER_EXT_SERVER_FACTS_DIR"


def _facts_dir() -> Path:
    explicit = os.environ.get(FACTS_DIR_ENV)
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("TINKER_EXT_CACHE", Path.home() / ".cache" / "tinker-ext")) / "server-facts"


def facts_file(base_url: str) -> Path:
    """Where the facts of the server at `base_url` live (one file per origin and path)."""
    digest = hashlib.sha256(base_url.rstrip("/").encode()).hexdigest()[:24]
    return _facts_dir() / f"{digest}.json"


def load_server_facts(base_url: str) -> ServerFacts | None:
    try:
        raw = json.loads(facts_file(base_url).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return ServerFacts.from_json(raw)


def save_server_facts(base_url: str, facts: ServerFacts) -> Path:
    path = facts_file(base_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"base_url": base_url.rstrip("/"), **facts.to_json()}), encoding="utf-8")
    tmp.replace(path)
    return path


def warn_if_snapshot_rewinds(base_url: str, model_path: str) -> None:
    """One WARNING per sampler path on a server measured to load a sampled snapshot into its trainer."""
    facts = load_server_facts(base_url)
    if facts is None or not facts.snapshot_rewinds or (base_url, model_path) in _warned:
        return
    _warned.add((base_url, model_path))
    logger.warning(
        "Sampling from %s on %s: this server loads sampled sampler weights into the training model they "
        "were saved from (measured by %s: snapshot isolation fails), so if that model trained after the "
        "save, its later steps are lost and a DPO reference or off-policy sampler follows the trainer. "
        "Details: tinker-ext contract check --base-url %s --base-model <model>",
        model_path,
        base_url,
        facts.measured_by or "tinker-ext contract",
        base_url,
    )
