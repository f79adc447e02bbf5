"""One table of every row in `.bench/results.json` (written by the other bench scripts of this run):
`python benchmarks/summary.py [--results PATH]`, the last step of `nox -s bench`.

Columns: official SDK / tinker_ext / ratio (official / ours, > 1: tinker_ext faster or smaller) / floor (the
cost no SDK can avoid, where the section measured one). Sections that list `rows` (proto_codec,
big_batch) are printed as they are; for any other section every `{"official": x, "ours": y}` entry found in
it is a row, named by its path. Seconds are shown in ms below 1 s.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parents[1] / ".bench" / "results.json"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _found(path: str, value: Any) -> Iterator[dict[str, Any]]:
    """Entries with numeric `official` and `ours` anywhere under `value`."""
    if isinstance(value, dict):
        official, ours = _number(value.get("official")), _number(value.get("ours"))
        if official is not None and ours is not None:
            ratio = _number(value.get("ratio", value.get("ratio_official_over_ours")))
            label = str(value.get("row") or value.get("name") or path)
            if value.get("scenario"):  # throughput: "1,000 concurrent ... : client CPU per sample"
                label = f"{str(value['scenario']).split(' sample')[0]}: {label}"
            unit = value.get("unit") or ("s" if any(w in label.lower() for w in _TIMED) else "")
            yield {
                "row": label,
                "official": official,
                "ours": ours,
                "ratio": ratio if ratio is not None else (official / ours if ours else math.nan),
                "floor": _number(value.get("floor")),
                "unit": unit,
            }
            return
        for key, item in value.items():
            yield from _found(f"{path}: {key}" if path else str(key), item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _found(f"{path}[{index}]", item)


# rows without a unit whose name says they are times (throughput, startup): seconds
_TIMED = ("wall", "cpu", "latency", "first_client", "import", "process")
# top-level sections named by what they compare (`rows` is run.py's: tinker 0.24.1, JSON wire)
_SECTION_NAMES = {"rows": "json 0.24.1"}


def _cell(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "—"
    if unit == "B":
        return f"{value / 1e6:.1f} MB"
    if unit == "s":
        return f"{value * 1e3:.2f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.3f}"


def table(results: dict[str, Any]) -> list[str]:
    lines = [
        f"{'section':12} {'row':58} {'official':>11} {'tinker_ext':>11} {'ratio':>8} {'floor':>11}",
    ]
    for section, value in results.items():
        for row in _found("", value.get("rows", value) if isinstance(value, dict) else value):
            ratio = row["ratio"]
            lines.append(
                f"{_SECTION_NAMES.get(section, section)[:12]:12} {str(row['row'])[:58]:58} {_cell(row['official'], row['unit']):>11} "
                f"{_cell(row['ours'], row['unit']):>11} {ratio:7.2f}x {_cell(row['floor'], row['unit']):>11}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    try:
        results = json.loads(args.results.read_text())
    except (OSError, ValueError) as exc:
        raise SystemExit(f"no results to summarise in {args.results}: {exc}") from None
    print(f"\n== every bench row of this run ({args.results}); ratio = official / tinker_ext ==")
    print("\n".join(table(results if isinstance(results, dict) else {"results": results})))


if __name__ == "__main__":
    main()
