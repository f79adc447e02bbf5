"""The documented example of docs/TESTING.md (examples/test_with_tinker_server.py) runs under pytest with
the plugin, as a user's project would run it: 20 SFT steps, a seeded sample, a fault-injection test."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# An installed tinker-ext registers the plugin (pytest11 entry point), as for users; an uninstalled
# checkout (PYTHONPATH only) names it: naming an already registered plugin is an error in pytest.
_REGISTERED = any(e.name == "tinker_ext" for e in entry_points(group="pytest11"))
PLUGIN_ARGS = [] if _REGISTERED else ["-p", "tinker_ext.testing.pytest_plugin"]


def test_the_documented_example_passes() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "generated")])}
    env.pop("TINKER_TOKENIZER_DIR", None)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *PLUGIN_ARGS,
    ]
    result = subprocess.run(
        [
            *command,
            "--rootdir",
            str(ROOT / "examples"),
            str(ROOT / "examples" / "test_with_tinker_server.py"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT / "examples",
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout
