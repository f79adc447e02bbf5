"""`RestClient.export_session_trace`: its answer parsed once into TraceExportResponse (an open status enum):
polled on while pending or unknown, the URL when ready, TinkerError when failed, a typed error when unusable."""

from __future__ import annotations

from typing import Any

import pytest
from _fault_server import FakeTiming, FakeTinker, json_response

import tinker_ext as tinker

ROUTE = "/api/v1/sessions/s-1/trace_export"


def _rest(server: FakeTinker, answers: list[dict[str, Any]]) -> tinker.RestClient:
    queue = list(answers)
    server.handlers[ROUTE] = lambda rec: json_response(200, queue.pop(0))
    return tinker.RestClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )


def test_polls_pending_and_unknown_until_ready() -> None:
    server = FakeTinker()
    rest = _rest(
        server, [{"status": "pending"}, {"status": "queued"}, {"status": "ready", "url": "https://u"}]
    )
    assert rest.export_session_trace("s-1").result() == "https://u"
    assert [r.path for r in server.requests] == [ROUTE] * 3


def test_failed_is_a_tinker_error_with_the_server_detail() -> None:
    rest = _rest(FakeTinker(), [{"status": "failed", "error": "no spans"}])
    with pytest.raises(tinker.TinkerError, match="no spans"):
        rest.export_session_trace("s-1").result()


@pytest.mark.parametrize(
    ("answer", "pointer"),
    [
        ({"status": "ready"}, "/url"),
        ({"status": "ready", "url": ""}, "/url"),
        ({"url": "https://u"}, "/status"),
    ],
)
def test_unusable_answer_is_a_validation_error(answer: dict[str, Any], pointer: str) -> None:
    rest = _rest(FakeTinker(), [answer])
    with pytest.raises(tinker.APIResponseValidationError) as info:
        rest.export_session_trace("s-1").result()
    assert pointer in str(info.value)
