"""The example project analysed once per test module: project, decision data, ranking and a
sensitivity report (a small, seeded SMAA run), for the pure logic and chart tests."""

from types import SimpleNamespace

from prioritization import analysis, projectfile
from tests.conftest import EXAMPLE


def analysed_example(*, samples: int, seed: int) -> SimpleNamespace:
    project = projectfile.load(EXAMPLE)
    data = analysis.decision_data(project)
    ranking = analysis.rank(project, data=data)
    report = analysis.sensitivity(project, samples=samples, seed=seed)
    return SimpleNamespace(project=project, data=data, ranking=ranking, report=report)
