"""Contract testing of Tinker-compatible servers.

    from tinker_ext.contract import check_server
    report = check_server("http://127.0.0.1:8000", api_key=None, base_model="Qwen/Qwen3-8B")
    report.render()            # rich tables
    report.to_json()           # plain dict
    report.passed              # every required step passed

`check_server` drives the whole Tinker workflow over plain httpx and judges every answer against the
OpenAPI spec (`openapi.yaml`, bundled as JSON) and the behavioural rules of the wire. `fuzz_server` runs
schemathesis over the same spec (extra `contract`). Validation needs jsonschema (also in the extra).
"""

from ._check import check_server
from ._fuzz import DEFAULT_FUZZ_OPERATIONS, FuzzFinding, FuzzReport, fuzz_server
from ._report import ContractReport, GenerationVerdict, Outcome, Severity, StepResult, Violation
from ._spec import ContractSpec, MissingDependencyError

__all__ = [
    "DEFAULT_FUZZ_OPERATIONS",
    "ContractReport",
    "ContractSpec",
    "FuzzFinding",
    "FuzzReport",
    "GenerationVerdict",
    "MissingDependencyError",
    "Outcome",
    "Severity",
    "StepResult",
    "Violation",
    "check_server",
    "fuzz_server",
]
