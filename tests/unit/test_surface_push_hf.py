"""`checkpoint push-hf` with a fake `huggingface_hub` module and a fake download: the adapter config gets
the base model, a model card is written, the Hub calls carry the options; non-adapters, encrypted exports
and a missing huggingface_hub are clear errors."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from test_cli import Done, FakeRest, invoke

import tinker_ext.cli._push_hf as push_module

PATH = "tinker://run1/weights/step-3"


class WeightsRest(FakeRest):
    def get_weights_info_by_tinker_path(self, path: str) -> Done:
        return Done(types.SimpleNamespace(base_model="Org/Tiny-1B"))


class FakeHub:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.uploaded: dict[str, str] = {}

    def HfApi(self) -> FakeHub:
        return self

    def create_repo(self, **kwargs: Any) -> None:
        self.calls.append(("create_repo", kwargs))

    def create_branch(self, **kwargs: Any) -> None:
        self.calls.append(("create_branch", kwargs))

    def upload_folder(self, **kwargs: Any) -> Any:
        self.calls.append(("upload_folder", kwargs))
        folder = Path(kwargs["folder_path"])
        self.uploaded = {p.name: p.read_text() for p in folder.iterdir()}
        return types.SimpleNamespace(commit_url="https://huggingface.co/r/commit/1")


def _fake_download(files: dict[str, str]) -> Any:
    def download(base_url: str, tinker_path: str, output_dir: Path, **kwargs: Any) -> Path:
        target = output_dir / "run1_weights_step-3"
        target.mkdir()
        for name, text in files.items():
            (target / name).write_text(text)
        return target

    return download


ADAPTER = {"adapter_config.json": json.dumps({"r": 8}), "adapter_model.safetensors": "weights"}


def test_push_hf_uploads_a_prepared_adapter(monkeypatch: pytest.MonkeyPatch) -> None:
    hub = FakeHub()
    monkeypatch.setitem(sys.modules, "huggingface_hub", hub)
    monkeypatch.setattr(push_module, "download_checkpoint", _fake_download(ADAPTER))
    result = invoke(
        WeightsRest(), "-f", "json", "checkpoint", "push-hf", PATH, "--ignore-pattern", "*.bin", "--create-pr"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["repo_id"] == "tinker-Tiny-1B-run1"
    names = [c[0] for c in hub.calls]
    assert names == ["create_repo", "create_branch", "upload_folder"]
    assert hub.calls[0][1] == {"repo_id": "tinker-Tiny-1B-run1", "private": True, "exist_ok": True}
    upload = hub.calls[2][1]
    assert (upload["revision"], upload["create_pr"], upload["ignore_patterns"]) == ("step-3", True, ["*.bin"])
    assert json.loads(hub.uploaded["adapter_config.json"])["base_model_name_or_path"] == "Org/Tiny-1B"
    assert "base_model: Org/Tiny-1B" in hub.uploaded["README.md"]


@pytest.mark.parametrize(
    ("files", "match"),
    [
        ({"adapter_config.json": "{}"}, "not a PEFT adapter"),
        ({**ADAPTER, "adapter_model.safetensors.age": "x"}, "encrypted"),
    ],
)
def test_push_hf_refuses_what_is_not_a_plain_adapter(
    monkeypatch: pytest.MonkeyPatch, files: dict[str, str], match: str
) -> None:
    hub = FakeHub()
    monkeypatch.setitem(sys.modules, "huggingface_hub", hub)
    monkeypatch.setattr(push_module, "download_checkpoint", _fake_download(files))
    result = invoke(WeightsRest(), "checkpoint", "push-hf", PATH, "--no-model-card")
    assert result.exit_code == 1 and match in result.stderr
    assert [c[0] for c in hub.calls] == []


def test_push_hf_without_huggingface_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # import raises ImportError
    result = invoke(WeightsRest(), "checkpoint", "push-hf", PATH)
    assert result.exit_code == 1 and "pip install huggingface_hub" in result.stderr
