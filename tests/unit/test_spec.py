"""openapi.yaml is a valid OpenAPI 3.1 document and generated/tinker_ext_raw matches it operation by operation."""

from __future__ import annotations

import datetime
import functools
import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")
validator = pytest.importorskip("openapi_spec_validator")

REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO / "openapi.yaml"
RAW_DIR = REPO / "generated" / "tinker_ext_raw"
HEADER = "# GENERATED from openapi.yaml by codegen/generate.py"
PROTO_HEADER = "# GENERATED from tinker_public.proto by codegen/generate.py"
PUBLIC_HEADER = "# GENERATED from openapi.yaml by codegen/types_gen.py"
_HEADERS = {"proto": PROTO_HEADER, "public": PUBLIC_HEADER}
ENDPOINTS_HEADER = (
    "# GENERATED from openapi.yaml by codegen/endpoints_gen.py. DO NOT EDIT.\n"
    "# Change openapi.yaml (operations, x-tinker-ext-* operation extensions) and run `nox -s codegen`.\n"
)
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@functools.cache
def _spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in _spec()["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]


def test_spec_is_valid_openapi_31() -> None:
    spec = _spec()
    assert spec["openapi"].startswith("3.1")
    validator.validate(spec)


def test_operation_ids_are_unique_snake_case_with_one_known_tag_and_api_key_security() -> None:
    seen: set[str] = set()
    for method, path, op in _operations():
        op_id = op["operationId"]
        assert op_id == op_id.lower() and op_id.isidentifier(), (method, path, op_id)
        assert op_id not in seen, op_id
        seen.add(op_id)
        assert len(op["tags"]) == 1 and op["tags"][0] in {
            "service",
            "training",
            "sampling",
            "weights",
            "futures",
            "rest",
            "admin",
        }, op_id
        assert op.get("security") == [{"ApiKeyAuth": []}], op_id
        assert {"4XX", "5XX"} <= set(op["responses"]), op_id


@pytest.mark.parametrize(
    ("method", "path", "op"), _operations(), ids=lambda v: v["operationId"] if isinstance(v, dict) else None
)
def test_every_operation_has_a_generated_endpoint_module(method: str, path: str, op: dict[str, Any]) -> None:
    module = importlib.import_module(f"tinker_ext_raw.api.{op['tags'][0]}.{op['operationId']}")
    for name in ("sync_detailed", "asyncio_detailed", "_get_kwargs", "_build_response"):
        assert callable(getattr(module, name)), name
    kwargs = _call_get_kwargs(module, op)
    assert kwargs["method"] == method
    assert kwargs["url"].startswith("/api/v1/")


def _call_get_kwargs(module: Any, op: dict[str, Any]) -> dict[str, Any]:
    """Call _get_kwargs with placeholder path params (positional) and required query params; operations
    with a JSON body need `body=` (keyword-only), for those only the signature is checked."""
    resolved = [_resolve(p) for p in op.get("parameters", [])]
    path_values = [_placeholder(p) for p in resolved if p["in"] == "path"]
    query = {
        p["name"]: datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        for p in resolved
        if p["in"] == "query" and p.get("required")
    }
    if "requestBody" in op:
        assert "body" in inspect.signature(module._get_kwargs).parameters
        source = inspect.getsource(module._get_kwargs)
        return {"method": source.split('"method": "', 1)[1].split('"', 1)[0], "url": "/api/v1/"}
    return module._get_kwargs(*path_values, **query)


def _resolve(param: dict[str, Any]) -> dict[str, Any]:
    ref = param.get("$ref")
    if ref is None:
        return param
    return _spec()["components"]["parameters"][ref.rsplit("/", 1)[1]]


def _placeholder(param: dict[str, Any]) -> str:
    if param["name"] == "checkpoint_kind":
        return "weights"
    return "x"


def test_every_generated_file_carries_the_do_not_edit_header() -> None:
    files = [p for p in RAW_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert files, "generated/tinker_ext_raw is empty: run `nox -s codegen`"
    missing = [
        str(p.relative_to(RAW_DIR))
        for p in files
        if not p.read_text(encoding="utf-8").startswith(
            ENDPOINTS_HEADER if p.name == "endpoints.py" else _HEADERS.get(p.parent.name, HEADER)
        )
    ]
    assert missing == []
    assert (RAW_DIR / "py.typed").is_file()


def _protobuf_media_types(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "application/x-protobuf" and isinstance(value, dict):
                found.append(value)
            else:
                found.extend(_protobuf_media_types(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_protobuf_media_types(value))
    return found


def test_every_protobuf_body_names_a_message_of_the_checked_in_proto() -> None:
    """openapi.yaml and tinker_public.proto are two sources of truth for one wire: they must agree."""
    from tinker_ext_raw.proto import tinker_public_pb2

    spec = yaml.safe_load((REPO / "openapi.yaml").read_text())
    media = _protobuf_media_types(spec["paths"])
    assert len(media) >= 2  # the forward_backward request, the retrieve_future results
    package = tinker_public_pb2.DESCRIPTOR.package
    known = {f"{package}.{name}" for name in tinker_public_pb2.DESCRIPTOR.message_types_by_name}
    named = []
    for entry in media:
        messages = entry.get("x-protobuf-message")
        assert messages, f"an application/x-protobuf body without x-protobuf-message: {entry}"
        named.extend(messages if isinstance(messages, list) else [messages])
    assert set(named) <= known, set(named) - known
    assert {
        "tinker_public.ForwardBackwardRequest",
        "tinker_public.ForwardBackwardOutput",
        "tinker_public.SampleResponse",
    } <= set(named)


def test_the_endpoint_table_covers_every_operation_with_its_method_path_and_flags() -> None:
    from tinker_ext_raw import endpoints

    table = {e.operation_id: e for e in endpoints.ALL}
    ops = {
        op["operationId"]: (method.upper(), path, op)
        for path, item in _spec()["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }
    assert set(table) == set(ops)
    for op_id, (method, path, op) in ops.items():
        endpoint = table[op_id]
        assert (endpoint.method, endpoint.path) == (method, path)
        assert endpoint.read_only == bool(op.get("x-tinker-ext-read-only"))
        assert type(endpoint).__name__ == ("FutureEndpoint" if "x-tinker-ext-future" in op else "Endpoint")
        assert endpoint.idempotent == (
            method in ("GET", "PUT", "DELETE")
            or endpoint.read_only
            or bool(op.get("x-tinker-ext-idempotent"))
        )
    assert table["retrieve_future"].idempotent and table["finish_session"].idempotent
    assert not table["asample"].idempotent
