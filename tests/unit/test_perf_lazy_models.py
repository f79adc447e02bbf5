"""The generated `tinker_ext_raw.models` package resolves its names lazily (codegen/templates/models_init.py.jinja).

Importing one endpoint module (what `tinker_ext._http` does per operation) must not import every model;
every name in `__all__` must still resolve, be listed by `dir()`, and be the class its submodule defines.
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


def test_one_operation_imports_only_the_models_it_uses() -> None:
    loaded = run_fresh(
        "import json, sys\n"
        "from tinker_ext._http import generated_request, parse_generated\n"
        "generated_request('training.optim_step', body={'adam_params': {'learning_rate': 1e-4},"
        " 'model_id': 'm', 'seq_id': 1, 'type': 'optim_step'}, body_model='OptimStepRequest')\n"
        "parse_generated('UntypedAPIFuture', {'request_id': 'r'})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('tinker_ext_raw.models.'))))\n"
    )
    assert isinstance(loaded, list)
    total = len(list(GENERATED_MODELS.glob("[a-z]*.py")))
    assert total > 100
    assert "tinker_ext_raw.models.optim_step_request" in loaded
    assert "tinker_ext_raw.models.adam_params" in loaded
    assert "tinker_ext_raw.models.untyped_api_future" in loaded
    assert "tinker_ext_raw.models.sample_request" not in loaded
    assert len(loaded) < 20, loaded


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
