"""Issue 18, item 5: a client whose first request cannot connect fails in seconds, naming the URL; long
retries say so at WARNING; no aiohttp session is left unclosed on any exit path.

Real sockets on 127.0.0.1: a port where nothing listens, an always-500 server, a server whose answers are
shorter than their Content-Length, a server that answered once and then went away.
"""

from __future__ import annotations

import gc
import logging
import os
import socket
import subprocess
import sys
import time
import warnings
import weakref
from pathlib import Path

import pytest
from _fault_server import FakeTiming
from _hostile_server import RawRequest, RawServer, json_answer, response_head

import tinker_ext as tinker

KEY = "tml-first-contact-key-0123456789"
# An unclosed aiohttp session warns from a finalizer: both the warning and pytest's report of it fail here.
NO_UNCLOSED = [
    pytest.mark.filterwarnings("error::ResourceWarning"),
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]
pytestmark = NO_UNCLOSED


def free_port() -> int:
    """A port where nothing listens (bound, read, closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def retry_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "tinker_ext.http" and r.levelno == logging.WARNING and "Retrying" in r.getMessage()
    ]


def test_nothing_listening_fails_within_the_first_contact_limit_naming_the_url(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    rest = tinker.RestClient(api_key=KEY, base_url=url)  # the default policy: 10 s first contact
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="tinker_ext"), pytest.raises(tinker.APIConnectionError) as info:
        rest.list_user_checkpoints().result()
    elapsed = time.monotonic() - started
    assert type(info.value) is tinker.APIConnectionError
    assert f"Nothing answered at {url}" in str(info.value)
    assert "Check base_url and that the server is running" in str(info.value)
    assert 5.0 < elapsed < 20.0  # it tried for about 10 s, not for the minute of the full policy
    warned = retry_warnings(caplog)
    # The retries that take the call past 3 s: with backoff 0.5, 1, 2, 4, 8 s (less up to 25 % jitter),
    # cut to what is left of the 10 s, always those after attempts 4 and 5, maybe also after attempt 3.
    assert len(warned) >= 2, warned
    assert all(f"nothing has answered at {url} yet" in m for m in warned)
    assert any("(attempt 4/11 failed" in m for m in warned)
    assert KEY not in str(info.value) + "".join(r.getMessage() for r in caplog.records)
    rest._ctx.run(rest._ctx.aclose())


def test_first_contact_limit_is_configurable_and_counts_attempts() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    timing = FakeTiming()
    policy = tinker.RetryPolicy(first_contact_timeout=2.0)
    sc = tinker.ServiceClient(api_key=KEY, base_url=url, retry_policy=policy, _timing=timing.timing())
    with sc, pytest.raises(tinker.APIConnectionError, match="Nothing answered at") as info:
        sc.create_sampling_client(base_model="m")
    # 0, 0.5, 1.5 s, then the last retry cut to the 0.5 s left: four attempts, two seconds of waiting.
    assert timing.sleeps == [0.5, 1.0, 0.5]
    assert "4 connection attempt(s) in 2.0 s failed" in str(info.value)


def test_a_hanging_connect_is_cut_to_the_first_contact_limit() -> None:
    """A listener whose backlog is full drops further SYNs: connecting hangs (like a black-holed host or
    a name lookup that never answers). The attempt ends with the 2 s budget, not the 5 s connect timeout."""
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        filler.connect(listener.getsockname())  # fills the backlog; nothing is ever accepted
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        policy = tinker.RetryPolicy(first_contact_timeout=2.0)
        rest = tinker.RestClient(api_key=KEY, base_url=url, retry_policy=policy)
        started = time.monotonic()
        with pytest.raises(tinker.APITimeoutError, match=f"Nothing answered at {url}: 1 connection attempt"):
            rest.list_user_checkpoints().result()
        elapsed = time.monotonic() - started
        rest._ctx.run(rest._ctx.aclose())
    assert elapsed < 4.5  # the connect timeout alone (5 s) would have taken longer


def test_a_server_that_answered_once_and_went_away_keeps_the_full_retry_policy(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def answer(conn: socket.socket, request: RawRequest) -> None:
        server.send(conn, json_answer(b'{"supported_models": []}'))

    server = RawServer(answer)
    timing = FakeTiming()
    with tinker.ServiceClient(api_key=KEY, base_url=server.url, _timing=timing.timing()) as sc:
        rest = sc.create_rest_client()
        assert rest.get_server_capabilities().result().supported_models == []
        server.close()
        with (
            caplog.at_level(logging.INFO, logger="tinker_ext"),
            pytest.raises(tinker.APIConnectionError) as info,
        ):
            rest.get_server_capabilities().result()
    assert "Nothing answered" not in str(info.value)
    assert len(timing.sleeps) == 10  # every retry of the policy, 66 s of (fake) backoff, not cut at 10 s
    assert sum(timing.sleeps) > 60
    assert any("(attempt 11/11" in m or "(attempt 10/11 failed" in m for m in retry_warnings(caplog))


def _always_500(server: list[RawServer]) -> RawServer:
    def answer(conn: socket.socket, request: RawRequest) -> None:
        server[0].send(conn, json_answer(b'{"detail": "boom"}', status=500))

    server.append(RawServer(answer))
    return server[0]


def _short_body(server: list[RawServer]) -> RawServer:
    def answer(conn: socket.socket, request: RawRequest) -> None:
        head = response_head(200, {"Content-Type": "application/json", "Content-Length": "100"})
        server[0].send(conn, head + b'{"models": [')  # 12 of the 100 bytes announced, then the end

    server.append(RawServer(answer))
    return server[0]


@pytest.mark.parametrize(
    ("make_server", "error"),
    [(_always_500, tinker.InternalServerError), (_short_body, tinker.APIConnectionError)],
)
def test_long_retries_are_logged_at_warning_with_attempt_and_reason(
    make_server: object, error: type[Exception], caplog: pytest.LogCaptureFixture
) -> None:
    assert callable(make_server)
    server: RawServer = make_server([])
    timing = FakeTiming()  # the backoff is waited on a fake clock: 11 real requests, no real minute
    started = time.monotonic()
    try:
        rest = tinker.RestClient(api_key=KEY, base_url=server.url, _timing=timing.timing())
        with caplog.at_level(logging.INFO, logger="tinker_ext"), pytest.raises(error):
            rest.get_server_capabilities().result()
        rest._ctx.run(rest._ctx.aclose())
    finally:
        server.close()
    assert time.monotonic() - started < 20.0
    assert len(server.requests) == 11  # the retry policy itself is unchanged
    assert len(timing.sleeps) == 10 and sum(timing.sleeps) > 60
    warned = retry_warnings(caplog)
    # Retries 1-2 (waits of 0.5 and 1 s) stay at INFO; from the one that takes the call past 3 s on
    # (after 1.5 s, waiting 2 s), each is a WARNING.
    assert len(warned) == 8, warned
    assert warned[0].startswith(
        "Retrying GET /api/v1/get_server_capabilities in 2.0 s (attempt 3/11 failed, 1.5 s so far)"
    )
    assert "(attempt 10/11 failed" in warned[-1]
    reason = "Error code: 500" if error is tinker.InternalServerError else "Connection error"
    assert all(reason in m for m in warned)
    assert all("nothing has answered" not in m for m in warned)


def test_a_client_dropped_after_a_failed_first_call_closes_its_session() -> None:
    policy = tinker.RetryPolicy(max_retries=0)

    def fail_and_drop() -> weakref.ref[object]:
        sc = tinker.ServiceClient(
            api_key=KEY, base_url=f"http://127.0.0.1:{free_port()}", retry_policy=policy
        )
        with pytest.raises(tinker.APIConnectionError, match="Nothing answered"):
            sc.create_sampling_client(base_model="m")
        transport = sc._ctx.http._httpx()._transport
        session = transport._session  # type: ignore[attr-defined]
        assert session is not None and not session.closed
        return weakref.ref(session)  # the client, never closed, goes out of scope here

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        session = fail_and_drop()
        for _ in range(500):  # the close runs on the SDK loop; wait for it (at most 5 s)
            gc.collect()
            if session() is None:
                break
            time.sleep(0.01)
        assert session() is None
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


_FAILING_FIRST_CALL = """
import sys, time
import tinker_ext as tinker
started = time.monotonic()
rest = tinker.RestClient(api_key="{key}", base_url=sys.argv[1])
if sys.argv[2] == "caught":
    try:
        rest.list_user_checkpoints().result()
    except tinker.APIConnectionError as exc:
        print(f"{{type(exc).__name__}} after {{time.monotonic() - started:.1f}} s: {{exc}}")
