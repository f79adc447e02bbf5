"""The README quickstart, as a new user runs it: `python localserver/server.py --kind skyrl` in one
shell, its `export` lines pasted into another, the README's Python block saved as a file and run.

The block is cut out of README.md when the test runs, so the test fails as soon as the README drifts
from what works. It starts its own server through server.py (not the `tinker_server` fixture): what
server.py prints is part of what is tested.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT = 300.0
QUICKSTART_TIMEOUT = 240.0
STEP_LINE = re.compile(r"^step (\d+): loss per token ([0-9.]+)$")


def readme_block(section: str, language: str) -> str:
    """The first ```language block under the `## section` heading of README.md."""
    readme = (REPO_ROOT / "README.md").read_text()
    body = readme.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(rf"```{language}\n(.*?)```", body, re.DOTALL)
    assert match is not None, f"no ```{language} block under '## {section}' in README.md"
    return match.group(1)


def exported_variables(server: subprocess.Popen[str]) -> dict[str, str]:
    """The `export NAME=value` lines server.py prints, read until its `# ready` line."""
    assert server.stdout is not None
    variables: dict[str, str] = {}
    for line in server.stdout:
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").strip().partition("=")
            variables[name] = value.strip("'")
        elif line.startswith("# ready"):
            return variables
    raise AssertionError(f"server.py exited ({server.wait()}) before it was ready")


@pytest.mark.skipif(bool(os.environ.get("TINKER_BASE_URL")), reason="runs the local server of the README")
def test_readme_quickstart_runs_as_pasted(tmp_path: Path) -> None:
    shell = readme_block("Quickstart", "bash")
    command = shell.splitlines()[0]
    assert command == "python localserver/server.py --kind skyrl"
    script = tmp_path / "quickstart.py"
    script.write_text(readme_block("Quickstart", "python"))

    # The variables come only from what server.py printed; the rest of the environment is scrubbed of them.
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("TINKER_") or k.startswith("TINKER_EXT_")
    }
    server = subprocess.Popen(
        [sys.executable, *command.split()[1:]],
        cwd=REPO_ROOT,
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        variables = exported_variables(server)
        assert set(variables) == {
            "TINKER_BASE_URL",
            "TINKER_API_KEY",
            "TINKER_BASE_MODEL",
            "TINKER_TOKENIZER_DIR",
        }
        assert variables["TINKER_BASE_MODEL"] == "tiny/qwen3-2l"
        run = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            env={**clean, **variables},
            capture_output=True,
            text=True,
            timeout=QUICKSTART_TIMEOUT,
        )
    finally:
        server.send_signal(signal.SIGINT)  # server.py stops its server and removes its files on Ctrl-C
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    losses = [float(m.group(2)) for m in map(STEP_LINE.match, lines) if m]
    assert len(losses) == 5, run.stdout
    assert losses[-1] < losses[0], losses
    samples = [line for line in lines if line.startswith("sample: ")]
    assert len(samples) == 1 and samples[0] != "sample: ", run.stdout
    assert "Unclosed" not in run.stderr
