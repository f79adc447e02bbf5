"""The test server's tokenizer: byte-level, built locally with `tokenizers` (no download, no training).

256 byte tokens (ids 0-255, GPT-2's byte alphabet) and three special tokens; written once per process as a
Hugging Face tokenizer directory (`tokenizer.json` + `tokenizer_config.json` with a ChatML template) that
both tinker-ext's `get_tokenizer` and transformers load from the path `get_info` names as `tokenizer_id`.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

__all__ = ["EOS_TOKEN", "SPECIAL_TOKENS", "VOCAB_SIZE", "TinyTokenizer", "tokenizer_dir"]

SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
EOS_TOKEN = SPECIAL_TOKENS[0]
VOCAB_SIZE = 256 + len(SPECIAL_TOKENS)
_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
_lock = threading.Lock()
_dir: Path | None = None


def _build() -> Any:
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet(), key=lambda ch: _byte_of(ch))
    vocab = {ch: i for i, ch in enumerate(alphabet)}
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in SPECIAL_TOKENS])
    return tokenizer


def _byte_of(char: str) -> int:
    """GPT-2's byte-to-unicode map, inverted: printable bytes map to themselves, the rest to 256 + n."""
    code = ord(char)
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    if code in printable:
        return code
    others = [b for b in range(256) if b not in printable]
    return others[code - 256]


def tokenizer_dir() -> Path:
    """The directory holding the tokenizer files (made on first use, removed when the process exits)."""
    global _dir
    with _lock:
        if _dir is None:
            path = Path(tempfile.mkdtemp(prefix="tinker-ext-testing-tokenizer-"))
            atexit.register(shutil.rmtree, path, True)
            _build().save(str(path / "tokenizer.json"))
            config = {
                "tokenizer_class": "PreTrainedTokenizerFast",
                "eos_token": EOS_TOKEN,
                "pad_token": EOS_TOKEN,
                "bos_token": None,
                "model_max_length": 4096,
                "clean_up_tokenization_spaces": False,
                "chat_template": _CHAT_TEMPLATE,
            }
            (path / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
            _dir = path
        return _dir


class TinyTokenizer:
    """The server's own decoder (stop strings): bytes of byte tokens, special tokens as their text."""

    def decode(self, tokens: list[int]) -> str:
        out = bytearray()
        for token in tokens:
            if token < 256:
                out.append(token)
            elif token < VOCAB_SIZE:
                out += SPECIAL_TOKENS[token - 256].encode()
        return out.decode("utf-8", errors="replace")
