"""Summarise the capacity ramps of ``make load`` (loadtest/ramp.py) as a Markdown table.

Usage: python loadtest/capacity_summary.py OUT.md "description" NAME=RAMP.json ...
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> int:
    out_path, description, *runs = sys.argv[1:]
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "# Capacity (ramp until p95 > 300 ms or an error)",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- run: {description}",
        "- closed loop, no think time; users step up ×1.5; the sustained rate is the highest "
        "request rate of a step with p95 ≤ the limit and no failed request (the last such "
        "step beside it)",
        f"- load average (1 / 5 / 15 min) when written: {load}",
        "",
        "| mix | sustained req/s | at users | p50 / p95 ms | last passing step: users, req/s "
        "| stopped at | because |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for run in runs:
        name, path = run.split("=", 1)
        result = json.loads(Path(path).read_text(encoding="utf-8"))
        good, bad = result["sustained"], result["stopped_by"]
        if bad is None:
            why, stop = "the ramp's last step passed", "–"
        else:
            if bad["failures"]:
                why = f"{bad['failures']} failed requests"
            elif not bad["requests"]:
                why = "no request answered during the step"
            else:
                why = f"p95 {bad['p95_ms']:.0f} ms > {result['p95_limit_ms']:.0f} ms"
            stop = f"{bad['users']} users"
        last = result.get("last_passed") or good
        if good is None:
            # No step within the limit: what the first step carried, marked as over it.
            first = result["steps"][0] if result["steps"] else None
            carried = (
                f"none within the limit ({first['rate']:.1f} at {first['users']})" if first else "–"
            )
            figures = f"{first['p50_ms']:.0f} / {first['p95_ms']:.0f}" if first else "–"
            lines.append(f"| {name} | {carried} | – | {figures} | – | {stop} | {why} |")
        else:
            lines.append(
                f"| {name} | {good['rate']:.1f} | {good['users']} "
                f"| {good['p50_ms']:.0f} / {good['p95_ms']:.0f} "
                f"| {last['users']}, {last['rate']:.1f} | {stop} | {why} |"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    Path(out_path).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
