from __future__ import annotations

import json
from pathlib import Path

import pytest

import tinker_ext._tokenizers.loader as tok
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

    # No network in unit tests: a fetch would go to a closed loopback port (tests below serve one).
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("TINKER_TOKENIZER_BACKEND", "tokenizers")  # the transformers path: own tests below
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
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
    assert by_dir.encode("hello world") == by_file.encode("hello world")
    assert len(by_dir.encode("hello world")) == 2


def test_env_dir_layouts_and_json_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "toks"
    build_tokenizer(root / "org" / "nested", ["a", "b"])
    build_tokenizer(root / "org--dashed", ["c", "d", "e"])
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", str(root))
    assert len(tok.get_tokenizer("org/nested")) == 3
    assert len(tok.get_tokenizer("org/dashed:suffix")) == 4
    with pytest.raises(tok.TokenizerNotFoundError, match="TINKER_TOKENIZER_DIR"):
        tok.get_tokenizer("org/missing")
    mapped = build_tokenizer(tmp_path / "elsewhere", ["x", "y", "z", "w"])
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", json.dumps({"Qwen/Qwen3-8B": str(mapped)}))
    assert len(tok.get_tokenizer("Qwen/Qwen3-8B")) == 5


def test_env_dir_catch_all_tokenizer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tokenizer(tmp_path / "single", ["only", "one"])
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", str(tmp_path / "single"))
    assert len(tok.get_tokenizer("any/model")) == 3


def test_hf_cache_layout_prefers_refs_main(tmp_path: Path) -> None:
    repo = tmp_path / "hf_home" / "hub" / "models--org--cached"
    build_tokenizer(repo / "snapshots" / "old", ["one"])
    build_tokenizer(repo / "snapshots" / "abc123", ["one", "two", "three"])
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("abc123\n")
    assert len(tok.get_tokenizer("org/cached")) == 4


def test_cache_dir_argument(tmp_path: Path) -> None:
    build_tokenizer(tmp_path / "cache" / "models--o--m" / "snapshots" / "r1", ["p", "q"])
    assert len(tok.get_tokenizer("o/m", cache_dir=tmp_path / "cache")) == 3
    with pytest.raises(tok.TokenizerNotFoundError):
        tok.get_tokenizer("o/m")


def test_results_are_cached_until_cleared(tmp_path: Path) -> None:
    build_tokenizer(tmp_path / "c", ["k"])
    first = tok.get_tokenizer(str(tmp_path / "c"))
    assert tok.get_tokenizer(str(tmp_path / "c")) is first
    tok.clear_tokenizer_cache()
    assert tok.get_tokenizer(str(tmp_path / "c")) is not first


def test_corrupt_local_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "tokenizer.json").write_text("{not json")
    with pytest.raises(tok.TokenizerNotFoundError, match="could not load"):
        tok.get_tokenizer(str(tmp_path / "bad"))


def test_model_input_from_text_with_a_real_tokenizer(tmp_path: Path) -> None:
    build_tokenizer(tmp_path / "mi", ["the", "cat", "sat"])
    tokenizer = tok.get_tokenizer(str(tmp_path / "mi"))
    mi = t.ModelInput.from_text("the cat sat", tokenizer)
    assert mi.to_ints() == tokenizer.encode("the cat sat")
    assert mi.length == 3


# -- the hub: last, one bounded try, one log line, fix named first


class _Hub:
    """A loopback stand-in for the hub: serves /<id>/resolve/main/<file> from `files`; `redirect_to`
    answers tokenizer.json with a 302 to another origin (the hub's file storage)."""

    def __init__(self, files: dict[str, bytes], redirect_to: str | None = None) -> None:
        from _hostile_server import RawServer

        self.files = files
        self.redirect_to = redirect_to
        self.server = RawServer(self._answer)
        self.url = f"http://127.0.0.1:{self.server.port}"

    def _answer(self, conn: object, request: object) -> None:
        from _hostile_server import response_head

        name = request.path.rsplit("/", 1)[-1]  # type: ignore[attr-defined]
        if self.redirect_to and name == "tokenizer.json":
            head = response_head(302, {"Location": f"{self.redirect_to}/blob/{name}", "Content-Length": "0"})
            self.server.send(conn, head)  # type: ignore[arg-type]
            return
        body = self.files.get(name)
        if body is None:
            self.server.send(conn, response_head(404, {"Content-Length": "0"}))  # type: ignore[arg-type]
            return
        self.server.send(conn, response_head(200, {"Content-Length": str(len(body))}) + body)  # type: ignore[arg-type]


