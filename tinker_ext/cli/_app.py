"""The `tinker-ext` click group: global options, client construction and error handling.

Every failure ends as one line `Error: ...` on stderr and exit code 1 (usage errors: click's exit 2);
Ctrl-C exits 130. The API key is never printed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, Literal, NoReturn

import attrs
import click

from tinker_ext._core.exceptions import InvalidInputError

from ._errors import error_message
from ._spinner import wait_with_spinner

__all__ = ["CliContext", "Dependencies", "TinkerGroup", "cli_context", "fail"]

DEFAULT_BASE_URL = "https://tinker.thinkingmachines.dev/services/tinker-prod"
OutputFormat = Literal["table", "json"]
NO_KEY_HINT = (
    "pass --api-key, set TINKER_API_KEY, or store one with 'tinker-ext auth login' "
    "('auth login --no-verify' for a server that cannot validate keys)"
)


def _default_rest_client(base_url: str, api_key: str | None) -> Any:
    from tinker_ext._rest.client import RestClient

    return RestClient(base_url=base_url, api_key=api_key)


def _default_service_client(base_url: str, api_key: str | None) -> Any:
    from tinker_ext._service.client import ServiceClient

    return ServiceClient(base_url=base_url, api_key=api_key)


@attrs.frozen
class Dependencies:
    """How the CLI builds its clients; tests inject fakes through `cli.main(obj=Dependencies(...))`."""

    rest_client: Callable[[str, str | None], Any] = _default_rest_client
    service_client: Callable[[str, str | None], Any] = _default_service_client


@attrs.define
class CliContext:
    output_format: OutputFormat
    base_url: str
    api_key: str | None = attrs.field(repr=False)
    dependencies: Dependencies
    _rest: Any = attrs.field(default=None, repr=False)
    _opened: list[Any] = attrs.field(factory=list, repr=False)

    @property
    def json(self) -> bool:
        return self.output_format == "json"

    def rest(self) -> Any:
        if self._rest is None:
            self._require_key()
            self._rest = self._open(self.dependencies.rest_client(self.base_url, self.api_key))
        return self._rest

    def service(self) -> Any:
        self._require_key()
        return self._open(self.dependencies.service_client(self.base_url, self.api_key))

    def _require_key(self) -> None:
        """The SDK's own message names its keyword (`api_key`); a CLI user gets the CLI's ways."""
        if self.api_key is None:
            from tinker_ext._session.credentials_file import stored_api_key

            if stored_api_key() is None:
                fail(f"No API key: {NO_KEY_HINT}")

    def _open(self, client: Any) -> Any:
        self._opened.append(client)
        return client

    def close_clients(self) -> None:
        """Close every client a command opened (runs when the command ends, whatever the outcome), so
        no connection is left for the garbage collector to complain about."""
        while self._opened:
            close = getattr(self._opened.pop(), "close", None)
            if callable(close):
                close()


def cli_context() -> CliContext:
    context = click.get_current_context().find_object(CliContext)
    if context is None:  # pragma: no cover - commands always run under the group
        raise RuntimeError("tinker-ext command run outside the CLI group")
    return context


def fail(message: str) -> NoReturn:
    """Stop the command with `Error: message` (raised as InvalidInputError, printed by the group)."""
    raise InvalidInputError(message)


def resolved(value: Any) -> Any:
    """The result of an APIFuture-like return value (clients return futures with `.result()`)."""
    result = getattr(value, "result", None)
    if not callable(result):
        return value
    # a pending future of ours, on a terminal: a spinner says what it waits for
    if callable(getattr(value, "wait_state", None)) and not value.done() and sys.stderr.isatty():
        return wait_with_spinner(value)
    return result()


class TinkerGroup(click.Group):
    """A group that turns every exception of a subcommand into `Error: ...` + exit 1, Ctrl-C into 130."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(130) from None
        except Exception as exc:
            state = ctx.find_object(CliContext)
            message = error_message(
                exc,
                base_url=state.base_url if state else None,
                secret=(state.api_key if state else None) or os.environ.get("TINKER_API_KEY"),
            )
            click.echo(f"Error: {message}", err=True)
            raise click.exceptions.Exit(1) from None
