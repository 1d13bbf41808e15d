import copy
import json
import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "data" / "sodertorn-exempel.json"

# Frozen versions are sealed with a key kept outside the database (storage.seal): the tests' key
# lives in a temporary directory, shared with the app servers the browser tests start, never in var/.
os.environ.setdefault("PRIORITIZATION_SEAL_KEY_FILE", str(Path(tempfile.mkdtemp(prefix="seal-")) / "seal.key"))


@pytest.fixture
def small_round() -> dict:
    """A fresh, mutable copy of tests/fixtures/small-round.json."""
    return copy.deepcopy(json.loads((FIXTURES / "small-round.json").read_text(encoding="utf-8")))
