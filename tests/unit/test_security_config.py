"""Issue 9, findings 6 and 7: configuration errors are InvalidInputError at construction (no request, no
retry), and a malformed key never shows up in messages, args, reprs, pickles or SDK traceback locals."""

from __future__ import annotations

import logging
import pickle
import traceback
from pathlib import Path
from typing import Any

import httpx
import pytest

import tinker_ext as tinker
from tinker_ext._wire.credentials import ApiKey

MARK = "tml-MARKER-7c1e"


class NoNetwork:
    """A transport that records any request (there must be none)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(500)


def sdk_frame_locals(exc: BaseException) -> str:
    """repr of every local of every tinker_ext frame in the traceback (as `traceback` with locals would
    print them), for the exception and its causes."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for frame, _ in traceback.walk_tb(current.__traceback__):
            if "tinker_ext" in frame.f_code.co_filename:
                parts += [f"{name}={value!r}" for name, value in frame.f_locals.items()]
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


def every_form(exc: BaseException) -> str:
    return "\n".join([str(exc), repr(exc), repr(exc.args), repr(pickle.dumps(exc)), sdk_frame_locals(exc)])


def key_forms(key: str) -> list[str]:
    return [key, MARK, repr(key), repr(key.encode("utf-8", "backslashreplace"))]


# ------------------------------------------------------------------------------- 6. config errors


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"api_key": MARK + "\r\nX-Injected: 1"}, "control or whitespace"),
        ({"api_key": MARK + "\n"}, None),  # a trailing newline (e.g. from a file) is stripped: accepted
        ({"api_key": "tml-é" + MARK}, "non-ASCII"),
        ({"api_key": MARK, "base_url": "not a url"}, "absolute http"),
        ({"api_key": MARK, "base_url": "ftp://files.test/x"}, "absolute http"),
        ({"api_key": MARK, "base_url": "http://"}, "no host|not a valid URL"),
        ({"api_key": MARK, "base_url": "http://user:pw@api.test"}, "user name or password"),
        ({"api_key": MARK, "default_headers": {"X-A": "b\r\nc"}}, "control or non-ASCII"),
    ],
)
def test_finding6_configuration_errors_raise_at_construction_without_requests(
    options: dict[str, Any], match: str | None
) -> None:
    network = NoNetwork()
    kwargs = {"base_url": "http://api.test", **options}
    if match is None:
        sc = tinker.ServiceClient(**kwargs, _transport=httpx.MockTransport(network))
        assert sc._ctx.http.api_key.reveal() == MARK
        sc.close()
        return
    with pytest.raises(tinker.InvalidInputError, match=match) as info:
        tinker.ServiceClient(**kwargs, _transport=httpx.MockTransport(network))
    assert network.requests == []
    assert MARK not in every_form(info.value)


@pytest.mark.parametrize("factory", [tinker.RestClient, tinker.AdminClient])
def test_finding6_rest_and_admin_clients_check_the_same_way(factory: Any) -> None:
    with pytest.raises(tinker.InvalidInputError) as info:
        factory(api_key=MARK + "\r\n\r\nGET / HTTP/1.1", base_url="http://api.test")
    assert MARK not in every_form(info.value)
    with pytest.raises(tinker.InvalidInputError):
        factory(api_key=MARK, base_url="ftp://x")


def test_finding6_the_limits_themselves_are_checked() -> None:
    with pytest.raises(tinker.InvalidInputError, match="max_response_bytes"):
        tinker.Limits(max_response_bytes=0)
    with pytest.raises(tinker.InvalidInputError, match="attempt_timeout"):
        tinker.Limits(attempt_timeout=-1.0)


# ------------------------------------------------------------------------------ 7. key redaction


@pytest.mark.parametrize(
    "bad", [MARK + "\r\nX-Injected: 1", "x\r\n" + MARK, MARK + "\u00e9", MARK + "\x00", MARK + " tail"]
)
def test_finding7_malformed_key_never_appears_anywhere(bad: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(tinker.InvalidInputError) as info:
        tinker.ServiceClient(api_key=bad, base_url="http://api.test")
    assert type(info.value) is tinker.InvalidInputError  # not a UnicodeEncodeError
    text = every_form(info.value) + "\n".join(r.getMessage() for r in caplog.records)
    for form in key_forms(bad):
        assert form not in text


def test_finding7_scrub_covers_escaped_bytes_and_json_forms() -> None:
    key = ApiKey("tml-a\\b\"c'd%e")
    raw = key.reveal()
    for text in (raw, repr(raw), repr(raw.encode()), '{"k": "tml-a\\\\b\\"c\'d%e"}', "tml-a%5Cb%22c%27d%25e"):
        assert "tml-a" not in key.scrub(text), text


def test_finding7_download_keeps_the_key_out_of_sdk_traceback_locals(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"detail": "nope"})

    with pytest.raises(tinker.PermissionDeniedError) as info:
        tinker.download_checkpoint(
            "http://api.test",
            "tinker://run/weights/w1",
            tmp_path,
            api_key=MARK,
            transport=httpx.MockTransport(handler),
        )
    assert "download_checkpoint" in "".join(traceback.format_tb(info.value.__traceback__))
    assert MARK not in every_form(info.value)
    assert MARK not in _formatted_with_locals(info.value)


def test_finding7_tracebacks_with_locals_of_a_failing_call_hold_no_key() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("boom " + request.headers.get("x-api-key", ""), request=request)

    sc = tinker.ServiceClient(
        api_key=MARK,
        base_url="http://api.test",
        _transport=httpx.MockTransport(handler),
        retry_policy=tinker.RetryPolicy(max_retries=0),
    )
    try:
        with pytest.raises(tinker.APIConnectionError) as info:
            sc.create_sampling_client(base_model="m")
        assert MARK not in every_form(info.value)
        assert MARK not in _formatted_with_locals(info.value)
    finally:
        sc.close()


def _formatted_with_locals(exc: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())
