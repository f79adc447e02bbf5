"""`tinker-ext auth login|logout|status|whoami` and `tinker-ext billing usage|checkpoint-storage` (tinker
0.38's groups). `auth login` stores a key in the official SDK's credentials file (`_wire/credentials.py`), which
both SDKs read when `TINKER_API_KEY` is not set."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ._app import DEFAULT_BASE_URL, NO_KEY_HINT, cli_context, fail, resolved
from ._output import emit_json, emit_table, format_bytes

__all__ = ["auth", "billing"]

CONSOLE_KEYS_URL = "https://tinker.thinkingmachines.ai/keys"


@click.group()
def auth() -> None:
    """Credentials and identity."""


_LOGIN_TIMEOUT = 30.0


def _key_info(base_url: str, key: str) -> dict[str, Any]:
    """`GET /api/v1/auth/apikey/me` with the key: its id, name, note and owner details."""
    import httpx
    from tinker_ext_raw.endpoints import GET_API_KEY_INFO
    from tinker_ext_raw.public import ApiKeyInfoResponse

    from tinker_ext._wire.http import API_KEY_HEADER

    # Before the key is stored there is no client to send with: one plain GET, the answer parsed once.
    with httpx.Client(timeout=_LOGIN_TIMEOUT) as client:
        response = client.get(f"{base_url}{GET_API_KEY_INFO.path}", headers={API_KEY_HEADER: key})
    if response.status_code == 404 and _route_missing(response):
        fail(
            f"The server at {base_url} does not implement GET {GET_API_KEY_INFO.path} (HTTP 404: no such route), "
            "so the key cannot be validated; nothing was stored. "
            "Run 'tinker-ext auth login --no-verify' to store it without validation"
        )
    if response.status_code != 200:
        fail(f"The server refused the API key (HTTP {response.status_code}); nothing was stored")
    try:
        info = ApiKeyInfoResponse.from_wire(response.json())
    except ValueError:  # not JSON, or not the answer's shape (ResponseFormatError)
        fail("Could not validate the API key (unexpected answer)")
    return {"key_id": str(info.key_id), "name": info.name, "note": info.note, "details": info.details}


def _route_missing(response: Any) -> bool:
    """FastAPI's 404 for a path no route matches (a missing key would get its own detail)."""
    try:
        return bool(response.json() == {"detail": "Not Found"})
    except ValueError:
        return False


def _is_hosted(base_url: str) -> bool:
    return base_url.rstrip("/") == DEFAULT_BASE_URL


@auth.command("login")
@click.option(
    "--no-verify",
    is_flag=True,
    help="Store the key without asking the server to validate it (servers without GET /api/v1/auth/apikey/me).",
)
def auth_login(no_verify: bool) -> None:
    """Store an API key as the default credential (validated with the server first)."""
    from tinker_ext._session.credentials_file import store_default_key, stored_api_key

    ctx = cli_context()
    if stored_api_key() is not None:
        fail("Already logged in: run 'tinker-ext auth logout' before logging in again")
    if _is_hosted(ctx.base_url):
        click.echo(f"Create an API key: {CONSOLE_KEYS_URL}", err=True)
    key = click.prompt("API key", hide_input=True, err=True).strip()
    if not key:
        fail("The API key must not be empty")
    if no_verify:
        store_default_key("unverified", {"type": "manual", "key": key, "name": "unverified"})
        click.echo(f"Stored the API key, not validated, as the default credential (for {ctx.base_url}).")
        return
    info = _key_info(ctx.base_url, key)
    record = {
        "type": "manual",
        "key": key,
        "name": info["name"],
        "note": info["note"],
        "details": info["details"],
    }
    store_default_key(info["key_id"], record)
    click.echo(f"Stored API key '{info['name']}' as the default credential.")


@auth.command("logout")
def auth_logout() -> None:
    """Remove the default stored key (a key generated for this machine is also deleted on the server)."""
    import httpx
    from tinker_ext_raw.endpoints import DELETE_API_KEY

    from tinker_ext._session.credentials_file import delete_default_key, load_credentials
    from tinker_ext._wire.http import API_KEY_HEADER

    ctx = cli_context()
    data = load_credentials()
    record = data["keys"].get(data.get("default"))
    if not isinstance(record, dict):
        fail("Not logged in")
    if record.get("type") == "generated":
        with httpx.Client(timeout=_LOGIN_TIMEOUT) as client:
            answer = client.delete(
                f"{ctx.base_url}{DELETE_API_KEY.path}", headers={API_KEY_HEADER: str(record["key"])}
            )
        if answer.status_code >= 400 and answer.status_code != 404:
            fail(f"Could not delete the generated key on the server (HTTP {answer.status_code})")
    removed = delete_default_key()
    click.echo(f"Removed the stored API key {removed[0] if removed else ''}".rstrip() + ".")


