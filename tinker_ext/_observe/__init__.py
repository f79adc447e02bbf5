"""Observability of the SDK's own work: metrics (always on), OpenTelemetry spans (optional), raw HTTP
responses, waits that say what they wait for. Imports only `_core` (and opentelemetry when enabled)."""
