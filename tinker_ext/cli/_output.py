"""Rendering: rich tables on stdout for people, stable JSON on stdout for programs.

JSON documents are `json.dumps(obj, indent=2, sort_keys=True)` of plain dicts whose keys are listed in
the docstring of each command (`tinker_ext.cli`); records are the official wire shapes (`to_json()`).
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TransferSpeedColumn,
)
from rich.table import Table

__all__ = ["Progress", "emit_json", "emit_table", "format_bytes", "format_time", "progress_bar"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    return str(value)


def emit_json(document: dict[str, Any]) -> None:
    click.echo(json.dumps(document, indent=2, sort_keys=True, default=_jsonable))


def _console() -> Console:
    # sys.stdout looked up at call time keeps CliRunner's captured stdout working; when piped, a wide
    # console keeps tinker:// paths on one line instead of folding them at 80 columns.
    stream = sys.stdout
    width = None if stream.isatty() else 240
    return Console(file=stream, width=width, soft_wrap=True, highlight=False, emoji=False)


def emit_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title, show_lines=False)
    for index, column in enumerate(columns):
        table.add_column(column, style="cyan" if index == 0 else None, overflow="fold")
    for row in rows:
        table.add_row(*["" if cell is None else str(cell) for cell in row])
    _console().print(table)


def format_bytes(size: int | None) -> str:
    if size is None:
        return "-"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def format_time(value: _dt.datetime | None, never: str = "-") -> str:
    if value is None:
        return never
    return value.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


@contextmanager
def progress_bar(enabled: bool, *, transfer: bool = False) -> Iterator[Progress | None]:
    """A rich progress bar on stderr (None when disabled, e.g. in JSON mode)."""
    if not enabled:
        yield None
        return
    columns: list[Any] = [TextColumn("{task.description}"), BarColumn()]
    columns += [DownloadColumn(), TransferSpeedColumn()] if transfer else [MofNCompleteColumn()]
    console = Console(file=sys.stderr)
    with Progress(*columns, console=console, transient=True) as progress:
        yield progress
