"""Introspection of a Tinker SDK's public surface, flattened to `{key: description}`.

A key names one thing user code can touch (`top:ServiceClient`, `param:TrainingClient.save_state:overwrite`,
`returns:RestClient.whoami`, `field:types.SampleResponse.topk_logprobs`, `cli:checkpoint delete --run-id`,
...); its description says what it is (`present`, `pos2=None`, `APIFuture[TrainingRun]`, ...). Two SDKs have
the same surface where the official SDK's keys all appear in ours with the same description. Our SDK may
have more (extras are never a break for code written against the official one), except required parameters
the official one lacks (`extra-required:` keys).
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import re
import typing
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

import click

CLIENTS = ("ServiceClient", "TrainingClient", "SamplingClient", "RestClient", "AdminClient", "APIFuture")

# Module paths real code imports (docs/PROTOCOL.md, The 0.38 surface): each must import, and each public
# name the official module defines there must be importable from ours.
DEEP_MODULES = (
    "auth",
    "lib.public_interfaces",
    "lib.public_interfaces.rest_client",
    "lib.public_interfaces.api_future",
    "lib.retry_handler",
    "types.loss_fn_type",
    "types.sampling_params",
    "types.checkpoint",
    "types.tensor_data",
)

# The pydantic BaseModel API (model_dump, model_validate, dict, json, parse_obj, ...): 0.38's types are
# pydantic models, so user code calls these on them. Compared as `pydantic:` keys, per class.
_BASE_NAMES: set[str] = set()
try:
    import pydantic

    _BASE_NAMES = set(dir(pydantic.BaseModel))
except ImportError:  # pragma: no cover - pydantic comes with the official SDK
    pass
PYDANTIC_API = sorted(n for n in _BASE_NAMES if not n.startswith("_") or n == "__iter__")


def _public(names: Iterable[str]) -> list[str]:
    return sorted(n for n in names if not n.startswith("_"))


def _norm_annotation(text: Any) -> str:
    """An annotation as comparable text: module qualifiers, quotes and spelling variants removed."""
    if not isinstance(text, str):
        text = getattr(text, "__name__", None) or repr(text)
    text = text.replace("'", "").replace('"', "").replace(" ", "")
    text = re.sub(r"\b(?:tinker_ext|tinker|types|typing|_types|concurrent\.futures)\.", "", text)
    text = re.sub(r"\bList\[", "list[", text)
    text = re.sub(r"\bDict\[", "dict[", text)
    text = re.sub(r"^Backcompat(Training|Sampling)ClientFuture$", r"APIFuture[\1Client]", text)
    text = re.sub(r"^AwaitableConcurrentFuture\[", "APIFuture[", text)
    text = re.sub(r"\bConcurrentFuture\[", "Future[", text)
    return text


def _describe_param(index: int, param: inspect.Parameter) -> str:
    default = "" if param.default is inspect.Parameter.empty else f"={param.default!r}"
    kind = {
        inspect.Parameter.POSITIONAL_ONLY: f"posonly{index}",
        inspect.Parameter.POSITIONAL_OR_KEYWORD: f"pos{index}",
        inspect.Parameter.KEYWORD_ONLY: "kw",
        inspect.Parameter.VAR_POSITIONAL: "*args",
        inspect.Parameter.VAR_KEYWORD: "**kwargs",
    }[param.kind]
    return kind + default


def _signature_keys(
    owner: str, name: str, fn: Callable[..., Any], returns: Callable[[Callable[..., Any], str], str] | None
) -> dict[str, str]:
    keys: dict[str, str] = {}
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return {f"method:{owner}.{name}": "no-signature"}
    keys[f"method:{owner}.{name}"] = "present"
    params = [p for p in sig.parameters.values() if p.name not in ("self", "cls")]
    for index, param in enumerate(params):
        label = "**" if param.kind is inspect.Parameter.VAR_KEYWORD else param.name
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            label = "*"
        keys[f"param:{owner}.{name}:{label}"] = _describe_param(index, param)
        if param.default is inspect.Parameter.empty and param.kind in (
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.KEYWORD_ONLY,
            inspect.Parameter.POSITIONAL_ONLY,
        ):
            keys[f"required:{owner}.{name}:{param.name}"] = "required"
    if returns is not None and name != "__init__":
        keys[f"returns:{owner}.{name}"] = returns(fn, sig.return_annotation)
    return keys


def _class_keys(owner: str, cls: type, returns: Callable[[Callable[..., Any], str], str]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") and name != "__init__":
            continue
        if isinstance(inspect.getattr_static(cls, name, None), property):
            keys[f"attr:{owner}.{name}"] = "property"
            continue
        if callable(member):
            keys.update(_signature_keys(owner, name, member, returns))
        else:
            keys[f"attr:{owner}.{name}"] = "present"
    return keys


def _literal_args(value: Any) -> tuple[str, ...] | None:
    if typing.get_origin(value) is typing.Literal:
        return tuple(sorted(str(a) for a in typing.get_args(value)))
    return None


def _model_fields(cls: type) -> list[str]:
    fields = getattr(cls, "model_fields", None)
    if isinstance(fields, dict):
        return list(fields)
    attrs_fields = getattr(cls, "__attrs_attrs__", None)
    if attrs_fields is not None:
        return [a.name for a in attrs_fields]
    return []


def _constructor(cls: type) -> dict[str, str]:
    """Each constructor keyword: required or optional (pydantic model_fields, dataclass or attrs fields)."""
    fields = getattr(cls, "model_fields", None)
    if isinstance(fields, dict):
        return {
            n: "required" if f.is_required() else "optional"
            for n, f in fields.items()
            if not n.startswith("_")
        }
    if dataclasses.is_dataclass(cls):  # what the constructor takes (a hand-written __init__ included)
        params = inspect.signature(cls).parameters.values()
        return {
            p.name: "required" if p.default is inspect.Parameter.empty else "optional"
            for p in params
            if not p.name.startswith("_")
            and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        }
    attrs_fields = getattr(cls, "__attrs_attrs__", None)
    if attrs_fields is not None:
        import attrs

        return {
            a.name: "required" if a.default is attrs.NOTHING else "optional" for a in attrs_fields if a.init
        }
    return {}


def _type_keys(prefix: str, name: str, value: Any) -> dict[str, str]:
    key = f"{prefix}.{name}"
    args = _literal_args(value)
    if args is not None:
        return {key: "Literal" + repr(list(args))}
    keys = {key: "present"}
    if isinstance(value, type) and issubclass(value, enum.Enum):
        for member in value.__members__:
            keys[f"enum:{key}.{member}"] = "present"
        return keys
    if not isinstance(value, type):
        return keys
    # field: a constructor keyword; attr: anything user code reads (fields included, properties too).
    for field in _model_fields(value):
        keys[f"field:{key}.{field}"] = "present"
    for field, required in _constructor(value).items():
        keys[f"ctor:{key}.{field}"] = required
    for member in PYDANTIC_API:
        if hasattr(value, member):
            keys[f"pydantic:{key}.{member}"] = "present"
    # a dataclass field without a default is no class attribute, but instances have it: read as one
    readable = (
        set(dir(value)) | {f.name for f in dataclasses.fields(value)}
        if dataclasses.is_dataclass(value)
        else dir(value)
    )
    for attr in _public(readable):
        if attr in _BASE_NAMES or attr.startswith("model_"):
            continue
        keys[f"attr:{key}.{attr}"] = "present"
    return keys


def _walk_cli(group: click.Command, path: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    ctx = click.Context(group)
    arguments = 0
    for param in group.params:
        if isinstance(param, click.Argument):  # positional: its name is invisible to users, its place is not
            keys[f"cli:{path} <arg{arguments}>".strip()] = "variadic" if param.nargs == -1 else "present"
            arguments += 1
            continue
        for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", []):
            keys[f"cli:{path} {opt}".strip()] = "present"
    if isinstance(group, click.Group):
        for name in group.list_commands(ctx):
            sub = group.get_command(ctx, name)
            if sub is None or getattr(sub, "hidden", False):
                continue
            keys[f"cli:{path} {name}".strip()] = "command"
            keys.update(_walk_cli(sub, f"{path} {name}".strip()))
    return keys


def surface(
    root: ModuleType,
    *,
    cli: click.Command,
    returns: Callable[[Callable[..., Any], str], str],
    top_names: Iterable[str],
    deep_names: Callable[[str], list[str]],
) -> dict[str, str]:
    """The flattened surface of `root` (tinker or tinker_ext). `top_names`: the official top-level names
    to look up; `deep_names(module)`: the official public names of one DEEP_MODULES entry."""
    keys: dict[str, str] = {}
    for name in top_names:
        if hasattr(root, name):
            keys[f"top:{name}"] = "present"
    types_mod = importlib.import_module(f"{root.__name__}.types")
    for name in _public(dir(types_mod)):
        value = getattr(types_mod, name)
        if isinstance(value, ModuleType) or not name[:1].isupper():
            continue
        keys.update(_type_keys("types", name, value))
    for module in DEEP_MODULES:
        try:
            mod = importlib.import_module(f"{root.__name__}.{module}")
        except ImportError:
            continue
        keys[f"module:{module}"] = "present"
        for name in deep_names(module):
            if hasattr(mod, name):
                keys[f"deep:{module}.{name}"] = "present"
    for client in CLIENTS:
        cls = getattr(root, client, None)
        if cls is not None:
            keys.update(_class_keys(client, cls, returns))
    for name in top_names:
        exc = getattr(root, name, None)
        if not (isinstance(exc, type) and issubclass(exc, BaseException)):
            continue
        keys.update(_signature_keys(name, "__init__", exc.__init__, None))
        status = exc.__dict__.get("status_code")
        if isinstance(status, int):
            keys[f"status:{name}"] = str(status)
    keys.update(_walk_cli(cli, ""))
    return keys


def _names_defined(source: str, *, package_init: bool) -> set[str]:
    """Public names a module's source binds at top level: classes, functions, assignments, and (in a
    package `__init__`) relative re-exports (`from .x import Y`)."""
    import ast

    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif package_init and isinstance(node, ast.ImportFrom) and node.level > 0:
            names.update(alias.asname or alias.name for alias in node.names)
    return {n for n in names if not n.startswith("_")}


def import_forms(package: ModuleType) -> dict[str, list[str]]:
    """Every `from <package>.<module> import <Name>` form the package offers: each public module on disk
    (no `_`-prefixed part, no `*_test.py`) and the public names it defines or re-exports (plus `__all__`).
    Generated from the files, so a new official module or name is checked without editing a list."""
    from pathlib import Path

    root = Path(next(iter(package.__path__)))
    forms: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(p.startswith("_") for p in parts) or (parts and parts[-1].endswith("_test")):
            continue
        module = ".".join((package.__name__, *parts))
        names = _names_defined(path.read_text(encoding="utf-8"), package_init=path.name == "__init__.py")
        try:
            names |= set(getattr(importlib.import_module(module), "__all__", ()))
        except Exception:
            continue
        forms[module] = sorted(n for n in names if not n.startswith("_"))
    return forms
