"""`tinker.auth` path: is there a credential, and can the server be reached with it."""

from __future__ import annotations

import os

__all__ = ["get_tinker_token", "raise_if_tinker_not_accessible", "tinker_has_credentials"]


def get_tinker_token() -> str | None:
    """The API key tinker-ext would use: `TINKER_API_KEY`, else the default stored key (`auth login`)."""
    from tinker_ext._session.credentials_file import stored_api_key

    return os.environ.get("TINKER_API_KEY") or stored_api_key()


def tinker_has_credentials() -> bool:
    return get_tinker_token() is not None


def raise_if_tinker_not_accessible() -> None:
    """One `get_server_capabilities` call with the configured credential; its error (authentication,
    connection, ...) propagates as the typed exception."""
    from tinker_ext._rest.client import RestClient

    RestClient().get_server_capabilities().result()
