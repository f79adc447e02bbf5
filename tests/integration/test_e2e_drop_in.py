"""The `import tinker` drop-in end to end: tests/unit/drop_in_scripts/train_038.py, a training loop written
against the official 0.38 API in both calling styles, runs unchanged through `python -m tinker_ext.drop_in`
against the real server (local skyrl-tx, or TINKER_BASE_URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "unit" / "drop_in_scripts" / "train_038.py"


def test_a_038_training_loop_runs_unchanged(tinker_server) -> None:
    env = {
        **os.environ,
        "TINKER_BASE_URL": tinker_server.base_url,
        "TINKER_API_KEY": tinker_server.api_key,
        "TINKER_BASE_MODEL": tinker_server.base_model,
    }
    done = subprocess.run(
        [sys.executable, "-m", "tinker_ext.drop_in", str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["module"] == "tinker_ext"
    assert report["saved"].startswith("tinker://") and report["saved"].endswith("/weights/step-1")
    assert (report["outputs"], report["async_outputs"]) == (1, 1) and report["tokens"]
    assert report["optim"] == "OptimStepResponse" and report["awaited"] == "ForwardBackwardOutput"
    assert report["rest"] and report["close"]
