"""Issue 9: run a faulty workload with a marker key and scan everything the SDK produced for it: every
log record at DEBUG (all loggers, httpx/httpcore included), every exception (str, repr, args, request,
body, pickle) with the locals of its tinker_ext traceback frames, and the reprs and pickles of the
objects the user holds. The marker must appear nowhere, in any printed form."""

from __future__ import annotations

import logging
import pickle
import socket
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from _fault_server import FakeTiming, FakeTinker, Fault, json_response
from _hostile_server import RawRequest, RawServer, response_head

import tinker_ext as tinker

MARK = "tml-MARKER-scan-4b7d\\'\""  # quotes and a backslash: escaped forms differ from the plain one


def forms(key: str) -> list[str]:
    return [key, repr(key)[1:-1], repr(key.encode())[2:-1], key.replace("\\", "\\\\")]


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage())
        self.texts.append(repr(record.args))
        if record.exc_info and record.exc_info[1] is not None:
            self.texts.append("".join(traceback.format_exception(record.exc_info[1])))


@pytest.fixture
def capture() -> Iterator[Capture]:
    handler = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def exception_texts(exc: BaseException) -> list[str]:
    texts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args)]
        for attribute in ("request", "body", "response"):
            value = getattr(current, attribute, None)
            texts.append(repr(value))
            if isinstance(value, httpx.Request | httpx.Response):
                texts.append(repr(dict(value.headers)))
            if isinstance(value, httpx.Response):
                texts.append(value.content.decode("latin-1"))
        texts.append(repr(pickle.dumps(current)))
        for frame, _ in traceback.walk_tb(current.__traceback__):
            if "tinker_ext" in frame.f_code.co_filename:
                texts += [f"{name}={value!r}" for name, value in frame.f_locals.items()]
        texts.append("".join(traceback.format_exception(current)))  # test frames' locals are not ours
        current = current.__cause__ or current.__context__
    return texts


class Workload:
    """Runs steps, keeping every exception they raise and every object they return."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def expect_error(self, step: Callable[[], Any]) -> None:
        try:
            result = step()
        except Exception as exc:  # the whole point: collect whatever was raised
            self.texts += exception_texts(exc)
        else:
            self.hold(result)

    def hold(self, *objects: Any) -> None:
        for obj in objects:
            self.texts.append(repr(obj))
            try:
                self.texts.append(repr(pickle.dumps(obj)))
            except Exception as exc:  # unpicklable objects are fine, as long as the refusal is clean
                self.texts += [str(exc), repr(exc)]


def echoing(server: FakeTinker) -> None:
    """Error bodies that echo the key back (a hostile or buggy server)."""
    server.inject(
        "/api/v1/create_session",
        Fault(status=503, body={"detail": f"bad key {MARK}"}),
        Fault(status=None),  # dropped connection: retried and logged
        Fault(status=401, body={"detail": f"bad key {MARK}", "key": [MARK]}),
    )


def service(server: FakeTinker, **kw: Any) -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key=MARK,
        base_url="http://api.test",
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
        **kw,
    )


def test_marker_key_appears_nowhere_after_a_faulty_workload(capture: Capture, tmp_path: Path) -> None:
    work = Workload()

    # malformed keys, every client constructor
    for bad in (MARK + "\r\nX: y", MARK + "\u00e9", "\n" + MARK + "\x00"):
        for factory in (tinker.ServiceClient, tinker.RestClient, tinker.AdminClient):
            work.expect_error(lambda f=factory, b=bad: f(api_key=b, base_url="http://api.test"))
        work.expect_error(
            lambda b=bad: tinker.download_checkpoint(
                "http://api.test", "tinker://r/weights/w", tmp_path, api_key=b
            )
        )

    # status errors whose bodies echo the key, after retries
    server = FakeTinker()
    echoing(server)
    sc = service(server)
    work.hold(sc)
    work.expect_error(lambda: sc.create_lora_training_client("m"))

    # a working session, then faults in the middle of training and sampling
    training = sc.create_lora_training_client("m")
    sampler = sc.create_sampling_client(base_model="m")
    work.hold(training, sampler, sc.create_rest_client())
    server.inject(
        "/api/v1/optim_step", Fault(status=None, after_apply=True), Fault(status=500, body={"k": MARK})
    )
    work.expect_error(lambda: training.optim_step(tinker.AdamParams(learning_rate=1e-4)).result())
    future = training.forward_backward(
        [tinker.Datum(model_input=tinker.ModelInput.from_ints([1]), loss_fn_inputs={"target_tokens": [2]})],
        "cross_entropy",
    )
    work.hold(future)
    work.expect_error(future.result)
    server.handlers["/api/v1/create_sampling_session"] = lambda rec: json_response(200, {"echo": MARK})
    work.expect_error(lambda: sc.create_sampling_client(base_model="m"))
    work.expect_error(
        lambda: sampler.sample(tinker.ModelInput.from_ints([1, -1]), 1, tinker.SamplingParams())
    )
    sc.close()

    # redirect off-origin, and the download's own errors
    def redirecting(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.test":
            return httpx.Response(307, headers={"Location": "http://evil.test/x"})
        return json_response(200, {"seen": request.headers.get("x-api-key")})

    redirected = tinker.ServiceClient(
        api_key=MARK, base_url="http://api.test", _transport=httpx.MockTransport(redirecting)
    )
    work.expect_error(lambda: redirected.create_sampling_client(base_model="m"))
    redirected.close()
    work.expect_error(
        lambda: tinker.download_checkpoint(
            "http://api.test",
            "tinker://r/weights/w",
            tmp_path,
            api_key=MARK,
            transport=httpx.MockTransport(lambda r: json_response(403, {"detail": f"no {MARK}"})),
        )
    )

    # a real socket: httpx/httpcore DEBUG logs, a limit breach, a dropped connection
    def hostile(conn: socket.socket, request: RawRequest) -> None:
        if request.path.endswith("big"):
            conn.sendall(response_head(200, {"Content-Length": str(1 << 30)}))
        # else: close without answering

    with RawServer(hostile) as raw:
        real = tinker.RestClient(
            api_key=MARK, base_url=raw.url, retry_policy=tinker.RetryPolicy(max_retries=1)
        )
        work.hold(real)
        work.expect_error(lambda: real.list_training_runs().result())
        work.expect_error(lambda: real.get_training_run("big").result())

    everything = "\n".join(work.texts + capture.texts)
    assert capture.texts and work.texts  # the scan saw something
    assert "Retrying" in everything and "apply it twice" in everything  # the faults really happened
    for form in forms(MARK):
        assert form not in everything, form
