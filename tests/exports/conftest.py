"""The example project and its weighted-sum ranking, shared by the export tests (computed once)."""

import json

import pytest

from prioritization import analysis, projectfile
from tests.conftest import plain_example_bytes

TIED = 4  # objects sharing rank 1 in the tied variant of the example


@pytest.fixture(scope="session")
def project():
    """The example without its committee stage (tests/exports/test_committee_exports.py has it)."""
    return projectfile.loads(plain_example_bytes())


@pytest.fixture(scope="session")
def ranking(project):
    return analysis.rank(project)


@pytest.fixture(scope="session")
def tied_project(ranking):
    """The example with the scores of the best object copied to the next three (four objects share
    rank 1 under every weights) and tiers Hög/Medel/Låg, whose alphabetical order (Hög, Låg, Medel)
    is not the project's order."""
    raw = json.loads(plain_example_bytes())
    top = [r.object.id for r in ranking.ranked[:TIED]]
    raw["scores"] = [s for s in raw["scores"] if s["object"] not in top[1:]]
    raw["scores"] += [dict(s, object=oid) for oid in top[1:] for s in raw["scores"] if s["object"] == top[0]]
    raw["tiers"] = {"levels": [{"label": "Hög", "through_rank": 6}, {"label": "Medel", "through_rank": 9},
                               {"label": "Låg"}]}
    return projectfile.parse(raw)


@pytest.fixture(scope="session")
def tied_ranking(tied_project):
    return analysis.rank(tied_project)


@pytest.fixture(scope="session")
def tied_tiers(tied_project, tied_ranking):
    return tied_project.tiers.assign((r.object.id, r.rank) for r in tied_ranking.ranked)


def workbook_texts(book) -> list[str]:
    """Every text cell of an openpyxl workbook, after asserting that no cell is a formula."""
    texts = []
    for ws in book:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    texts.append(c.value)
    return texts
