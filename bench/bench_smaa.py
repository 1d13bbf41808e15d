"""Benchmark of SMAA-2 [S5d]: vectorised engine versus a straightforward per-sample loop.

Case: K = 10 000 samples (and K_c = 10 000 confidence samples), 200 objects x 15 criteria,
uniform weights, rater perturbation with 10 raters. 12 criteria are integer ratings 1-5 on a
fixed scale (10 % missing), 3 are raw quantities normalised by min-max (2 benefit, 1 cost).

* ``typical``: objects differ in underlying quality, so only some of them can ever be first.
* ``worst``: pure-noise ratings, so (nearly) every object is sometimes first and the confidence
  factor must be computed for all 200 central weight vectors.

The loop baseline does the same computation one sample at a time (draw, normalise, score, rank
with ties, accumulate; then the confidence samples). It is timed on fewer samples and scaled
linearly to K; the output says so.
"""

from __future__ import annotations

import numpy as np

from bench.timing import best_seconds, peak_mib
from prioritization.engine.normalize import CriterionSpec, normalize
from prioritization.engine.ranking import sorted_groups
from prioritization.engine.smaa import ScoreModel, smaa
from prioritization.engine.weight_sampling import WeightModel

N, M, RATERS, K = 200, 15, 10, 10_000
LOOP_SAMPLES = 500
CRITERIA = [CriterionSpec(scale=(1, 5))] * 12 + [
    CriterionSpec("benefit", "minmax"),
    CriterionSpec("benefit", "minmax"),
    CriterionSpec("cost", "minmax"),
]


def make_case(kind: str, seed: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    """(x, ratings): ratings (RATERS, N, M) with NaN gaps, x their per-cell mean."""
    rng = np.random.default_rng(seed)
    if kind == "typical":
        quality = rng.normal(3.0, 0.6, size=(N, 1)) + rng.normal(0, 0.4, size=(N, M))
        noise = 0.7
    else:
        quality = np.full((N, M), 3.0)
        noise = 1.5
    r = np.clip(np.rint(quality[None] + rng.normal(0, noise, size=(RATERS, N, M))), 1, 5)
    # raw quantities for the min-max criteria, e.g. estimated effects and costs
    spread = 0.2 if kind == "typical" else 0.6
    r[:, :, 12:] = np.exp(quality[None, :, 12:] / 2 + rng.normal(0, spread, (RATERS, N, 3)))
    r[rng.random(r.shape) < 0.1] = np.nan
    first = r[0]
    first[np.isnan(first)] = np.nanmean(r, axis=0)[np.isnan(first)]  # every cell keeps a rating
    return np.nanmean(r, axis=0), r


def loop_smaa(x: np.ndarray, ratings: np.ndarray, k: int, kc: int, seed: int) -> dict:
    """Straightforward SMAA: one sample per Python iteration (same outputs as ``smaa``)."""
    rng = np.random.default_rng(seed)
    n, m = x.shape
    avail = [[ratings[:, i, j][~np.isnan(ratings[:, i, j])] for j in range(m)] for i in range(n)]
    pool = np.full((n, m, ratings.shape[0]), np.nan)
    count = np.zeros((n, m), dtype=int)
    for i in range(n):
        for j in range(m):
            count[i, j] = avail[i][j].size
            pool[i, j, : count[i, j]] = avail[i][j]
    rows, cols = np.indices((n, m))

    def draw() -> np.ndarray:
        pick = (rng.random((n, m)) * count).astype(int)
        return normalize(pool[rows, cols, pick], CRITERIA)

    rank = np.zeros((n, n))
    first = np.zeros(n)
    w_sum = np.zeros((n, m))
    wins = np.zeros((n, n))
    weights = rng.dirichlet(np.ones(m), size=k)
    for s in range(k):
        scores = draw() @ weights[s]
        order, group = sorted_groups(scores)
        size = np.bincount(group)
        start = np.searchsorted(group, np.arange(size.size))
        for g in np.flatnonzero(size > 1):  # tie groups share their ranks
            members = order[start[g] : start[g] + size[g]]
            rank[np.ix_(members, np.arange(start[g], start[g] + size[g]))] += 1 / size[g]
        single = size[group] == 1
        rank[order[single], np.flatnonzero(single)] += 1
        top = order[group == 0]
        first[top] += 1 / top.size
        w_sum[top] += weights[s] / top.size
        gid = np.empty(n, dtype=int)
        gid[order] = group
        wins += (gid[:, None] < gid[None, :]) + 0.5 * (gid[:, None] == gid[None, :])
    alts = np.flatnonzero(first > 0)
    central = w_sum[alts] / first[alts, None]
    conf = np.zeros(n)
    for _ in range(kc):
        v = draw()
        for f, i in enumerate(alts):
            order, group = sorted_groups(v @ central[f])
            top = order[group == 0]
            if i in top:
                conf[i] += 1 / top.size
    return {"rank": rank / k, "pairwise": wins / k, "confidence": conf / kc, "first_count": alts.size}




def run() -> list[dict]:
    rows = []
    for kind in ("typical", "worst"):
        x, ratings = make_case(kind)
        args = (x, CRITERIA, WeightModel("uniform"), ScoreModel("raters", ratings=ratings))
        res = smaa(*args, samples=K, seed=1)
        seconds = best_seconds(lambda: smaa(*args, samples=K, seed=1), repeat=3)
        peak = peak_mib(lambda: smaa(*args, samples=K, seed=1))
        n_first = int(np.count_nonzero(res.rank_acceptability[:, 0]))
        base = {"N": N, "M": M, "raters": RATERS, "samples": K, "confidence_samples": K}
        base["alternatives_ever_first"] = n_first
        rows.append({"name": f"smaa_vectorised_{kind}", "seconds": seconds, "peak_mib": peak, **base})

        loop_seconds = best_seconds(lambda: loop_smaa(x, ratings, LOOP_SAMPLES, LOOP_SAMPLES, seed=1), repeat=1)
        loop_peak = peak_mib(lambda: loop_smaa(x, ratings, 50, 50, seed=1))
        scaled = loop_seconds * K / LOOP_SAMPLES
        rows.append(
            {
                "name": f"smaa_per_sample_loop_{kind}",
                "seconds": scaled,
                "peak_mib": loop_peak,
                **base,
                "timed_samples": LOOP_SAMPLES,
                "timed_seconds": loop_seconds,
                "note": f"timed on {LOOP_SAMPLES} + {LOOP_SAMPLES} samples, scaled linearly to {K} + {K}",
                "speedup": scaled / seconds,
            }
        )
    return rows


if __name__ == "__main__":
    for row in run():
        print(", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))
