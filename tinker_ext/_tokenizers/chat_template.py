"""Rendering a model's chat template (the jinja2 text in its tokenizer_config.json), as transformers does.

The template sees `messages`, `tools`, `add_generation_prompt`, the special tokens (`bos_token`, ...) and
any extra keyword; `raise_exception(msg)` and `strftime_now(fmt)` are available, `tojson` keeps non-ASCII.
The environment is sandboxed (a template is data from a model repository, not code we trust).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

__all__ = ["render_chat"]


class ChatTemplateError(ValueError):
    """The template called raise_exception(...) (e.g. roles out of order)."""


def _raise(message: str) -> None:
    raise ChatTemplateError(message)


def _tojson(
    value: Any, indent: int | None = None, ensure_ascii: bool = False, sort_keys: bool = False
) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=ensure_ascii, sort_keys=sort_keys)


@lru_cache(maxsize=16)
def _compile(template: str) -> Any:
    try:
        from jinja2.sandbox import ImmutableSandboxedEnvironment
    except ImportError as exc:  # jinja2 is a dependency of tinker-ext; this guards a broken install
        raise ImportError("apply_chat_template needs jinja2: pip install jinja2") from exc

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"]
    )
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise
    env.globals["strftime_now"] = lambda fmt: datetime.datetime.now().strftime(fmt)
    return env.from_string(template)


def render_chat(
    template: str,
    conversation: Sequence[Mapping[str, Any]],
    *,
    tools: Sequence[Mapping[str, Any]] | None,
    add_generation_prompt: bool,
    continue_final_message: bool,
    variables: Mapping[str, Any],
) -> str:
    """The conversation as the template renders it. With `continue_final_message`, the text ends where
    the final message's content ends (no end-of-turn tokens), so the model continues that message."""
    if continue_final_message and add_generation_prompt:
        raise ValueError("continue_final_message and add_generation_prompt cannot be used together")
    messages = [dict(m) for m in conversation]
    if not messages:
        raise ValueError("cannot apply a chat template to an empty conversation")
    text: str = _compile(template).render(
        messages=messages, tools=tools, add_generation_prompt=add_generation_prompt, **variables
    )
    if continue_final_message:
        final = messages[-1].get("content")
        if not isinstance(final, str) or final.strip() not in text:
            raise ValueError(
                "continue_final_message: the final message's content is not in the rendered chat"
            )
        text = text[: text.rindex(final.strip()) + len(final.strip())]
    return text
