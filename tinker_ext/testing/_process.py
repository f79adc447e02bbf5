"""The test server in a subprocess (`TinkerTestServer.subprocess()`): for code under test that runs in
other processes, or when the test process must not host threads. Faults are not reachable there."""

from __future__ import annotations

import json
import subprocess
import sys
from types import TracebackType

__all__ = ["TinkerTestServerProcess"]


class TinkerTestServerProcess:
    """`python -m tinker_ext.testing` as a context manager with `base_url`, `base_model`, `api_key`,
    `tokenizer_path`; the process ends with the block (or when this process exits: it serves until its
    stdin closes)."""

    def __init__(self, *, base_model: str, api_key: str, port: int = 0, start_timeout: float = 30.0) -> None:
        self._args = ["--base-model", base_model, "--api-key", api_key, "--port", str(port)]
        self._start_timeout = start_timeout
        self._process: subprocess.Popen[str] | None = None
        self.base_url = self.base_model = self.api_key = self.tokenizer_path = ""

    def start(self) -> TinkerTestServerProcess:
        process = subprocess.Popen(
            [sys.executable, "-m", "tinker_ext.testing", *self._args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._process = process
        assert process.stdout is not None
        import threading

        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(self._start_timeout)
        if not line or not line[0].strip():
            self.close()
            raise RuntimeError(f"the test server process did not start within {self._start_timeout:g} s")
        ready = json.loads(line[0])
        self.base_url, self.base_model = ready["base_url"], ready["base_model"]
        self.api_key, self.tokenizer_path = ready["api_key"], ready["tokenizer_path"]
        return self

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> TinkerTestServerProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
