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

import attrs

from tinker_ext._core.tinker_path import TINKER_SCHEME, CheckpointKind, parse_checkpoint_path

from ._attrs_model import AttrsModelAPI

__all__ = ["CheckpointKind", "ParsedCheckpointTinkerPath"]


@attrs.frozen
class ParsedCheckpointTinkerPath(AttrsModelAPI):
    tinker_path: str
    training_run_id: str
    checkpoint_type: CheckpointKind
    checkpoint_id: str

    @classmethod
    def from_tinker_path(cls, tinker_path: str) -> ParsedCheckpointTinkerPath:
        return cls(tinker_path, *parse_checkpoint_path(tinker_path))

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
