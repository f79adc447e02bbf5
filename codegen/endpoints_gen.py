"""Generate the typed endpoint table (generated/tinker_ext_raw/endpoints.py) from openapi.yaml.

One constant per operation, named after its `operationId` in upper case (`CREATE_SESSION`): a
`tinker_ext._wire.endpoint.Endpoint[Request, Answer]` or, for a long-running operation, a
`FutureEndpoint[Request, Result]`. Operation extensions in openapi.yaml carry what was kept by hand:

    x-tinker-ext-future: ResultSchema   # long-running: answers an UntypedAPIFuture, completes with this schema
    x-tinker-ext-read-only: true        # a POST that changes nothing (retried without a duplicate warning)
    x-tinker-ext-idempotent: true       # applying it twice is applying it once (GET/PUT/DELETE always are)

Request and answer types are the public types (`x-tinker-ext-public` schemas, tinker_ext_raw.public). A
schema without one (a binary body, the retrieve_future anyOf, a body whose nulls must be sent) gives None:
the caller builds that body or reads that answer itself.
`render(spec)` is pure: it returns the module source (unformatted); codegen/generate.py writes and formats it.
"""

from __future__ import annotations

from typing import Any

HEADER = (
    "# GENERATED from openapi.yaml by codegen/endpoints_gen.py. DO NOT EDIT.\n"
    "# Change openapi.yaml (operations, x-tinker-ext-* operation extensions) and run `nox -s codegen`.\n"
)
_REF = "#/components/schemas/"
_METHODS = ("get", "put", "post", "delete", "patch")
_IDEMPOTENT_METHODS = ("GET", "PUT", "DELETE")
JSON = "application/json"
PROTOBUF = "application/x-protobuf"


class SpecError(Exception):
    pass


def _messages(media: dict[str, Any]) -> list[str]:
    named = media.get("x-protobuf-message")
    if named is None:
        return []
    return [named] if isinstance(named, str) else list(named)


class _Gen:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.schemas: dict[str, Any] = spec["components"]["schemas"]
        self.parameters: dict[str, Any] = spec["components"].get("parameters", {})
        self.public: dict[str, str] = {
            name: schema.get("x-tinker-ext-public-name", name)
            for name, schema in self.schemas.items()
            if schema.get("x-tinker-ext-public")
        }
        self.imports: set[str] = set()

    def type_of(self, schema: dict[str, Any] | None, where: str) -> str:
        """The Python class for a body/answer schema, or "None" when there is no public type for it."""
        if not schema or "$ref" not in schema:
            return "None"
        name = schema["$ref"].removeprefix(_REF)
        if name not in self.schemas:
            raise SpecError(f"{where}: unknown $ref {schema['$ref']}")
        if name in self.public:
            self.imports.add(self.public[name])
            return self.public[name]
        return "None"

    def parameter(self, param: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in param:
            return self.parameters[param["$ref"].rsplit("/", 1)[-1]]
        return param

    def constant(self, method: str, path: str, op: dict[str, Any]) -> str:
        op_id = op["operationId"]
        params = [self.parameter(p) for p in op.get("parameters", [])]
        path_params = tuple(p["name"] for p in params if p["in"] == "path")
        query = [p for p in params if p["in"] == "query"]
        query_params = tuple(p["name"] for p in query)
        query_defaults = tuple(
            (p["name"], p["schema"]["default"]) for p in query if "default" in p.get("schema", {})
        )
        for name in path_params:
            if "{" + name + "}" not in path:
                raise SpecError(f"{op_id}: path parameter {name!r} is not in {path}")
        content = (op.get("requestBody") or {}).get("content", {})
        # None: an inline or non-public body schema, sent as the caller's JSON object
        request = self.type_of(content.get(JSON, {}).get("schema"), f"{op_id} request")
        messages = [m for c in content.values() for m in _messages(c)]
        answer, answer_messages = self._answer(op_id, op)
        messages += answer_messages
        future = op.get("x-tinker-ext-future")
        read_only = bool(op.get("x-tinker-ext-read-only"))
        if read_only and method != "POST":
            raise SpecError(f"{op_id}: x-tinker-ext-read-only is for POSTs")
        idempotent = method in _IDEMPOTENT_METHODS or read_only or bool(op.get("x-tinker-ext-idempotent"))
        if future is not None:
            if future not in self.schemas:
                raise SpecError(f"{op_id}: x-tinker-ext-future names no schema: {future!r}")
            answer = self.type_of({"$ref": _REF + future}, f"{op_id} result")
            cls = "FutureEndpoint"
        else:
            cls = "Endpoint"
        request_t = "NoBody" if not content else ("Any" if request == "None" else request)
        answer_t = "Any" if answer == "None" else answer
        fields = [
            f"operation_id={op_id!r}",
            f"method={method!r}",
            f"path={path!r}",
            f"path_params={path_params!r}",
            f"query_params={query_params!r}",
            f"query_defaults={query_defaults!r}",
            f"content_types={tuple(content)!r}",
            f"protobuf_messages={tuple(messages)!r}",
            f"read_only={read_only!r}",
            f"idempotent={idempotent!r}",
            f"request_type={request}",
            f"response_type={answer}",
        ]
        summary = (op.get("summary") or op.get("description") or "").strip().splitlines()
        doc = f'"""{method} {path}' + (f": {summary[0].rstrip(':')}" if summary else "") + '"""'
        body = ",\n    ".join(fields)
        return f"{op_id.upper()}: {cls}[{request_t}, {answer_t}] = {cls}(\n    {body},\n)\n{doc}\n"

    def _answer(self, op_id: str, op: dict[str, Any]) -> tuple[str, list[str]]:
        """The 2xx JSON answer's type and the protobuf messages an answer may carry."""
        messages: list[str] = []
        answer = "None"
        for status, response in sorted(op.get("responses", {}).items()):
            if not str(status).startswith("2"):
                continue
            for content_type, media in (response.get("content") or {}).items():
                messages += _messages(media)
                if content_type == JSON and answer == "None":
                    answer = self.type_of(media.get("schema"), f"{op_id} answer")
        return answer, messages

    def render(self) -> str:
        constants = []
        ids = []
        for path, item in self.spec["paths"].items():
            for method in _METHODS:
                if method in item:
                    op = item[method]
                    if "operationId" not in op:
                        raise SpecError(f"{method.upper()} {path}: no operationId")
                    constants.append(self.constant(method.upper(), path, op))
                    ids.append(op["operationId"].upper())
        if len(set(ids)) != len(ids):
            raise SpecError("duplicate operationId")
        imports = "from tinker_ext._wire.endpoint import Endpoint, FutureEndpoint, NoBody\n"
        if self.imports:
            imports += f"from tinker_ext_raw.public import {', '.join(sorted(self.imports))}\n"
        table = "ALL: tuple[Endpoint[Any, Any] | FutureEndpoint[Any, Any], ...] = (\n"
        table += "".join(f"    {name},\n" for name in ids) + ")\n"
        return (
            HEADER
            + '"""Every operation of openapi.yaml as a typed constant (see tinker_ext._wire.endpoint)."""\n\n'
            + "from __future__ import annotations\n\nfrom typing import Any\n\n"
            + imports
            + "\n__all__ = ['ALL', "
            + ", ".join(repr(i) for i in sorted(ids))
            + "]\n\n_ = NoBody\n\n"
            + "\n".join(constants)
            + "\n"
            + table
        )


def render(spec: dict[str, Any]) -> str:
    """The source of endpoints.py for `spec` (pure)."""
    return _Gen(spec).render()
