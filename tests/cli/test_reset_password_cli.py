"""``prioritization reset-password``: the way back in when the facilitator password is lost or
sign-in is paused after guessing (issue 10 #6), on the app's database (SQLite and PostgreSQL)."""

import io
import sys

import pytest

from prioritization.cli import main as cli
from prioritization.storage import auth, sessions
from prioritization.storage.errors import StorageInputError


def run(monkeypatch, capsys, db_url: str, stdin: str, *extra: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(["reset-password", "--db", db_url, "--password-stdin", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_reset_sets_the_password_ends_sign_ins_and_lifts_a_pause(db, monkeypatch, capsys):
    auth.set_facilitator_password(db, "det gamla lösenordet")
    for k in range(auth.ALL_FAILURES):
        auth.check_facilitator_password(db, "fel", client=f"c{k}")
    with pytest.raises(StorageInputError, match="paused"):
        auth.check_facilitator_password(db, "det gamla lösenordet", client="me")
    token, _ = sessions.sign_in_facilitator(db, "Facilitator")
    code, out, err = run(monkeypatch, capsys, db.engine.url.render_as_string(hide_password=False),
                         "ett nytt långt lösenord\n")
    assert (code, err) == (0, "")
    assert "1 facilitator sign-in ended" in out
    assert sessions.resume(db, token) is None
    assert auth.check_facilitator_password(db, "ett nytt långt lösenord", client="me")


def test_a_short_password_is_refused_in_english_and_nothing_changes(db, monkeypatch, capsys):
    auth.set_facilitator_password(db, "det gamla lösenordet")
    code, out, err = run(monkeypatch, capsys, db.engine.url.render_as_string(hide_password=False), "kort\n")
    assert code == 2 and out == ""
    assert "at least 10 characters" in err
    assert auth.check_facilitator_password(db, "det gamla lösenordet", client="me")
