"""Removing objects from a round with a committee stage (issue 13): the municipalities' points,
wishes, per-object comments and the screening of a removed object go with it, in the same
transaction; what names a removed object as history (an accepted proposal) refuses the removal."""

from __future__ import annotations

from datetime import date

import pytest

from prioritization.committee.model import Allocation, DecisionRef
from prioritization.errors import ProjectFileError
from prioritization.storage import committee as store
from prioritization.storage import rounds, versions
from tests.storage.test_committee_store import municipality, setup_committee


def objects(db, fac, rid):
    return rounds.setup_document(db, fac, rid)["objects"]


def test_points_wishes_comments_and_screening_go_with_the_object(db, fac, round_id):
    setup_committee(db, fac, round_id)
    ids = [o["id"] for o in objects(db, fac, round_id) if o.get("status", "candidate") == "candidate"]
    gone, stays = ids[0], ids[1]
    hud = municipality(round_id)
    store.set_allocations(db, hud, round_id, "huddinge", [Allocation("huddinge", gone, 30),
                                                          Allocation("huddinge", stays, 20)])
    store.set_wish(db, hud, round_id, "huddinge", gone, "Viktig")
    store.set_wish(db, hud, round_id, "huddinge", stays, "Också viktig")
    store.screen(db, fac, round_id, gone, "passed")
    store.close_window(db, fac, round_id)
    v = versions.freeze(db, fac, round_id, "Remiss")
    store.send_draft(db, fac, round_id, v.id, date(2099, 1, 1))
    store.record_stance(db, fac, round_id, "huddinge", v.sha256, "support_with_comments",
                        object_comments={gone: "Etapp 1", stays: "Bra"},
                        decision=DecisionRef("KS", date(2024, 11, 4), "§ 1"))
    summary = next(r for r in rounds.list_rounds(db, fac) if r.id == round_id)
    kept = [o for o in objects(db, fac, round_id) if o["id"] != gone]
    rounds.replace_setup(db, fac, round_id, {"objects": kept}, summary.row_version)
    c = store.committee(db, fac, round_id)
    assert [(a.object, a.points) for a in c.allocations] == [(stays, 20)]
    assert [w.object for w in c.wishes] == [stays]
    assert c.screening_of(gone) is None
    assert dict(c.stances[0].object_comments) == {stays: "Bra"}
    assert rounds.export_project(db, fac, round_id).committee == c  # the file says the same


def test_an_accepted_proposal_stays_accepted_when_its_object_is_removed(db, fac, round_id):
    setup_committee(db, fac, round_id)
    pid = store.propose(db, municipality(round_id), round_id, "huddinge", {"name": "Ny bro", "need": "Brist"})
    new = store.accept_proposal(db, fac, round_id, pid)
    summary = next(r for r in rounds.list_rounds(db, fac) if r.id == round_id)
    rounds.replace_setup(db, fac, round_id, {"objects": [o for o in objects(db, fac, round_id) if o["id"] != new]},
                         summary.row_version)
    (p,) = store.committee(db, fac, round_id).proposals
    assert (p.id, p.status, p.object) == (pid, "accepted", None)
    assert new not in [o["id"] for o in objects(db, fac, round_id)]


def test_an_object_in_the_recorded_decision_cannot_be_removed(db, fac, round_id):
    setup_committee(db, fac, round_id, open_window=False)
    v = versions.freeze(db, fac, round_id, "Beslutsversion")
    from prioritization.committee.ranking import model_list
    model = model_list(versions.load(db, fac, v.id))
    store.record_decision(db, fac, round_id, v.id, DecisionRef("Samarbetskommittén", date(2024, 12, 10), "§ 5"),
                          [(oid, rank, tier, None) for oid, rank, tier in model])
    summary = next(r for r in rounds.list_rounds(db, fac) if r.id == round_id)
    before = store.committee(db, fac, round_id)
    gone = model[0][0]
    with pytest.raises(ProjectFileError) as e:
        rounds.replace_setup(db, fac, round_id,
                             {"objects": [o for o in objects(db, fac, round_id) if o["id"] != gone]},
                             summary.row_version)
    assert any(gone in str(p) and "committee.decision" in str(p) for p in e.value.problems)
    assert store.committee(db, fac, round_id) == before
