"""Issue 9 at the storage level: a score write names its cell and what the page showed, so a stale
or replayed write is refused; the participant's place is kept per participant; the live revision
moves with every change. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading

import pytest

from prioritization import projectfile
from prioritization.storage import rounds, scores
from prioritization.storage.access import AccessDenied
from prioritization.storage.errors import StorageInputError
from tests.conftest import FIXTURES
from tests.storage.conftest import participant


@pytest.fixture
def scoring(db, fac):
    """The small test round without its scores, open for scoring."""
    data = json.loads((FIXTURES / "small-round.json").read_text(encoding="utf-8"))
    data["scores"] = []
    rid = rounds.import_project(db, fac, projectfile.parse(data, require_complete=False))
    rounds.set_status(db, fac, rid, "scoring")
    return rid


def test_first_write_is_revision_one_and_each_change_adds_one(db, scoring):
    p1 = participant(scoring)
    assert scores.save_score(db, p1, scoring, "O1", "K1", 3, phase=1, seen={0}) == 1
    assert scores.save_score(db, p1, scoring, "O1", "K1", 4, phase=1, seen={1}) == 2
    # the same value again writes nothing and keeps the revision
    assert scores.save_score(db, p1, scoring, "O1", "K1", 4, phase=1, seen={2}) == 2
    mine = scores.my_scoring(db, p1, scoring)
    assert mine.cells[("O1", "K1")].value == 4 and mine.revision(("O1", "K1")) == 2
    assert mine.revision(("O2", "K1")) == 0 and mine.open_phase == 1


def test_a_stale_write_is_refused_and_the_newer_value_stays(db, scoring):
    p1 = participant(scoring)
    scores.save_score(db, p1, scoring, "O1", "K1", 3, phase=1, seen={0})  # tab A
    scores.save_score(db, p1, scoring, "O1", "K1", 5, phase=1, seen={1})  # tab B, newer
    with pytest.raises(scores.ScoreChanged) as e:  # tab A still shows revision 1
        scores.save_score(db, p1, scoring, "O1", "K1", 2, phase=1, seen={1})
    assert e.value.stored == (5.0, None) and e.value.code == "score_changed"
    assert scores.my_scores(db, p1, scoring)[("O1", "K1")] == (5.0, None)


def test_a_replayed_first_write_cannot_overwrite(db, scoring):
    """A page that showed the cell empty (revision 0) re-sends its value after a newer one exists."""
    p1 = participant(scoring)
    scores.save_score(db, p1, scoring, "O2", "K2", 4, phase=1, seen={0})
    with pytest.raises(scores.ScoreChanged):
        scores.save_score(db, p1, scoring, "O2", "K2", 1, phase=1, seen={0})
    assert scores.my_scores(db, p1, scoring)[("O2", "K2")] == (4.0, None)


def test_own_later_writes_count_as_seen(db, scoring):
    """Two quick clicks on one cell before the page redrew: the second names the first's revision."""
    p1 = participant(scoring)
    r1 = scores.save_score(db, p1, scoring, "O1", "K3", 2, phase=1, seen={0})
    assert scores.save_score(db, p1, scoring, "O1", "K3", 3, phase=1, seen={0, r1}) == 2


def test_a_write_for_a_phase_that_has_passed_is_refused(db, fac, scoring):
    p1 = participant(scoring)
    scores.save_score(db, p1, scoring, "O1", "K1", 3, phase=1, seen={0})
    rounds.set_status(db, fac, scoring, "revealed")
    rounds.set_status(db, fac, scoring, "second_round")
    with pytest.raises(StorageInputError) as e:
        scores.save_score(db, p1, scoring, "O1", "K1", 4, phase=1, seen={0})
    assert e.value.code == "phase_moved"
    # the second round starts from a copy of the first: the phase-2 row at revision 1
    mine = scores.my_scoring(db, p1, scoring)
    assert mine.open_phase == 2 and mine.revision(("O1", "K1")) == 1
    assert mine.cells[("O1", "K1")].value == 3 and mine.cells[("O1", "K1")].phase == 2
    assert mine.revision(("O2", "K1")) == 0
    with pytest.raises(scores.ScoreChanged):  # a first-round page's "empty" cell is not what is stored
        scores.save_score(db, p1, scoring, "O1", "K1", 4, phase=2, seen={0})
    assert scores.save_score(db, p1, scoring, "O1", "K1", 4, phase=2, seen={1}) == 2


def test_a_write_never_lands_on_another_participant(db, scoring):
    p1, p2 = participant(scoring, "p1"), participant(scoring, "p2")
    scores.save_score(db, p1, scoring, "O1", "K1", 5, phase=1, seen={0})
    assert ("O1", "K1") not in scores.my_scores(db, p2, scoring)
    # p2's first write of the same cell is their own revision 1
    assert scores.save_score(db, p2, scoring, "O1", "K1", 1, phase=1, seen={0}) == 1
    assert scores.my_scores(db, p1, scoring)[("O1", "K1")] == (5.0, None)


