"""Invitations for every participant in one transaction (issue 11 #10): new links for all, the
earlier participant links revoked (their sessions end with them), viewer links kept; all of it or
nothing; only the facilitator."""

import dataclasses

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from prioritization import projectfile
from prioritization.storage import audit, auth, rounds, sessions
from prioritization.storage.access import PARTICIPANT, VIEWER, AccessDenied
from prioritization.storage.errors import StorageInputError
from prioritization.storage.schema import AuditEntry, Invitation
from tests.conftest import FIXTURES
from tests.storage.conftest import participant, viewer


def state(db):
    """Every invitation row as (id, role, revoked?), and the number of audit entries."""
    with db.reader() as s:
        rows = [(i.id, i.role, i.revoked_at is not None) for i in s.scalars(select(Invitation).order_by(Invitation.id))]
        return rows, s.scalar(select(func.count()).select_from(AuditEntry))


def test_new_links_for_everyone_and_the_old_participant_links_revoked(db, fac, round_id):
    old_p1 = auth.invite(db, fac, round_id, PARTICIPANT, "p1")
    old_p1_again = auth.invite(db, fac, round_id, PARTICIPANT, "p1")
    old_p3 = auth.invite(db, fac, round_id, PARTICIPANT, "p3")
    committee = auth.invite(db, fac, round_id, VIEWER, label="Samarbetskommittén")
    signed_in, _ = sessions.sign_in_with_invitation(db, old_p3)
    viewer_session, _ = sessions.sign_in_with_invitation(db, committee)

    made, revoked = auth.invite_all_participants(db, fac, round_id)

    assert revoked == 3
    doc = rounds.setup_document(db, fac, round_id)
    assert [(m.participant_key, m.name, m.organisation) for m in made] == [
        (p["id"], p["name"], p.get("organisation")) for p in doc["participants"]]
    assert len({m.token for m in made}) == len(made)
    for m in made:
        a = auth.actor_for_token(db, m.token)
        assert (a.role, a.round_id, a.participant_key) == (PARTICIPANT, round_id, m.participant_key)
        assert m.token not in repr(m)  # never in logs by accident
        assert m.created_at is not None
    for old in (old_p1, old_p1_again, old_p3):
        assert auth.actor_for_token(db, old) is None
    assert sessions.resume(db, signed_in) is None  # signed in with an old link: signed out now
    assert auth.actor_for_token(db, committee).role == VIEWER  # viewer links are never revoked
    assert sessions.resume(db, viewer_session).role == VIEWER
    listed = auth.list_invitations(db, fac, round_id)
    assert [i.participant_key for i in listed if not i.revoked] == [None] + [m.participant_key for m in made]
    actions = [e.action for e in audit.entries(db, fac, round_id)]
    assert actions.count("invitation.revoke") == 3 and actions.count("invitation.create") == 4 + len(made)


def test_again_revokes_the_previous_sheet(db, fac, round_id):
    first, _ = auth.invite_all_participants(db, fac, round_id)
    second, revoked = auth.invite_all_participants(db, fac, round_id)
    assert revoked == len(first)
    assert all(auth.actor_for_token(db, m.token) is None for m in first)
    assert all(auth.actor_for_token(db, m.token) is not None for m in second)


def test_a_failure_half_way_leaves_everything_as_it_was(db, fac, round_id, monkeypatch):
    old = auth.invite(db, fac, round_id, PARTICIPANT, "p2")
    committee = auth.invite(db, fac, round_id, VIEWER, label="Kommittén")
    before = state(db)
    # two participants get the same token: the second insert breaks the unique index
    monkeypatch.setattr(auth.secrets, "token_urlsafe", lambda n=None: "samma-token-for-alla-xxxxxxxxxxx")
    with pytest.raises(IntegrityError):
        auth.invite_all_participants(db, fac, round_id)
    monkeypatch.undo()
    assert state(db) == before
    assert auth.actor_for_token(db, old).participant_key == "p2"
    assert auth.actor_for_token(db, committee).role == VIEWER


def test_a_database_error_after_some_links_leaves_nothing_half_done(db, fac, round_id, monkeypatch):
    old = auth.invite(db, fac, round_id, PARTICIPANT, "p1")
    before = state(db)
    record, calls = audit.record, []

    def failing(s, actor, rid, action, *args, **kw):
        calls.append(action)
        if calls.count("invitation.create") == 2:
            raise OperationalError("INSERT INTO audit_log", {}, Exception("disk I/O error"))
        return record(s, actor, rid, action, *args, **kw)

    monkeypatch.setattr(auth.audit, "record", failing)
    with pytest.raises(OperationalError):
        auth.invite_all_participants(db, fac, round_id)
    monkeypatch.undo()
    assert calls == ["invitation.revoke", "invitation.create", "invitation.create"]  # it had got that far
    assert state(db) == before
    assert auth.actor_for_token(db, old).participant_key == "p1"


def test_only_the_facilitator(db, fac, round_id):
    for who in (participant(round_id), viewer(round_id)):
        with pytest.raises(AccessDenied):
            auth.invite_all_participants(db, who, round_id)
    assert auth.list_invitations(db, fac, round_id) == []


def test_a_round_without_participants_or_a_missing_round(db, fac):
    doc = projectfile.load(FIXTURES / "small-round.json")
    empty = rounds.import_project(db, fac, dataclasses.replace(doc, participants=(), scores=()))
    with pytest.raises(StorageInputError) as e:
        auth.invite_all_participants(db, fac, empty)
    assert e.value.code == "no_participants"
    with pytest.raises(StorageInputError) as e:
        auth.invite_all_participants(db, fac, 9999)
    assert e.value.code == "no_such_round"


def test_a_signed_out_facilitator_can_no_longer_make_links(db, fac, round_id):
    """A facilitator's session that has ended (signed out, or every facilitator sign-in ended by a
    password reset) makes no link, one or all, and leaves nothing behind."""
    cookie, signed_in = sessions.sign_in_facilitator(db, "Facilitator")
    assert auth.invite(db, signed_in, round_id, VIEWER, label="Kommittén")  # live: allowed
    before = state(db)
    sessions.end(db, cookie)
    for attempt in (lambda: auth.invite(db, signed_in, round_id, VIEWER, label="Kommittén"),
                    lambda: auth.invite(db, signed_in, round_id, PARTICIPANT, "p1"),
                    lambda: auth.invite_all_participants(db, signed_in, round_id)):
        with pytest.raises(AccessDenied) as e:
            attempt()
        assert e.value.code == "session_ended"
    assert state(db) == before
