"""The public surface of tinker_ext against tinker==0.38.0 (run by `nox -s parity_038`).

Both SDKs are introspected into flat `{key: description}` maps (tests/parity_038/_surface.py): top-level
names, `types` (names, fields, methods, Literal values, enum members), the deep module paths real code
imports, every public method of the clients and of APIFuture (parameters with kind, position and default;
return kind), exception constructors and `status_code`, and the CLI tree with its options. Every official
key must appear in ours with the same description, or be listed below with its reason. A listed key that
is no longer different fails too, so the lists stay exact.
"""

from __future__ import annotations

import fnmatch
import importlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest

tinker = pytest.importorskip("tinker")
if not tinker.__version__.startswith("0.38"):
    pytest.skip(f"oracle is tinker 0.38.x, found {tinker.__version__}", allow_module_level=True)

from tinker.cli.__main__ import main_cli as official_cli  # noqa: E402

import tinker_ext  # noqa: E402
from tinker_ext.cli._main import cli as our_cli  # noqa: E402

from ._surface import _norm_annotation, import_forms, surface  # noqa: E402

pytestmark = pytest.mark.parity

# Deliberate differences, as key patterns (fnmatch): each says why we differ and which user code it affects.
DELIBERATE: dict[str, str] = {
    # plumbing constructors (0.38: InternalClientHolder; ours: ClientContext)
    "*.__init__:*": "affects code that builds TrainingClient/SamplingClient/RestClient/APIFuture itself"
    " (0.38 from its InternalClientHolder) instead of getting them from ServiceClient; ServiceClient(**kw)"
    " with an unknown keyword raises TypeError where 0.38 warns",
    # the telemetry pipeline
    "*Telemetry*|*SessionEndEvent*|*SessionStartEvent*|*UnhandledExceptionEvent*|*GenericEvent*"
    "|*Severity*|*EventType*|returns:*.get_telemetry": "affects code that builds telemetry events itself or"
    " calls 0.38's Telemetry methods on get_telemetry() (tinker-ext sends the same batches, but its event types"
    " are internal and its sink is its own class: log(name, data), flush())",
    # the session-wide futures long-poll
    "*FutureCompletion*|*FutureFailed*|*FutureFinished*|*FutureRetrieveResponse*|*FuturesRetrieve*"
    "|*SamplingSessionFuturesTarget*": "affects code speaking the retrieve_futures long-poll protocol"
    " itself; tinker-ext polls each future with retrieve_future",
    # 0.38's generated HTTP layer
    "top:RequestOptions": "affects code passing 0.38's per-call RequestOptions (tinker-ext's clients take"
    " typed keywords)",
    # 0.38's pydantic field (de)serializer hooks and module-level helpers (TypeVars, RetryHandler)
    "attr:types.*.serialize_*|attr:types.*.validate_*|deep:*.T|deep:lib.retry_handler.RetryHandler": "affects code calling 0.38's private validators or its sampling retry loop class directly",
}

# Gaps, not choices (listed so none hides among the deliberate differences):
NOT_YET: dict[str, str] = {}


def _listed(key: str, table: dict[str, str]) -> str | None:
    for patterns in table:
        if any(fnmatch.fnmatchcase(key, p) for p in patterns.split("|")):
            return patterns
    return None


def _official_returns(fn: Callable[..., Any], annotation: Any) -> str:
    return _norm_annotation(annotation)


def _our_returns(fn: Callable[..., Any], annotation: Any) -> str:
    text = _norm_annotation(annotation)
    # Our client-creating methods return the client itself, which is also a finished future of itself
    # (`.result()`, `await`, `.future()`, `.coroutine()`): the same kind as 0.38's Backcompat*ClientFuture.
    if text in ("TrainingClient", "SamplingClient") and not inspect.iscoroutinefunction(fn):
        return f"APIFuture[{text}]"
    return text


