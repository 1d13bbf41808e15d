"""The example project and its weighted-sum ranking, shared by the export tests (computed once)."""

import pytest

from prioritization import analysis, projectfile
from tests.conftest import EXAMPLE


@pytest.fixture(scope="session")
def project():
    return projectfile.load(EXAMPLE)


@pytest.fixture(scope="session")
def ranking(project):
    return analysis.rank(project)
