"""Behaviour of the model-lifecycle types: LoRA config checks, console links of saved weights."""

from __future__ import annotations

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["LoraConfigBehaviour", "SamplerWeightsBehaviour", "SaveWeightsResponseBehaviour"]


class LoraConfigBehaviour:
    __slots__ = ()
    rank: int

    def _validate(self) -> None:
        if self.rank < 1:
            raise InvalidInputError(f"LoRA rank must be a positive int, got {self.rank!r}")


class SaveWeightsResponseBehaviour:
    __slots__ = ()
    path: str

    def get_console_url(self) -> str:
        """The web console page of this checkpoint."""
        from tinker_ext._core.console import checkpoint_url

        return checkpoint_url(self.path)


class SamplerWeightsBehaviour(SaveWeightsResponseBehaviour):
    """SaveWeightsForSamplerResponse: console and playground links of the sampler weights."""

    __slots__ = ()

    def get_playground_url(self) -> str:
        """The web playground, set up to sample from this checkpoint."""
        from tinker_ext._core.console import playground_url

        return playground_url(self.path)
