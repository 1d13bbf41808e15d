"""``prioritization sensitivity`` end to end versus a bare NumPy floor (issue 15 targets).

Workload: the standard round, 200 objects x 15 criteria x 10 participants (ratings 1-5), 10 000
SMAA samples, seed 1, JSON output to /dev/null. Every command runs in a fresh process and is timed
by wall clock, best of ``REPEATS`` (the machine is shared, so the best run is the least disturbed),
after one untimed run that fills Python's bytecode cache (:func:`_installed_env`).

* ``floor``: a bare NumPy process that only samples the 10 000 weight vectors, multiplies and ranks
  (argsort and rank counts) -- no project file, no ties, no outputs.
* ``cli_weights_only``: ``--score-model none`` (target <= 3x the floor).
* ``cli_raters``: the default rater model (target <= 5x the floor).

One further run of each CLI variant in this process splits its CPU time into phases: each phase is
the CPU time of the thread it ran in (``time.thread_time``), since SMAA-2 samples in a thread of its
own while stability, breakpoints and critical run, and the pairwise index is counted in another
(not in "smaa total"); the total is the CPU time of the whole process (all threads).

Run: ``.venv/bin/python -m bench.bench_cli_sensitivity`` (or ``make bench`` / ``python -m bench cli``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N_OBJ, N_CRIT, N_PART, SAMPLES, SEED, REPEATS = 200, 15, 10, 10_000, 1, 5

FLOOR = """
import sys
import numpy as np
v = np.load(sys.argv[1])
n, m = v.shape
rng = np.random.default_rng(1)
w = rng.dirichlet(np.ones(m), size={samples})
order = np.argsort(-(w @ v.T), axis=1)
counts = np.zeros((n, n), dtype=np.int64)
np.add.at(counts, (order, np.arange(n)), 1)
""".replace("{samples}", str(SAMPLES))

# functions timed per phase: (module, attribute); nested phases are contained in their parents
PHASES = {
    "read project file": ("prioritization.projectfile", "load"),
    "text rules [read]": ("prioritization.text_rules", "accepted"),
    "decision data": ("prioritization.analysis", "decision_data"),
    "stability [S5b]": ("prioritization.engine.sensitivity", "all_stability"),
    "breakpoints [S5a]": ("prioritization.engine.sensitivity", "all_breakpoints"),
    "critical [S5c]": ("prioritization.engine.critical", "critical"),
    "smaa total": ("prioritization.engine.smaa", "smaa"),
    "smaa confidence": ("prioritization.engine.smaa", "_confidence"),
    "json build": ("prioritization.cli.analysis", "sensitivity_json"),
    "json print": ("prioritization.cli.analysis", "print_json"),
}


def project_doc(seed: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "format": "prioritization-project", "version": 1, "name": "Benchmark",
        "criteria": [{"id": f"C{j}", "name": f"Kriterium {j}", "direction": "benefit", "scale": [1, 5]}
                     for j in range(N_CRIT)],
        "weights": {"method": "direct", "points": {f"C{j}": float(rng.integers(1, 20)) for j in range(N_CRIT)}},
        "objects": [{"id": f"O{i}", "name": f"Objekt {i}", "cost": float(rng.integers(50, 15000))}
                    for i in range(N_OBJ)],
        "participants": [{"id": f"p{k}", "name": f"Kommun {k}"} for k in range(N_PART)],
        "scores": [{"object": f"O{i}", "criterion": f"C{j}", "participant": f"p{k}", "value": int(rng.integers(1, 6))}
                   for k in range(N_PART) for i in range(N_OBJ) for j in range(N_CRIT)],
    }


def _best_wall(cmd: list[str], repeats: int, env: dict[str, str] | None = None) -> float:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)  # untimed: writes the bytecode cache
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        best = min(best, time.perf_counter() - start)
    return best


def _installed_env(tmp: str) -> dict[str, str]:
    """The environment of an installed program: Python's bytecode cache on (in ``tmp``), as pip
    writes it for an installed package and Python for a source tree on first use. Some machines set
    PYTHONDONTWRITEBYTECODE (this one does), and every start would then compile the package from
    source: about 60 ms that no user pays twice."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pycache")
    return env


def _cli(path: str, score_model: str) -> list[str]:
    return [sys.executable, "-m", "prioritization.cli.main", "sensitivity", path, "--samples", str(SAMPLES),
            "--seed", str(SEED), "--format", "json", "--score-model", score_model]


def profile(path: str, score_model: str) -> dict[str, float]:
    """CPU seconds per phase of one in-process run (wrappers, no profiler overhead; each phase in its
    own thread) and the total of the process."""
    import importlib

    from prioritization.cli.main import main

    spent = dict.fromkeys(PHASES, 0.0)
    saved = []
    for label, (module_name, attr) in PHASES.items():
        module = importlib.import_module(module_name)
        fn = getattr(module, attr)

        def timed(*args, _fn=fn, _label=label, **kwargs):
            start = time.thread_time()
            try:
                return _fn(*args, **kwargs)
            finally:
                spent[_label] += time.thread_time() - start

        saved.append((module, attr, fn))
        setattr(module, attr, timed)
    start = time.process_time()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            main(_cli(path, score_model)[3:])
    finally:
        for module, attr, fn in saved:
            setattr(module, attr, fn)
    spent["total (command, CPU, all threads)"] = time.process_time() - start
    return spent


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "round.json")
        Path(path).write_text(json.dumps(project_doc()), encoding="utf-8")
        from prioritization import analysis, projectfile

        values = os.path.join(tmp, "values.npy")
        np.save(values, analysis.decision_data(projectfile.load(path)).values)
        floor_py = os.path.join(tmp, "floor.py")
        Path(floor_py).write_text(FLOOR, encoding="utf-8")
        env = _installed_env(tmp)
        floor = _best_wall([sys.executable, floor_py, values], REPEATS, env)
        startup = _best_wall([sys.executable, "-c", "import numpy"], REPEATS, env)
        rows = [{"name": "floor: numpy sample+multiply+rank (process)", "seconds": floor, "peak_mib": 0.0,
                 "python_numpy_startup": round(startup, 4), "repeats": REPEATS}]
        for label, model, target in (("weights_only", "none", 3.0), ("raters", "raters", 5.0)):
            wall = _best_wall(_cli(path, model), REPEATS, env)
            phases = profile(path, model)
            rows.append({"name": f"cli sensitivity {label} (process)", "seconds": wall, "peak_mib": 0.0,
                         "ratio_to_floor": round(wall / floor, 2), "target_ratio": target, "repeats": REPEATS,
                         "profile": {k: round(v, 3) for k, v in phases.items()}})
    return rows


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
