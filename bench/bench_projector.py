"""The projector page (``ui/workshop/workshop.py``) while a workshop scores (issue 15): 24
participants whose scores keep arriving between reruns (target: a rerun at most 0.3 s).

A round of 30 objects x 12 criteria (a realistic workshop) and one of 200 x 15, in scoring with
half of every participant's cells scored; before each timed rerun one to three new scores are
saved through ``storage.scores.save_score`` as the participants would (so every rerun sees a new
revision: new ratings, tables and charts), the projector showing the live heatmap
(``workshop_show_hidden``). "arriving" is the median of 15 such reruns after two warm-up runs;
"unchanged" the median of 10 reruns with no new score. Peak memory comes from one traced rerun
after a new score. Pages run in Streamlit's AppTest: the script run a browser rerun triggers,
without the network.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from bench.synthetic import scoring_round

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "prioritization" / "ui" / "pages" / "workshop.py"
N_PART = 24
SIZES = ((30, 12), (200, 15))


def _project(n_obj: int, n_crit: int):
    """A round with half of every participant's cells scored (1-5), in a seeded order."""
    return scoring_round(n_obj, n_crit, N_PART, seed=15, name="Projektorbänk",
                         scored=lambda k, cells: cells[k % 2::2])


def _arriving(n_obj: int, n_crit: int):
    """(participant key, object, criterion) of the cells still to score, in turn per participant."""
    todo = {k: [(f"O{i}", f"C{j}") for i in range(n_obj) for j in range(n_crit) if (i * n_crit + j) % 2 != k % 2]
            for k in range(N_PART)}
    step = 0
    while True:
        k = step % N_PART
        o, c = todo[k][(step // N_PART) % len(todo[k])]
        yield f"p{k}", o, c
        step += 1


def run() -> list[dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from prioritization.storage import rounds, scores
    from prioritization.storage.access import FACILITATOR, PARTICIPANT, Actor
    from prioritization.storage.database import Database

    rows = []
    for n_obj, n_crit in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            os.environ["PRIORITIZATION_DB_URL"] = url
            db = Database.open(url)
            fac = Actor(FACILITATOR, "bench")
            rid = rounds.import_project(db, fac, _project(n_obj, n_crit))
            rounds.set_status(db, fac, rid, "scoring")
            rng = np.random.default_rng(24)
            cells = _arriving(n_obj, n_crit)

            def new_scores(n: int) -> None:
                for _ in range(n):
                    key, o, c = next(cells)
                    part = Actor(PARTICIPANT, f"Kommun {key[1:]}", round_id=rid, participant_key=key)
                    scores.save_score(db, part, rid, o, c, float(rng.integers(1, 6)))

            st.cache_resource.clear()
            st.cache_data.clear()
            at = AppTest.from_file(str(SCRIPT), default_timeout=300)
            for k, v in {"actor": fac, "lang": "sv", "round_id": rid, "workshop_show_hidden": True}.items():
                at.session_state[k] = v
            t0 = time.perf_counter()
            at.run()
            cold = time.perf_counter() - t0
            assert not at.exception, at.exception
            for _ in range(2):
                new_scores(1)
                at.run()
            arriving = []
            for r in range(15):
                new_scores(1 + r % 3)
                t0 = time.perf_counter()
                at.run()
                arriving.append(time.perf_counter() - t0)
            assert not at.exception, at.exception
            unchanged = []
            for _ in range(10):
                t0 = time.perf_counter()
                at.run()
                unchanged.append(time.perf_counter() - t0)
            new_scores(1)
            tracemalloc.start()
            at.run()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            rows.append({"name": f"projector, scores arriving (median of 15), {n_obj}x{n_crit}",
                         "seconds": statistics.median(arriving), "peak_mib": peak,
                         "max_s": round(max(arriving), 3), "unchanged_s": round(statistics.median(unchanged), 3),
                         "cold_s": round(cold, 3), "target_s": 0.3, "size": f"{n_obj}x{n_crit}x{N_PART}"})
            db.dispose()
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
