import copy
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "data" / "sodertorn-exempel.json"


@pytest.fixture
def small_round() -> dict:
    """A fresh, mutable copy of tests/fixtures/small-round.json."""
    return copy.deepcopy(json.loads((FIXTURES / "small-round.json").read_text(encoding="utf-8")))
