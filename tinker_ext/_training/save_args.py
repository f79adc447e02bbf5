"""Checks of the save calls' arguments that the spec's string rules do not cover (`_wire.spec_strings` checks
a checkpoint name's characters and length when the body is built)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["MAX_AGE_RECIPIENTS", "check_checkpoint_name", "check_metadata", "check_recipients"]


def check_metadata(user_metadata: Mapping[str, str] | None) -> dict[str, str] | None:
    if user_metadata is None:
        return None
    if not isinstance(user_metadata, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in user_metadata.items()
    ):
        raise InvalidInputError("user_metadata must be a mapping of str to str")
    return dict(user_metadata)


def check_checkpoint_name(name: Any) -> None:
    if not isinstance(name, str):
        raise InvalidInputError(f"checkpoint name must be a str, got {type(name).__name__} {name!r}")


MAX_AGE_RECIPIENTS = 10


def check_recipients(recipients: Sequence[str] | None) -> list[str] | None:
    if recipients is None:
        return None
    if isinstance(recipients, str) or not all(isinstance(r, str) and r for r in recipients):
        raise InvalidInputError("age_encryption_recipients must be a list of non-empty public key strings")
    if len(recipients) > MAX_AGE_RECIPIENTS:
        raise InvalidInputError(
            f"age_encryption_recipients: at most {MAX_AGE_RECIPIENTS} recipients, got {len(recipients)}"
        )
    return list(recipients)