@auth.command("status")
def auth_status() -> None:
    """Whether a credential is configured and the server accepts it (one get_server_capabilities call;
    exit 1 when not)."""
    from tinker_ext._session.credentials_file import stored_api_key

    ctx = cli_context()
    has_key = bool(ctx.api_key or stored_api_key())
    accessible, error = False, None
    if has_key:
        try:
            resolved(ctx.rest().get_server_capabilities())
            accessible = True
        except Exception as exc:  # the answer is the report: any failure means "not accessible"
            error = type(exc).__name__
    if ctx.json:
        emit_json({"credentials_available": has_key, "tinker_accessible": accessible, "error": error})
    else:
        click.echo(f"Credentials available: {'yes' if has_key else 'no'}")
        click.echo(f"Tinker accessible: {'yes' if accessible else 'no'}" + (f" ({error})" if error else ""))
        if not has_key:
            click.echo(f"No API key: {NO_KEY_HINT}", err=True)
    if not accessible:
        raise click.exceptions.Exit(1)


@auth.command("whoami")
def auth_whoami() -> None:
    """The user and organization of the credential."""
    ctx = cli_context()
    me = resolved(ctx.rest().whoami())
    if ctx.json:
        emit_json({"user_urn": me.user_urn, "org_urn": me.org_urn, "email": me.email})
    else:
        emit_table(
            None,
            ["Field", "Value"],
            [["Email", me.email or "-"], ["User", me.user_urn], ["Organization", me.org_urn]],
        )


@click.group()
def billing() -> None:
    """Usage and storage billing (organisation admin endpoints)."""


def _write_csv(target: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """CSV with blank cells for missing values; `-` is stdout."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    if target == "-":
        sys.stdout.write(buffer.getvalue())
    else:
        Path(target).write_text(buffer.getvalue(), encoding="utf-8")


_USAGE_COLUMNS = [
    "bucket_start",
    "bucket_end",
    "type",
    "base_model",
    "session_id",
    "user_name",
    "estimated_cost_usd",
]


@billing.command("usage")
@click.argument("starting_on")
@click.argument("ending_before")
@click.option("--csv", "csv_path", default=None, help="Also write the events as CSV (- = stdout).")
@click.option("--sessions-csv", default=None, help="Write the sessions' user metadata as CSV (- = stdout).")
def usage(starting_on: str, ending_before: str, csv_path: str | None, sessions_csv: str | None) -> None:
    """Usage events in [STARTING_ON, ENDING_BEFORE) (whole UTC hours, at most 14 days)."""
    ctx = cli_context()
    response = resolved(ctx.rest().get_billing_usage(starting_on, ending_before))
    rows = [
        [
            e.bucket_start.isoformat(),
            e.bucket_end.isoformat(),
            e.event_info.type,
            e.base_model,
            e.session_id,
            e.user_name,
            e.estimated_cost_usd,
        ]
        for e in response.data
    ]
    if csv_path:
        _write_csv(csv_path, _USAGE_COLUMNS, rows)
    if sessions_csv:
        # as 0.38: the session's user_metadata JSON-encoded (a blank cell when absent)
        session_rows = [
            [sid, None if info.user_metadata is None else json_text(info.user_metadata)]
            for sid, info in sorted(response.sessions.items())
        ]
        _write_csv(sessions_csv, ["session_id", "user_metadata"], session_rows)
    if csv_path == "-" or sessions_csv == "-":
        return
    if ctx.json:
        emit_json(response.to_json())
    else:
        shown = [["null" if c is None else c for c in row] for row in rows]
        emit_table(f"{len(rows)} usage event(s)", _USAGE_COLUMNS, shown)


def json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@billing.command("checkpoint-storage")
@click.option("--project-id", default=None, help="Only this project.")
@click.option("--csv", "csv_path", default=None, help="Also write the rows as CSV (- = stdout).")
def checkpoint_storage(project_id: str | None, csv_path: str | None) -> None:
    """Current checkpoint storage per project / user."""
    ctx = cli_context()
    response = resolved(ctx.rest().get_current_checkpoint_storage_usage(project_id))
    header = ["project_id", "user_email", "checkpoint_count", "size_bytes"]
    rows = [[i.project_id, i.user_email, i.checkpoint_count, i.size_bytes] for i in response.data]
    if csv_path:
        _write_csv(csv_path, header, rows)
        if csv_path == "-":
            return
    if ctx.json:
        emit_json(response.to_json())
    else:
        shown = [[r[0] or "-", r[1] or "-", r[2], format_bytes(r[3])] for r in rows]
        emit_table(f"{len(rows)} row(s)", ["Project", "User", "Checkpoints", "Size"], shown)
