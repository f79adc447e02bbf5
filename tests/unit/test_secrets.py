"""The API key never shows up in reprs, log lines (DEBUG) or exception messages."""

from __future__ import annotations

import asyncio
import logging
import pickle
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest
from _fault_server import FakeTiming, FakeTinker, Fault

import tinker_ext as tinker
from tinker_ext._wire.http import ApiKey, ApiRequest, HttpClient

KEY = "tml-SUPERSECRET-0123456789"


def _all_text(exc: BaseException) -> str:
    parts = []
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts += [str(exc), repr(exc), repr(getattr(exc, "request", None))]
        req = getattr(exc, "request", None)
        if isinstance(req, httpx.Request):
            parts.append(repr(dict(req.headers)))
        exc = exc.__cause__ or exc.__context__
    return "\n".join(parts)


def test_reprs_hide_key() -> None:
    sc = tinker.ServiceClient(api_key=KEY, base_url="http://t")
    assert KEY not in repr(sc) and KEY not in repr(sc._ctx.http) and KEY not in repr(ApiKey(KEY))
    assert KEY not in str(ApiKey(KEY))
    with pytest.raises(TypeError):
        pickle.dumps(ApiKey(KEY))
    sc.close()


def test_status_errors_and_logs_hide_key(caplog: pytest.LogCaptureFixture) -> None:
    server = FakeTinker()
    # a server that echoes the key back in its error body must not leak it through our message
    server.inject(
        "/api/v1/create_session",
        Fault(status=503, body={"detail": f"bad key {KEY}"}),
        Fault(status=401, body={"detail": f"bad key {KEY}"}),
    )
    sc = tinker.ServiceClient(
        api_key=KEY, base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    with caplog.at_level(logging.DEBUG), pytest.raises(tinker.AuthenticationError) as info:
        sc.create_lora_training_client("m")
    assert KEY not in _all_text(info.value)
    assert all(KEY not in r.getMessage() for r in caplog.records)
    assert any("Retrying" in r.getMessage() for r in caplog.records)
    sc.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_real_transport_errors_and_debug_logs_hide_key(caplog: pytest.LogCaptureFixture) -> None:
    """Real sockets: httpcore/httpx DEBUG logging plus a refused connection and a dropped one."""

    class Drop(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.connection.close()

        def log_message(self, *args: object) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Drop)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        for url in (f"http://127.0.0.1:{httpd.server_port}", f"http://127.0.0.1:{_free_port()}"):
            client = HttpClient(base_url=url, api_key=ApiKey(KEY), timing=FakeTiming().timing())
            with caplog.at_level(logging.DEBUG), pytest.raises(tinker.APIConnectionError) as info:
                asyncio.run(client.send(ApiRequest("POST", "/api/v1/x", body={}, max_retries=1)))
            assert KEY not in _all_text(info.value)
            assert all(KEY not in r.getMessage() for r in caplog.records)
            assert info.value.request is None or "x-api-key" not in info.value.request.headers
    finally:
        httpd.shutdown()
