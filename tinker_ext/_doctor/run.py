"""`doctor()`: the checks in order, each bounded by `timeout`; later checks are SKIPped when an earlier
one they need FAILed. The API key is never in the report."""

from __future__ import annotations

import os

import attrs

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._session.context import DEFAULT_BASE_URL
from tinker_ext._session.credentials_file import stored_api_key
from tinker_ext._wire.credentials import ApiKey

from .api import ApiChecks
from .local import tokenizer_check
from .network import Target, is_loopback, parse_target, reachability_check, tls_check
from .report import CheckStatus, DoctorCheck, DoctorReport

__all__ = ["CHECK_NAMES", "DEFAULT_TIMEOUT", "doctor"]

DEFAULT_TIMEOUT = 10.0
# In the order they run.
CHECK_NAMES = ("url", "tls", "server", "key", "wire", "model", "tokenizer", "clock", "limits")


def _failed(check: DoctorCheck) -> bool:
    return check.status is CheckStatus.FAIL


def _skip(name: str, why: str) -> DoctorCheck:
    return DoctorCheck(name, CheckStatus.SKIP, why)


def _resolve_key(api_key: str | None) -> tuple[str | None, str]:
    """The key the SDK would use and where it comes from (never the key itself)."""
    if api_key is not None:
        return api_key, "api_key= / --api-key"
    if os.environ.get("TINKER_API_KEY"):
        return os.environ["TINKER_API_KEY"], "TINKER_API_KEY"
    stored = stored_api_key()
    return stored, "the credentials file (tinker-ext auth login)"


def _scrubbed(check: DoctorCheck, key: ApiKey | None) -> DoctorCheck:
    if key is None:
        return check
    details = {k: key.scrub(v) if isinstance(v, str) else v for k, v in check.details.items()}
    return attrs.evolve(check, summary=key.scrub(check.summary), hint=key.scrub(check.hint), details=details)


def doctor(
    base_url: str | None = None,
    api_key: str | None = None,
    base_model: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> DoctorReport:
    """Check, in order, what a client needs from a server and this machine; one `DoctorCheck` each:

    url (parses, TCP connect), tls (https: verified handshake; http: plain, a warning off loopback),
    server (a Tinker API answers healthz), key (an authenticated call is accepted; 401/403 explained),
    wire (client/config as each client generation: the wire negotiated, which generations can start),
    model (get_server_capabilities lists `base_model`), tokenizer (resolved locally, and from where),
    clock (the server's Date header against this machine's clock), limits (what the server publishes).

    Defaults as the clients': `TINKER_BASE_URL` (else the hosted service), `TINKER_API_KEY` (else the
    stored key), `TINKER_BASE_MODEL` (else the model checks are SKIPped). Every network step is bounded
    by `timeout` seconds. Nothing is created on the server. The report never contains the key."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 600:
        raise InvalidInputError(f"doctor timeout must be a number of seconds in (0, 600], got {timeout!r}")
    url = (base_url or os.environ.get("TINKER_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    model = base_model or os.environ.get("TINKER_BASE_MODEL") or None
    raw_key, key_source = _resolve_key(api_key)
    parsed = ApiKey.parse(raw_key) if raw_key is not None else None
    raw_key = None  # only the parsed key (which scrubs itself) stays in this frame
    key = parsed if isinstance(parsed, ApiKey) else None
    checks = _run(url, key, key_source, parsed, model, float(timeout))
    return DoctorReport(base_url=url, base_model=model, checks=tuple(_scrubbed(c, key) for c in checks))


def _run(
    url: str,
    key: ApiKey | None,
    key_source: str,
    parsed: ApiKey | InvalidInputError | None,
    model: str | None,
    timeout: float,
) -> list[DoctorCheck]:
    target = parse_target(url)
    if not isinstance(target, Target):
        return [target, *(_skip(n, "the URL is unusable") for n in CHECK_NAMES[1:])]
    checks = [reachability_check(target, timeout)]
    if _failed(checks[0]):
        return [*checks, *(_skip(n, "the server is unreachable") for n in CHECK_NAMES[1:])]
    checks.append(tls_check(target, timeout))
    if _failed(checks[-1]):
        return [*checks, *(_skip(n, "no TLS connection") for n in CHECK_NAMES[2:])]
    api = ApiChecks(url, key.reveal() if key else None, timeout, is_loopback(target.host))
    try:
        checks.append(api.server_check())
        if _failed(checks[-1]):
            return [*checks, *(_skip(n, "no Tinker API at this URL") for n in CHECK_NAMES[3:])]
        if isinstance(parsed, InvalidInputError):
            checks.append(
                DoctorCheck(
                    "key",
                    CheckStatus.FAIL,
                    f"the key from {key_source} is unusable: {parsed}",
                    "fix the key (a stray newline or space?)",
                )
            )
        else:
            checks.append(api.key_check(key_source))
        if _failed(checks[-1]):
            skipped = [_skip(n, "the key was not accepted") for n in ("wire", "model", "tokenizer")]
            return [*checks, *skipped, api.clock_check(), _skip("limits", "the key was not accepted")]
        checks.append(api.wire_check())
        if not model:
            no_model = "no base model given (--base-model or TINKER_BASE_MODEL)"
            checks += [_skip("model", no_model), _skip("tokenizer", no_model)]
        else:
            checks.append(api.model_check(model))
            served = not _failed(checks[-1])
            checks.append(tokenizer_check(model) if served else _skip("tokenizer", "the model is not served"))
        checks.append(api.clock_check())
        checks.append(api.limits_check(model))
    finally:
        api.close()
    return checks