def _official_deep_names(module: str) -> list[str]:
    mod = importlib.import_module(f"tinker.{module}")
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [
            n
            for n, v in vars(mod).items()
            if not n.startswith("_") and getattr(v, "__module__", None) == mod.__name__
        ]
    return sorted(names)


TOP_NAMES = sorted(
    set(tinker.__all__) - {"__title__", "__version__"} | {"APIResponse", "AsyncAPIResponse", "lib"}
)


def _surfaces() -> tuple[dict[str, str], dict[str, str]]:
    theirs = surface(
        tinker,
        cli=official_cli,
        returns=_official_returns,
        top_names=TOP_NAMES,
        deep_names=_official_deep_names,
    )
    ours = surface(
        tinker_ext,
        cli=our_cli,
        returns=_our_returns,
        top_names=TOP_NAMES,
        deep_names=_official_deep_names,
    )
    return theirs, ours


def _more_lenient(expected: str, got: str) -> bool:
    """Every use written for 0.38 still works: same parameter kind and position but ours has a default
    where 0.38 requires the argument; or ours returns a client that is also a finished future of itself
    where 0.38 returns the plain client."""
    if got == f"APIFuture[{expected}]" and expected in ("TrainingClient", "SamplingClient"):
        return True
    if (expected, got) in _SAME_BEHAVIOUR:
        return True
    return "=" not in expected and got.startswith(expected + "=")


# Different annotations, same behaviour: `Tokenizer` is transformers' class or an adapter with its API
# (tests/unit/test_tokenizer_api.py compares them call by call); coroutine() returns the coroutine either
# way (0.38 annotates the async def's result); a constructor keyword ours makes optional still accepts it.
_SAME_BEHAVIOUR = {
    ("PreTrainedTokenizer", "Tokenizer"),
    ("T", "Coroutine[Any,Any,T]"),
    ("required", "optional"),
}


def differences(theirs: dict[str, str], ours: dict[str, str]) -> dict[str, str]:
    """Official keys missing or described differently in ours; our required parameters 0.38 lacks."""
    diff: dict[str, str] = {}
    for key, expected in theirs.items():
        if key.startswith("required:"):  # the param: key of the same parameter already says it
            continue
        got = ours.get(key)
        if got is not None and _more_lenient(expected, got):
            continue
        if got != expected:
            diff[key] = f"0.38: {expected} / ours: {got or 'missing'}"
    for key in ours:
        if key.startswith("required:") and key not in theirs:
            method = key.split(":")[1]
            if f"method:{method}" in theirs:
                diff["extra-" + key] = "ours requires a parameter 0.38 does not have"
    return diff


def test_surface_matches_038_except_listed_differences() -> None:
    theirs, ours = _surfaces()
    diff = differences(theirs, ours)
    unexpected = {k: v for k, v in diff.items() if _listed(k, DELIBERATE | NOT_YET) is None}
    stale = sorted(p for p in DELIBERATE | NOT_YET if not any(_listed(k, {p: ""}) for k in diff))
    families: dict[str, int] = {}
    for key in diff:
        families[key.split(":")[0]] = families.get(key.split(":")[0], 0) + 1
    print(
        f"\nsurface: {len(theirs)} official keys, {len(diff)} different ({families}); "
        f"{len(DELIBERATE)} deliberate patterns, {len(NOT_YET)} gaps"
    )
    assert not unexpected, "surface differences not in the allow-lists:\n" + "\n".join(
        f"  {k}: {v}" for k, v in sorted(unexpected.items())
    )
    assert not stale, "allow-list patterns that match no difference any more (remove them):\n" + "\n".join(
        stale
    )


