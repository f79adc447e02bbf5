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

__all__ = ["Progress", "emit_json", "emit_table", "format_bytes", "format_time", "progress_bar", "waiting"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    return str(value)


def emit_json(document: dict[str, Any]) -> None:
    click.echo(json.dumps(document, indent=2, sort_keys=True, default=_jsonable))


def _console() -> Console:
    # sys.stdout looked up at call time keeps CliRunner's captured stdout working. A terminal is told
    # apart by rich's own rules (TTY_COMPATIBLE / FORCE_COLOR override isatty; COLUMNS sets the width).
    return Console(file=sys.stdout, soft_wrap=True, highlight=False, emoji=False)


def _is_path(cell: str) -> bool:
    return cell.startswith("tinker://")


def _plain(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns padded and separated by two spaces, one line per row, nothing cut or folded: for pipes
    (grep, awk, less) and for terminals too narrow for a tinker:// path inside a table."""
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    lines = [] if title is None else [title]
    for row in [list(columns), *rows]:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    click.echo("\n".join(lines))


def emit_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table that fits the terminal, never breaking a tinker:// path (it must stay copyable); the
    plain layout when stdout is not a terminal or the paths do not fit."""
    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    console = _console()
    path_widths = [
        max((len(row[i]) for row in cells if _is_path(row[i])), default=0) for i in range(len(columns))
    ]
    # Borders and padding: 3 per column + 1; the other columns need a few characters each.
    needed = sum(path_widths) + 3 * len(columns) + 1 + 6 * sum(1 for w in path_widths if not w)
    if not console.is_terminal or needed > console.width:
        _plain(title, columns, cells)
        return
    table = Table(title=title, show_lines=False)
    for index, column in enumerate(columns):
        table.add_column(
            column,
            style="cyan" if index == 0 else None,
            overflow="fold",
            no_wrap=bool(path_widths[index]),
            min_width=path_widths[index] or None,
        )
    for row in cells:
        table.add_row(*row)
    console.print(table)


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
    """A rich progress bar on stderr (None when disabled, e.g. in JSON mode, or when stderr is not a
    terminal: a log gets no bar remnants)."""
    console = Console(file=sys.stderr)
    if not enabled or not console.is_terminal:
        yield None
        return
    columns: list[Any] = [TextColumn("{task.description}"), BarColumn()]
    columns += [DownloadColumn(), TransferSpeedColumn()] if transfer else [MofNCompleteColumn()]
    with Progress(*columns, console=console, transient=True) as progress:
        yield progress


@contextmanager
def waiting(enabled: bool, what: str) -> Iterator[None]:
    """A spinner on stderr while a call runs (only when stderr is a terminal)."""
    console = Console(file=sys.stderr)
    if not enabled or not console.is_terminal:
        yield
        return
    with console.status(what):
        yield
