"""`TokenizerAdapter`: the transformers tokenizer API over a `tokenizers.Tokenizer`, for when transformers is
not installed.

Code written for the official SDK calls what `get_tokenizer()` returns as a transformers
`PreTrainedTokenizerFast`: `encode` -> list[int], `decode`, `__call__` -> {input_ids, attention_mask},
`apply_chat_template`, `eos_token_id`, ... The adapter gives the same methods and return types, reading the
special tokens and the chat template from the model's `tokenizer_config.json`. The raw tokenizer stays
reachable as `backend_tokenizer` (transformers' name for it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["BatchEncoding", "TokenizerAdapter"]

_SPECIAL_NAMES = ("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token")


class BatchEncoding(dict[str, Any]):
    """What `tokenizer(text)` returns: a dict (`input_ids`, `attention_mask`) also readable by attribute."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _token_text(value: Any) -> str | None:
    """A special token as tokenizer_config.json writes it: a string or an AddedToken dict."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("content"), str):
        return str(value["content"])
    return None


def _ids(token_ids: Any) -> list[int]:
    """Token ids from an int, a list, a numpy array or a torch tensor (as transformers accepts them)."""
    if hasattr(token_ids, "tolist"):
        token_ids = token_ids.tolist()
    if isinstance(token_ids, int):
        return [token_ids]
    return [int(t) for t in token_ids]


class TokenizerAdapter:
    """A transformers-style tokenizer over `tokenizers.Tokenizer` (see module docstring)."""

    def __init__(
        self, backend: Tokenizer, config: Mapping[str, Any] | None = None, name_or_path: str = ""
    ) -> None:
        self._backend = backend
        config = dict(config or {})
        self.name_or_path = name_or_path
        self.init_kwargs = config
        self.chat_template: str | None = _chat_template(config)
        self.model_max_length: int = int(config.get("model_max_length") or 2**63 - 1)
        self.padding_side: str = str(config.get("padding_side") or "right")
        self.truncation_side: str = str(config.get("truncation_side") or "right")
        self.clean_up_tokenization_spaces = bool(config.get("clean_up_tokenization_spaces", False))
        self._special = {name: _token_text(config.get(name)) for name in _SPECIAL_NAMES}

    @classmethod
    def from_file(cls, tokenizer_file: str | Path, name_or_path: str = "") -> TokenizerAdapter:
        """Load `tokenizer.json` and, beside it, `tokenizer_config.json` when present."""
        from tokenizers import Tokenizer

        path = Path(tokenizer_file)
        config_path = path.with_name("tokenizer_config.json")
        config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
        if not isinstance(config, dict):
            config = {}
        return cls(Tokenizer.from_file(str(path)), config, name_or_path or str(path.parent))

    def __repr__(self) -> str:
        return f"TokenizerAdapter(name_or_path={self.name_or_path!r}, vocab_size={self.vocab_size})"

    # -- the raw tokenizer and the vocabulary

    @property
    def backend_tokenizer(self) -> Tokenizer:
        """The `tokenizers.Tokenizer` underneath (as transformers' fast tokenizers expose it)."""
        return self._backend

    @property
    def is_fast(self) -> bool:
        return True

    @property
    def vocab_size(self) -> int:
        """The base vocabulary, without added tokens (transformers' meaning); `len()` counts them too."""
        return int(self._backend.get_vocab_size(with_added_tokens=False))

    def __len__(self) -> int:
        return int(self._backend.get_vocab_size(with_added_tokens=True))

    def get_vocab(self) -> dict[str, int]:
        return dict(self._backend.get_vocab(with_added_tokens=True))

    # -- special tokens

    def _special_id(self, name: str) -> int | None:
        token = self._special.get(name)
        return None if token is None else self._backend.token_to_id(token)

    bos_token = property(lambda self: self._special["bos_token"])
    eos_token = property(lambda self: self._special["eos_token"])
    unk_token = property(lambda self: self._special["unk_token"])
    pad_token = property(lambda self: self._special["pad_token"])
    bos_token_id = property(lambda self: self._special_id("bos_token"))
    eos_token_id = property(lambda self: self._special_id("eos_token"))
    unk_token_id = property(lambda self: self._special_id("unk_token"))
    pad_token_id = property(lambda self: self._special_id("pad_token"))

    @property
    def special_tokens_map(self) -> dict[str, str]:
        return {name: token for name, token in self._special.items() if token is not None}

    @property
    def all_special_tokens(self) -> list[str]:
        """The named special tokens, then the config's additional/extra ones (transformers' order)."""
        extra: list[str] = []
        for key in ("additional_special_tokens", "extra_special_tokens"):
            values = self.init_kwargs.get(key) or []
            values = list(values.values()) if isinstance(values, Mapping) else values
            extra += [t for t in map(_token_text, values) if t is not None]
        return list(dict.fromkeys([*self.special_tokens_map.values(), *extra]))

    @property
    def all_special_ids(self) -> list[int]:
        ids = (self._backend.token_to_id(t) for t in self.all_special_tokens)
        return [i for i in ids if i is not None]

    # -- tokens <-> ids

    def tokenize(self, text: str, add_special_tokens: bool = False) -> list[str]:
        return list(self._backend.encode(text, add_special_tokens=add_special_tokens).tokens)

    def convert_tokens_to_ids(self, tokens: str | Iterable[str]) -> int | list[int]:
        """Unknown tokens map to the unk token's id (None without one), as in transformers."""
        if isinstance(tokens, str):
            found = self._backend.token_to_id(tokens)
            return found if found is not None else self._special_id("unk_token")  # type: ignore[return-value]
        return [self.convert_tokens_to_ids(t) for t in tokens]  # type: ignore[misc]

    def convert_ids_to_tokens(
        self, ids: int | Sequence[int], skip_special_tokens: bool = False
    ) -> str | list[str]:
        if isinstance(ids, int):
            return self._backend.id_to_token(ids)  # type: ignore[return-value]
        special = set(self.all_special_ids) if skip_special_tokens else set()
        return [self._backend.id_to_token(int(i)) for i in ids if int(i) not in special]  # type: ignore[misc]

    def convert_tokens_to_string(self, tokens: Sequence[str]) -> str:
        return self.decode([i for i in (self._backend.token_to_id(t) for t in tokens) if i is not None])

    # -- encode / decode

    def _truncate(self, ids: list[int], truncation: bool | str, max_length: int | None) -> list[int]:
        if not truncation or truncation == "do_not_truncate":
            return ids
        limit = self.model_max_length if max_length is None else max_length
        if len(ids) <= limit:
            return ids
        return ids[:limit] if self.truncation_side == "right" else ids[len(ids) - limit :]

    def encode(
        self,
        text: str,
        text_pair: str | None = None,
        add_special_tokens: bool = True,
        truncation: bool | str = False,
        max_length: int | None = None,
    ) -> list[int]:
        """Token ids of `text` (a list of ints, as transformers returns them)."""
        if not isinstance(text, str) or not (text_pair is None or isinstance(text_pair, str)):
            raise TypeError(f"encode() takes text as str, got {type(text).__name__}")
        encoding = self._backend.encode(text, text_pair, add_special_tokens=add_special_tokens)
        return self._truncate(list(encoding.ids), truncation, max_length)

    def __call__(
        self,
        text: str | Sequence[str],
        text_pair: str | Sequence[str] | None = None,
        add_special_tokens: bool = True,
        padding: bool | str = False,
        truncation: bool | str = False,
        max_length: int | None = None,
        return_attention_mask: bool = True,
    ) -> BatchEncoding:
        """`{"input_ids", "attention_mask"}` for one text (lists of ints) or a batch (lists of lists)."""
        if isinstance(text, str):
            pair = text_pair if isinstance(text_pair, str) or text_pair is None else None
            ids = self.encode(text, pair, add_special_tokens, truncation, max_length)
            single = BatchEncoding(input_ids=ids)
            if return_attention_mask:
                single["attention_mask"] = [1] * len(ids)
            return single
        pairs: Sequence[str | None] = [None] * len(text) if text_pair is None else list(text_pair)
        rows = [
            self.encode(t, p, add_special_tokens, truncation, max_length)
            for t, p in zip(text, pairs, strict=True)
        ]
        masks = [[1] * len(r) for r in rows]
        if padding and padding != "do_not_pad":
            rows, masks = self._pad(rows, padding, max_length)
        out = BatchEncoding(input_ids=rows)
        if return_attention_mask:
            out["attention_mask"] = masks
        return out

    def _pad(
        self, rows: list[list[int]], padding: bool | str, max_length: int | None
    ) -> tuple[list[list[int]], list[list[int]]]:
        """Pad to the longest row (or `max_length` with padding="max_length") on `padding_side`."""
        pad_id = self.pad_token_id
        if pad_id is None:
            raise ValueError("padding needs a pad token; this tokenizer has none")
        longest = max(map(len, rows), default=0)
        width = max_length if padding == "max_length" and max_length is not None else longest
        padded: list[list[int]] = []
        masks: list[list[int]] = []
        for row in rows:
            fill = max(width - len(row), 0)
            if self.padding_side == "left":
                padded.append([pad_id] * fill + row)
                masks.append([0] * fill + [1] * len(row))
            else:
                padded.append(row + [pad_id] * fill)
                masks.append([1] * len(row) + [0] * fill)
        return padded, masks

    def batch_encode_plus(self, batch_text_or_text_pairs: Sequence[str], **kwargs: Any) -> BatchEncoding:
        return self(list(batch_text_or_text_pairs), **kwargs)

    def decode(
        self,
        token_ids: Any,
        skip_special_tokens: bool = False,
        clean_up_tokenization_spaces: bool | None = None,
    ) -> str:
        """The text of `token_ids` (an int, a list, a numpy array or a tensor)."""
        text = str(self._backend.decode(_ids(token_ids), skip_special_tokens=skip_special_tokens))
        clean = (
            self.clean_up_tokenization_spaces
            if clean_up_tokenization_spaces is None
            else clean_up_tokenization_spaces
        )
        return _clean_up_spaces(text) if clean else text

    def batch_decode(self, sequences: Iterable[Any], skip_special_tokens: bool = False) -> list[str]:
        return [self.decode(s, skip_special_tokens=skip_special_tokens) for s in _rows(sequences)]

    # -- chat

    def apply_chat_template(
        self,
        conversation: Sequence[Mapping[str, Any]],
        tools: Sequence[Mapping[str, Any]] | None = None,
        chat_template: str | None = None,
        add_generation_prompt: bool = False,
        continue_final_message: bool = False,
        tokenize: bool = True,
        return_dict: bool = True,
        **template_kwargs: Any,
    ) -> str | list[int] | BatchEncoding:
        """Render the conversation with the tokenizer config's chat template (jinja2) and, with
        `tokenize=True`, encode it without adding special tokens: a BatchEncoding when `return_dict`
        (transformers 5's default), else the list of ids."""
        from tinker_ext._tokenizers.chat_template import render_chat

        template = chat_template or self.chat_template
        if not template:
            raise ValueError(
                f"tokenizer {self.name_or_path!r} has no chat template (its tokenizer_config.json has no "
                "chat_template); pass chat_template=..."
            )
        text = render_chat(
            template,
            conversation,
            tools=tools,
            add_generation_prompt=add_generation_prompt,
            continue_final_message=continue_final_message,
            variables={**self.special_tokens_map, **template_kwargs},
        )
        if not tokenize:
            return text
        encoded = self(text, add_special_tokens=False)
        return encoded if return_dict else list(encoded["input_ids"])


def _rows(sequences: Iterable[Any]) -> list[Any]:
    return list(sequences.tolist()) if hasattr(sequences, "tolist") else list(sequences)


def _chat_template(config: Mapping[str, Any]) -> str | None:
    """tokenizer_config.json's `chat_template`: a string, or a list of named templates (use "default")."""
    value = config.get("chat_template")
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        named = {t.get("name"): t.get("template") for t in value if isinstance(t, Mapping)}
        default = named.get("default")
        return default if isinstance(default, str) else None
    return None


def _clean_up_spaces(text: str) -> str:
    """transformers' `clean_up_tokenization_spaces`: no space before punctuation and contractions."""
    for before, after in (
        (" .", "."),
        (" ?", "?"),
        (" !", "!"),
        (" ,", ","),
        (" ' ", "'"),
        (" n't", "n't"),
        (" 'm", "'m"),
        (" 's", "'s"),
        (" 've", "'ve"),
        (" 're", "'re"),
    ):
        text = text.replace(before, after)
    return text
