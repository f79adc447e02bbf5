"""Warning categories of the public surface."""

from __future__ import annotations

__all__ = ["ExperimentalWarning"]


class ExperimentalWarning(FutureWarning):
    """Issued by APIs whose shape may still change (as in the official SDK)."""
