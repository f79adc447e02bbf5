"""The pytest plugin of tinker_ext.testing: registered as a pytest11 entry point, cheap to import, and its
`tinker_server` fixture makes a user's Tinker test one line (here: a user's test file run by pytest)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# An installed tinker-ext registers the plugin (pytest11 entry point), as for users; an uninstalled
# checkout (PYTHONPATH only) names it: naming an already registered plugin is an error in pytest.
_REGISTERED = any(e.name == "tinker_ext" for e in entry_points(group="pytest11"))
PLUGIN_ARGS = [] if _REGISTERED else ["-p", "tinker_ext.testing.pytest_plugin"]

USER_TEST = """
import tinker_ext as tinker

def test_user_code(tinker_server):
    service = tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4)
    assert training.get_tokenizer().encode("hi") == [104, 105]
    sampler = service.create_sampling_client(base_model=tinker_server.base_model)
    assert sampler.get_tokenizer().decode([104, 105]) == "hi"
    tinker_server.faults.fail_next("asample", status=503)
    assert len(sampler.sample(tinker.ModelInput.from_ints([1]), 1, tinker.SamplingParams(max_tokens=2)).result().sequences) == 1
    service.close()
"""


def test_the_plugin_is_a_pytest11_entry_point() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["pytest11"] == {
        "tinker_ext": "tinker_ext.testing.pytest_plugin"
    }


def test_importing_the_plugin_imports_no_server() -> None:
    code = (
        "import sys, tinker_ext.testing.pytest_plugin; "
        "print(sorted(m for m in sys.modules if m.startswith(('tinker_ext', 'numpy', 'tokenizers', 'http.server'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ.copy()
    )
    # `import tinker_ext` itself loads only `_core.httpx_cli` (standard library only: httpx's CLI deferred)
    assert out.stdout.strip() == (
        "['tinker_ext', 'tinker_ext._core', 'tinker_ext._core.httpx_cli', 'tinker_ext.testing', "
        "'tinker_ext.testing.pytest_plugin']"
    )


def test_a_users_test_gets_the_tinker_server_fixture(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TEST)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "generated")])}
    env.pop("TINKER_TOKENIZER_DIR", None)
    env["TINKER_TOKENIZER_BACKEND"] = "tokenizers"  # the built-in adapter: no transformers import (seconds)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            *PLUGIN_ARGS,
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
