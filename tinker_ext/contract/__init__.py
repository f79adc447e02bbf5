"""Contract testing of Tinker-compatible servers: which client generations can use a server, and why not.

    from tinker_ext.contract import check_matrix, check_server
    matrix = check_matrix("http://127.0.0.1:8000", api_key=None, base_model="Qwen/Qwen3-8B")
    matrix.to_json()           # stable schema (ContractMatrix), one verdict per client generation
    report = check_server(url, None, "Qwen/Qwen3-8B", generation_name="0.25")
    report.render()            # the steps of one generation, as rich tables
    report.passed              # that generation can use the server

`check_server` sends exactly what one client generation sends ("json": SDK <= 0.24 / tinkex / tinker-ext
wire=json; "0.25" and "0.38": protobuf, with each one's request fields) over plain httpx, judges every
answer against the OpenAPI spec (openapi.yaml, bundled as JSON) and the behaviour clients rely on, and
derives the verdict from the steps that generation needs. `fuzz_server` runs schemathesis over the same
spec (extra `contract`).
"""

from ._check import check_matrix, check_server
from ._fuzz import DEFAULT_FUZZ_OPERATIONS, FuzzFinding, FuzzReport, fuzz_server
from ._generations import GENERATIONS, Generation, GenerationName
from ._report import (
    MATRIX_SCHEMA_VERSION,
    ContractMatrix,
    ContractReport,
    GenerationVerdict,
    Outcome,
    Severity,
    StepResult,
    Violation,
    WorkloadVerdict,
)
from ._spec import ContractSpec, MissingDependencyError

__all__ = [
    "DEFAULT_FUZZ_OPERATIONS",
    "GENERATIONS",
    "MATRIX_SCHEMA_VERSION",
    "ContractMatrix",
    "ContractReport",
    "ContractSpec",
    "FuzzFinding",
    "FuzzReport",
    "Generation",
    "GenerationName",
    "GenerationVerdict",
    "MissingDependencyError",
    "Outcome",
    "Severity",
    "StepResult",
    "Violation",
    "WorkloadVerdict",
    "check_matrix",
    "check_server",
    "fuzz_server",
]
