"""The generated `tinker_ext_raw.models` package resolves its names lazily (codegen/templates/models_init.py.jinja).

The SDK itself imports none of them (the endpoint table and the public types are the runtime path); they
stay generated as the wire-parity tests' oracle. Every name in `__all__` must still resolve, be listed by `dir()`, and be the class its submodule defines.
Run in fresh interpreters: other tests have imported models already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

GENERATED_MODELS = Path(__file__).resolve().parents[2] / "generated" / "tinker_ext_raw" / "models"


def run_fresh(code: str) -> object:
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(proc.stdout)


def test_requests_and_answers_go_through_no_attrs_model() -> None:
    """The runtime path builds requests from the endpoint table and parses answers into the public types:
    no `tinker_ext_raw.models` / `tinker_ext_raw.api` module is imported (they are a test oracle only)."""
    loaded = run_fresh(
        "import json, sys\n"
        "import tinker_ext, tinker_ext._service.client, tinker_ext._rest.client, tinker_ext._training.fwdbwd\n"
        "from tinker_ext._wire.calls import answer_of, request_for, turn_request\n"
        "from tinker_ext_raw import endpoints\n"
        "from tinker_ext_raw.public import UntypedAPIFuture\n"
        "from tinker_ext.types import AdamParams, OptimStepRequest\n"
        "turn_request(endpoints.OPTIM_STEP, OptimStepRequest(model_id='m', adam_params=AdamParams()))\n"
        "request_for(endpoints.LIST_TRAINING_RUNS, None, query={'limit': 3})\n"
        "answer_of(UntypedAPIFuture, {'request_id': 'r'})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('tinker_ext_raw.models',"
        " 'tinker_ext_raw.api')))))\n"
    )
    assert loaded == []


def test_every_exported_name_resolves_to_its_class() -> None:
    result = run_fresh(
        "import importlib, json, sys\n"
        "import tinker_ext_raw.models as models\n"
        "listed = set(dir(models))\n"
        "bad = [n for n in models.__all__ if getattr(models, n) is not getattr(\n"
        "    importlib.import_module(models._MODULE_OF[n], models.__name__), n)]\n"
        "from tinker_ext_raw.models import ForwardBackwardRequest, TensorDtype\n"
        "try:\n"
        "    models.NoSuchModel\n"
        "    missing = 'no error'\n"
        "except AttributeError as exc:\n"
        "    missing = str(exc)\n"
        "print(json.dumps({'all': sorted(models.__all__), 'unlisted': sorted(set(models.__all__) - listed),\n"
        "    'bad': bad, 'missing': missing, 'fbr': ForwardBackwardRequest.__name__}))\n"
    )
    assert isinstance(result, dict)
    assert len(result["all"]) > 100 and "Datum" in result["all"] and "TensorDtype" in result["all"]
    assert result["unlisted"] == [] and result["bad"] == []
    assert result["fbr"] == "ForwardBackwardRequest"
    assert "NoSuchModel" in result["missing"]
