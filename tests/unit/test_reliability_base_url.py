"""Issue 18, item 4: `base_url` is scheme://host[:port][/path]; a refused configuration names no secret
and leaves none in the locals of SDK frames; reprs show only the origin; errors pickle without the key.
"""

from __future__ import annotations

import base64
import json
import pickle
import socket
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import tinker_ext as tinker

SECRET = "tml-SECRET-in-config-5b1d"
KEY = "tml-the-api-key-value-9f3a"


class NoNetwork:
    """A transport that records any request (there must be none)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(500)


def sdk_frame_locals(exc: BaseException) -> str:
    """repr of every local of every tinker_ext frame in the tracebacks of `exc` and its causes."""
    parts: list[str] = []
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for frame, _ in traceback.walk_tb(current.__traceback__):
            if "tinker_ext" in frame.f_code.co_filename:
                parts += [f"{name}={value!r}" for name, value in frame.f_locals.items()]
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
    return "\n".join(parts)


def every_form(exc: BaseException) -> str:
    return "\n".join([str(exc), repr(exc), repr(exc.args), repr(pickle.dumps(exc)), sdk_frame_locals(exc)])


REFUSED: list[tuple[dict[str, Any], str]] = [
    ({"base_url": f"http://api.test/?k={SECRET}"}, "has a query"),
    ({"base_url": f"http://api.test/v1?api_key={SECRET}"}, "has a query"),
    ({"base_url": f"http://api.test/#{SECRET}"}, "has a fragment"),
    ({"base_url": f"http://user:{SECRET}@api.test"}, "user name or password"),
    ({"base_url": f"http://{SECRET}@api.test/"}, "user name or password"),
    ({"base_url": f"http://api.test:{SECRET}/"}, "not a valid URL"),
    ({"base_url": f"{SECRET}://api.test/"}, "absolute http"),
    ({"base_url": f"http://api.test/\r\n{SECRET}"}, "not a valid URL|query|fragment"),
    ({"default_headers": {"X-Extra": f"v\r\n{SECRET}"}}, "control or non-ASCII"),
    ({"default_headers_overrides": {"X-Extra": f"{SECRET}\n"}}, "control or non-ASCII"),
    ({"api_key": f"{SECRET}\r\nX-Injected: 1"}, "control or whitespace"),
]


@pytest.mark.parametrize(("options", "match"), REFUSED)
@pytest.mark.parametrize("factory", [tinker.ServiceClient, tinker.RestClient, tinker.AdminClient])
def test_refused_configuration_leaves_no_secret_anywhere(
    factory: Callable[..., Any], options: dict[str, Any], match: str
) -> None:
    network = NoNetwork()
    kwargs: dict[str, Any] = {"api_key": KEY, "base_url": "http://api.test", **options}
    if factory is not tinker.ServiceClient and "default_headers_overrides" in kwargs:
        kwargs["default_headers"] = kwargs.pop("default_headers_overrides")
    with pytest.raises(tinker.InvalidInputError, match=match) as info:
        factory(**kwargs, _transport=httpx.MockTransport(network))
    assert network.requests == []
    text = every_form(info.value)
    assert SECRET not in text
    assert KEY not in text


def test_download_checkpoint_refuses_a_base_url_with_a_query_without_leaking(tmp_path: Path) -> None:
    with pytest.raises(tinker.InvalidInputError, match="has a query") as info:
        tinker.download_checkpoint(
            f"http://api.test/?k={SECRET}", "tinker://run/weights/w1", tmp_path, api_key=KEY
        )
    assert SECRET not in every_form(info.value)
    assert KEY not in every_form(info.value)


def test_a_sampler_handle_refusing_its_key_leaves_no_secret() -> None:
    raw = {"sampling_session_id": "s:0", "holder": {"base_url": "http://api.test", "api_key": None}}
    handle = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode()
    with pytest.raises(tinker.InvalidInputError, match="control or whitespace") as info:
        tinker.SamplingClient.from_sampler_handle(handle, api_key=f"{SECRET}\r\nX-Injected: 1")
    assert SECRET not in every_form(info.value)


def test_a_base_url_with_a_path_is_kept_and_reprs_show_only_the_origin() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"supported_models": []})

    url = "http://api.test:8080/services/tinker-prod/"
    with tinker.ServiceClient(api_key=KEY, base_url=url, _transport=httpx.MockTransport(handler)) as sc:
        rest = sc.create_rest_client()
        assert rest.get_server_capabilities().result().supported_models == []
        admin = tinker.AdminClient(api_key=KEY, base_url=url, _transport=httpx.MockTransport(handler))
        reprs = [repr(sc), repr(rest), repr(admin), repr(sc._ctx.http)]
    assert seen == ["http://api.test:8080/services/tinker-prod/api/v1/get_server_capabilities"]
    assert reprs[0].startswith("ServiceClient(origin='http://api.test:8080', ")
    assert reprs[1:] == [
        "RestClient(origin='http://api.test:8080')",
        "AdminClient(origin='http://api.test:8080')",
        "HttpClient(origin='http://api.test:8080')",
    ]
    assert all("services" not in r and KEY not in r for r in reprs)
    ipv6 = tinker.RestClient(
        api_key=KEY, base_url="http://[::1]:9/x", _transport=httpx.MockTransport(handler)
    )
    assert repr(ipv6) == "RestClient(origin='http://[::1]:9')"


def test_connection_errors_pickle_and_print_without_the_key() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    policy = tinker.RetryPolicy(max_retries=1)
    with tinker.ServiceClient(api_key=KEY, base_url=f"http://127.0.0.1:{port}", retry_policy=policy) as sc:
        with pytest.raises(tinker.APIConnectionError) as info:
            sc.create_sampling_client(base_model="m")
        error = info.value
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and copy.message == error.message
        assert KEY not in every_form(error) and KEY not in every_form(copy)
        assert copy.request is not None and str(copy.request.url).startswith(f"http://127.0.0.1:{port}/")
        assert KEY not in repr(sc) + repr(sc.create_rest_client())
