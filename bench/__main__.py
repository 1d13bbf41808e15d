"""Run every ``bench/bench_*.py`` module's ``run()`` and print one table (``make bench``).

Results are also written to ``bench/results/latest.json`` (git-ignored) with the machine facts.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    rows = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        for row in module.run():
            rows.append({"module": name, **row})
            extra = {k: v for k, v in row.items() if k not in ("name", "seconds", "peak_mib")}
            print(f"  {row['name']:<58} {row['seconds']:9.4f} s  {row['peak_mib']:8.1f} MiB  "
                  + "  ".join(f"{k}={v}" for k, v in extra.items()), flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    facts = {"python": sys.version.split()[0], "machine": platform.machine(), "cpus": os.cpu_count()}
    (out / "latest.json").write_text(json.dumps({"machine": facts, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
