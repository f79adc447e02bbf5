"""Resumable archive download against an in-process HTTP server with Range support: a reset mid-body is
resumed from the .part, an expired signed URL is asked for again, a checksum mismatch is a typed error."""

from __future__ import annotations

import base64
import hashlib
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from test_checkpoint_download import FILES, KEY, PATH, TARGET, make_tar

from tinker_ext._core.exceptions import PermissionDeniedError
from tinker_ext.checkpoints import (
    ArchiveDownload,
    CheckpointDownloadError,
    ChecksumMismatchError,
    download_checkpoint,
    partial_archive_path,
)

ARCHIVE = make_tar(gz=False)  # ~100 KB: several chunks on the wire


@dataclass
class Behaviour:
    """What the in-process server does; `log` records (path, Range header, status)."""

    resets: int = 1  # how many archive GETs are cut after `cut_at` bytes of body
    cut_at: int = len(ARCHIVE) // 3
    honour_range: bool = True
    content_md5: str | None = base64.b64encode(hashlib.md5(ARCHIVE).digest()).decode()
    repr_digest: bool = True
    expiring_tokens: bool = False  # each signed URL works for one GET; reusing it -> 403 "expired"
    log: list[tuple[str, str | None, int]] = field(default_factory=list)
    tokens_issued: int = 0
    tokens_used: set[str] = field(default_factory=set)
    if_range: list[str | None] = field(default_factory=list)
    etag: str = '"v1-archive"'


@pytest.fixture
def server() -> Iterator[tuple[str, Behaviour]]:
    behaviour = Behaviour()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(
            self, status: int, headers: dict[str, str], body: bytes = b"", cut: int | None = None
        ) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body if cut is None else body[:cut])
            if cut is not None:
                self.wfile.flush()
                self.close_connection = True
                self.connection.close()  # a reset mid-body

        def do_GET(self) -> None:
            range_header = self.headers.get("Range")
            behaviour.if_range.append(self.headers.get("If-Range"))
            if self.path.endswith("/archive"):
                behaviour.tokens_issued += 1
                behaviour.log.append((self.path, range_header, 302))
                location = f"/signed/archive.tar?token={behaviour.tokens_issued}"
                self._send(302, {"Location": location, "Content-Length": "0"})
                return
            token = self.path.rsplit("=", 1)[-1]
            if behaviour.expiring_tokens and token in behaviour.tokens_used:
                body = b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
                behaviour.log.append((self.path, range_header, 403))
                self._send(403, {"Content-Length": str(len(body))}, body)
                return
            behaviour.tokens_used.add(token)
            start = 0
            headers: dict[str, str] = {"ETag": behaviour.etag}
            if behaviour.repr_digest:
                headers["Repr-Digest"] = (
                    f"sha-256=:{base64.b64encode(hashlib.sha256(ARCHIVE).digest()).decode()}:"
                )
            if_range = self.headers.get("If-Range")
            if range_header and behaviour.honour_range and if_range in (None, behaviour.etag):
                start = int(range_header.removeprefix("bytes=").rstrip("-"))
                headers["Content-Range"] = f"bytes {start}-{len(ARCHIVE) - 1}/{len(ARCHIVE)}"
                status = 206
            else:
                status = 200
                if behaviour.content_md5:
                    headers["Content-MD5"] = behaviour.content_md5
            body = ARCHIVE[start:]
            headers["Content-Length"] = str(len(body))
            behaviour.log.append((self.path, range_header, status))
            cut = None
            if behaviour.resets > 0:
                behaviour.resets -= 1
                cut = behaviour.cut_at
            self._send(status, headers, body, cut)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", behaviour
    finally:
        httpd.shutdown()
        httpd.server_close()


def fetch(base_url: str, tmp_path: Path, **options: object) -> tuple[Path, ArchiveDownload]:
    outcomes: list[ArchiveDownload] = []
    options.setdefault("retry_delay", 0)
    target = download_checkpoint(
        base_url, PATH, tmp_path, api_key=KEY, on_complete=outcomes.append, **options
    )
    return target, outcomes[0]


def downloads(behaviour: Behaviour) -> list[tuple[str | None, int]]:
    return [(rng, status) for path, rng, status in behaviour.log if path.startswith("/signed")]


def assert_extracted(target: Path) -> None:
    for name, content in FILES.items():
        assert (target / name).read_bytes() == content


def test_reset_mid_body_resumes_with_range_and_verifies(server, tmp_path):
    base_url, behaviour = server
    progress: list[tuple[int, int | None]] = []
    target, outcome = fetch(base_url, tmp_path, progress=lambda done, total: progress.append((done, total)))
    assert_extracted(target)
    assert downloads(behaviour) == [(None, 200), (f"bytes={behaviour.cut_at}-", 206)]
    assert outcome.resumed_from == [behaviour.cut_at] and outcome.restarts == 0
    assert outcome.size == len(ARCHIVE)
    assert outcome.verified == ("md5", "sha256")  # Content-MD5 of the 200, Repr-Digest of both
    assert progress[-1] == (len(ARCHIVE), len(ARCHIVE))
    assert sorted(p.name for p in tmp_path.iterdir()) == [TARGET]  # the .part is gone


