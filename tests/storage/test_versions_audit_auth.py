"""Frozen versions, the audit log and embedded-mode authentication."""

import csv
import io

import pytest
from sqlalchemy import select, update

from prioritization import projectfile
from prioritization.storage import audit, auth, rounds, scores, versions
from prioritization.storage.access import PARTICIPANT, VIEWER
from prioritization.storage.errors import StorageInputError
from prioritization.storage.schema import Invitation, Version
from tests.storage.conftest import participant, viewer


def test_freeze_is_hash_stamped_and_immutable(db, fac, round_id):
    v1 = versions.freeze(db, fac, round_id, "Underlag till Samarbetskommittén")
    live = rounds.export_project(db, fac, round_id)
    assert v1.sha256 == projectfile.sha256(live)
    rounds.set_status(db, fac, round_id, "scoring")
    scores.save_score(db, participant(round_id, "p3"), round_id, "O3", "K1", 5)
    frozen = versions.load(db, fac, v1.id)
    assert projectfile.sha256(frozen) == v1.sha256  # the later change did not touch the version
    v2 = versions.freeze(db, fac, round_id, "Efter workshop 2")
    assert v2.sha256 != v1.sha256
    changes = versions.compare(frozen, versions.load(db, fac, v2.id))
    assert [(c.what, c.key, c.old, c.new) for c in changes] == [("score", "O3/K1/p3", 3.0, 5.0)]
    assert [v.name for v in versions.list_versions(db, fac, round_id)] == ["Underlag till Samarbetskommittén",
                                                                           "Efter workshop 2"]


def test_tampered_version_is_detected(db, fac, round_id):
    v = versions.freeze(db, fac, round_id, "v1")
    with db.session() as s:
        s.execute(update(Version).where(Version.id == v.id).values(
            project_json=s.scalar(select(Version.project_json).where(Version.id == v.id)).replace('"value": 5', '"value": 1', 1)))
    with pytest.raises(StorageInputError, match="is not what was frozen"):
        versions.load(db, fac, v.id)


def test_version_needs_name_and_compare_weights(db, fac, round_id):
    with pytest.raises(StorageInputError, match="needs a name"):
        versions.freeze(db, fac, round_id, "  ")
    a = rounds.export_project(db, fac, round_id)
    rounds.replace_setup(db, fac, round_id, {"weights": {"method": "direct", "points": {"K1": 1, "K2": 1, "K3": 1}}}, 1)
    b = rounds.export_project(db, fac, round_id)
    assert [c.what for c in versions.compare(a, b)] == ["weights"]


def test_viewer_loads_versions_after_setup(db, fac, round_id):
    v = versions.freeze(db, fac, round_id, "v1")
    with pytest.raises(Exception, match="not released"):
        versions.load(db, viewer(round_id), v.id)
    rounds.set_status(db, fac, round_id, "scoring")
    assert versions.load(db, viewer(round_id), v.id).name


def test_audit_records_old_and_new(db, fac, round_id):
    rounds.set_status(db, fac, round_id, "scoring")
    p = participant(round_id, "p1")
    scores.save_score(db, p, round_id, "O1", "K1", 3)
    scores.set_agreed_score(db, fac, round_id, "O1", "K1", 4, "=HYPERLINK(\"x\")")
    entries = audit.entries(db, fac, round_id)
    actions = [e.action for e in entries]
    assert actions[:3] == ["agreed.set", "score.set", "round.status"]
    score_entry = entries[1]
    assert score_entry.actor == "participant:Deltagare p1"
    assert '"value": 5.0' in score_entry.old_value and '"value": 3.0' in score_entry.new_value
    rows = list(csv.reader(io.StringIO(audit.export_csv(db, fac, round_id).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "id" and len(rows) == len(entries) + 1
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_failed_change_leaves_no_audit_entry(db, fac, round_id):
    n = len(audit.entries(db, fac, round_id))
    with pytest.raises(StorageInputError):
        scores.set_agreed_score(db, fac, round_id, "O1", "K1", 9)
    assert len(audit.entries(db, fac, round_id)) == n


def test_facilitator_password(db, fac):
    assert not auth.password_is_set(db)
    with pytest.raises(StorageInputError, match="at least 10"):
        auth.set_facilitator_password(db, "kort")
    auth.set_facilitator_password(db, "rätt häftklammer")
    assert auth.password_is_set(db)
    assert auth.check_facilitator_password(db, "rätt häftklammer", client="a")
    assert not auth.check_facilitator_password(db, "fel lösenord!!", client="a")
    with pytest.raises(StorageInputError, match="already set"):
        auth.set_facilitator_password(db, "någon annans lösenord")
    auth.set_facilitator_password(db, "ett nytt lösenord", actor=fac)
    assert auth.check_facilitator_password(db, "ett nytt lösenord", client="a")


def test_invitations_map_tokens_to_actors_and_can_be_revoked(db, fac, round_id):
    token = auth.invite(db, fac, round_id, PARTICIPANT, "p2", label="Haninge")
    vtoken = auth.invite(db, fac, round_id, VIEWER, label="Samarbetskommittén")
    a = auth.actor_for_token(db, token)
    assert (a.role, a.participant_key, a.round_id) == (PARTICIPANT, "p2", round_id)
    assert auth.actor_for_token(db, vtoken).role == VIEWER
    with db.reader() as s:
        stored = list(s.scalars(select(Invitation.token_hash)))
    assert token not in stored and vtoken not in stored  # only hashes are stored
    inv = [i for i in auth.list_invitations(db, fac, round_id) if i.participant_key == "p2"][0]
    auth.revoke(db, fac, inv.id)
    assert auth.actor_for_token(db, token) is None
    assert auth.actor_for_token(db, "nonsense") is None
    with pytest.raises(StorageInputError, match="unknown participant"):
        auth.invite(db, fac, round_id, PARTICIPANT, "p9")


def test_participant_reads_versions_only_when_locked(db, fac, round_id):
    from prioritization.storage.access import AccessDenied

    v = versions.freeze(db, fac, round_id, "v1")
    for st in ("scoring", "revealed"):
        rounds.set_status(db, fac, round_id, st)
        with pytest.raises(AccessDenied):
            versions.load(db, participant(round_id), v.id)
    rounds.set_status(db, fac, round_id, "locked")
    text = versions.stored_text(db, participant(round_id), v.id)
    import hashlib

    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == v.sha256


def test_audit_csv_times_are_stockholm_time_and_labelled(db, fac, round_id):
    """One time zone for people (issue 11 #7): the audit log's CSV says Europe/Stockholm and its
    times carry Stockholm's offset (+01:00 in winter, +02:00 in summer), whatever the server's zone."""
    from prioritization.storage import audit

    text = audit.export_csv(db, fac, round_id).decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert "tid (Europe/Stockholm)" in header
    assert first.split(";")[1][-6:] in ("+01:00", "+02:00")
