"""The public surface of tinker_ext against tinker==0.38.0 (run by `nox -s parity_038`).

Both SDKs are introspected into flat `{key: description}` maps (tests/parity_038/_surface.py): top-level
names, `types` (names, fields, methods, Literal values, enum members), the deep module paths real code
imports, every public method of the clients and of APIFuture (parameters with kind, position and default;
return kind), exception constructors and `status_code`, and the CLI tree with its options. Every official
key must appear in ours with the same description, or be listed below with its reason. A listed key that
is no longer different fails too, so the lists stay exact.
"""

from __future__ import annotations

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

from ._surface import _norm_annotation, surface  # noqa: E402

pytestmark = pytest.mark.parity

# Deliberate differences: code written for 0.38 still runs; each entry says why we differ.
_INTERNAL = (
    "constructor or attribute of SDK plumbing: 0.38 builds clients and futures from its InternalClientHolder"
    " (`holder`), tinker-ext from its ClientContext; user code gets them from ServiceClient, never builds them"
)
_NO_TELEMETRY = (
    "tinker-ext sends no telemetry: get_telemetry() exists and always returns None; the telemetry types"
    " (Telemetry*, session/exception events, EventType, Severity) have no use without it"
)
_TOKENIZER = (
    "get_tokenizer returns a `tokenizers.Tokenizer` (no transformers dependency), not a transformers"
    " PreTrainedTokenizer: encode() returns an Encoding (`.ids`), decode() is the same"
)
_COROUTINE = (
    "coroutine() returns the coroutine object either way; 0.38 annotates it as an async def returning T"
)
_PYDANTIC = "pydantic field validators/serializers of 0.38's models; tinker-ext's types are attrs classes"
_RAW_HTTP = "raw-response / request-options layer of 0.38's generated HTTP client; tinker-ext has none"
_UNKNOWN_KEYWORDS = "0.38 ignores unknown ServiceClient keywords with a warning; tinker-ext raises TypeError"
_INTERNAL_HELPERS = "module-internal helpers (a TypeVar, the sampling retry loop class), not API"
_FUTURES_LONG_POLL = (
    "types of the session-wide futures long-poll (retrieve_futures); tinker-ext polls each future with"
    " retrieve_future and does not use that protocol"
)
DELIBERATE: dict[str, str] = {
    "attr:types.DmelChunk.serialize_dmel": _PYDANTIC,
    "attr:types.DmelChunk.validate_dmel": _PYDANTIC,
    "attr:types.ImageChunk.serialize_data": _PYDANTIC,
    "attr:types.ImageChunk.validate_data": _PYDANTIC,
    "deep:lib.public_interfaces.api_future.T": _INTERNAL_HELPERS,
    "deep:lib.retry_handler.RetryHandler": _INTERNAL_HELPERS,
    "deep:lib.retry_handler.T": _INTERNAL_HELPERS,
    "extra-required:APIFuture.__init__:inner": _INTERNAL,
    "extra-required:SamplingClient.__init__:ctx": _INTERNAL,
    "extra-required:TrainingClient.__init__:ctx": _INTERNAL,
    "field:types.FutureFailed.request_id": _FUTURES_LONG_POLL,
    "field:types.FutureFailed.state": _FUTURES_LONG_POLL,
    "field:types.FutureFinished.request_id": _FUTURES_LONG_POLL,
    "field:types.FutureFinished.response_payload_uncompressed_size": _FUTURES_LONG_POLL,
    "field:types.FutureFinished.state": _FUTURES_LONG_POLL,
    "field:types.FuturesRetrieveRequest.prev_cursor": _FUTURES_LONG_POLL,
    "field:types.FuturesRetrieveRequest.retrieved_request_ids": _FUTURES_LONG_POLL,
    "field:types.FuturesRetrieveRequest.target": _FUTURES_LONG_POLL,
    "field:types.FuturesRetrieveRequest.timeout": _FUTURES_LONG_POLL,
    "field:types.FuturesRetrieveResponse.completions": _FUTURES_LONG_POLL,
    "field:types.FuturesRetrieveResponse.cursor": _FUTURES_LONG_POLL,
    "field:types.SamplingSessionFuturesTarget.cloned_sampler_id": _FUTURES_LONG_POLL,
    "field:types.SamplingSessionFuturesTarget.sampling_session_id": _FUTURES_LONG_POLL,
    "field:types.SamplingSessionFuturesTarget.type": _FUTURES_LONG_POLL,
    "field:types.SessionEndEvent.duration": _NO_TELEMETRY,
    "field:types.SessionEndEvent.event": _NO_TELEMETRY,
    "field:types.SessionEndEvent.event_id": _NO_TELEMETRY,
    "field:types.SessionEndEvent.event_session_index": _NO_TELEMETRY,
    "field:types.SessionEndEvent.severity": _NO_TELEMETRY,
    "field:types.SessionEndEvent.timestamp": _NO_TELEMETRY,
    "field:types.SessionStartEvent.event": _NO_TELEMETRY,
    "field:types.SessionStartEvent.event_id": _NO_TELEMETRY,
    "field:types.SessionStartEvent.event_session_index": _NO_TELEMETRY,
    "field:types.SessionStartEvent.severity": _NO_TELEMETRY,
    "field:types.SessionStartEvent.timestamp": _NO_TELEMETRY,
    "field:types.TelemetryBatch.events": _NO_TELEMETRY,
    "field:types.TelemetryBatch.platform": _NO_TELEMETRY,
    "field:types.TelemetryBatch.process_uuid": _NO_TELEMETRY,
    "field:types.TelemetryBatch.sdk_version": _NO_TELEMETRY,
    "field:types.TelemetryBatch.session_id": _NO_TELEMETRY,
    "field:types.TelemetryResponse.status": _NO_TELEMETRY,
    "field:types.TelemetrySendRequest.events": _NO_TELEMETRY,
    "field:types.TelemetrySendRequest.platform": _NO_TELEMETRY,
    "field:types.TelemetrySendRequest.process_uuid": _NO_TELEMETRY,
    "field:types.TelemetrySendRequest.sdk_version": _NO_TELEMETRY,
    "field:types.TelemetrySendRequest.session_id": _NO_TELEMETRY,
    "field:types.UnhandledExceptionEvent.error_message": _NO_TELEMETRY,
    "field:types.UnhandledExceptionEvent.error_type": _NO_TELEMETRY,
    "field:types.UnhandledExceptionEvent.event": _NO_TELEMETRY,
    "field:types.UnhandledExceptionEvent.event_id": _NO_TELEMETRY,
    "field:types.UnhandledExceptionEvent.event_session_index": _NO_TELEMETRY,
    "field:types.UnhandledExceptionEvent.severity": _NO_TELEMETRY,
    "field:types.UnhandledExceptionEvent.timestamp": _NO_TELEMETRY,
    "field:types.UnhandledExceptionEvent.traceback": _NO_TELEMETRY,
    "param:APIFuture.__init__:*": _INTERNAL,
    "param:APIFuture.__init__:**": _INTERNAL,
    "param:AdminClient.__init__:_holder": _INTERNAL,
    "param:RestClient.__init__:_holder": _INTERNAL,
    "param:SamplingClient.__init__:holder": _INTERNAL,
    "param:SamplingClient.__init__:sampling_session_id": _INTERNAL,
    "param:SamplingClient.__init__:shadow": _INTERNAL,
    "param:ServiceClient.__init__:**": _UNKNOWN_KEYWORDS,
    "param:TrainingClient.__init__:holder": _INTERNAL,
    "param:TrainingClient.__init__:info": _INTERNAL,
    "param:TrainingClient.__init__:model_id": _INTERNAL,
    "param:TrainingClient.__init__:model_seq_id": _INTERNAL,
    "returns:APIFuture.coroutine": _COROUTINE,
    "returns:AdminClient.get_telemetry": _NO_TELEMETRY,
    "returns:RestClient.get_telemetry": _NO_TELEMETRY,
    "returns:SamplingClient.get_telemetry": _NO_TELEMETRY,
    "returns:SamplingClient.get_tokenizer": _TOKENIZER,
    "returns:ServiceClient.get_telemetry": _NO_TELEMETRY,
    "returns:TrainingClient.get_telemetry": _NO_TELEMETRY,
    "returns:TrainingClient.get_tokenizer": _TOKENIZER,
    "top:APIResponse": _RAW_HTTP,
    "top:AsyncAPIResponse": _RAW_HTTP,
    "top:RequestOptions": _RAW_HTTP,
    "types.EventType": _NO_TELEMETRY,
    "types.FutureCompletion": _FUTURES_LONG_POLL,
    "types.FutureFailed": _FUTURES_LONG_POLL,
    "types.FutureFinished": _FUTURES_LONG_POLL,
    "types.FutureRetrieveResponse": _FUTURES_LONG_POLL,
    "types.FuturesRetrieveRequest": _FUTURES_LONG_POLL,
    "types.FuturesRetrieveResponse": _FUTURES_LONG_POLL,
    "types.SamplingSessionFuturesTarget": _FUTURES_LONG_POLL,
    "types.SessionEndEvent": _NO_TELEMETRY,
    "types.SessionStartEvent": _NO_TELEMETRY,
    "types.Severity": _NO_TELEMETRY,
    "types.TelemetryBatch": _NO_TELEMETRY,
    "types.TelemetryEvent": _NO_TELEMETRY,
    "types.TelemetryResponse": _NO_TELEMETRY,
    "types.TelemetrySendRequest": _NO_TELEMETRY,
    "types.UnhandledExceptionEvent": _NO_TELEMETRY,
}

