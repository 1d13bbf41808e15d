"""The command line starts without the heavy libraries it needs only for some commands (issue 15):
building the parser, ``--help`` and the analysis commands import neither storage (SQLAlchemy,
Alembic) nor pandas/Altair nor Babel; the commands that need them import them when they run."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("sqlalchemy", "alembic", "pandas", "altair", "babel")


def loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_building_the_parser_imports_no_heavy_library():
    assert loaded_after("from prioritization.cli.main import build_parser; build_parser()") == set()


def test_reading_a_project_file_for_an_analysis_imports_no_heavy_library():
    """Babel (number and date words) is imported on the first number formatted, not by the file format."""
    assert loaded_after("from prioritization import analysis, projectfile\n"
                        "from prioritization.cli import analysis as cli_analysis\n"
                        "projectfile.load('tests/fixtures/small-round.json')") == set()


def test_the_reset_password_command_still_finds_its_storage(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    out = subprocess.run([sys.executable, "-m", "prioritization", "reset-password", "--db", url, "--password-stdin"],
                         cwd=ROOT, input="ett-långt-lösenord-för-test\n", capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "The facilitator password is set" in out.stdout
