"""Checkpoint time-to-live: listing with expiry, extension, and pruning by age/pattern with a dry run.

The server keeps a checkpoint until its `expires_at` (None: kept until deleted). `list_with_expiry`
shows how long each has left; `extend_ttl` sets a new TTL counted from now (the API's
`set_checkpoint_ttl`, 1 hour .. 10 years); `plan_prune` picks checkpoints by age, `fnmatch` pattern (on
the checkpoint id, e.g. `sampler_weights/step_*`, or the full tinker:// path) and kind, never the newest
`keep_latest`; `prune` deletes a plan only with `dry_run=False` (the CLI's `--yes`).
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tinker_ext._core.exceptions import InvalidInputError, NotFoundError, TinkerError

__all__ = [
    "MAX_TTL_SECONDS",
    "MIN_TTL_SECONDS",
    "PRUNE_KINDS",
    "CheckpointExpiry",
    "PrunePlan",
    "PruneResult",
    "all_checkpoints",
    "extend_ttl",
    "list_with_expiry",
    "plan_prune",
    "prune",
]

MIN_TTL_SECONDS = 3600
MAX_TTL_SECONDS = 10 * 365 * 24 * 3600
_PAGE = 1000
PRUNE_KINDS = {
    "training": "training",
    "weights": "training",
    "sampler": "sampler",
    "sampler_weights": "sampler",
}


def _resolved(value: Any) -> Any:
    result = getattr(value, "result", None)
    return result() if callable(result) else value


def _utc(value: _dt.datetime) -> _dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=_dt.UTC)


def all_checkpoints(rest_client: Any, run_id: str | None = None, *, max_runs: int = 10_000) -> list[Any]:
    """Checkpoints of `run_id`, or all of the user's (paged; servers without `GET /checkpoints`, such as
    skyrl-tx, are asked run by run, at most `max_runs` runs). Newest first."""
    if run_id is not None:
        found = list(_resolved(rest_client.list_checkpoints(run_id)).checkpoints)
    else:
        found = []
        try:
            while True:
                page = _resolved(rest_client.list_user_checkpoints(limit=_PAGE, offset=len(found)))
                found.extend(page.checkpoints)
                if len(page.checkpoints) < _PAGE:
                    break
        except NotFoundError:
            found = []
            runs: list[Any] = []
            while len(runs) < max_runs:
                batch = _resolved(rest_client.list_training_runs(limit=100, offset=len(runs))).training_runs
                runs.extend(batch)
                if len(batch) < 100:
                    break
            for run in runs:
                found.extend(_resolved(rest_client.list_checkpoints(run.training_run_id)).checkpoints)
    found.sort(key=lambda c: _utc(c.time), reverse=True)
    return found


@dataclass(frozen=True)
class CheckpointExpiry:
    """A checkpoint and its expiry as of `now`: `remaining` is None when it never expires."""

    checkpoint: Any
    expires_at: _dt.datetime | None
    remaining: _dt.timedelta | None

    @property
    def expired(self) -> bool:
        return self.remaining is not None and self.remaining <= _dt.timedelta(0)

    @property
    def tinker_path(self) -> str:
        return str(self.checkpoint.tinker_path)


def list_with_expiry(
    rest_client: Any,
    run_id: str | None = None,
    *,
    expiring_within: _dt.timedelta | None = None,
    now: _dt.datetime | None = None,
) -> list[CheckpointExpiry]:
    """Checkpoints with their expiry, soonest to expire first (never-expiring ones last); with
    `expiring_within`, only those expiring within that time (expired ones included)."""
    moment = _utc(now) if now is not None else _dt.datetime.now(_dt.UTC)
    rows = []
    for item in all_checkpoints(rest_client, run_id):
        expires = _utc(item.expires_at) if item.expires_at is not None else None
        remaining = expires - moment if expires is not None else None
        if expiring_within is not None and (remaining is None or remaining > expiring_within):
            continue
        rows.append(CheckpointExpiry(item, expires, remaining))
    rows.sort(key=lambda r: (r.remaining is None, r.remaining or _dt.timedelta(0)))
    return rows


def check_ttl(ttl_seconds: int) -> int:
    if isinstance(ttl_seconds, bool) or not isinstance(ttl_seconds, int):
        raise InvalidInputError(f"ttl_seconds must be an int, got {type(ttl_seconds).__name__}")
    if not MIN_TTL_SECONDS <= ttl_seconds <= MAX_TTL_SECONDS:
        raise InvalidInputError(
            f"ttl_seconds must be between {MIN_TTL_SECONDS} and {MAX_TTL_SECONDS}, got {ttl_seconds}"
        )
    return ttl_seconds


def extend_ttl(rest_client: Any, tinker_paths: Sequence[str], ttl_seconds: int) -> dict[str, str | None]:
    """Set the TTL of each checkpoint to `ttl_seconds` from now. {path: None on success, else the error}
    (a server without TTL support answers 404/405: reported per path, not raised)."""
    check_ttl(ttl_seconds)
    outcome: dict[str, str | None] = {}
    for path in tinker_paths:
        try:
            _resolved(rest_client.set_checkpoint_ttl_from_tinker_path(path, ttl_seconds))
            outcome[path] = None
        except TinkerError as exc:
            outcome[path] = str(exc)
    return outcome


@dataclass
class PrunePlan:
    """What `prune` deletes (`delete`) and what matched but is kept (`kept`: the newest `keep_latest`)."""

    delete: list[Any] = field(default_factory=list)
    kept: list[Any] = field(default_factory=list)


@dataclass
class PruneResult:
    plan: PrunePlan
    dry_run: bool
    deleted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def plan_prune(
    checkpoints: Sequence[Any],
    *,
    older_than: _dt.timedelta | None = None,
    pattern: str | None = None,
    kind: str | None = None,
    keep_latest: int = 0,
    now: _dt.datetime | None = None,
) -> PrunePlan:
    """Pick from `checkpoints` those older than `older_than`, whose id or path matches `pattern`, of
    `kind` (training/weights, sampler/sampler_weights); the newest `keep_latest` matches are kept. At least
    one of `older_than` / `pattern` is required (a plan that deletes everything must be asked for)."""
    if older_than is None and pattern is None:
        raise InvalidInputError("give older_than or pattern (or both): nothing selects all checkpoints")
    if older_than is not None and older_than < _dt.timedelta(0):
        raise InvalidInputError("older_than must not be negative")
    if keep_latest < 0:
        raise InvalidInputError("keep_latest must be >= 0")
    if kind is not None and kind not in PRUNE_KINDS:
        raise InvalidInputError(f"kind must be one of {sorted(PRUNE_KINDS)}, got {kind!r}")
    moment = _utc(now) if now is not None else _dt.datetime.now(_dt.UTC)
    matches: Callable[[Any], bool] = lambda c: (  # noqa: E731
        (older_than is None or moment - _utc(c.time) > older_than)
        and (
            pattern is None
            or fnmatch.fnmatchcase(c.checkpoint_id, pattern)
            or fnmatch.fnmatchcase(c.tinker_path, pattern)
        )
        and (kind is None or c.checkpoint_type == PRUNE_KINDS[kind])
    )
    selected = sorted((c for c in checkpoints if matches(c)), key=lambda c: _utc(c.time), reverse=True)
    return PrunePlan(delete=selected[keep_latest:], kept=selected[:keep_latest])


def prune(rest_client: Any, plan: PrunePlan, *, dry_run: bool = True) -> PruneResult:
    """Delete the plan's checkpoints (only when `dry_run=False`); failures are collected per path."""
    result = PruneResult(plan=plan, dry_run=dry_run)
    if dry_run:
        return result
    for item in plan.delete:
        try:
            _resolved(rest_client.delete_checkpoint_from_tinker_path(item.tinker_path))
            result.deleted.append(item.tinker_path)
        except TinkerError as exc:
            result.failed[item.tinker_path] = str(exc)
    return result