# Not built yet (listed in the closing note of issue 10; each entry is a gap, not a choice). Empty now;
# kept so a gap found later is listed here rather than hidden among the deliberate differences.
NOT_YET: dict[str, str] = {}


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
    return "=" not in expected and got.startswith(expected + "=")


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
    allowed = DELIBERATE | NOT_YET
    unexpected = {k: v for k, v in diff.items() if k not in allowed}
    stale = sorted(k for k in allowed if k not in diff)
    print(
        f"\nsurface: {len(theirs)} official keys, {len(diff)} different, {len(DELIBERATE)} deliberate, "
        f"{len(NOT_YET)} not yet"
    )
    assert not unexpected, "surface differences not in the allow-lists:\n" + "\n".join(
        f"  {k}: {v}" for k, v in sorted(unexpected.items())
    )
    assert not stale, "allow-listed keys that no longer differ (remove them):\n" + "\n".join(stale)


def test_the_introspection_sees_both_surfaces() -> None:
    """Guards the test above against a vacuous pass: both maps are large and cover every key family."""
    theirs, ours = _surfaces()
    for family in ("top:", "types.", "field:", "module:", "deep:", "method:", "param:", "returns:", "cli:"):
        assert any(k.startswith(family) for k in theirs), family
        assert any(k.startswith(family) for k in ours), family
    assert theirs["param:TrainingClient.save_state:overwrite"] == "pos2=False"
    assert theirs["returns:ServiceClient.create_lora_training_client"] == "APIFuture[TrainingClient]"
