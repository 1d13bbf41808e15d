import copy
import json
import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "data" / "sodertorn-exempel.json"


def plain_example_bytes() -> bytes:
    """The example project without its committee stage (issue 13): a round without local input
    points, municipal input or decision, as every round was before; compact JSON, so not in the
    canonical form. For tests of what such a round gives; the committee stage has its own tests."""
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw.pop("committee", None)
    return json.dumps(raw, ensure_ascii=False).encode("utf-8")

# Frozen versions are sealed with a key kept outside the database (storage.seal): the tests' key
# lives in a temporary directory, shared with the app servers the browser tests start, never in var/.
os.environ.setdefault("PRIORITIZATION_SEAL_KEY_FILE", str(Path(tempfile.mkdtemp(prefix="seal-")) / "seal.key"))


@pytest.fixture
def small_round() -> dict:
    """A fresh, mutable copy of tests/fixtures/small-round.json."""
    return copy.deepcopy(json.loads((FIXTURES / "small-round.json").read_text(encoding="utf-8")))
