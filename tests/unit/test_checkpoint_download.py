"""Streamed, atomic checkpoint download and safe tar extraction."""

from __future__ import annotations

import http.server
import io
import tarfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tinker_ext._core.exceptions import InvalidInputError, NotFoundError
from tinker_ext._rest.archive_fetch import ArchiveDownload
from tinker_ext._rest.checkpoints import (
    CheckpointDownloadError,
    UnsafeArchiveError,
    download_checkpoint,
    partial_archive_path,
    safe_extract,
)

BASE = "http://tinker.test"
KEY = "tml-secret-key-123"
PATH = "tinker://run1/sampler_weights/ck"
TARGET = "run1_sampler_weights_ck"
FILES = {"adapter_config.json": b'{"r": 4}', "weights/adapter_model.safetensors": b"\x00\x01" * 50_000}


def make_tar(members: list[tuple[tarfile.TarInfo, bytes | None]] | None = None, *, gz: bool = True) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if gz else "w") as archive:
        if members is None:
            members = []
            for name, content in FILES.items():
                info = tarfile.TarInfo(name)
                info.size = len(content)
                members.append((info, content))
            link = tarfile.TarInfo("config_link.json")
            link.type = tarfile.SYMTYPE
            link.linkname = "adapter_config.json"  # a link inside the checkpoint is fine
            members.append((link, None))
        for info, content in members:
            archive.addfile(info, io.BytesIO(content) if content is not None else None)
    return buffer.getvalue()


def member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "", content: bytes = b"x") -> tuple:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    if kind == tarfile.REGTYPE:
        info.size = len(content)
        return info, content
    return info, None


def serve(archive: bytes, requests: list[httpx.Request], **options) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        path = request.url.path
        if path.endswith("/archive"):
            if options.get("bare_only") and "/sampler_weights/" in path:
                status = options.get("prefixed_status", 404)  # skyrl 0.4.0: 405 (its DELETE route matches)
                return httpx.Response(
                    status, json={"detail": "Not Found" if status == 404 else "Method Not Allowed"}
                )
            if options.get("json_url"):
                return httpx.Response(
                    200, json={"url": options["json_url"], "expires": "2030-01-01T00:00:00Z"}
                )
            return httpx.Response(302, headers={"Location": "/files/archive.tar.gz"})
        if path == "/files/archive.tar.gz" or request.url.host == "storage.test":
            body = archive[: options["truncate"]] if "truncate" in options else archive
            return httpx.Response(200, content=body, headers={"Content-Length": str(len(archive))})
        return httpx.Response(404, json={"detail": "Checkpoint not found"})

    return httpx.MockTransport(handler)


def download(tmp_path: Path, transport: httpx.MockTransport, **kwargs) -> Path:
    return download_checkpoint(BASE, PATH, tmp_path, api_key=KEY, transport=transport, **kwargs)


def assert_extracted(target: Path) -> None:
    for name, content in FILES.items():
        assert (target / name).read_bytes() == content
    assert (target / "config_link.json").read_bytes() == FILES["adapter_config.json"]


