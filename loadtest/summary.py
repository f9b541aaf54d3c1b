"""Summarise a locust run from its CSV files: requests per second, p50/p95, errors.

Usage: python loadtest/summary.py STATS.csv FAILURES.csv OUT.md "description"
Prints a Markdown table, writes it to OUT.md, exits 1 when any request failed.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path


def main() -> int:
    stats_path, failures_path, out_path, description = sys.argv[1:5]
    rows = list(csv.DictReader(open(stats_path, encoding="utf-8")))  # noqa: SIM115
    failures = (
        list(csv.DictReader(open(failures_path, encoding="utf-8")))  # noqa: SIM115
        if Path(failures_path).exists()
        else []
    )
    lines = [
        "# Load test results",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- run: {description}",
        "",
        "| request | count | errors | req/s | p50 ms | p95 ms | max ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    total = None
    for row in rows:
        name = row["Name"] if row["Type"] else "**all requests**"
        line = (
            f"| {name} | {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
            f"| {float(row['Max Response Time']):.0f} |"
        )
        if row["Name"] == "Aggregated":
            total = row
            line = line.replace("| Aggregated |", "| **all requests** |")
        lines.append(line)
    errors = int(total["Failure Count"]) if total else sum(int(r["Failure Count"]) for r in rows)
    lines += ["", f"Errors: {errors}."]
    for failure in failures:
        where = f"{failure['Method']} {failure['Name']}"
        lines.append(f"- {where}: {failure['Error']} ({failure['Occurrences']}×)")
    if total:
        lines.insert(
            4,
            f"- total: {float(total['Requests/s']):.1f} requests/s, p95 {total['95%']} ms, "
            f"{errors} errors of {total['Request Count']} requests",
        )
    text = "\n".join(lines) + "\n"
    Path(out_path).write_text(text, encoding="utf-8")
    print(text)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
