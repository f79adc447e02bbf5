from __future__ import annotations

import json
from pathlib import Path

import pytest

import tinker_ext._tokenizer as tok
import tinker_ext.types as t

tokenizers = pytest.importorskip("tokenizers")


def build_tokenizer(directory: Path, words: list[str]) -> Path:
    """A tiny WordLevel tokenizer trained on a few lines, saved as directory/tokenizer.json."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.WordLevelTrainer(special_tokens=["[UNK]"])
    tokenizer.train_from_iterator([" ".join(words), " ".join(reversed(words))], trainer=trainer)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "tokenizer.json"
    tokenizer.save(str(path))
    return path


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("TINKER_TOKENIZER_DIR", "HF_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    def no_network(tokenizer_id: str) -> None:
        raise OSError(f"offline: {tokenizer_id}")

    monkeypatch.setattr(tok, "_download", no_network)
    tok.clear_tokenizer_cache()


@pytest.mark.parametrize(
    ("model_name", "tokenizer_id", "expected"),
    [
        ("Qwen/Qwen3-8B", None, "Qwen/Qwen3-8B"),
        ("Qwen/Qwen3-8B:peft:123", None, "Qwen/Qwen3-8B"),
        ("meta-llama/Llama-3.1-8B", None, "thinkingmachineslabinc/meta-llama-3-instruct-tokenizer"),
        ("meta-llama/Llama-3.2-1B:x", None, "thinkingmachineslabinc/meta-llama-3-instruct-tokenizer"),
        ("org/model/variant", None, "org/model"),
        ("anything", "org/tok:rev", "org/tok"),
        ("meta-llama/Llama-3.1-8B", "own/tokenizer", "own/tokenizer"),
    ],
)
def test_resolve_tokenizer_id(model_name: str, tokenizer_id: str | None, expected: str) -> None:
    assert tok.resolve_tokenizer_id(model_name, tokenizer_id) == expected


def test_local_directory_and_file_paths(tmp_path: Path) -> None:
    path = build_tokenizer(tmp_path / "tiny", ["hello", "world"])
    by_dir = tok.get_tokenizer(str(tmp_path / "tiny"))
    by_file = tok.get_tokenizer(str(path))
    assert by_dir.encode("hello world").ids == by_file.encode("hello world").ids
    assert len(by_dir.encode("hello world").ids) == 2


def test_env_dir_layouts_and_json_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "toks"
    build_tokenizer(root / "org" / "nested", ["a", "b"])
    build_tokenizer(root / "org--dashed", ["c", "d", "e"])
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", str(root))
    assert tok.get_tokenizer("org/nested").get_vocab_size() == 3
    assert tok.get_tokenizer("org/dashed:suffix").get_vocab_size() == 4
    with pytest.raises(tok.TokenizerNotFoundError, match="TINKER_TOKENIZER_DIR"):
        tok.get_tokenizer("org/missing")
    mapped = build_tokenizer(tmp_path / "elsewhere", ["x", "y", "z", "w"])
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", json.dumps({"Qwen/Qwen3-8B": str(mapped)}))
    assert tok.get_tokenizer("Qwen/Qwen3-8B").get_vocab_size() == 5


def test_env_dir_catch_all_tokenizer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tokenizer(tmp_path / "single", ["only", "one"])
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", str(tmp_path / "single"))
    assert tok.get_tokenizer("any/model").get_vocab_size() == 3


def test_hf_cache_layout_prefers_refs_main(tmp_path: Path) -> None:
    repo = tmp_path / "hf_home" / "hub" / "models--org--cached"
    build_tokenizer(repo / "snapshots" / "old", ["one"])
    build_tokenizer(repo / "snapshots" / "abc123", ["one", "two", "three"])
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("abc123\n")
    assert tok.get_tokenizer("org/cached").get_vocab_size() == 4


def test_cache_dir_argument(tmp_path: Path) -> None:
    build_tokenizer(tmp_path / "cache" / "models--o--m" / "snapshots" / "r1", ["p", "q"])
    assert tok.get_tokenizer("o/m", cache_dir=tmp_path / "cache").get_vocab_size() == 3
    with pytest.raises(tok.TokenizerNotFoundError):
        tok.get_tokenizer("o/m")


def test_results_are_cached_until_cleared(tmp_path: Path) -> None:
    build_tokenizer(tmp_path / "c", ["k"])
    first = tok.get_tokenizer(str(tmp_path / "c"))
    assert tok.get_tokenizer(str(tmp_path / "c")) is first
    tok.clear_tokenizer_cache()
    assert tok.get_tokenizer(str(tmp_path / "c")) is not first


def test_download_is_the_last_resort_and_failure_is_clear(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[str] = []
    built = build_tokenizer(tmp_path / "dl", ["net"])

    def fake_download(tokenizer_id: str) -> object:
        calls.append(tokenizer_id)
        return tokenizers.Tokenizer.from_file(str(built))

    monkeypatch.setattr(tok, "_download", fake_download)
    assert tok.get_tokenizer("meta-llama/Llama-3.1-8B").get_vocab_size() == 2
    assert calls == ["thinkingmachineslabinc/meta-llama-3-instruct-tokenizer"]


def test_corrupt_local_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "tokenizer.json").write_text("{not json")
    with pytest.raises(tok.TokenizerNotFoundError, match="could not load"):
        tok.get_tokenizer(str(tmp_path / "bad"))


def test_model_input_from_text_with_a_real_tokenizer(tmp_path: Path) -> None:
    build_tokenizer(tmp_path / "mi", ["the", "cat", "sat"])
    tokenizer = tok.get_tokenizer(str(tmp_path / "mi"))
    mi = t.ModelInput.from_text("the cat sat", tokenizer)
    assert mi.to_ints() == tokenizer.encode("the cat sat").ids
    assert mi.length == 3
