"""The batched hand-offs to and from the SDK loop (`_session/loop.py`), and httpx's command-line tool
loaded only when used (`_core/httpx_cli.py`)."""

from __future__ import annotations

import asyncio
import contextvars
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tinker_ext._session.futures import APIFuture
from tinker_ext._session.loop import background_loop

REPO = Path(__file__).resolve().parents[2]


def test_a_burst_of_awaited_operations_each_gets_its_own_result() -> None:
    loop = background_loop()

    async def work(i: int) -> int:
        await asyncio.sleep(0)
        if i % 7 == 0:
            raise ValueError(i)
        return i * i

    async def caller() -> list[object]:
        futures = [APIFuture(loop.submit(work(i)), loop) for i in range(500)]
        return await asyncio.gather(*(f.result_async() for f in futures), return_exceptions=True)

    results = asyncio.run(caller())
    for i, result in enumerate(results):
        if i % 7 == 0:
            assert isinstance(result, ValueError) and result.args == (i,)
        else:
            assert result == i * i


_SUBMITTER: contextvars.ContextVar[str] = contextvars.ContextVar("submitter", default="none")


def test_each_submission_runs_in_its_submitters_context() -> None:
    """Submissions batched into one wake-up still each see the context they were submitted from (the
    request ids an APIFuture lists and the parent span depend on it)."""
    loop = background_loop()

    async def read() -> str:
        await asyncio.sleep(0)
        return _SUBMITTER.get()

    def submit_as(name: str) -> object:
        _SUBMITTER.set(name)
        return loop.submit(read())

    futures = [contextvars.copy_context().run(submit_as, f"caller-{i}") for i in range(50)]
    assert [f.result(timeout=10) for f in futures] == [f"caller-{i}" for i in range(50)]  # type: ignore[attr-defined]


def test_submissions_from_many_threads_all_run() -> None:
    loop = background_loop()
    seen: list[int] = []

    async def record(i: int) -> int:
        seen.append(i)
        return i

    barrier = threading.Barrier(32)
    results: list[int] = []

    def one(i: int) -> None:
        barrier.wait()
        results.append(loop.submit(record(i)).result(10))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted(seen) == list(range(32))


def test_a_caller_timing_out_or_cancelled_leaves_the_operation_running() -> None:
    loop = background_loop()
    release = threading.Event()

    async def slow() -> str:
        while not release.is_set():
            await asyncio.sleep(0.01)
        return "done"

    future = APIFuture(loop.submit(slow()), loop)

    async def caller() -> None:
        with pytest.raises(TimeoutError):
            await future.result_async(timeout=0.05)
        task = asyncio.ensure_future(future.result_async())
        await asyncio.sleep(0.02)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(caller())
    assert not future.done()
    release.set()
    assert future.result(10) == "done"


def test_cancelling_the_future_cancels_the_operation() -> None:
    loop = background_loop()
    started = threading.Event()
    cancelled = threading.Event()

    async def forever() -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    future = APIFuture(loop.submit(forever()), loop)
    assert started.wait(10)
    assert future.cancel()
    assert cancelled.wait(10)


def test_a_future_cancelled_before_it_started_never_runs() -> None:
    loop = background_loop()
    ran = threading.Event()

    blocking = threading.Event()

    async def blocker(gate: threading.Event) -> None:
        blocking.set()
        gate.wait(10)  # holds the loop, so the next submission waits in the inbox

    async def never() -> None:
        ran.set()

    gate = threading.Event()
    first = loop.submit(blocker(gate))
    assert blocking.wait(10)
    second = loop.submit(never())
    assert second.cancel()
    gate.set()
    first.result(10)
    loop.submit(asyncio.sleep(0)).result(10)
    assert not ran.is_set()


def test_httpx_cli_is_loaded_only_when_used() -> None:
    code = (
        "import sys, tinker_ext, httpx\n"
        "assert 'click' not in sys.modules and 'rich' not in sys.modules, 'loaded with httpx'\n"
        "from httpx._main import print_help\n"
        "assert 'rich' in sys.modules and callable(print_help)\n"
        "assert sys.modules['httpx._main'] is httpx._main and httpx._main.print_help is print_help\n"
        "sys.argv = ['httpx', '--help']\n"
        "try:\n"
        "    httpx.main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": f"{REPO}:{REPO / 'generated'}", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "HTTPX" in done.stdout  # the real tool printed its help