def test_hub_fetch_is_last_logged_once_cached_and_then_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    built = build_tokenizer(tmp_path / "src", ["hub", "words", "here"])
    config = json.dumps({"eos_token": "here", "chat_template": "{{ messages[0]['content'] }}"}).encode()
    hub = _Hub({"tokenizer.json": built.read_bytes(), "tokenizer_config.json": config})
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    with hub.server, caplog.at_level("INFO", logger="tinker_ext"):
        tokenizer = tok.get_tokenizer("org/remote")
    assert [r.path for r in hub.server.requests] == [
        "/org/remote/resolve/main/tokenizer.json",
        "/org/remote/resolve/main/tokenizer_config.json",
        "/org/remote/resolve/main/special_tokens_map.json",
    ]
    assert len(caplog.records) == 1 and "org/remote" in caplog.records[0].getMessage()
    assert tokenizer.eos_token_id == tokenizer.convert_tokens_to_ids("here")
    assert (
        tokenizer.apply_chat_template([{"role": "user", "content": "hub words"}], tokenize=False)
        == "hub words"
    )
    stored = tmp_path / "home" / ".cache" / "tinker-ext" / "tokenizers" / "org--remote" / "tokenizer.json"
    assert stored.read_bytes() == built.read_bytes()
    tok.clear_tokenizer_cache()  # the hub is gone (closed port): the stored copy is found offline
    assert len(tok.get_tokenizer("org/remote")) == 4


def test_hub_failure_is_one_short_error_naming_every_fix(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="tinker_ext"), pytest.raises(tok.TokenizerNotFoundError) as info:
        tok.get_tokenizer("org/nowhere")  # HF_ENDPOINT is a closed port: connection refused, no retry loop
    message = str(info.value)
    assert message.startswith("Set TINKER_TOKENIZER_DIR=")
    for fix in (
        "TINKER_TOKENIZER_DIR",
        "local tokenizer path",
        "HF_HUB_CACHE",
        "HF_TOKEN",
        "TINKER_TOKENIZER_HUB_TIMEOUT",
    ):
        assert fix in message
    assert "org/nowhere" in message and "ConnectError" in message
    assert len(message) < 450
    assert len(caplog.records) == 1  # the one "fetching it from the hub" line, no retry chatter


def test_hub_offline_or_zero_timeout_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    hub = _Hub({})
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    with hub.server:
        for var, value in (("HF_HUB_OFFLINE", "1"), ("TINKER_TOKENIZER_HUB_TIMEOUT", "0")):
            monkeypatch.setenv(var, value)
            with pytest.raises(tok.TokenizerNotFoundError, match="hub is disabled"):
                tok.get_tokenizer("org/offline")
            monkeypatch.delenv(var)
        with pytest.raises(tok.TokenizerNotFoundError, match=r"has no tokenizer\.json on the hub"):
            tok.get_tokenizer("org/offline")
    assert len(hub.server.requests) == 1


def test_hub_token_goes_to_the_hub_origin_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = build_tokenizer(tmp_path / "src", ["gated"])
    storage = _Hub({"tokenizer.json": built.read_bytes()})
    hub = _Hub({}, redirect_to=storage.url)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("HF_TOKEN", "hf_secret_value")
    with hub.server, storage.server:
        assert len(tok.get_tokenizer("org/gated")) == 2
    assert all(r.headers.get("authorization") == "Bearer hf_secret_value" for r in hub.server.requests)
    assert [r.path for r in storage.server.requests] == ["/blob/tokenizer.json"]
    assert "authorization" not in storage.server.requests[0].headers


def test_a_silent_hub_is_bounded_by_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    from _hostile_server import RawServer

    released = __import__("threading").Event()
    with RawServer(lambda conn, request: released.wait(30)) as silent:
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{silent.port}")
        monkeypatch.setenv("TINKER_TOKENIZER_HUB_TIMEOUT", "0.3")
        with pytest.raises(tok.TokenizerNotFoundError, match="ReadTimeout"):
            tok.get_tokenizer("org/silent")
        released.set()