else:  # the error ends the program (a traceback, exit status 1)
    rest.list_user_checkpoints().result()
"""


def test_a_failing_first_call_then_exit_prints_no_unclosed_warning(tmp_path: Path) -> None:
    script = tmp_path / "first_call.py"
    script.write_text(_FAILING_FIRST_CALL.format(key=KEY))
    env = {**os.environ, "PYTHONDEVMODE": "1"}  # every ResourceWarning shown, not only the first
    runs = {
        "refused": [f"http://127.0.0.1:{free_port()}", "caught"],
        "dns": ["http://nothing-here.invalid:8000", "raised"],
    }
    started = time.monotonic()
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-W", "error::ResourceWarning", str(script), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name, args in runs.items()
    }
    outputs = {name: proc.communicate(timeout=60) for name, proc in procs.items()}
    assert time.monotonic() - started < 20.0  # both ran side by side, each bounded by the 10 s limit
    out, err = outputs["refused"]
    assert procs["refused"].returncode == 0, err
    assert "APIConnectionError after" in out and f"Nothing answered at {runs['refused'][0]}" in out
    assert "Unclosed" not in err and "ResourceWarning" not in err, err
    out, err = outputs["dns"]
    assert procs["dns"].returncode == 1
    assert "Nothing answered at http://nothing-here.invalid:8000" in err
    assert "Unclosed" not in err and "ResourceWarning" not in err, err
    assert KEY not in out + err + outputs["refused"][0] + outputs["refused"][1]
