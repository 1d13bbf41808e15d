"""A/B timing of SMAA-2 [S5d]: the working tree's engine against another version of ``smaa.py``.

Both run in this process, interleaved, on the same inputs; best of ``--repeats`` for CPU time
(``time.process_time``, steadier than wall time on a shared machine) and wall time, and whether
the results are bit-identical for the same seed.

Cases (200 objects x 15 criteria x 10 raters, K = K_c = 10 000, uniform weights):
``typical`` and ``worst`` from ``bench_smaa``, and ``standard`` (the CLI benchmark round: ratings
1-5 drawn uniformly, every cell rated by every rater, all criteria on the fixed scale 1-5; also
with 199 objects, where the rater draws cannot pair neighbouring cells). ``s5d6`` gives, per
output, the largest difference as a multiple of the [S5d.6] tolerance and how many numbers exceed
it.

Run, e.g. against the last commit::

    git show HEAD:prioritization/engine/smaa.py > /tmp/smaa_head.py
    .venv/bin/python -m bench.ab_smaa /tmp/smaa_head.py --repeats 5
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time

import numpy as np

from bench import bench_smaa
from prioritization.engine import smaa as current
from prioritization.engine.normalize import CriterionSpec
from prioritization.engine.weight_sampling import WeightModel


def load(path: str):
    spec = importlib.util.spec_from_file_location("smaa_other", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["smaa_other"] = module
    spec.loader.exec_module(module)
    return module


def cases() -> dict[str, tuple[np.ndarray, np.ndarray, list]]:
    rng = np.random.default_rng(3)
    standard = rng.integers(1, 6, size=(10, 200, 15)).astype(float)
    out = {"standard": (standard.mean(axis=0), standard, [CriterionSpec(scale=(1, 5))] * 15)}
    for kind in ("typical", "worst"):
        x, r = bench_smaa.make_case(kind)
        out[kind] = (x, r, bench_smaa.CRITERIA)
    odd = rng.integers(1, 6, size=(10, 199, 15)).astype(float)  # odd N: one byte per cell, no pairs
    out["standard, N = 199"] = (odd.mean(axis=0), odd, [CriterionSpec(scale=(1, 5))] * 15)
    return out


def s5d6_ratios(ref, got, k: int) -> dict[str, float | int]:
    """Largest |got - ref| / tolerance of [S5d.6] (two runs of K samples each, z = 4.5) per output,
    and how many of the numbers exceed it (with 40 000 pairwise numbers a few do by chance: compare
    with two seeds of one version)."""
    out: dict[str, float | int] = {}
    for field in ("rank_acceptability", "pairwise_winning", "confidence"):
        a, b = getattr(ref, field), getattr(got, field)
        p = (a * k + 2) / (k + 4)
        ratio = np.abs(b - a) / (4.5 * np.sqrt(p * (1 - p) * 2 / k))
        out[f"{field}_max_ratio"] = round(float(ratio.max()), 2)
        out[f"{field}_over"] = int(np.count_nonzero(ratio > 1))
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("other", help="path of the other smaa.py")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--samples", type=int, default=10_000)
    args = ap.parse_args(argv)
    other = load(args.other)
    for name, (x, ratings, crit) in cases().items():
        best = {"other": [np.inf, np.inf], "current": [np.inf, np.inf]}
        res = {}
        for _ in range(args.repeats):
            for label, mod in (("other", other), ("current", current)):
                cpu, wall = time.process_time(), time.perf_counter()
                res[label] = mod.smaa(x, crit, WeightModel("uniform"), mod.ScoreModel("raters", ratings=ratings),
                                      samples=args.samples, seed=1)
                best[label][0] = min(best[label][0], time.process_time() - cpu)
                best[label][1] = min(best[label][1], time.perf_counter() - wall)
        same = all(np.array_equal(getattr(res["other"], f), getattr(res["current"], f), equal_nan=True)
                   for f in ("rank_acceptability", "central_weights", "confidence", "pairwise_winning"))
        print(json.dumps({"case": name, "ever_first": int(np.count_nonzero(res["current"].rank_acceptability[:, 0])),
                          "other_cpu_s": round(best["other"][0], 3), "current_cpu_s": round(best["current"][0], 3),
                          "other_wall_s": round(best["other"][1], 3), "current_wall_s": round(best["current"][1], 3),
                          "bit_identical": same,
                          "max_abs_diff_confidence": float(np.max(np.abs(res["other"].confidence
                                                                         - res["current"].confidence))),
                          "s5d6": s5d6_ratios(res["other"], res["current"], args.samples)}),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
