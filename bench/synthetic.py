"""A synthetic scoring round for the workshop benchmarks (bench_workshop, bench_projector): criteria
on a 1-5 scale with scoring guidance, objects with a cost, participants, and seeded scores."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np


def scoring_round(n_obj: int, n_crit: int, n_part: int, *, seed: int, name: str = "Benchmark",
                  scored: Callable[[int, list[tuple[int, int]]], Iterable[tuple[int, int]]] | None = None):
    """The round as a validated project. ``scored(k, cells)`` picks participant k's scored cells
    (object, criterion) from all cells in row order; by default every cell. Values 1-5 are drawn in
    participant order, then cell order."""
    from prioritization import projectfile

    rng = np.random.default_rng(seed)
    cells = [(i, j) for i in range(n_obj) for j in range(n_crit)]
    pick = scored or (lambda k, all_cells: all_cells)
    doc = {
        "format": "prioritization-project", "version": 1, "name": name,
        "criteria": [{"id": f"C{j}", "name": f"Kriterium {j}", "direction": "benefit", "scale": [1, 5],
                      "guidance": {"1": "Låg", "3": "Mellan", "5": "Hög"}} for j in range(n_crit)],
        "weights": {"method": "direct", "points": {f"C{j}": 1 for j in range(n_crit)}},
        "objects": [{"id": f"O{i}", "name": f"Objekt {i}", "cost": float(100 + i)} for i in range(n_obj)],
        "participants": [{"id": f"p{k}", "name": f"Kommun {k}"} for k in range(n_part)],
        "scores": [{"object": f"O{i}", "criterion": f"C{j}", "participant": f"p{k}", "value": int(rng.integers(1, 6))}
                   for k in range(n_part) for i, j in pick(k, cells)],
    }
    return projectfile.parse(doc)
