"""Issue 19: one path from the spec to the wire.

- After a training + sampling + checkpoint workload, exactly one class per spec schema is loaded: no
  openapi-python-client attrs model (`tinker_ext_raw.models`) or endpoint module (`tinker_ext_raw.api`)
  is imported by the SDK (they are a test oracle only).
- Each request is encoded once and each answer decoded and parsed once on the hot paths
  (forward_backward, sample, a REST call).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from _fault_server import FakeTiming, FakeTinker, json_response

import tinker_ext as tinker
from tinker_ext._types import _base
from tinker_ext._wire import bodies as _bodies
from tinker_ext._wire import calls as _calls
from tinker_ext._wire import json_arrays as _json_arrays

UNIT = Path(__file__).resolve().parent

WORKLOAD = textwrap.dedent(
    """
    import importlib, inspect, json, pkgutil, sys
    sys.path.insert(0, sys.argv[1])
    import tinker_ext
    from _fault_server import FakeTiming, FakeTinker, json_response

    skipped = []
    for info in pkgutil.walk_packages(tinker_ext.__path__, "tinker_ext."):
        try:
            importlib.import_module(info.name)
        except ImportError as exc:  # an optional extra (e.g. torch for custom losses) not installed
            skipped.append(f"{info.name}: {exc}")

    server = FakeTinker()
    server.handlers["/api/v1/training_runs/model-0/checkpoints"] = lambda rec: json_response(
        200, {"checkpoints": []}
    )
    service = tinker_ext.ServiceClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    training = service.create_lora_training_client(base_model="tiny/model", rank=4)
    datum = tinker_ext.Datum(
        model_input=tinker_ext.ModelInput.from_ints([1, 2, 3]),
        loss_fn_inputs={"target_tokens": [2, 3, 4], "weights": [1.0, 1.0, 1.0]},
    )
    training.forward_backward([datum], "cross_entropy").result()
    training.optim_step(tinker_ext.AdamParams(learning_rate=1e-4)).result()
    training.save_state("step1").result()
    sampler = training.save_weights_and_get_sampling_client()
    sampler.sample(
        tinker_ext.ModelInput.from_ints([1, 2]), 1, tinker_ext.SamplingParams(max_tokens=2)
    ).result()
    rest = service.create_rest_client()
    rest.list_checkpoints("model-0").result()
    service.close()

    raw = sorted(m for m in sys.modules if m.startswith(("tinker_ext_raw.models", "tinker_ext_raw.api")))
    classes = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith(("tinker_ext", "tinker_ext_raw")) or ".proto" in name:
            continue
        for value in vars(module).values():
            if inspect.isclass(value) and value.__module__ == name:
                classes.setdefault(value.__name__, set()).add(f"{name}.{value.__qualname__}")
    print(json.dumps({"raw": raw, "classes": {k: sorted(v) for k, v in classes.items()}, "skipped": skipped}))
    """
)


def _schema_class_names() -> set[str]:
    from tinker_ext_raw.openapi_spec import SPEC_JSON

    schemas = json.loads(SPEC_JSON)["components"]["schemas"]
    return {schema.get("x-tinker-ext-public-name", name) for name, schema in schemas.items()}


def test_a_workload_loads_one_class_per_spec_schema_and_no_attrs_model() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", WORKLOAD, str(UNIT)], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["raw"] == [], "the SDK imported generated attrs models / endpoint modules"
    duplicated = {
        name: where
        for name, where in seen["classes"].items()
        if name in _schema_class_names() and len(where) > 1
    }
    assert duplicated == {}
    # the workload did reach the public types of what it used
    for name in ("ForwardBackwardOutput", "SampleResponse", "CheckpointsListResponse", "UntypedAPIFuture"):
        assert seen["classes"].get(name) == [f"tinker_ext_raw.public._types.{name}"], name


# ------------------------------------------------------------------------------------- encode / decode


class _Counts:
    def __init__(self) -> None:
        self.encoded: Counter[str] = Counter()  # request path -> bodies encoded
        self.decoded = 0  # JSON answers decoded
        self.parsed: Counter[str] = Counter()  # public type -> top-level parses (from_wire)


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Counts]:
    """Count every JSON encode of a request body, every decode of an answer and every top-level parse
    into a public type, at the SDK's own call sites."""
    seen = _Counts()
    real_dumps, real_loads = orjson.dumps, orjson.loads
    real_arrays_loads = _json_arrays.loads
    real_from_wire = _base._Wire.from_wire.__func__  # type: ignore[attr-defined]

    class CountingOrjson:
        JSONDecodeError = orjson.JSONDecodeError
        OPT_SERIALIZE_NUMPY = orjson.OPT_SERIALIZE_NUMPY

        @staticmethod
        def dumps(value: Any, *args: Any, **kwargs: Any) -> bytes:
            seen.encoded["body"] += 1
            return real_dumps(value, *args, **kwargs)

        @staticmethod
        def loads(value: Any) -> Any:
            seen.decoded += 1
            return real_loads(value)

    def arrays_loads(*args: Any, **kwargs: Any) -> Any:
        seen.decoded += 1
        return real_arrays_loads(*args, **kwargs)

    def from_wire(cls: type, data: Any) -> Any:
        seen.parsed[cls.__name__] += 1
        return real_from_wire(cls, data)

    for module in (_bodies, _calls):
        monkeypatch.setattr(module, "orjson", CountingOrjson)
    monkeypatch.setattr(_json_arrays, "loads", arrays_loads)
    monkeypatch.setattr(_base._Wire, "from_wire", classmethod(from_wire))
    yield seen


def _service(server: FakeTinker) -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )


def _answers(server: FakeTinker, start: int) -> int:
    return len(server.requests) - start


def test_forward_backward_sample_and_rest_encode_each_request_and_parse_each_answer_once(
    counts: _Counts,
) -> None:
    server = FakeTinker()
    server.handlers["/api/v1/training_runs/r1"] = lambda rec: json_response(
        200,
        {
            "training_run_id": "r1",
            "base_model": "tiny/model",
            "model_owner": "me",
            "is_lora": True,
            "corrupted": False,
            "lora_rank": 4,
            "last_request_time": "2026-01-01T00:00:00Z",
        },
    )
    with _service(server) as service:
        training = service.create_lora_training_client(base_model="tiny/model", rank=4)
        sampler = training.save_weights_and_get_sampling_client()
        rest = service.create_rest_client()
        datum = tinker.Datum(
            model_input=tinker.ModelInput.from_ints([1, 2, 3]),
            loss_fn_inputs={"target_tokens": [2, 3, 4], "weights": [1.0, 1.0, 1.0]},
        )
        for action, parsed_type in (
            (lambda: training.forward_backward([datum], "cross_entropy").result(), "ForwardBackwardOutput"),
            (
                lambda: sampler.sample(
                    tinker.ModelInput.from_ints([1]), 1, tinker.SamplingParams(max_tokens=2)
                ).result(),
                "SampleResponse",
            ),
            (lambda: rest.get_training_run("r1").result(), "TrainingRun"),
        ):
            counts.encoded.clear()
            counts.parsed.clear()
            counts.decoded = 0
            start = len(server.requests)
            action()
            requests = server.requests[start:]
            with_body = [r for r in requests if r.body is not None]
            assert counts.encoded["body"] == len(with_body), parsed_type
            assert counts.decoded == len(requests), parsed_type  # every answer decoded once
            assert counts.parsed[parsed_type] == 1, (parsed_type, counts.parsed)
            if parsed_type != "TrainingRun":  # a future: its promise parsed once too
                assert counts.parsed["UntypedAPIFuture"] == 1, counts.parsed
