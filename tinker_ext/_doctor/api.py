"""The checks that talk HTTP to the API, over the contract's plain-httpx probe (tinker_ext.contract):
is it a Tinker API, is the key accepted, which wire and client generations, is the base model served,
the clock, and the limits the server publishes."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any

from tinker_ext._session.server_facts import load_server_facts
from tinker_ext._wire.limits import DEFAULT_MAX_CHUNK_DATUMS, DEFAULT_MAX_CHUNK_NUMBERS
from tinker_ext.contract._generations import GENERATIONS
from tinker_ext.contract._probe import Exchange, Probe, StepFailed, StepRecorder
from tinker_ext.contract._spec import ContractSpec, short_repr

from .report import CheckStatus, DoctorCheck

__all__ = ["ApiChecks"]

# A key no server issued: a server that accepts it does not check keys.
MADE_UP_KEY = "tml-tinker-ext-doctor-made-up-key-0000"
_CLOCK_WARN_S = 30.0
_CLOCK_FAIL_S = 300.0
_KEY_HINT = "check TINKER_API_KEY / --api-key, or store a key with 'tinker-ext auth login'"


def _detail(exchange: Exchange) -> str:
    body = exchange.body
    if isinstance(body, Mapping):
        for key in ("detail", "error", "message"):
            if key in body:
                return short_repr(body[key])
    text = exchange.text.strip()
    kind = exchange.content_type.split(";")[0] or "no content type"
    return f"{kind}: {short_repr(text[:80])}" if text else f"{kind}, empty body"


class ApiChecks:
    """The HTTP checks of one doctor run, in order; each reads what earlier ones found."""

    def __init__(self, base_url: str, api_key: str | None, timeout: float, loopback: bool) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.loopback = loopback
        self.spec = ContractSpec.load()
        self.probe = Probe(self.spec, base_url, api_key, timeout=timeout)
        self.has_key = bool(api_key)
        self.capabilities: Mapping[str, Any] | None = None
        self.client_config: Mapping[str, Any] | None = None
        self.date_samples: list[tuple[float, str]] = []  # (local time at the answer, its Date header)

    def close(self) -> None:
        self.probe.close()

    def _send(self, operation: str, probe: Probe | None = None, **kwargs: Any) -> Exchange | str:
        """The exchange, or what went wrong on the way (transport error, timeout), scrubbed."""
        step = StepRecorder(operation)
        sent_at = time.time()
        try:
            exchange = (probe or self.probe).send(step, operation, timeout=self.timeout, **kwargs)
        except StepFailed:
            return step.violations[-1].got if step.violations else "no answer"
        received_at = time.time()
        date = exchange.headers.get("date")
        if date:
            self.date_samples.append(((sent_at + received_at) / 2, date))
        return exchange

    # ------------------------------------------------------------------ server
    def server_check(self) -> DoctorCheck:
        """GET /api/v1/healthz: the URL is a Tinker API root (not another web server, not a wrong path)."""
        exchange = self._send("healthz")
        hint = "TINKER_BASE_URL must be the API root (the hosted one ends in /services/tinker-prod)"
        if isinstance(exchange, str):
            return DoctorCheck("server", CheckStatus.FAIL, f"no HTTP answer: {exchange}", hint)
        if exchange.status in (401, 403):
            return DoctorCheck(
                "server", CheckStatus.OK, f"{exchange.where}: the API answers (healthz needs a key)"
            )
        body = exchange.body
        if 200 <= exchange.status < 300 and isinstance(body, Mapping) and body.get("status") == "ok":
            return DoctorCheck(
                "server", CheckStatus.OK, f'Tinker API answers: {exchange.where} {{"status": "ok"}}'
            )
        # No healthz: a Tinker API still answers get_server_capabilities with its model list.
        capabilities = self._send("get_server_capabilities")
        if not isinstance(capabilities, str) and (
            capabilities.status in (401, 403)
            or (
                200 <= capabilities.status < 300
                and isinstance(capabilities.body, Mapping)
                and "supported_models" in capabilities.body
            )
        ):
            return DoctorCheck(
                "server",
                CheckStatus.WARN,
                f"{exchange.where} ({_detail(exchange)}), but get_server_capabilities answers",
                "the server has no working healthz route; the SDK does not need it",
            )
        return DoctorCheck(
            "server",
            CheckStatus.FAIL,
            f"not a Tinker API: {exchange.where} ({_detail(exchange)})",
            hint,
            {"status": exchange.status, "content_type": exchange.content_type},
        )

    # ------------------------------------------------------------------ key
    def key_check(self, key_source: str) -> DoctorCheck:
        """GET /api/v1/get_server_capabilities with the key; then once with a made-up key, to tell a
        server that checks keys from one that takes any."""
        if not self.has_key:
            return DoctorCheck(
                "key",
                CheckStatus.FAIL,
                "no API key: the SDK refuses to start without one",
                _KEY_HINT + " (a local server accepts any key, e.g. tml-local)",
            )
        exchange = self._send("get_server_capabilities")
        if isinstance(exchange, str):
            return DoctorCheck(
                "key", CheckStatus.FAIL, f"get_server_capabilities got no answer: {exchange}", ""
            )
        status = exchange.status
        if status == 401:
            return DoctorCheck(
                "key",
                CheckStatus.FAIL,
                f"the server refused the key from {key_source} (401 Unauthorized: wrong, revoked, expired or "
                f"for another server): {_detail(exchange)}",
                _KEY_HINT + "; hosted keys look like tml-...",
            )
        if status == 403:
            return DoctorCheck(
                "key",
                CheckStatus.FAIL,
                f"the key from {key_source} is known but not allowed here (403 Forbidden): {_detail(exchange)}",
                "use a key of the organisation/project that may use this server, or ask its admin",
            )
        if status == 402:
            return DoctorCheck(
                "key",
                CheckStatus.FAIL,
                f"billing blocks this key (402): {_detail(exchange)}",
                "check billing",
            )
        body = exchange.body
        if not (200 <= status < 300 and isinstance(body, Mapping)):
            return DoctorCheck(
                "key",
                CheckStatus.FAIL,
                f"{exchange.where}: {_detail(exchange)}",
                "the server failed an authenticated call; retry later or check its logs",
            )
        self.capabilities = body
        made_up = Probe(self.spec, self.base_url, MADE_UP_KEY, timeout=self.timeout)
        try:
            other = self._send("get_server_capabilities", probe=made_up)
        finally:
            made_up.close()
        checks_keys = not isinstance(other, str) and other.status in (401, 403)
        details = {"key_source": key_source, "server_checks_keys": checks_keys}
        if checks_keys:
            return DoctorCheck(
                "key",
                CheckStatus.OK,
                f"key from {key_source} accepted (the server checks keys)",
                details=details,
            )
        if self.loopback:
            return DoctorCheck(
                "key",
                CheckStatus.OK,
                f"key from {key_source} accepted; this local server accepts any key (a made-up one too)",
                details=details,
            )
        return DoctorCheck(
            "key",
            CheckStatus.WARN,
            f"key from {key_source} accepted, but so was a made-up key: this server does not check keys",
            "anyone who can reach it can use it; put it behind authentication",
            details,
        )

    # ------------------------------------------------------------------ wire and generations
    def wire_check(self) -> DoctorCheck:
        """POST /api/v1/client/config as each client generation: the wire tinker-ext negotiates (it
        answers: protobuf; no such route: the legacy JSON wire) and which generations can start."""
        starts: dict[str, str] = {}
        answered: Mapping[str, Any] | None = None
        route_missing = False
        deadline = time.monotonic() + self.timeout
        for gen in GENERATIONS:
            if not gen.needs_client_config:
                continue
            if time.monotonic() > deadline:
                starts[gen.name] = "not probed (timeout)"
                continue
            exchange = self._send("client_config", body={"sdk_version": gen.sdk_version})
            if isinstance(exchange, str):
                starts[gen.name] = f"no answer ({exchange})"
            elif 200 <= exchange.status < 300 and isinstance(exchange.body, Mapping):
                starts[gen.name] = "starts"
                answered = answered or exchange.body
            elif exchange.status in (404, 405):
                route_missing = True
                starts[gen.name] = "cannot start (no client/config)"
            else:
                starts[gen.name] = f"refused (HTTP {exchange.status}: {_detail(exchange)})"
        self.client_config = answered
        legacy = next(g for g in GENERATIONS if not g.needs_client_config)
        starts = {legacy.name: "starts" if route_missing or answered is not None else "unknown", **starts}
        wire = "protobuf" if answered is not None else "json" if route_missing else None
        listing = ", ".join(f"{name} {verdict}" for name, verdict in starts.items())
        details: dict[str, Any] = {"wire": wire, "generations": starts}
        facts = load_server_facts(self.base_url)
        if facts is not None:
            details["server_facts"] = facts.to_json()
        full = "for the full verdict per generation run 'tinker-ext contract matrix'"
        if wire is None:
            return DoctorCheck(
                "wire", CheckStatus.FAIL, f"client/config gave no usable answer: {listing}", full, details
            )
        why = "client/config answers" if wire == "protobuf" else "no client/config: a legacy server"
        measured = " (training measured: see details)" if facts is not None else ""
        return DoctorCheck(
            "wire",
            CheckStatus.OK,
            f"{wire} ({why}); generations that can start: {listing}{measured}",
            "",
            details,
        )

    # ------------------------------------------------------------------ model
    def served_models(self) -> list[Mapping[str, Any]]:
        models = (self.capabilities or {}).get("supported_models")
        return [m for m in models if isinstance(m, Mapping)] if isinstance(models, list) else []

    def model_check(self, base_model: str) -> DoctorCheck:
        """The base model is among get_server_capabilities' supported_models."""
        models = self.served_models()
        names = [str(m.get("model_name")) for m in models if m.get("model_name")]
        if not names:
            return DoctorCheck(
                "model",
                CheckStatus.WARN,
                f"the server lists no models: cannot tell whether {base_model!r} is served",
                "create_lora_training_client will find out",
            )
        for model in models:
            if model.get("model_name") == base_model:
                context = model.get("max_context_length")
                extra = f" (max context {context} tokens)" if context else ""
                return DoctorCheck(
                    "model", CheckStatus.OK, f"{base_model} is served{extra}", details={"model": dict(model)}
                )
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        return DoctorCheck(
            "model",
            CheckStatus.FAIL,
            f"{base_model!r} is not served here; served: {shown}",
            "use one of those (tinker-ext model list), or fix --base-model / TINKER_BASE_MODEL",
            {"served": names},
        )

    # ------------------------------------------------------------------ clock
    def clock_check(self) -> DoctorCheck:
        """The server's Date header against this machine's clock (Date has 1 s resolution)."""
        if not self.date_samples:
            return DoctorCheck(
                "clock", CheckStatus.WARN, "the server sent no Date header: clock skew unknown", ""
            )
        local, header = self.date_samples[-1]
        try:
            server = email.utils.parsedate_to_datetime(header).timestamp()
        except (TypeError, ValueError):
            return DoctorCheck("clock", CheckStatus.WARN, f"unreadable Date header {header!r}", "")
        skew = server + 0.5 - local  # Date is truncated to the second: +0.5 s centres it
        details = {"skew_s": round(skew, 1), "server_date": header}
        text = f"server clock {skew:+.1f} s from this machine's (Date header)"
        hint = "sync this machine's clock (NTP); tokens and signed URLs are judged by the server's clock"
        if abs(skew) > _CLOCK_FAIL_S:
            return DoctorCheck("clock", CheckStatus.FAIL, text, hint, details)
        if abs(skew) > _CLOCK_WARN_S:
            return DoctorCheck("clock", CheckStatus.WARN, text, hint, details)
        return DoctorCheck("clock", CheckStatus.OK, text, details=details)

    # ------------------------------------------------------------------ limits
    def limits_check(self, base_model: str | None) -> DoctorCheck:
        """What the server publishes: client/config's chunk and concurrency limits, the model's context."""
        from tinker_ext._wire.limits import ChunkLimits
        from tinker_ext.types.session import ClientConfigResponse

        parts: list[str] = []
        details: dict[str, Any] = {}
        if self.client_config is None:
            parts.append(
                f"none published (no client/config): chunks of {DEFAULT_MAX_CHUNK_DATUMS} datums / "
                f"{DEFAULT_MAX_CHUNK_NUMBERS:,} numbers (the SDK's defaults)"
            )
        else:
            try:
                config = ClientConfigResponse.from_wire(dict(self.client_config))
            except Exception as exc:  # the typed parse error names the field
                return DoctorCheck(
                    "limits", CheckStatus.WARN, f"client/config answer does not parse: {exc}", "", {}
                )
            published = {k: v for k, v in config.to_json().items() if k in config.model_fields_set}
            chunks = ChunkLimits.from_client_config(config)
            details["published"] = published
            byte_cap = f", {chunks.max_bytes:,} bytes" if chunks.max_bytes else ""
            parts.append(f"chunks of {chunks.max_datums} datums{byte_cap}")
            others = [f"{k}={v}" for k, v in published.items() if not k.startswith("fwdbwd_max_chunk")]
            if others:
                parts.append("client/config: " + ", ".join(others[:4]) + (" ..." if len(others) > 4 else ""))
        if base_model:
            for model in self.served_models():
                if model.get("model_name") == base_model and model.get("max_context_length"):
                    details["max_context_length"] = model["max_context_length"]
                    parts.append(f"context {model['max_context_length']} tokens")
        return DoctorCheck("limits", CheckStatus.OK, "; ".join(parts), details=details)