# 0.38's implementation modules: code importing them reaches into the official SDK's internals (its HTTP
# resources, protobuf converters, client holder and pollers, CLI commands), which tinker-ext does not have.
INTERNAL_MODULES = (
    "tinker.cli",
    "tinker.resources",
    "tinker.proto",
    "tinker.lib.api_future_impl",
    "tinker.lib.async_tinker_provider",
    "tinker.lib.backcompat_concurrent_future",
    "tinker.lib.base_url",
    "tinker.lib.chunked_fwdbwd_helpers",
    "tinker.lib.client_connection_pool_type",
    "tinker.lib.console_urls",
    "tinker.lib.credentials",
    "tinker.lib.experimental",
    "tinker.lib.internal_client_holder",
    "tinker.lib.queue_state_logger",
    "tinker.lib.retryable_exception",
    "tinker.lib.sdk_method",
    "tinker.lib.session_futures_poller",
    "tinker.lib.sync_only",
    "tinker.lib.telemetry",
    "tinker.lib.telemetry_provider",
)
# Names of the public modules that are 0.38's internal helpers, imported there for its own use.
INTERNAL_NAMES = {
    "tinker.lib.public_interfaces.backcompat_client_future": {"BackcompatClientFuture", "C"},
    "tinker.lib.public_interfaces.custom_loss": {
        "check_loss_inputs",
        "encode_graph",
        "run_loss_handle",
        "trace_loss",
    },
    "tinker.lib.public_interfaces.rest_client_common": {"rest_client_holder"},
    "tinker.lib.public_interfaces.training_client": {
        "CustomLossFnV1",
        "MODEL_ID_NOT_SET_ERROR",
        "fetch_training_info",
    },
    "tinker.lib.retry_handler": {"RetryHandler"},
}


def _is_helper(value: Any) -> bool:
    """A module's logger or TypeVar: public by spelling only."""
    import logging
    import typing as _typing

    return isinstance(value, logging.Logger | _typing.TypeVar)


def _official_forms() -> dict[str, list[str]]:
    forms: dict[str, list[str]] = {}
    for module, names in import_forms(tinker).items():
        if any(module == m or module.startswith(m + ".") for m in INTERNAL_MODULES):
            continue
        mod = importlib.import_module(module)
        skip = INTERNAL_NAMES.get(module, set())
        forms[module] = [n for n in names if n not in skip and not _is_helper(getattr(mod, n, None))]
    return forms


def test_every_038_import_form_works_under_the_drop_in() -> None:
    """`from tinker.<module> import <Name>` for every public module and name of 0.38 (generated from its
    files), through tinker_ext.drop_in; telemetry / futures long-poll / raw-HTTP names as allow-listed."""
    forms = _official_forms()
    assert len(forms) > 100 and sum(map(len, forms.values())) > 250  # the walk saw 0.38's modules
    import tinker_ext.drop_in as drop_in

    failed: list[str] = []
    drop_in.install()
    try:
        for module, names in forms.items():
            try:
                mod = importlib.import_module(module)
            except ImportError as exc:
                failed.append(f"{module}: {exc}")
                continue
            failed += [f"{module}.{n}" for n in names if not hasattr(mod, n)]
        assert tinker.__version__ == "0.38.0" and "__title__" in tinker.__all__
    finally:
        drop_in.uninstall()
    count = sum(map(len, forms.values()))
    print(f"\nimport forms: {count} in {len(forms)} modules, {len(failed)} failing")
    unexpected = [f for f in failed if _listed("top:" + f.split(".")[-1], DELIBERATE) is None]
    unexpected = [f for f in unexpected if _listed(f.split(".")[-1], DELIBERATE) is None]
    assert not unexpected, "0.38 import forms failing under the drop-in:\n" + "\n".join(unexpected)


def test_the_introspection_sees_both_surfaces() -> None:
    """Guards the test above against a vacuous pass: both maps are large and cover every key family."""
    theirs, ours = _surfaces()
    for family in ("top:", "types.", "field:", "module:", "deep:", "method:", "param:", "returns:", "cli:"):
        assert any(k.startswith(family) for k in theirs), family
        assert any(k.startswith(family) for k in ours), family
    assert theirs["param:TrainingClient.save_state:overwrite"] == "pos2=False"
    assert theirs["returns:ServiceClient.create_lora_training_client"] == "APIFuture[TrainingClient]"
