"""RestClient and AdminClient close their connections: close(), `with`, `async with`; one made by
`ServiceClient.create_rest_client()` leaves its ServiceClient's connections alone.

Run in a child interpreter with `-W error::ResourceWarning` against a small server on 127.0.0.1 over the
real (aiohttp) transport: an unclosed pool shows up as "Unclosed ..." on stderr when the child exits.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _hostile_server import RawRequest, RawServer, json_answer

import tinker_ext as tinker

CAPABILITIES = b'{"supported_models": [{"model_name": "tiny/qwen3-2l"}]}'
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def server() -> RawServer:
    def handler(conn: socket.socket, request: RawRequest) -> None:
        conn.sendall(json_answer(CAPABILITIES))

    with RawServer(handler) as raw:
        yield raw


def run_child(body: str, url: str) -> subprocess.CompletedProcess[str]:
    # The transport closes sessions left open at exit (a safety net for users); switched off here so that
    # what is checked is the client's own close(), not the net.
    code = (
        "import asyncio, atexit, tinker_ext as tinker, tinker_ext._wire.transport as transport\n"
        "atexit.unregister(transport._close_at_exit)\n" + textwrap.dedent(body)
    )
    return subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-c", code, url],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TINKER_EXT_HTTP_TRANSPORT": "aiohttp"},
        cwd=REPO,
    )


CLOSED = {
    "close()": """
        rest = tinker.RestClient(base_url=__import__("sys").argv[1], api_key="tml-k")
        rest.get_server_capabilities().result()
        rest.close()
        rest.close()  # again: nothing
    """,
    "with": """
        with tinker.RestClient(base_url=__import__("sys").argv[1], api_key="tml-k") as rest:
            rest.get_server_capabilities().result()
    """,
    "async with": """
        async def main():
            async with tinker.RestClient(base_url=__import__("sys").argv[1], api_key="tml-k") as rest:
                await rest.get_server_capabilities()
        asyncio.run(main())
    """,
    "AdminClient with": """
        with tinker.AdminClient(base_url=__import__("sys").argv[1], api_key="tml-k") as admin:
            admin._rest.get_server_capabilities().result()
    """,
}


@pytest.mark.parametrize("body", CLOSED.values(), ids=CLOSED.keys())
def test_closed_clients_leave_no_open_connections(server: RawServer, body: str) -> None:
    child = run_child(body, server.url)
    assert child.returncode == 0, child.stderr
    assert server.requests, "the child never reached the server"
    assert "Unclosed" not in child.stderr and "ResourceWarning" not in child.stderr, child.stderr


def test_an_unclosed_client_is_what_the_check_detects(server: RawServer) -> None:
    child = run_child(
        """
        rest = tinker.RestClient(base_url=__import__("sys").argv[1], api_key="tml-k")
        rest.get_server_capabilities().result()
        """,
        server.url,
    )
    assert "Unclosed" in child.stderr, child.stderr


def test_a_rest_client_of_a_service_client_leaves_its_connections_to_it(server: RawServer) -> None:
    service = tinker.ServiceClient(base_url=server.url, api_key="tml-k")
    with service.create_rest_client() as rest:
        rest.get_server_capabilities().result()
    # The service still works: closing the borrowed RestClient did not close its connections.
    assert service.get_server_capabilities().supported_models[0].model_name == "tiny/qwen3-2l"
    service.close()
    asyncio.run(rest.close_async())  # nothing to do, and no error
