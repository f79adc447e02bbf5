"""What `get_tokenizer()` returns has the transformers tokenizer API: transformers' own class when it is
installed, else `TokenizerAdapter`, which must answer every call 0.38-era code makes exactly as transformers
does. Both load the local tiny model's tokenizer files (localserver/build_tiny_model.py, with its chat
template); the adapter is compared call by call against transformers on the same files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tinker_ext._tokenizers.loader as tok
from localserver import build_tiny_model
from tinker_ext._tokenizers.adapter import TokenizerAdapter

pytest.importorskip("tokenizers")

CORPUS = Path(build_tiny_model.__file__).with_name("corpus.txt")
TEXT = "English: coffee break\nPig Latin:"
CHAT = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi there"}]


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model's tokenizer.json and tokenizer_config.json, as the local servers' model dir has them."""
    out = tmp_path_factory.mktemp("tiny") / "tiny" / "qwen3-2l"
    out.mkdir(parents=True)
    build_tiny_model.train_tokenizer(CORPUS).save(str(out / "tokenizer.json"))
    (out / "tokenizer_config.json").write_text(json.dumps(build_tiny_model.tokenizer_config()))
    return out


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    tok.clear_tokenizer_cache()


def _load(tiny_dir: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TINKER_TOKENIZER_BACKEND", backend)
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", str(tiny_dir.parents[1]))
    tok.clear_tokenizer_cache()
    return tok.get_tokenizer("tiny/qwen3-2l")


def test_adapter_gives_the_transformers_api_and_types(
    tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adapter = _load(tiny_dir, "tokenizers", monkeypatch)
    assert isinstance(adapter, TokenizerAdapter)
    ids = adapter.encode(TEXT, add_special_tokens=True)
    completion = adapter.encode(" oneesstay\n\n", add_special_tokens=False)
    tokens = ids + completion  # the docs quickstart concatenates the two lists
    assert isinstance(ids, list) and all(type(i) is int for i in tokens)
    assert adapter.decode(ids) == TEXT and adapter.decode(np.array(ids)) == TEXT
    assert adapter.batch_decode([ids, completion]) == [TEXT, " oneesstay\n\n"]
    encoded = adapter(TEXT)
    assert encoded["input_ids"] == encoded.input_ids == ids and encoded["attention_mask"] == [1] * len(ids)
    assert adapter.eos_token == "<|endoftext|>" and adapter.eos_token_id == 0 == adapter.pad_token_id
    assert adapter.bos_token_id is None
    assert adapter.convert_tokens_to_ids("<|im_end|>") == 2
    assert adapter.convert_ids_to_tokens([1, 2]) == ["<|im_start|>", "<|im_end|>"]
    assert adapter.vocab_size == len(adapter) == len(adapter.get_vocab())
    assert adapter.backend_tokenizer.encode(TEXT).ids == ids  # the raw tokenizers.Tokenizer stays reachable
    rendered = adapter.apply_chat_template(CHAT, tokenize=False, add_generation_prompt=True)
    assert rendered == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi there<|im_end|>\n" + (
        "<|im_start|>assistant\n"
    )
    without_prompt = rendered.removesuffix("<|im_start|>assistant\n")
    assert adapter.apply_chat_template(CHAT, return_dict=False) == adapter.encode(without_prompt, None, False)


def test_adapter_refuses_what_it_cannot_do(tiny_dir: Path) -> None:
    adapter = TokenizerAdapter.from_file(tiny_dir / "tokenizer.json")
    with pytest.raises(TypeError, match="text as str"):
        adapter.encode([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="raised in template"):
        adapter.apply_chat_template(CHAT, chat_template="{{ raise_exception('raised in template') }}")
    bare = TokenizerAdapter(adapter.backend_tokenizer, {}, "bare")
    with pytest.raises(ValueError, match="no chat template"):
        bare.apply_chat_template(CHAT)
    with pytest.raises(ValueError, match="pad token"):
        bare(["a", "bb"], padding=True)


def test_adapter_answers_as_transformers_does(tiny_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("transformers")
    ours = _load(tiny_dir, "tokenizers", monkeypatch)
    theirs = _load(tiny_dir, "transformers", monkeypatch)
    assert not isinstance(theirs, TokenizerAdapter)  # transformers' own class when it is installed
    assert type(theirs).__module__.startswith("transformers")
    ids = theirs.encode(TEXT)
    batch = [TEXT, "hi", "a longer line of words"]
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("encode", (TEXT,), {}),
        ("encode", (TEXT,), {"add_special_tokens": False}),
        ("encode", (TEXT,), {"truncation": True, "max_length": 3}),
        ("decode", (ids,), {}),
        ("decode", (ids,), {"skip_special_tokens": True}),
        ("batch_decode", ([ids, ids[:2]],), {}),
        ("tokenize", (TEXT,), {}),
        ("convert_tokens_to_ids", (["<|im_end|>", "Ġcoffee", "not-a-token"],), {}),
        ("convert_ids_to_tokens", (ids,), {}),
        ("apply_chat_template", (CHAT,), {"tokenize": False}),
        ("apply_chat_template", (CHAT,), {"tokenize": False, "add_generation_prompt": True}),
        ("apply_chat_template", (CHAT,), {"tokenize": False, "continue_final_message": True}),
        ("apply_chat_template", (CHAT,), {"return_dict": False}),
        ("get_vocab", (), {}),
    ]
    for name, args, kwargs in calls:
        assert getattr(ours, name)(*args, **kwargs) == getattr(theirs, name)(*args, **kwargs), (name, kwargs)
    for kwargs in ({}, {"padding": True}, {"padding": "max_length", "max_length": 12}):
        assert dict(ours(batch, **kwargs)) == dict(theirs(batch, **kwargs)), kwargs
    assert dict(ours(TEXT)) == dict(theirs(TEXT))
    assert dict(ours.apply_chat_template(CHAT)) == dict(theirs.apply_chat_template(CHAT))
    for attr in (
        "eos_token",
        "eos_token_id",
        "pad_token",
        "pad_token_id",
        "bos_token_id",
        "vocab_size",
        "special_tokens_map",
        "all_special_tokens",
        "all_special_ids",
        "chat_template",
    ):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert len(ours) == len(theirs)
    assert type(ours.backend_tokenizer) is type(theirs.backend_tokenizer)  # both tokenizers.Tokenizer
