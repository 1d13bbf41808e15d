"""The linter runs in `make test` (issue 12) with the rules in pyproject.toml ([tool.ruff.lint]):
the package, the tests, the benchmarks, the tools and the example-data generator are clean."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    if exe.exists():
        return [str(exe)]
    if found := shutil.which("ruff"):
        return [found]
    pytest.skip("ruff is not installed (make test installs it with the test extras)")


def test_the_code_passes_the_linter():
    res = subprocess.run([*ruff(), "check", "--output-format", "concise", "prioritization", "tests", "bench",
                          "tools", "app.py", "data"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
