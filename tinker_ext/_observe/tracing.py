"""OpenTelemetry, optional: spans only when `opentelemetry-api` is there and wanted.

`Tracing(enabled=None)` (the default) traces only when the program already imported opentelemetry and
configured a real tracer provider; nothing of opentelemetry is imported by tinker_ext then.
`enabled=True` imports it (ImportError: install the `otel` extra); `enabled=False` never traces.
Spans: one per logical call (`tinker_ext <operation>`), a child per future poll and per HTTP attempt;
every request sent while tracing carries the attempt span's W3C `traceparent`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["Tracing"]

OTEL_TRACE_MODULE = "opentelemetry.trace"  # tracing is possible only once the program imported it
_NO_PROVIDER = ("ProxyTracerProvider", "NoOpTracerProvider", "_DefaultTracerProvider")


class Tracing:
    def __init__(self, enabled: bool | None = None) -> None:
        if enabled is not None and not isinstance(enabled, bool):
            raise TypeError("tracing must be True, False or None (on when a tracer provider is configured)")
        self.enabled = enabled
        self._cached: tuple[Any, Any] | None = None  # (provider, tracer)
        if enabled:
            try:
                import opentelemetry.trace  # noqa: F401
            except ImportError as exc:
                raise ImportError(
                    "tracing=True needs opentelemetry-api: pip install 'tinker-ext[otel]'"
                ) from exc

    def tracer(self) -> Any | None:
        """The tracer to use now, or None (not tracing)."""
        if self.enabled is False:
            return None
        trace = sys.modules.get(OTEL_TRACE_MODULE)
        if trace is None:
            return None
        provider = trace.get_tracer_provider()
        if self.enabled is None and type(provider).__name__ in _NO_PROVIDER:
            return None
        cached = self._cached
        if cached is not None and cached[0] is provider:
            return cached[1]
        tracer = trace.get_tracer("tinker_ext")
        self._cached = (provider, tracer)
        return tracer


def start_span(tracer: Any, name: str, attributes: Mapping[str, Any], *, client: bool = False) -> Any:
    """A span started under the current context (the caller ends it)."""
    from opentelemetry import trace

    kind = trace.SpanKind.CLIENT if client else trace.SpanKind.INTERNAL
    return tracer.start_span(name, kind=kind, attributes=dict(attributes))


def activate(span: Any) -> object:
    """Make `span` current in this context; returns the token for `deactivate`."""
    from opentelemetry import context, trace

    return context.attach(trace.set_span_in_context(span))


def deactivate(token: object) -> None:
    from opentelemetry import context

    context.detach(token)


def traceparent_headers(span: Any) -> dict[str, str]:
    """The W3C trace-context headers of `span` (opentelemetry's configured propagator)."""
    from opentelemetry import propagate, trace

    carrier: dict[str, str] = {}
    propagate.inject(carrier, context=trace.set_span_in_context(span))
    return carrier


def end_span(span: Any, error: BaseException | None, attributes: Mapping[str, Any]) -> None:
    from opentelemetry.trace import Status, StatusCode

    for key, value in attributes.items():
        if value is not None:
            span.set_attribute(key, value)
    if error is not None:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()
