"""Results pages: rerun time of the dashboard, sensitivity and portfolio pages for 200 objects x 15
criteria x 10 participants (targets for the dashboard, issue 15: at most 0.4 s cold, 0.1 s warm;
the other pages: 0.3 s warm).

"Cold" is the first run after clearing every Streamlit cache (the round is read from SQLite, ranked
and drawn; the sensitivity page also runs SMAA-2 with 10 000 samples), in a process that has run
the page once before, so that it has imported what the page needs (issue 15: "cold after
imports"); "warm" is the median of 10 reruns after two warm-up runs, timed without tracemalloc.
Peak memory comes from one traced rerun.
Pages run in Streamlit's AppTest: the script run a browser rerun triggers, without the network.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from bench.apptest_timing import time_page

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "ui" / "scripts" / "results_app.py"
N_OBJ, N_CRIT, N_PART, N_PROFILES = 200, 15, 10, 5


def project():
    """A synthetic round of the benchmark size: ratings 1-5, costs, coordinates, profiles, tiers."""
    from prioritization import projectfile

    rng = np.random.default_rng(11)
    crit = [f"C{j}" for j in range(N_CRIT)]
    doc = {
        "format": "prioritization-project", "version": 1, "name": "Benchmark",
        "criteria": [{"id": c, "name": f"Kriterium {j}", "direction": "benefit", "scale": [1, 5],
                      "group": f"Grupp {j % 4}"} for j, c in enumerate(crit)],
        "weights": {"method": "direct", "points": {c: int(rng.integers(1, 10)) for c in crit}},
        "weight_profiles": [{"id": f"P{k}", "name": f"Profil {k}",
                             "weights": {"method": "direct", "points": {c: int(rng.integers(1, 10)) for c in crit}}}
                            for k in range(N_PROFILES)],
        "objects": [{"id": f"O{i}", "name": f"Objekt {i}", "cost": float(rng.integers(50, 5000)),
                     "status": "committed" if i % 40 == 0 else "candidate",
                     "lat": 59.0 + float(rng.random()) * 0.4, "lon": 17.5 + float(rng.random()) * 0.8,
                     "municipalities": ["Huddinge"]} for i in range(N_OBJ)],
        "tiers": {"levels": [{"label": "A", "through_rank": 20}, {"label": "B", "through_rank": 80}, {"label": "C"}]},
        "participants": [{"id": f"p{k}", "name": f"Kommun {k}", "organisation": f"Kommun {k}"} for k in range(N_PART)],
        "scores": [{"object": f"O{i}", "criterion": c, "participant": f"p{k}", "value": int(rng.integers(1, 6))}
                   for k in range(N_PART) for i in range(N_OBJ) for c in crit],
    }
    return projectfile.parse(doc)


def _imports(state: dict) -> None:
    """Run the page once, so that what it imports is not part of its cold run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(SCRIPT), default_timeout=300)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()


def run() -> list[dict]:
    from prioritization.storage import rounds
    from prioritization.storage.access import FACILITATOR, Actor
    from prioritization.storage.database import Database

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        os.environ["PRIORITIZATION_DB_URL"] = url
        db = Database.open(url)
        fac = Actor(FACILITATOR, "bench")
        rid = rounds.import_project(db, fac, project())
        for page, target in (("overview", 0.1), ("sensitivity", 0.3), ("portfolio", 0.3)):
            state = {"actor": fac, "lang": "sv", "page": page, "round_id": rid}
            _imports(state)
            cold, warm, peak = time_page(str(SCRIPT), state)
            rows.append({"name": f"{page} page: warm rerun (median of 10)", "seconds": warm, "peak_mib": peak,
                         "cold_s": round(cold, 3), "target_s": target,
                         **({"cold_target_s": 0.4} if page == "overview" else {}),
                         "size": f"{N_OBJ}x{N_CRIT}x{N_PART}"})
        db.dispose()
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
