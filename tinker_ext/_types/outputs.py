"""Behaviour of ForwardBackwardOutput (the forward / forward_backward result)."""

from __future__ import annotations

__all__ = ["ForwardBackwardOutputBehaviour"]


class ForwardBackwardOutputBehaviour:
    __slots__ = ()
    loss_fn_output_type: str

    def _validate(self) -> None:
        # Some servers send a qualified class name (`module:ArrayRecord`); the official SDK shows the last part.
        if ":" in self.loss_fn_output_type:
            object.__setattr__(self, "loss_fn_output_type", self.loss_fn_output_type.rsplit(":", 1)[-1])
