"""Time to build each export for a large round: 200 objects x 15 criteria x 10 participants, with a
sensitivity analysis (2 000 SMAA samples) on the Excel sensitivity sheet and in the PDF."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

N_OBJ, N_CRIT, N_PART = 200, 15, 10


def _project():
    from prioritization import projectfile

    rng = np.random.default_rng(3)
    doc = {
        "format": "prioritization-project", "version": 1, "name": "Benchmark (Exempeldata)", "data_label": "Exempeldata",
        "criteria": [{"id": f"C{j}", "name": f"Kriterium {j}", "direction": "benefit", "scale": [1, 5]}
                     for j in range(N_CRIT)],
        "weights": {"method": "direct", "points": {f"C{j}": float(rng.integers(1, 20)) for j in range(N_CRIT)}},
        "objects": [{"id": f"O{i}", "name": f"Objekt {i}", "cost": float(rng.integers(50, 15000)),
                     "municipalities": ["Huddinge"]} for i in range(N_OBJ)],
        "participants": [{"id": f"p{k}", "name": f"Kommun {k}"} for k in range(N_PART)],
        "scores": [{"object": f"O{i}", "criterion": f"C{j}", "participant": f"p{k}", "value": int(rng.integers(1, 6))}
                   for k in range(N_PART) for i in range(N_OBJ) for j in range(N_CRIT)],
    }
    return projectfile.parse(doc)


def _measure(name, fn) -> dict:
    t0 = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"name": name, "seconds": seconds, "peak_mib": peak, "bytes": len(out), "size": f"{N_OBJ}x{N_CRIT}x{N_PART}"}


def run() -> list[dict]:
    from prioritization import analysis
    from prioritization.exports import VersionStamp
    from prioritization.exports.csv_export import priority_list_csv
    from prioritization.exports.excel import priority_list_xlsx

    project = _project()
    ranking = analysis.rank(project)
    sens = analysis.sensitivity(project, samples=2000, seed=1)
    version = VersionStamp.live(project)
    rows = [
        _measure("priority list CSV", lambda: priority_list_csv(project, ranking, version=version)),
        _measure("priority list Excel (with sensitivity sheet)",
                 lambda: priority_list_xlsx(project, ranking, version=version, sensitivity=sens)),
    ]
    try:
        from prioritization.exports.pdf import decision_document_pdf
    except ImportError:
        return rows
    rows.append(_measure("decision document PDF (with charts)",
                         lambda: decision_document_pdf(project, ranking, version=version, sensitivity=sens)))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