def test_an_expired_signed_url_is_asked_for_again_and_the_download_continues(server, tmp_path):
    base_url, behaviour = server
    behaviour.expiring_tokens = True
    target, outcome = fetch(base_url, tmp_path)
    assert_extracted(target)
    assert outcome.url_refreshes == 1
    assert downloads(behaviour) == [
        (None, 200),  # cut mid-body
        (f"bytes={behaviour.cut_at}-", 403),  # the same signed URL again: expired
        (f"bytes={behaviour.cut_at}-", 206),  # a new URL from the archive endpoint: resumed
    ]
    assert [p for p, _, _ in behaviour.log if p.endswith("/archive")] == [
        p for p, _, _ in behaviour.log[:1]
    ] * 2


def test_url_refreshes_are_bounded(server, tmp_path):
    base_url, behaviour = server
    behaviour.expiring_tokens = True
    behaviour.resets = 5
    with pytest.raises(PermissionDeniedError, match="expired"):
        fetch(base_url, tmp_path, max_url_refreshes=1, max_retries=10)


def test_checksum_mismatch_is_typed_and_removes_the_part(server, tmp_path):
    base_url, behaviour = server
    behaviour.resets = 0
    behaviour.repr_digest = False
    behaviour.content_md5 = base64.b64encode(hashlib.md5(b"another archive").digest()).decode()
    with pytest.raises(ChecksumMismatchError) as info:
        fetch(base_url, tmp_path)
    assert info.value.algorithm == "md5" and info.value.actual == hashlib.md5(ARCHIVE).hexdigest()
    assert list(tmp_path.iterdir()) == []  # documented: a .part with wrong bytes is not kept


def test_a_failed_download_keeps_the_part_and_the_next_call_resumes_it(server, tmp_path):
    base_url, behaviour = server
    behaviour.resets = 3
    with pytest.raises(CheckpointDownloadError, match="gave up after 1 retries"):
        fetch(base_url, tmp_path, max_retries=1)
    part = partial_archive_path(tmp_path, PATH)
    kept = part.stat().st_size
    assert 0 < kept < len(ARCHIVE) and part.read_bytes() == ARCHIVE[:kept]
    behaviour.resets = 0
    target, outcome = fetch(base_url, tmp_path)
    assert_extracted(target)
    assert outcome.resumed_from == [kept] and downloads(behaviour)[-1] == (f"bytes={kept}-", 206)
    # the sidecar kept the first 200's Content-MD5 and ETag: the new call sends If-Range and verifies both
    assert outcome.verified == ("md5", "sha256")
    assert behaviour.if_range[-1] == '"v1-archive"'
    assert sorted(p.name for p in tmp_path.iterdir()) == [TARGET]


def test_a_server_ignoring_range_restarts_from_zero(server, tmp_path):
    base_url, behaviour = server
    behaviour.honour_range = False
    target, outcome = fetch(base_url, tmp_path)
    assert_extracted(target)
    assert downloads(behaviour) == [(None, 200), (f"bytes={behaviour.cut_at}-", 200)]
    assert outcome.restarts == 1 and outcome.verified == ("md5", "sha256")


def test_bad_retry_options_are_refused_before_anything_is_sent(tmp_path):
    with pytest.raises(ValueError, match="max_retries"):
        download_checkpoint("http://127.0.0.1:9", PATH, tmp_path, api_key=KEY, max_retries=-1)


def test_cli_download_reports_the_resume_and_the_checksums(server, tmp_path):
    import json

    from click.testing import CliRunner

    from tinker_ext.cli import cli

    base_url, behaviour = server
    args = [
        "--base-url",
        base_url,
        "--api-key",
        KEY,
        "-f",
        "json",
        "checkpoint",
        "download",
        PATH,
        "-o",
        str(tmp_path),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "tinker_path": PATH,
        "path": str(tmp_path / TARGET),
        "bytes": len(ARCHIVE),
        "resumed_from": [behaviour.cut_at],
        "verified": ["md5", "sha256"],
    }
    assert_extracted(tmp_path / TARGET)


def test_a_part_of_an_object_that_changed_since_is_started_over(server, tmp_path):
    base_url, behaviour = server
    behaviour.resets = 3
    with pytest.raises(CheckpointDownloadError):
        fetch(base_url, tmp_path, max_retries=1)
    behaviour.resets, behaviour.etag = 0, '"v2-archive"'  # If-Range "v1-archive" no longer matches
    target, outcome = fetch(base_url, tmp_path)
    assert_extracted(target)
    assert downloads(behaviour)[-1][1] == 200 and outcome.restarts == 1
