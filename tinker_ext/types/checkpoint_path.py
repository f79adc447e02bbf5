"""`tinker://` checkpoint paths.

Grammar (official): `tinker://<training_run_id>/<kind>/<name>` with exactly three non-empty `/`-separated
parts after the scheme and `kind` one of

    weights           -> checkpoint_type "training"  (state with optimizer, from save_state)
    sampler_weights   -> checkpoint_type "sampler"   (from save_weights_for_sampler)
    external_weights  -> checkpoint_type "external"  (from save_weights_external)

`checkpoint_id` keeps the kind: `"weights/NAME"`, as the REST endpoints and checkpoint listings use it.

skyrl-tx servers answer `save_weights_for_sampler` with the short form `tinker://<run>/<name>` (and accept
it for sampling); it is parsed as a sampler checkpoint, `checkpoint_id = "sampler_weights/<name>"`.
"""

from __future__ import annotations

from typing import Literal

import attrs

from tinker_ext._core.exceptions import InvalidInputError

from ._attrs_model import AttrsModelAPI

__all__ = ["CheckpointKind", "ParsedCheckpointTinkerPath"]

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


@attrs.frozen
class ParsedCheckpointTinkerPath(AttrsModelAPI):
    tinker_path: str
    training_run_id: str
    checkpoint_type: CheckpointKind
    checkpoint_id: str

    @classmethod
    def from_tinker_path(cls, tinker_path: str) -> ParsedCheckpointTinkerPath:
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
            return cls(tinker_path, run_id, "sampler", f"sampler_weights/{name}")
        if len(parts) != 3:
            raise _invalid(tinker_path, f"it has {len(parts)} segments after 'tinker://', expected 3")
        run_id, kind, name = parts
        checkpoint_type = _TYPE_BY_KIND.get(kind)
        if checkpoint_type is None:
            raise _invalid(tinker_path, f"unknown checkpoint kind {kind!r}")
        return cls(tinker_path, run_id, checkpoint_type, f"{kind}/{name}")

    @property
    def kind(self) -> str:
        """The path segment naming the kind: `weights`, `sampler_weights` or `external_weights`."""
        return self.checkpoint_id.split("/", 1)[0]

    @property
    def checkpoint_name(self) -> str:
        """The checkpoint's own name, without the kind prefix."""
        return self.checkpoint_id.split("/", 1)[1]

    @property
    def canonical_path(self) -> str:
        """The three-segment official form of this path."""
        return f"{TINKER_SCHEME}{self.training_run_id}/{self.checkpoint_id}"