def test_two_concurrent_first_writes_of_one_cell_one_wins_one_is_refused(db, scoring):
    """Two tabs of one participant click the empty cell at the same moment."""
    p1 = participant(scoring)
    barrier = threading.Barrier(2)
    outcome: list = []

    def write(value):
        barrier.wait()
        try:
            outcome.append(("ok", scores.save_score(db, p1, scoring, "O3", "K1", value, phase=1, seen={0})))
        except scores.ScoreChanged:
            outcome.append(("refused", value))

    threads = [threading.Thread(target=write, args=(v,)) for v in (2, 4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(o[0] for o in outcome) == ["ok", "refused"]
    refused = next(o[1] for o in outcome if o[0] == "refused")
    stored = scores.my_scores(db, p1, scoring)[("O3", "K1")][0]
    assert stored != refused and scores.my_scoring(db, p1, scoring).revision(("O3", "K1")) == 1


def test_the_current_object_is_kept_per_participant(db, scoring):
    p1, p2 = participant(scoring, "p1"), participant(scoring, "p2")
    assert scores.my_scoring(db, p1, scoring).current_object is None
    scores.set_current_object(db, p1, scoring, "O3")
    assert scores.my_scoring(db, p1, scoring).current_object == "O3"
    assert scores.my_scoring(db, p2, scoring).current_object is None


def test_the_place_is_only_the_participants_own(db, fac, scoring):
    with pytest.raises(AccessDenied):
        scores.set_current_object(db, fac, scoring, "O1")


# --- sessions: survive reloads and restarts, end when access ends ------------------------------------

def _participant_link(db, fac, rid, key="p1"):
    from prioritization.storage import auth

    token = auth.invite(db, fac, rid, "participant", key)
    inv = next(i for i in auth.list_invitations(db, fac, rid) if i.participant_key == key and not i.revoked)
    return token, inv.id


def test_a_session_resumes_from_its_cookie_until_the_link_is_revoked(db, fac, scoring):
    from prioritization.storage import auth, sessions

    link, inv_id = _participant_link(db, fac, scoring)
    cookie, actor = sessions.sign_in_with_invitation(db, link)
    assert actor.participant_key == "p1" and actor.session_id is not None
    again = sessions.resume(db, cookie)  # a reload, a new tab or a restarted server
    assert again == actor and again.session_id == actor.session_id
    scores.save_score(db, again, scoring, "O1", "K1", 3)
    auth.revoke(db, fac, inv_id)
    assert sessions.resume(db, cookie) is None
    assert not sessions.is_live(db, actor)
    # the page still open in the old tab cannot write or read either
    with pytest.raises(AccessDenied) as e:
        scores.save_score(db, actor, scoring, "O1", "K1", 4)
    assert e.value.code == "session_ended"
    with pytest.raises(AccessDenied):
        scores.my_scoring(db, actor, scoring)
    with pytest.raises(AccessDenied):
        scores.set_current_object(db, actor, scoring, "O2")
    assert sessions.sign_in_with_invitation(db, link) is None  # nor can the link sign in again


def test_signing_out_ends_the_session_everywhere(db, fac, scoring):
    from prioritization.storage import sessions

    link, _ = _participant_link(db, fac, scoring)
    cookie, actor = sessions.sign_in_with_invitation(db, link)
    sessions.end(db, cookie)
    assert sessions.resume(db, cookie) is None
    with pytest.raises(AccessDenied):
        scores.save_score(db, actor, scoring, "O1", "K1", 4)


def test_removing_the_participant_ends_their_session(db, fac, scoring):
    from prioritization.storage import sessions

    link, _ = _participant_link(db, fac, scoring, "p2")
    cookie, actor = sessions.sign_in_with_invitation(db, link)
    doc = rounds.setup_document(db, fac, scoring)
    version = rounds.round_info(db, fac, scoring)["row_version"]
    rounds.replace_setup(db, fac, scoring, {"participants": [p for p in doc["participants"] if p["id"] != "p2"]},
                         version)
    assert sessions.resume(db, cookie) is None
    with pytest.raises(AccessDenied):
        scores.save_score(db, actor, scoring, "O1", "K1", 4)


def test_a_session_expires(db, fac, scoring):
    from datetime import timedelta

    from prioritization.storage import sessions
    from prioritization.storage.schema import utcnow

    cookie, _actor = sessions.sign_in_facilitator(db, "Facilitator")
    assert sessions.resume(db, cookie) is not None
    later = utcnow() + sessions.FACILITATOR_TTL + timedelta(seconds=1)
    assert sessions.resume(db, cookie, now=later) is None
    assert sessions.resume(db, "not-a-session") is None and sessions.resume(db, "x" * 500) is None


def test_a_viewer_session_ends_with_its_link(db, fac, scoring):
    from prioritization.storage import auth, sessions

    token = auth.invite(db, fac, scoring, "viewer", label="Kommittén")
    cookie, actor = sessions.sign_in_with_invitation(db, token)
    assert actor.role == "viewer"
    inv = next(i for i in auth.list_invitations(db, fac, scoring) if i.role == "viewer")
    auth.revoke(db, fac, inv.id)
    assert sessions.resume(db, cookie) is None
