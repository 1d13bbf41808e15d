"""Issue 10 #17: ``make run`` listens on this machine only, unless the host asks for more."""

import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def dry_run(*args: str) -> str:
    return subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_binds_to_localhost_by_default_and_the_switch_is_documented():
    line = next(x for x in dry_run().splitlines() if "streamlit run" in x)
    assert "--server.address 127.0.0.1" in line
    line = next(x for x in dry_run("ADDRESS=0.0.0.0").splitlines() if "streamlit run" in x)
    assert "--server.address 0.0.0.0" in line
    assert "ADDRESS=0.0.0.0" in (ROOT / "docs" / "hosting.md").read_text(encoding="utf-8")
