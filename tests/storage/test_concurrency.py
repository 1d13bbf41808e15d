"""12 participants save their scores at the same moment (threads and separate processes): every
score arrives in its own cell, none is crossed or lost. Runs on SQLite and, when reachable, PostgreSQL."""

import multiprocessing as mp
import threading

import numpy as np
import pytest

from prioritization import projectfile
from prioritization.storage import rounds, scores
from prioritization.storage.database import Database
from tests.storage.conftest import participant

N_PARTICIPANTS, N_OBJECTS, N_CRITERIA = 12, 8, 5


def expected_value(k: int, i: int, j: int) -> float:
    return float(1 + (k * 7 + i * 3 + j) % 5)


def workshop_project():
    doc = {
        "format": "prioritization-project", "version": 1, "name": "Samtidighetstest",
        "criteria": [{"id": f"K{j}", "name": f"Kriterium {j}", "direction": "benefit", "scale": [1, 5]}
                     for j in range(N_CRITERIA)],
        "weights": {"method": "direct", "points": {f"K{j}": 1 for j in range(N_CRITERIA)}},
        "objects": [{"id": f"O{i}", "name": f"Objekt {i}"} for i in range(N_OBJECTS)],
        "participants": [{"id": f"p{k}", "name": f"Kommun {k}"} for k in range(N_PARTICIPANTS)],
        "scores": [],
    }
    return projectfile.parse(doc, require_complete=False)


def write_all(url: str, round_id: int, k: int, barrier) -> None:
    """One participant's laptop: its own connection pool, all its cells, one save per cell."""
    db = Database.open(url, upgrade=False)
    actor = participant(round_id, f"p{k}")
    barrier.wait()
    for i in range(N_OBJECTS):
        for j in range(N_CRITERIA):
            scores.save_score(db, actor, round_id, f"O{i}", f"K{j}", expected_value(k, i, j), f"p{k} O{i} K{j}")
    db.dispose()


def _process_main(url, round_id, k, barrier, errors):
    try:
        write_all(url, round_id, k, barrier)
    except Exception as e:  # noqa: BLE001
        errors.put(f"p{k}: {type(e).__name__}: {e}")


def check_all_arrived(db, fac, round_id):
    cube = scores.ratings(db, fac, round_id)
    assert cube.answered.all(), "some scores were lost"
    for k, key in enumerate(cube.participants):
        for i in range(N_OBJECTS):
            for j in range(N_CRITERIA):
                assert cube.values[k, i, j] == expected_value(int(key[1:]), i, j)
    exported = rounds.export_project(db, fac, round_id)
    for s in exported.scores:  # comments travel with their own cell: nothing crossed
        assert s.comment == f"{s.participant} {s.object} {s.criterion}"
    assert len(exported.scores) == N_PARTICIPANTS * N_OBJECTS * N_CRITERIA
    assert np.all(scores.progress(db, fac, round_id)[f"p{k}"] == N_OBJECTS * N_CRITERIA for k in range(N_PARTICIPANTS))


def test_threads_save_simultaneously(db, fac):
    rid = rounds.import_project(db, fac, workshop_project())
    rounds.set_status(db, fac, rid, "scoring")
    url = db.engine.url.render_as_string(hide_password=False)
    barrier = threading.Barrier(N_PARTICIPANTS)
    errors = []

    def run(k):
        try:
            write_all(url, rid, k, barrier)
        except Exception as e:  # noqa: BLE001
            errors.append(f"p{k}: {e}")

    threads = [threading.Thread(target=run, args=(k,)) for k in range(N_PARTICIPANTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    check_all_arrived(db, fac, rid)


@pytest.mark.slow
def test_processes_save_simultaneously(db, fac):
    rid = rounds.import_project(db, fac, workshop_project())
    rounds.set_status(db, fac, rid, "scoring")
    url = db.engine.url.render_as_string(hide_password=False)
    db.dispose()  # no inherited connections in the children
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(N_PARTICIPANTS)
    errors = ctx.Queue()
    procs = [ctx.Process(target=_process_main, args=(url, rid, k, barrier, errors)) for k in range(N_PARTICIPANTS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * N_PARTICIPANTS
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    check_all_arrived(db, fac, rid)