def test_download_redirect_extracts_with_progress(tmp_path):
    archive = make_tar()
    requests: list[httpx.Request] = []
    calls: list[tuple[int, int | None]] = []
    target = download(
        tmp_path, serve(archive, requests), progress=lambda done, total: calls.append((done, total))
    )
    assert target == tmp_path / TARGET
    assert_extracted(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [TARGET]  # no temporaries left
    assert calls[0] == (0, len(archive)) and calls[-1] == (len(archive), len(archive))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    archive_request = requests[0]
    assert archive_request.url.path == "/api/v1/training_runs/run1/checkpoints/sampler_weights/ck/archive"
    assert archive_request.headers["X-API-Key"] == KEY
    assert requests[1].headers["X-API-Key"] == KEY  # same origin as the API


def test_plain_tar_and_json_url_on_other_origin_gets_no_key(tmp_path):
    requests: list[httpx.Request] = []
    transport = serve(make_tar(gz=False), requests, json_url="https://storage.test/signed?sig=abc")
    assert_extracted(download(tmp_path, transport))
    assert requests[1].url.host == "storage.test"
    assert "X-API-Key" not in requests[1].headers


@pytest.mark.parametrize("prefixed_status", [404, 405], ids=["skyrl-tx", "skyrl"])
def test_skyrl_bare_name_route_fallback(tmp_path, prefixed_status):
    requests: list[httpx.Request] = []
    assert_extracted(
        download(tmp_path, serve(make_tar(), requests, bare_only=True, prefixed_status=prefixed_status))
    )
    assert [r.url.path for r in requests[:2]] == [
        "/api/v1/training_runs/run1/checkpoints/sampler_weights/ck/archive",
        "/api/v1/training_runs/run1/checkpoints/ck/archive",
    ]


def test_existing_target_needs_force(tmp_path):
    (tmp_path / TARGET).mkdir()
    (tmp_path / TARGET / "old.txt").write_text("old")
    with pytest.raises(InvalidInputError, match="already exists"):
        download(tmp_path, serve(make_tar(), []))
    assert (tmp_path / TARGET / "old.txt").exists()
    target = download(tmp_path, serve(make_tar(), []), force=True)
    assert not (target / "old.txt").exists()
    assert_extracted(target)


def test_truncated_download_keeps_the_part_and_a_server_without_range_restarts_it(tmp_path):
    archive = make_tar()
    requests: list[httpx.Request] = []
    with pytest.raises(CheckpointDownloadError, match=r"ended after .*gave up after 2 retries"):
        download(tmp_path, serve(archive, requests, truncate=len(archive) // 2), max_retries=2, retry_delay=0)
    # the bytes received stay in the .part (documented: the next call resumes them); nothing else
    part = partial_archive_path(tmp_path, PATH)
    assert sorted(p.name for p in tmp_path.iterdir()) == [part.name, part.name + ".json"]  # + its sidecar
    assert part.read_bytes() == archive[: len(archive) // 2]
    assert [r.headers.get("Range") for r in requests if r.url.path.startswith("/files")] == [
        None,
        f"bytes={len(archive) // 2}-",
        f"bytes={len(archive) // 2}-",
    ]
    # this mock server ignores Range (answers 200 with the whole body): the .part is started over
    outcomes: list[ArchiveDownload] = []
    target = download(tmp_path, serve(archive, []), on_complete=outcomes.append)
    assert_extracted(target)
    assert (outcomes[0].size, outcomes[0].restarts, outcomes[0].resumed_from) == (
        len(archive),
        1,
        [len(archive) // 2],
    )
    assert [p.name for p in tmp_path.iterdir()] == [TARGET]


def test_not_found_maps_to_api_error_without_key(tmp_path):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"detail": f"no such checkpoint (key was {KEY})"})

    with pytest.raises(NotFoundError) as info:
        download(tmp_path, httpx.MockTransport(handler))
    assert KEY not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_corrupt_archive_leaves_nothing(tmp_path):
    with pytest.raises(CheckpointDownloadError, match="not a readable tar"):
        download(tmp_path, serve(b"this is not a tar archive" * 10, []))
    assert list(tmp_path.iterdir()) == []


MALICIOUS: dict[str, tuple[Callable[[], list[tuple]], str]] = {
    "absolute": (lambda: [member("ok.txt"), member("/tmp/evil.txt")], "absolute path"),
    "dotdot": (lambda: [member("ok.txt"), member("sub/../../escape.txt")], "'..'"),
    "symlink_etc": (lambda: [member("passwd", tarfile.SYMTYPE, "/etc/passwd")], "symlink to absolute path"),
    "symlink_relative_out": (
        lambda: [member("sub/link", tarfile.SYMTYPE, "../../../etc")],
        "points outside",
    ),
    "hardlink_outside": (lambda: [member("hl", tarfile.LNKTYPE, "../outside.txt")], "hard link"),
    "hardlink_absolute": (lambda: [member("hl", tarfile.LNKTYPE, "/etc/passwd")], "hard link"),
    "device": (lambda: [member("dev", tarfile.CHRTYPE)], "device file"),
    "block_device": (lambda: [member("blk", tarfile.BLKTYPE)], "device file"),
    "fifo": (lambda: [member("ok.txt"), member("pipe", tarfile.FIFOTYPE)], "fifo"),
}


@pytest.mark.parametrize("case", sorted(MALICIOUS))
def test_malicious_archives_rejected_and_nothing_written(tmp_path, case):
    build, reason = MALICIOUS[case]
    members = build()
    bad_name = members[-1][0].name
    output = tmp_path / "out"
    with pytest.raises(UnsafeArchiveError) as info:
        download_checkpoint(BASE, PATH, output, api_key=KEY, transport=serve(make_tar(members), []))
    assert reason in str(info.value)
    assert repr(bad_name) in str(info.value)  # the error names the member
    assert list(output.iterdir()) == []
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "outside.txt").exists()


def test_safe_extract_validates_everything_before_writing(tmp_path):
    archive = tmp_path / "a.tar"
    archive.write_bytes(make_tar([member("first.txt"), member("/abs.txt")], gz=False))
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(UnsafeArchiveError):
        safe_extract(archive, dest)
    assert list(dest.iterdir()) == []  # the good first member was not written either


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    archive = make_tar()
    seen_keys: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen_keys.append(self.headers.get("X-API-Key", ""))
            if self.path.endswith("/archive"):
                self.send_response(302)
                self.send_header("Location", "/download/ck.tar.gz")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(archive)))
            self.end_headers()
            for start in range(0, len(archive), 4096):  # several chunks on the wire
                self.wfile.write(archive[start : start + 4096])

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen_keys
    finally:
        server.shutdown()
        server.server_close()


def test_download_from_in_process_http_server(tmp_path, http_server):
    base_url, seen_keys = http_server
    calls: list[tuple[int, int | None]] = []
    target = download_checkpoint(
        base_url, PATH, tmp_path, api_key=KEY, progress=lambda done, total: calls.append((done, total))
    )
    assert_extracted(target)
    assert seen_keys == [KEY, KEY]
    assert calls[-1][0] == calls[-1][1] and len(calls) >= 2


def test_client_object_supplies_base_url_and_key(tmp_path):
    class FakeHttp:
        base_url = BASE
        api_key = KEY

    class FakeRestClient:
        _http = FakeHttp()

    requests: list[httpx.Request] = []
    download_checkpoint(FakeRestClient(), PATH, tmp_path, transport=serve(make_tar(), requests))
    assert requests[0].headers["X-API-Key"] == KEY
