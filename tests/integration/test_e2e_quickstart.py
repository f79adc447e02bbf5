"""The official docs' quickstart (tests/unit/drop_in_scripts/quickstart_038.py: tokenizer, training,
sampling, decode), unchanged, through `tinker-ext-run` against the real local servers: the tokenizer
`get_tokenizer()` returns must behave as the transformers one the official SDK returns (encode -> list,
`+` of two encodings, decode of sampled tokens, apply_chat_template from the model's tokenizer config)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / "unit" / "drop_in_scripts" / "quickstart_038.py"


@pytest.mark.parametrize("backend", ["tokenizers", "transformers"])
def test_the_docs_quickstart_runs_unchanged(tinker_server, backend: str) -> None:
    if backend == "transformers":
        pytest.importorskip("transformers")
    run = shutil.which("tinker-ext-run", path=str(Path(sys.executable).parent))
    command = [run] if run else [sys.executable, "-m", "tinker_ext.drop_in"]
    env = {
        **os.environ,
        "TINKER_BASE_URL": tinker_server.base_url,
        "TINKER_API_KEY": tinker_server.api_key,
        "TINKER_BASE_MODEL": tinker_server.base_model,
        "TINKER_TOKENIZER_BACKEND": backend,
        "HF_HUB_OFFLINE": "1",  # the tokenizer must come from the local model directory
    }
    done = subprocess.run([*command, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["module"].startswith("tinker_ext")
    expected = (
        "tinker_ext._tokenizers.adapter.TokenizerAdapter" if backend == "tokenizers" else "transformers."
    )
    assert report["tokenizer"].startswith(expected)  # never the raw tokenizers.Tokenizer
    assert len(report["losses"]) == 6 and all(loss > 0 for loss in report["losses"])
    assert report["losses"][-1] < report["losses"][0]  # six steps at lr 1e-4 lower the loss
    assert len(report["completions"]) == 8
    # greedy: all 8 agree; each decoded completion is the text of its tokens, non-empty
    assert len(set(report["completions"])) == 1 and report["completions"][0]
    assert all(len(tokens) >= 1 for tokens in report["tokens"])
    assert report["chat"] == "<|im_start|>user\ncoffee break<|im_end|>\n<|im_start|>assistant\n"
