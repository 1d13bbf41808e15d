"""Workshop app: rerun time of the scoring and projector pages for 30 objects x 12 criteria x 10
participants (targets: under 300 ms warm), and the time to save one score (target under 50 ms).

Pages are run with Streamlit's AppTest (the same script run a browser rerun triggers, without the
network); "warm" is the median of 10 reruns after two warm-up runs, timed without tracemalloc (which
slows Python several-fold); peak memory comes from one extra traced rerun.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.apptest_timing import time_page
from bench.synthetic import scoring_round

ROOT = Path(__file__).resolve().parents[1]
N_OBJ, N_CRIT, N_PART = 30, 12, 10


def _project():
    return scoring_round(N_OBJ, N_CRIT, N_PART, seed=7)


def run() -> list[dict]:
    from prioritization.storage import rounds, scores
    from prioritization.storage.access import FACILITATOR, PARTICIPANT, Actor
    from prioritization.storage.database import Database

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        os.environ["PRIORITIZATION_DB_URL"] = url
        db = Database.open(url)
        fac = Actor(FACILITATOR, "bench")
        rid = rounds.import_project(db, fac, _project())
        rounds.set_status(db, fac, rid, "scoring")
        part = Actor(PARTICIPANT, "Kommun 0", round_id=rid, participant_key="p0")

        times = []
        for n in range(200):
            t0 = time.perf_counter()
            scores.save_score(db, part, rid, f"O{n % N_OBJ}", f"C{n % N_CRIT}", float(1 + n % 5))
            times.append(time.perf_counter() - t0)
        tracemalloc.start()
        scores.save_score(db, part, rid, "O0", "C0", 3.0)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append({"name": "save one score (SQLite, median of 200)", "seconds": statistics.median(times),
                     "peak_mib": peak, "p95_s": round(sorted(times)[189], 4), "target_s": 0.05})

        views = ROOT / "prioritization" / "ui" / "pages"
        for name, script, actor, state in (
            ("scoring page, one object", views / "scoring.py", part, {}),
            ("scoring page, whole grid", views / "scoring.py", part, {"score_mode": "grid"}),
            ("projector page", views / "workshop.py", fac, {"round_id": rid, "workshop_show_hidden": True}),
        ):
            cold, warm, peak = time_page(str(script), {"actor": actor, "lang": "sv", **state}, timeout=120)
            rows.append({"name": f"{name}: warm rerun (median of 10)", "seconds": warm, "peak_mib": peak,
                         "cold_s": round(cold, 3), "target_s": 0.3,
                         "size": f"{N_OBJ}x{N_CRIT}x{N_PART}"})
        db.dispose()
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
