"""The checks below HTTP: the URL parses, something listens at it (TCP connect), and TLS."""

from __future__ import annotations

import datetime as _dt
import ipaddress
import socket
import ssl
import time
from typing import Any

import attrs
import httpx

from .report import CheckStatus, DoctorCheck

__all__ = ["Target", "is_loopback", "parse_target", "reachability_check", "tls_check"]

_TLS_EXPIRY_WARN_DAYS = 14


@attrs.frozen
class Target:
    """Where the API is: scheme, host and port of the base URL."""

    url: str
    scheme: str
    host: str
    port: int


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_target(base_url: str) -> Target | DoctorCheck:
    """The base URL's target, or a FAIL check saying why it is not a usable URL."""
    hint = "set TINKER_BASE_URL (or --base-url) to the API root, e.g. http://127.0.0.1:8000"
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError) as exc:
        return DoctorCheck("url", CheckStatus.FAIL, f"{base_url!r} is not a URL ({exc})", hint)
    if url.scheme not in ("http", "https") or not url.host:
        return DoctorCheck(
            "url", CheckStatus.FAIL, f"{base_url!r} is not an http:// or https:// URL with a host", hint
        )
    port = url.port or (443 if url.scheme == "https" else 80)
    return Target(url=str(url).rstrip("/"), scheme=url.scheme, host=url.host, port=port)


def reachability_check(target: Target, timeout: float) -> DoctorCheck:
    """A TCP connection to the target's host and port, within `timeout`."""
    where = f"{target.host}:{target.port}"
    hint = "start the server, or fix TINKER_BASE_URL / --base-url (host and port)"
    started = time.monotonic()
    try:
        addresses = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return DoctorCheck(
            "url", CheckStatus.FAIL, f"host name {target.host!r} does not resolve ({exc.strerror})", hint
        )
    try:
        with socket.create_connection((target.host, target.port), timeout=timeout):
            elapsed_ms = (time.monotonic() - started) * 1000
    except ConnectionRefusedError:
        return DoctorCheck(
            "url", CheckStatus.FAIL, f"nothing listening at {where} (connection refused)", hint
        )
    except TimeoutError:
        return DoctorCheck(
            "url",
            CheckStatus.FAIL,
            f"no TCP answer from {where} within {timeout:g} s (wrong port, firewall, or the host is down)",
            hint,
        )
    except OSError as exc:
        return DoctorCheck("url", CheckStatus.FAIL, f"cannot connect to {where}: {exc.strerror or exc}", hint)
    return DoctorCheck(
        "url",
        CheckStatus.OK,
        f"{target.url}: TCP connect to {where} in {elapsed_ms:.0f} ms",
        details={
            "host": target.host,
            "port": target.port,
            "connect_ms": round(elapsed_ms, 1),
            "addresses": len(addresses),
        },
    )


def _certificate_days_left(cert: dict[str, Any]) -> float | None:
    not_after = cert.get("notAfter")
    if not isinstance(not_after, str):
        return None
    expires = _dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), tz=_dt.UTC)
    return (expires - _dt.datetime.now(tz=_dt.UTC)).total_seconds() / 86400


def tls_check(target: Target, timeout: float) -> DoctorCheck:
    """https: a verified handshake (protocol, certificate expiry); http: plain, a warning off loopback."""
    if target.scheme == "http":
        if is_loopback(target.host):
            return DoctorCheck("tls", CheckStatus.OK, "plain HTTP (no TLS): fine on loopback")
        return DoctorCheck(
            "tls",
            CheckStatus.WARN,
            f"plain HTTP (no TLS) to {target.host}: the API key and your data cross the network unencrypted",
            "use an https:// URL (or a loopback/SSH tunnel)",
        )
    context = ssl.create_default_context()
    try:
        with (
            socket.create_connection((target.host, target.port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=target.host) as tls,
        ):
            version = tls.version() or "TLS"
            cert = tls.getpeercert() or {}
    except ssl.SSLCertVerificationError as exc:
        return DoctorCheck(
            "tls",
            CheckStatus.FAIL,
            f"the certificate of {target.host} is not trusted: {exc.verify_message or exc}",
            "fix the server's certificate, or point SSL_CERT_FILE at your CA bundle (corporate proxy)",
        )
    except (ssl.SSLError, OSError) as exc:
        return DoctorCheck(
            "tls",
            CheckStatus.FAIL,
            f"TLS handshake with {target.host}:{target.port} failed ({type(exc).__name__}: {exc})",
            "does the server speak https on this port? (http:// for a plain local server)",
        )
    days = _certificate_days_left(cert)
    details = {"version": version, "certificate_days_left": None if days is None else round(days, 1)}
    if days is not None and days < _TLS_EXPIRY_WARN_DAYS:
        return DoctorCheck(
            "tls",
            CheckStatus.WARN,
            f"{version}, certificate verified but expires in {days:.0f} day(s)",
            "renew the server certificate",
            details,
        )
    expiry = f", certificate valid {days:.0f} more day(s)" if days is not None else ""
    return DoctorCheck("tls", CheckStatus.OK, f"{version}, certificate verified{expiry}", details=details)
