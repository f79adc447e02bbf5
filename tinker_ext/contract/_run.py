"""One check in progress: the probe, the generation it speaks, the values steps hand on, the step results."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ._generations import Generation
from ._probe import Probe, StepFailed, StepNotImplemented, StepRecorder, StepSkipped
from ._report import Outcome, StepResult

__all__ = ["LORA_RANK", "PROMPT", "TARGETS", "WEIGHTS", "Run", "close", "datum"]

LORA_RANK = 8
# Small token ids are valid in any vocabulary; 12 tokens stay in the smallest sequence bucket of
# servers that JIT-compile per shape.
_TOKENS = list(range(1, 13))
TARGETS = len(_TOKENS) - 1
# Non-uniform weights, some zero, summing to neither the token count nor the non-zero count: all-1 weights
# hide a `loss:sum` that is a weighted mean times a count (hatchery-core 0.3.0).
WEIGHTS = [0.0, 0.5, 1.0, 2.0, 1.5, 0.25, 1.0, 2.0, 0.0, 1.0, 0.75]
PROMPT = [1, 2, 3, 4]
# Two computations of the same logprobs (forward vs forward_backward, saved vs loaded weights).
LOGPROB_TOLERANCE = 2e-3


def datum() -> dict[str, Any]:
    inputs, targets = _TOKENS[:-1], _TOKENS[1:]
    return {
        "model_input": {"chunks": [{"type": "encoded_text", "tokens": inputs}]},
        "loss_fn_inputs": {
            "target_tokens": {"data": targets, "dtype": "int64", "shape": [len(targets)]},
            "weights": {"data": list(WEIGHTS), "dtype": "float32", "shape": [len(targets)]},
        },
    }


def close(a: Sequence[float], b: Sequence[float], tolerance: float = LOGPROB_TOLERANCE) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@attrs.define
class Run:
    probe: Probe
    gen: Generation
    base_model: str
    values: dict[str, Any] = attrs.field(factory=dict)
    producers: dict[str, str] = attrs.field(factory=dict)  # value name -> step that produces it
    results: list[StepResult] = attrs.field(factory=list)
    # Per-model training seq ids: creation is 0, the SDK sends request_id + 1 from then on (WIRE §6f).
    seq_ids: dict[str, int] = attrs.field(factory=dict)
    suffix: str = attrs.field(factory=lambda: secrets.token_hex(4))
    # Told each step's name as it starts (the CLI's progress line).
    on_step: Callable[[str], None] | None = None

    def next_seq(self, model_id: str, *, after: int = 0) -> int:
        """The next training seq id of `model_id` (ids are consumed even when a request is refused, as
        the SDKs reserve them at call time). `after` is the id its creation used."""
        self.seq_ids[model_id] = self.seq_ids.get(model_id, after) + 1
        return self.seq_ids[model_id]

    def need(self, name: str) -> Any:
        if name not in self.values:
            producer = self.producers.get(name, "?")
            outcome = next((r.outcome.value for r in self.results if r.name == producer), "not run")
            raise StepSkipped(f"needs {name} from {producer} ({outcome})")
        return self.values[name]

    def put(self, name: str, value: Any) -> None:
        self.values[name] = value

    def step(
        self,
        name: str,
        body: Callable[[StepRecorder], None],
        *,
        required: bool,
        operation: str | None = None,
        produces: tuple[str, ...] = (),
    ) -> StepResult:
        for value in produces:
            self.producers[value] = name
        if self.on_step is not None:
            self.on_step(name)
        recorder = StepRecorder(name)
        started = time.monotonic()
        outcome = Outcome.PASS
        detail = ""
        try:
            body(recorder)
        except StepSkipped as exc:
            outcome, detail = Outcome.SKIPPED, str(exc)
        except StepNotImplemented as exc:
            outcome, detail = Outcome.NOT_IMPLEMENTED, exc.detail
        except StepFailed:
            outcome = Outcome.FAIL
        except Exception as exc:
            # A body of the wrong shape can trip the rule code after its schema violation was recorded;
            # that violation is the finding. Otherwise the checker itself broke: say so, don't crash.
            outcome = Outcome.FAIL
            if not recorder.has_errors:
                recorder.add(
                    "checker", name, "", "no internal error", self.probe.scrub(f"{type(exc).__name__}: {exc}")
                )
        if outcome is Outcome.PASS and recorder.has_errors:
            outcome = Outcome.FAIL
        scrub = self.probe.scrub
        if outcome is Outcome.PASS and recorder.notes:
            detail = "; ".join(recorder.notes)
        result = StepResult(
            name=name,
            outcome=outcome,
            required=required,
            operation=operation,
            http_status=recorder.http_status,
            elapsed_s=time.monotonic() - started,
            # Servers may echo request headers in error bodies: the API key never reaches the report.
            violations=tuple(
                attrs.evolve(v, where=scrub(v.where), expected=scrub(v.expected), got=scrub(v.got))
                for v in recorder.violations
            ),
            detail=scrub(detail),
        )
        self.results.append(result)
        return result
