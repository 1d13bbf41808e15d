"""The seal key file is created by whichever process freezes a version first: app processes on one
database (or test workers) that ask for it at the same moment all get the same whole key, never a
file another process has created but not yet written."""

import os
import subprocess
import sys

from prioritization.storage import seal
from tests.conftest import ROOT

ASK = "from prioritization.storage import seal; print(seal.key(create=True).decode())"


def test_a_process_asking_while_another_writes_the_key_gets_the_same_whole_key(tmp_path, monkeypatch):
    path = tmp_path / "k" / "seal.key"
    monkeypatch.setenv(seal.KEY_FILE_ENV, str(path))
    other = []
    real_fdopen = os.fdopen

    def fdopen_while_another_process_asks(fd, *args, **kwargs):
        # this process has made its file and not yet written the key: another process asks now
        if not other:
            other.append(subprocess.run([sys.executable, "-c", ASK], cwd=ROOT, env=dict(os.environ),
                                        capture_output=True, text=True, timeout=120))
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen_while_another_process_asks)
    mine = seal.key(create=True)
    assert other and other[0].returncode == 0, other[0].stderr
    assert other[0].stdout.strip().encode() == mine == seal.key(create=False)
    assert len(mine) == 64
    assert os.listdir(path.parent) == ["seal.key"]  # no half-made file left behind
    assert os.stat(path).st_mode & 0o777 == 0o600
