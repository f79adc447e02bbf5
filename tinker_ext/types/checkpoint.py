"""`tinker.types.checkpoint` path."""

from .checkpoint_path import ParsedCheckpointTinkerPath
from .rest import Checkpoint, CheckpointType

__all__ = ["Checkpoint", "CheckpointType", "ParsedCheckpointTinkerPath"]
