"""The `tinker://` checkpoint path grammar (the public parsed form is `types.ParsedCheckpointTinkerPath`).

Official: `tinker://<training_run_id>/<kind>/<name>`, exactly three non-empty `/`-separated parts after the
scheme, `kind` one of `weights` (checkpoint_type "training"), `sampler_weights` ("sampler"),
`external_weights` ("external"); `checkpoint_id` keeps the kind (`"weights/NAME"`). skyrl-tx's short
sampler form `tinker://<run>/<name>` parses as `"sampler_weights/<name>"`. Kept on the ground floor so that
console links (`_core.console`) can parse a path.
"""

from __future__ import annotations

from typing import Literal

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["KIND_BY_TYPE", "TINKER_SCHEME", "CheckpointKind", "parse_checkpoint_path"]

TINKER_SCHEME = "tinker://"

CheckpointKind = Literal["training", "sampler", "external"]

_TYPE_BY_KIND: dict[str, CheckpointKind] = {
    "weights": "training",
    "sampler_weights": "sampler",
    "external_weights": "external",
}
KIND_BY_TYPE: dict[str, str] = {value: key for key, value in _TYPE_BY_KIND.items()}


def _invalid(path: str, reason: str) -> InvalidInputError:
    return InvalidInputError(
        f"Invalid tinker path {path!r}: {reason} "
        "(expected tinker://<training_run_id>/<weights|sampler_weights|external_weights>/<name>)"
    )


def parse_checkpoint_path(tinker_path: str) -> tuple[str, CheckpointKind, str]:
    """`(training_run_id, checkpoint_type, checkpoint_id)` of a checkpoint path; InvalidInputError if
    it is not one."""
    if not isinstance(tinker_path, str):
        raise InvalidInputError(f"A tinker path must be a string, got {type(tinker_path).__name__}")
    if not tinker_path.startswith(TINKER_SCHEME):
        raise _invalid(tinker_path, "it must start with 'tinker://'")
    parts = tinker_path[len(TINKER_SCHEME) :].split("/")
    if any(part == "" for part in parts):
        raise _invalid(tinker_path, "it has an empty path segment")
    if any(part.strip() != part for part in parts):
        raise _invalid(tinker_path, "a path segment has leading or trailing whitespace")
    if any(part in (".", "..") for part in parts):
        raise _invalid(tinker_path, "'.' and '..' are not valid segments")
    if len(parts) == 2:
        # skyrl-tx's short sampler form tinker://<run>/<name>
        run_id, name = parts
        if name in _TYPE_BY_KIND:
            raise _invalid(tinker_path, f"the checkpoint name is missing after '{name}'")
        return run_id, "sampler", f"sampler_weights/{name}"
    if len(parts) != 3:
        raise _invalid(tinker_path, f"it has {len(parts)} segments after 'tinker://', expected 3")
    run_id, kind, name = parts
    checkpoint_type = _TYPE_BY_KIND.get(kind)
    if checkpoint_type is None:
        raise _invalid(tinker_path, f"unknown checkpoint kind {kind!r}")
    return run_id, checkpoint_type, f"{kind}/{name}"
