"""Scaling of the sensitivity analyses with the number of objects N and criteria M (issue 15).

For N in 25..1 000 and M in 5..30, three analyses, each in a fresh subprocess:

* ``oat``: :func:`all_breakpoints` for every criterion [S5a] (exact, no sampling).
* ``smaa_weights``: SMAA-2 with uniform weights and fixed scores [S5d], ``SAMPLES`` samples.
* ``smaa_raters``: SMAA-2 with uniform weights and the rater model (10 raters, ratings 1-5, 10 %
  missing; the last fifth of the criteria are min-max quantities), ``SAMPLES`` samples and as many
  confidence samples.

Time: best of ``REPEATS`` wall-clock runs inside the subprocess (the machine is shared). Peak
memory: one further run under ``tracemalloc`` (Python objects and NumPy buffers), and the growth
of the process's ``ru_maxrss`` over the run (kernel view, includes allocator slack).

The growth order is a least-squares fit of log(seconds) and log(peak) to a + b log N + c log M over
the cells whose time is above ``FIT_MIN_SECONDS`` (smaller ones measure the fixed overhead).
Writes ``bench/results/scaling.md``.

Run: ``.venv/bin/python -m bench.bench_scaling`` (about 5-10 minutes), or one cell:
``.venv/bin/python -m bench.bench_scaling --cell oat 1000 30``.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
NS = (25, 50, 100, 200, 500, 1000)
MS = (5, 10, 15, 30)
ANALYSES = ("oat", "smaa_weights", "smaa_raters")
SAMPLES, RATERS, REPEATS, SEED = 2000, 10, 3, 7
FIT_MIN_SECONDS = 0.02


def _criteria(m: int) -> list:
    from prioritization.engine.normalize import CriterionSpec

    quantities = m // 5
    return [CriterionSpec(scale=(1, 5))] * (m - quantities) + [CriterionSpec("benefit", "minmax")] * quantities


def _ratings(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """(x, ratings): ratings (RATERS, N, M) with NaN gaps and every cell rated, x the cell means."""
    rng = np.random.default_rng(SEED)
    quality = rng.normal(3.0, 0.6, size=(n, 1)) + rng.normal(0, 0.4, size=(n, m))
    r = np.clip(np.rint(quality[None] + rng.normal(0, 0.7, size=(RATERS, n, m))), 1, 5)
    q = m // 5
    if q:
        r[:, :, m - q:] = np.exp(quality[None, :, m - q:] / 2 + rng.normal(0, 0.2, (RATERS, n, q)))
    r[rng.random(r.shape) < 0.1] = np.nan
    first = r[0]
    first[np.isnan(first)] = np.nanmean(r, axis=0)[np.isnan(first)]
    return np.nanmean(r, axis=0), r


def _job(analysis: str, n: int, m: int):
    from prioritization.engine.normalize import normalize
    from prioritization.engine.sensitivity import all_breakpoints
    from prioritization.engine.smaa import ScoreModel, smaa
    from prioritization.engine.weight_sampling import WeightModel

    x, ratings = _ratings(n, m)
    crit = _criteria(m)
    if analysis == "oat":
        v = normalize(x, crit)
        w = np.random.default_rng(SEED).random(m) + 0.05

        def oat() -> int:
            return sum(len(r.breakpoints) for r in all_breakpoints(v, w))

        return oat
    model = ScoreModel("raters", ratings=ratings) if analysis == "smaa_raters" else ScoreModel("none")
    kc = SAMPLES if analysis == "smaa_raters" else 1

    def run_smaa() -> int:
        res = smaa(x, crit, WeightModel("uniform"), model, samples=SAMPLES, seed=SEED, confidence_samples=kc)
        return int(np.count_nonzero(res.rank_acceptability[:, 0]))

    return run_smaa


def measure_cell(analysis: str, n: int, m: int, repeats: int = REPEATS) -> dict:
    """Run in the subprocess: time (best of ``repeats``) and peak memory of one analysis."""
    fn = _job(analysis, n, m)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best, count = float("inf"), 0
    for _ in range(repeats):
        start = time.perf_counter()
        count = fn()
        best = min(best, time.perf_counter() - start)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"analysis": analysis, "N": n, "M": m, "seconds": best, "traced_peak_mib": peak / 2**20,
            "rss_growth_mib": (rss1 - rss0) / 1024, "count": count}


def _cell_subprocess(analysis: str, n: int, m: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.bench_scaling", "--cell", analysis, str(n), str(m)],
                         check=True, capture_output=True, text=True, cwd=HERE.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def fit_exponents(cells: list[dict], key: str) -> tuple[float, float] | None:
    """(b, c) of log y = a + b log N + c log M over the cells above the overhead threshold."""
    use = [c for c in cells if c["seconds"] >= FIT_MIN_SECONDS and c[key] > 0]
    if len(use) < 4:
        return None
    a = np.array([[1.0, np.log(c["N"]), np.log(c["M"])] for c in use])
    y = np.log([c[key] for c in use])
    coef, *_ = np.linalg.lstsq(a, y, rcond=None)
    return float(coef[1]), float(coef[2])


def write_markdown(cells: list[dict], path: Path) -> None:
    lines = ["# Scaling of the sensitivity analyses (issue 15)", "",
             f"Generated by `.venv/bin/python -m bench.bench_scaling` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
             f" (Python {platform.python_version()}, {platform.machine()}, shared machine: time is the best of "
             f"{REPEATS} runs in a fresh process per cell).", "",
             "* `oat`: `all_breakpoints` for every criterion [S5a] (count = breakpoints).",
             f"* `smaa_weights`: SMAA-2, uniform weights, fixed scores, K = {SAMPLES} (count = objects ever first).",
             f"* `smaa_raters`: SMAA-2, uniform weights, {RATERS} raters, K = K_c = {SAMPLES} (count = objects ever first).",
             "* peak: `tracemalloc` peak of one further run (NumPy buffers included); rss: growth of `ru_maxrss`.", ""]
    for analysis in ANALYSES:
        sub = [c for c in cells if c["analysis"] == analysis]
        lines += [f"## {analysis}", "", "| N \\ M | " + " | ".join(str(m) for m in MS) + " |",
                  "|---|" + "---|" * len(MS)]
        for n in NS:
            row = []
            for m in MS:
                c = next((c for c in sub if c["N"] == n and c["M"] == m), None)
                row.append("–" if c is None else
                           f"{c['seconds']:.3g} s, {c['traced_peak_mib']:.3g} MiB (rss +{c['rss_growth_mib']:.0f}), "
                           f"{c['count']}")
            lines.append(f"| {n} | " + " | ".join(row) + " |")
        t_fit, p_fit = fit_exponents(sub, "seconds"), fit_exponents(sub, "traced_peak_mib")
        lines.append("")
        if t_fit:
            lines.append(f"Growth (least-squares fit): time ~ N^{t_fit[0]:.2f} · M^{t_fit[1]:.2f}"
                         + (f", peak memory ~ N^{p_fit[0]:.2f} · M^{p_fit[1]:.2f}" if p_fit else "") + ".")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def run() -> list[dict]:
    cells = []
    for analysis in ANALYSES:
        for n in NS:
            for m in MS:
                cell = _cell_subprocess(analysis, n, m)
                print(json.dumps(cell), flush=True)
                cells.append(cell)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    write_markdown(cells, out / "scaling.md")
    return [{"name": f"{c['analysis']} N={c['N']} M={c['M']}", "seconds": c["seconds"],
             "peak_mib": c["traced_peak_mib"], "rss_growth_mib": round(c["rss_growth_mib"], 1), "count": c["count"]}
            for c in cells]


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--cell":
        print(json.dumps(measure_cell(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    else:
        run()
