"""Storage of the committee's round after the summer (issue 13): every function's way through,
municipal invitations, the project file's committee section in and out of a round and in frozen
versions, concurrent writers, and migration 0006. Runs on SQLite and, when reachable, PostgreSQL.
Who may see and write what, and every refusal, is tests/storage/test_committee_access.py."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from prioritization import analysis, projectfile
from prioritization.committee import decision as decision_rules
from prioritization.committee.model import (
    ACCEPTED,
    DECLINED,
    PASSED,
    Allocation,
    Check,
    Committee,
    DecisionRef,
    InputWindow,
    LocalPoints,
    Municipality,
)
from prioritization.committee.ranking import model_list
from prioritization.storage import audit, auth, rounds, scores, sessions, versions
from prioritization.storage import committee as store
from prioritization.storage.access import MUNICIPALITY, PARTICIPANT, VIEWER, Actor
from prioritization.storage.database import migrate
from prioritization.storage.errors import StorageInputError
from prioritization.storage.schema import (
    Allocation as AllocationRow,
)
from prioritization.storage.schema import (
    AuditEntry,
    Base,
    Invitation,
    Milestone,
    Object,
    Round,
    Stance,
    WebSession,
    Wish,
)
from prioritization.storage.schema import (
    Proposal as ProposalRow,
)
from tests.conftest import EXAMPLE

MEMBERS = (Municipality("huddinge", "Huddinge"), Municipality("haninge", "Haninge"), Municipality("tyreso", "Tyresö"))
POINTS = LocalPoints(budget=100, cap=40, share=0.3)


# --- helpers shared with test_committee_access.py ---------------------------------------------------


def municipality(round_id: int, mid: str = "huddinge") -> Actor:
    return Actor(MUNICIPALITY, f"Representant {mid}", round_id=round_id, municipality=mid)


def setup_committee(db, fac, round_id: int, *, open_window: bool = True) -> int:
    """Members, local input points and (by default) an open input window on a round."""
    store.set_municipalities(db, fac, round_id, MEMBERS)
    store.set_local_points(db, fac, round_id, POINTS)
    if open_window:
        store.open_window(db, fac, round_id)
    return round_id


def snapshot(db, fac, round_id: int):
    """Everything a committee write could change: the committee, the round's project file, the
    rows of every table it writes, the round's row version and the number of audit entries."""
    with db.reader() as s:
        tables = {}
        for table in (AllocationRow, ProposalRow, Wish, Stance, Object, Milestone, Invitation, WebSession):
            cols = [c.key for c in table.__table__.columns]
            tables[table.__tablename__] = sorted(
                tuple(repr(getattr(row, c)) for c in cols) for row in s.scalars(select(table)))
        r = s.get(Round, round_id)
        round_state = (r.row_version, r.status, repr(r.committee))
        n_audit = s.scalar(select(func.count()).select_from(AuditEntry))
    return (store.committee(db, fac, round_id), projectfile.dumps(rounds.export_project(db, fac, round_id)),
            tables, round_state, n_audit)


def actions(db, fac, round_id: int) -> list[tuple[str, str | None]]:
    return [(e.action, e.target) for e in reversed(audit.entries(db, fac, round_id))]


def without_committee(path=EXAMPLE):
    """The example round before its committee stage: no committee section, nothing parked, the
    committee's milestone (M06) still planned."""
    p = projectfile.load(path, require_complete=False)
    objects = tuple(dataclasses.replace(o, attributes={k: v for k, v in o.attributes.items()
                                                       if k not in ("new_in_round", "proposal")})
                    for o in p.objects)
    milestones = tuple(m.replace(status="planned") if m.id == "M06" else m for m in p.milestones)
    return dataclasses.replace(p, committee=Committee(), objects=objects, milestones=milestones)


@pytest.fixture
def rid(db, fac, round_id):
    """The small test round with three member municipalities, points and the window open."""
    return setup_committee(db, fac, round_id)


# --- facilitator: members, points, the window ----------------------------------------------------------


def test_members_and_points_settings(db, fac, round_id):
    store.set_municipalities(db, fac, round_id, MEMBERS)
    c = store.committee(db, fac, round_id)
    assert c.municipalities == MEMBERS and c.points is None and not c.window.opened_at
    store.set_municipalities(db, fac, round_id, [*MEMBERS[:2], Municipality("tyreso", "Tyresö kommun")])
    assert store.committee(db, fac, round_id).municipality("tyreso").name == "Tyresö kommun"
    store.set_local_points(db, fac, round_id, POINTS)
    assert store.committee(db, fac, round_id).points == POINTS
    store.set_local_points(db, fac, round_id, LocalPoints(50, 25, 0.25))
    assert store.committee(db, fac, round_id).points == LocalPoints(50, 25, 0.25)
    store.set_local_points(db, fac, round_id, None)  # off again: no points given yet
    assert store.committee(db, fac, round_id).points is None
    assert actions(db, fac, round_id)[-5:] == [("committee.municipalities", None)] * 2 + [
        ("committee.local_points", None)] * 3
    # the settings are in the project file, and the rest of the round is untouched
    exported = rounds.export_project(db, fac, round_id)
    assert exported.committee.municipalities[2].name == "Tyresö kommun"
    assert rounds.round_info(db, fac, round_id)["row_version"] == 1


def test_the_window_opens_and_closes_with_its_milestone(db, fac):
    rid = rounds.import_project(db, fac, without_committee())
    setup_committee(db, fac, rid, open_window=False)
    assert rounds.export_project(db, fac, rid).milestone("M06").status == "planned"
    store.open_window(db, fac, rid, "M06")
    c = store.committee(db, fac, rid)
    assert c.window.is_open and c.window.milestone == "M06"
    assert rounds.export_project(db, fac, rid).milestone("M06").status == "in_progress"
    assert rounds.round_info(db, fac, rid)["row_version"] == 2  # a set-up page's older copy gets StaleWrite
    store.close_window(db, fac, rid)
    c = store.committee(db, fac, rid)
    assert c.window.is_closed and c.window.closed_at >= c.window.opened_at
    assert rounds.export_project(db, fac, rid).milestone("M06").status == "done"
    assert actions(db, fac, rid)[-4:] == [("window.open", "M06"), ("milestone.update", "M06"),
                                          ("window.close", "M06"), ("milestone.update", "M06")]


def test_a_window_without_a_milestone(db, fac, rid):
    assert store.committee(db, fac, rid).window.is_open
    store.close_window(db, fac, rid)
    assert store.committee(db, fac, rid).window.is_closed
    assert rounds.round_info(db, fac, rid)["row_version"] == 1


# --- municipalities: points, proposals, wishes ---------------------------------------------------------


def test_a_municipality_gives_and_replaces_its_points(db, fac, rid):
    hud, han = municipality(rid, "huddinge"), municipality(rid, "haninge")
    store.set_allocations(db, hud, rid, "huddinge", [Allocation("huddinge", "O1", 40, "Viktigast för oss"),
                                                     Allocation("huddinge", "O2", 35)])
    store.set_allocations(db, han, rid, "haninge", [Allocation("haninge", "O3", 40, "Cykel")])
    # the whole allocation is replaced; 0 points removes an object; exactly the budget is fine
    store.set_allocations(db, hud, rid, "huddinge", [Allocation("huddinge", "O1", 0),
                                                     Allocation("huddinge", "O2", 40.0, "  Spåret  "),
                                                     Allocation("huddinge", "O3", 40)])
    c = store.committee(db, fac, rid)
    assert sorted((a.municipality, a.object, a.points, a.rationale) for a in c.allocations) == [
        ("haninge", "O3", 40, "Cykel"), ("huddinge", "O2", 40, "Spåret"), ("huddinge", "O3", 40, None)]
    assert c.points_given() == {"O2": 40, "O3": 80}
    store.set_allocations(db, hud, rid, "huddinge", [])  # nothing: all of Huddinge's points withdrawn
    assert {a.municipality for a in store.committee(db, fac, rid).allocations} == {"haninge"}
    assert actions(db, fac, rid)[-4:] == [("allocations.set", "huddinge"), ("allocations.set", "haninge"),
                                          ("allocations.set", "huddinge"), ("allocations.set", "huddinge")]
    entry = audit.entries(db, fac, rid, limit=1)[0]
    assert entry.actor == "municipality:Representant huddinge" and '"O2"' in entry.old_value


def test_a_proposal_accepted_becomes_a_new_candidate_and_another_is_declined(db, fac, rid):
    hud, han = municipality(rid, "huddinge"), municipality(rid, "haninge")
    first = store.propose(db, hud, rid, "huddinge", {
        "name": "Busskörfält Huddingevägen", "need": "Bussarna fastnar i kö i rusningstid", "location": "Huddinge C",
        "mode": "bus", "cost": 120, "plan_channel": "regional", "links": ["https://www.huddinge.se/plan"]})
    second = store.propose(db, han, rid, "haninge", {"name": "Gångbro", "need": "Barriär"})
    assert (first, second) == ("F-huddinge-1", "F-haninge-1")  # numbered per municipality
    oid = store.accept_proposal(db, fac, rid, first)
    assert oid == "O5"  # the round's ids are O1..O4
    obj = rounds.export_project(db, fac, rid).object(oid)
    assert (obj.name, obj.cost, obj.status) == ("Busskörfält Huddingevägen", 120, "candidate")
    assert obj.attributes == {"description": "Bussarna fastnar i kö i rusningstid", "mode": "bus",
                              "municipalities": ["Huddinge"], "proposal": "F-huddinge-1", "new_in_round": True}
    assert rounds.round_info(db, fac, rid)["row_version"] == 2
    store.decline_proposal(db, fac, rid, second, "Hör hemma i kommunens egen plan")
    proposals = {p.id: p for p in store.committee(db, fac, rid).proposals}
    assert (proposals[first].status, proposals[first].object) == (ACCEPTED, "O5")
    assert proposals[first].links == ("https://www.huddinge.se/plan",) and proposals[first].cost == 120
    assert proposals[first].submitted_at is not None
    assert (proposals[second].status, proposals[second].reason) == (DECLINED, "Hör hemma i kommunens egen plan")
    # the municipality sees the reason it is given
    assert store.committee(db, han, rid).proposals[0].reason == "Hör hemma i kommunens egen plan"
    # the new candidate can be given points and scored like any other
    store.set_allocations(db, hud, rid, "huddinge", [Allocation("huddinge", oid, 40)])
    assert [p.id for p in projectfile.loads(projectfile.dumps(rounds.export_project(db, fac, rid)),
                                            require_complete=False).candidates] == ["O1", "O2", "O3", "O5"]
    assert [a for a, _ in actions(db, fac, rid)][-6:] == ["proposal.submit", "proposal.submit", "proposal.accept",
                                                           "object.add", "proposal.decline", "allocations.set"]


def test_new_object_ids_follow_the_round_pattern():
    assert store.next_object_id(["SOD-01", "SOD-15", "SOD-02"], "F-001") == "SOD-16"
    assert store.next_object_id(["O1", "O2", "O9"], "F-001") == "O10"
    assert store.next_object_id(["A-007", "B1"], "F-1") == "A-008"
    assert store.next_object_id(["bro", "väg"], "F-001") == "F-001"
    assert store.next_object_id(["F-001"], "F-001") == "F-002"
    assert store.next_object_id(["bro", "F-x"], "F-x") == "F-x-2"


def test_a_municipality_withdraws_its_own_open_proposal(db, fac, rid):
    hud = municipality(rid, "huddinge")
    pid = store.propose(db, hud, rid, "huddinge", {"name": "Pendlarparkering", "need": "Fler ska ta tåget"})
    store.withdraw_proposal(db, hud, rid, pid)
    assert store.committee(db, fac, rid).proposals == ()
    assert actions(db, fac, rid)[-1] == ("proposal.withdraw", pid)
    # a withdrawn proposal's number is not given again (the audit log still names it)
    assert store.propose(db, hud, rid, "huddinge", {"name": "Ny", "need": "Behov"}) == "F-huddinge-2"


def test_wishes_are_set_replaced_and_removed(db, fac, rid):
    hud, han = municipality(rid, "huddinge"), municipality(rid, "haninge")
    store.set_wish(db, hud, rid, "huddinge", "O1", "Börja med bron")
    store.set_wish(db, han, rid, "haninge", "O1", "Ta med cykelbanan")
    store.set_wish(db, hud, rid, "huddinge", "O4", "Redan finansierad: följ upp")  # any object of the round
    store.set_wish(db, hud, rid, "huddinge", "O1", "Börja med bron, sedan vägen")
    wishes = {(w.municipality, w.object): w.text for w in store.committee(db, fac, rid).wishes}
    assert wishes == {("huddinge", "O1"): "Börja med bron, sedan vägen", ("haninge", "O1"): "Ta med cykelbanan",
                      ("huddinge", "O4"): "Redan finansierad: följ upp"}
    store.set_wish(db, hud, rid, "huddinge", "O4", None)
    store.set_wish(db, hud, rid, "huddinge", "O1", "   ")  # blank removes too
    assert [(w.municipality, w.object) for w in store.committee(db, fac, rid).wishes] == [("haninge", "O1")]
    n = len(audit.entries(db, fac, rid))
    store.set_wish(db, hud, rid, "huddinge", "O1", None)  # nothing to remove: nothing written
    assert len(audit.entries(db, fac, rid)) == n


# --- facilitator: proposals screened, checklist ----------------------------------------------------


def test_screening_parks_an_object_and_brings_it_back(db, fac, rid):
    store.set_checklist(db, fac, rid, store.default_checklist())
    assert [c.id for c in store.committee(db, fac, rid).checklist] == ["need", "channel", "four_step", "cost"]
    store.screen(db, fac, rid, "O1", PASSED)
    store.screen(db, fac, rid, "O2", "parked", ["need", "cost"], "Behovet är inte dokumenterat")
    exported = rounds.export_project(db, fac, rid)
    assert exported.object("O2").status == "parked" and [o.id for o in exported.parked] == ["O2"]
    assert [r.object.id for r in analysis.rank(exported).ranked] == ["O1", "O3"]  # never ranked
    assert rounds.round_info(db, fac, rid)["row_version"] == 2
    store.screen(db, fac, rid, "O2", "let_through", ["need"], "Workshopen får bedöma det ändå")
    assert rounds.export_project(db, fac, rid).object("O2").status == "candidate"
    result = store.committee(db, fac, rid).screening_of("O2")
    assert (result.outcome, result.failed, result.reason) == ("let_through", ("need",), "Workshopen får bedöma det ändå")
    store.set_checklist(db, fac, rid, [*store.default_checklist(), Check("safety", "Trafiksäkerheten är belyst")])
    assert store.committee(db, fac, rid).checklist[-1] == Check("safety", "Trafiksäkerheten är belyst")
    assert [a for a, _ in actions(db, fac, rid)][-5:] == ["committee.checklist", "screening.set", "screening.set",
                                                           "screening.set", "committee.checklist"]


# --- drafts, stances, the decision ------------------------------------------------------------------


def test_drafts_go_out_and_municipalities_reply(db, fac, rid):
    hud, han = municipality(rid, "huddinge"), municipality(rid, "haninge")
    v1 = versions.freeze(db, fac, rid, "Remissversion 1")
    store.send_draft(db, fac, rid, v1.id, date(2026, 11, 30))
    draft = store.committee(db, fac, rid).current_draft
    assert (draft.version, draft.version_name, draft.reply_by) == (v1.sha256, "Remissversion 1", date(2026, 11, 30))
    store.record_stance(db, hud, rid, "huddinge", v1.sha256, "support")
    store.record_stance(db, hud, rid, "huddinge", v1.sha256, "support_with_comments", "Bra lista",
                        {"O1": "Viktig för oss", "O3": " "}, DecisionRef("Kommunstyrelsen", date(2026, 11, 20), "§ 214"))
    store.record_stance(db, fac, rid, "haninge", v1.sha256, "oppose", "Enligt protokoll")  # on Haninge's behalf
    stances = {s.municipality: s for s in store.committee(db, han, rid).stances}
    assert (stances["huddinge"].stance, stances["huddinge"].comment) == ("support_with_comments", "Bra lista")
    assert stances["huddinge"].object_comments == {"O1": "Viktig för oss"}
    assert stances["huddinge"].decision == DecisionRef("Kommunstyrelsen", date(2026, 11, 20), "§ 214")
    assert stances["haninge"].stance == "oppose" and stances["haninge"].replied_at is not None
    # a new draft closes the one out
    store.set_allocations(db, hud, rid, "huddinge", [Allocation("huddinge", "O2", 10)])
    v2 = versions.freeze(db, fac, rid, "Remissversion 2")
    store.send_draft(db, fac, rid, v2.id, date(2026, 12, 15))
    drafts = store.committee(db, fac, rid).drafts
    assert [(d.version_name, d.is_out) for d in drafts] == [("Remissversion 1", False), ("Remissversion 2", True)]
    store.record_stance(db, han, rid, "haninge", v2.sha256, "support")
    store.close_draft(db, fac, rid, v2.sha256)
    assert store.committee(db, fac, rid).current_draft is None
    assert actions(db, fac, rid)[-6:] == [
        ("allocations.set", "huddinge"), ("version.freeze", "Remissversion 2"), ("draft.close", "Remissversion 1"),
        ("draft.send", "Remissversion 2"), ("stance.record", "haninge/Remissversion 2"),
        ("draft.close", "Remissversion 2")]


def test_the_decision_records_the_models_ranks_from_the_version(db, fac):
    rid = rounds.import_project(db, fac, projectfile.load(EXAMPLE, require_complete=False))
    v = versions.freeze(db, fac, rid, "Underlag till Samarbetskommittén")
    store.send_draft(db, fac, rid, v.id, date(2026, 12, 1))
    model = model_list(versions.load(db, fac, v.id))
    assert model[0][2] == "A" and len(model) == 13  # the example has tiers and local input points
    # the committee moves the model's third object to first place
    moved = model[2][0]
    decided = [model[2], model[0], model[1], *model[3:]]
    order = [(oid, k + 1, tier, "Beslutat av kommittén efter remissen" if oid == moved else None)
             for k, (oid, _, tier) in enumerate(decided)]
    store.record_decision(db, fac, rid, v.id, DecisionRef("Samarbetskommittén", date(2026, 12, 10), "§ 7"),
                          order[::-1])  # in any order: stored by decided rank
    d = store.committee(db, fac, rid).decision
    assert (d.version, d.version_name) == (v.sha256, "Underlag till Samarbetskommittén")
    assert d.ref == DecisionRef("Samarbetskommittén", date(2026, 12, 10), "§ 7") and d.recorded_at is not None
    assert [(e.object, e.rank) for e in d.order] == [(oid, k + 1) for k, (oid, _, _) in enumerate(decided)]
    ranks = {oid: (rank, tier) for oid, rank, tier in model}
    assert all((e.model_rank, e.model_tier) == ranks[e.object] for e in d.order)  # from the version, not the caller
    assert decision_rules.moves(d.order) == [moved]
    assert [e.object for e in d.order if e.reason] == [moved]
    assert actions(db, fac, rid)[-1] == ("decision.record", "Underlag till Samarbetskommittén")
    # the decision is in the project file and in the next frozen version
    assert rounds.export_project(db, fac, rid).committee.decision == d
    after = versions.freeze(db, fac, rid, "Beslutad lista")
    assert versions.load(db, fac, after.id).committee.decision == d


def test_the_model_list_follows_the_priority_score_when_points_exist(small_round):
    project = projectfile.parse(small_round)
    assert model_list(project) == [(r.object.id, r.rank, None) for r in analysis.rank(project).ranked]
    base = [oid for oid, _, _ in model_list(project)]
    # all local points on the model's last object, with the whole weight on them: it comes first
    small_round["committee"] = {
        "municipalities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "local_points": {"budget": 40, "cap": 40, "share": 1},
        "allocations": [{"municipality": "a", "object": base[-1], "points": 40},
                        {"municipality": "b", "object": base[-1], "points": 40}]}
    small_round["tiers"] = {"levels": [{"label": "A", "through_rank": 1}, {"label": "B"}]}
    listed = model_list(projectfile.parse(small_round))
    assert listed[0] == (base[-1], 1, "A")
    assert [tier for _, _, tier in listed[1:]] == ["B", "B"] and {r for _, r, _ in listed[1:]} == {2}  # a tie


# --- the project file: export, import, frozen versions, copies ---------------------------------------


def fill(db, fac, rid: int) -> None:
    """A committee stage with a bit of everything."""
    hud, han = municipality(rid, "huddinge"), municipality(rid, "haninge")
    store.set_allocations(db, hud, rid, "huddinge", [Allocation("huddinge", "O1", 40, "Bron"),
                                                     Allocation("huddinge", "O2", 20)])
    store.set_allocations(db, han, rid, "haninge", [Allocation("haninge", "O2", 30, "Spåret")])
    pid = store.propose(db, han, rid, "haninge", {"name": "Stationsentré", "need": "Ny entré behövs", "cost": 40.5})
    store.propose(db, hud, rid, "huddinge", {"name": "Gång- och cykelbro", "need": "Barriär över E4"})
    store.set_wish(db, hud, rid, "huddinge", "O2", "Samordna med bussen")
    store.close_window(db, fac, rid)
    oid = store.accept_proposal(db, fac, rid, pid)
    for k, value in (("K1", 4), ("K2", 3), ("K3", 2)):  # the supplementary scoring pass
        scores.set_agreed_score(db, fac, rid, oid, k, value)
    store.set_checklist(db, fac, rid, store.default_checklist())
    store.screen(db, fac, rid, "O3", "parked", ["cost"], "Kostnaden saknas")
    v = versions.freeze(db, fac, rid, "Remiss")
    store.send_draft(db, fac, rid, v.id, date(2026, 12, 1))
    store.record_stance(db, hud, rid, "huddinge", v.sha256, "support", object_comments={"O1": "Ja"})
    model = model_list(versions.load(db, fac, v.id))
    order = [(oid, rank, tier, None) for oid, rank, tier in model]
    store.record_decision(db, fac, rid, v.id, DecisionRef("Samarbetskommittén", date(2026, 12, 10), "§ 3"), order)


def test_export_import_export_keeps_the_committee(db, fac, rid):
    fill(db, fac, rid)
    first = rounds.export_project(db, fac, rid)
    c = first.committee
    assert len(c.allocations) == 3 and len(c.proposals) == 2 and c.wishes and c.screening and c.drafts
    assert c.stances and c.decision and c.window.is_closed and c.points == POINTS
    text = projectfile.dumps(first)
    again = rounds.import_project(db, fac, projectfile.loads(text, require_complete=False))
    assert projectfile.dumps(rounds.export_project(db, fac, again)) == text
    assert store.committee(db, fac, again) == c
    # and through a file on disk, as the CLI and the app's upload read it
    assert projectfile.loads(text, require_complete=False).committee == c


def test_older_files_and_rounds_without_a_committee(db, fac, round_id):
    project = rounds.export_project(db, fac, round_id)
    assert project.committee == Committee()
    assert "committee" not in projectfile.to_dict(project)
    assert store.committee(db, fac, round_id) == Committee()
    v = versions.freeze(db, fac, round_id, "Utan kommitté")
    assert '"committee"' not in versions.stored_text(db, fac, v.id)


def test_frozen_versions_carry_the_committee(db, fac, rid):
    hud = municipality(rid, "huddinge")
    store.set_allocations(db, hud, rid, "huddinge", [Allocation("huddinge", "O2", 25, "Spåret")])
    v = versions.freeze(db, fac, rid, "Med poäng")
    frozen = versions.load(db, fac, v.id).committee
    assert frozen.allocations == (Allocation("huddinge", "O2", 25, "Spåret"),) and frozen.window.is_open
    store.set_allocations(db, hud, rid, "huddinge", [])
    assert versions.load(db, fac, v.id).committee.allocations == frozen.allocations  # frozen is frozen


def test_a_copied_round_keeps_the_committees_set_up_only(db, fac, rid):
    fill(db, fac, rid)
    copy = rounds.copy_round(db, fac, rid, "Nästa omgång")
    c = store.committee(db, fac, copy)
    assert c.municipalities == MEMBERS and c.points == POINTS and c.checklist and c.screening
    assert not (c.allocations or c.proposals or c.wishes or c.drafts or c.stances or c.decision)
    assert c.window == InputWindow()
    project = rounds.export_project(db, fac, copy)
    assert project.object("O3").status == "parked"
    assert "new_in_round" not in project.object("O5").attributes  # not new in the next round


# --- municipal invitations ---------------------------------------------------------------------------


def test_municipal_invitations(db, fac, rid):
    token = auth.invite(db, fac, rid, MUNICIPALITY, municipality="huddinge", label="Huddinge kommun, Anna")
    plain = auth.invite(db, fac, rid, MUNICIPALITY, municipality="tyreso")
    listed = auth.list_invitations(db, fac, rid)
    assert [(i.role, i.municipality, i.label) for i in listed] == [
        (MUNICIPALITY, "huddinge", "Huddinge kommun, Anna"), (MUNICIPALITY, "tyreso", None)]
    a = auth.actor_for_token(db, token)
    assert (a.role, a.name, a.round_id, a.municipality) == (MUNICIPALITY, "Huddinge kommun, Anna", rid, "huddinge")
    assert auth.actor_for_token(db, plain).name == "Tyresö"
    cookie, signed_in = sessions.sign_in_with_invitation(db, token)
    assert signed_in.session_id is not None and sessions.resume(db, cookie) == a
    store.set_allocations(db, signed_in, rid, "huddinge", [Allocation("huddinge", "O1", 10)])  # a live session writes
    # no longer a member: the link and its sessions stop working
    store.set_municipalities(db, fac, rid, MEMBERS[:2])
    assert auth.actor_for_token(db, plain) is None
    assert auth.actor_for_token(db, token) is not None
    # revoked: the same
    auth.revoke(db, fac, listed[0].id)
    assert auth.actor_for_token(db, token) is None and sessions.resume(db, cookie) is None
    assert [a for a, _ in actions(db, fac, rid)].count("invitation.create") == 2


def test_invitation_checks(db, fac, rid):
    with pytest.raises(StorageInputError) as e:
        auth.invite(db, fac, rid, MUNICIPALITY, municipality="stockholm")
    assert e.value.code == "unknown_municipality"
    with pytest.raises(StorageInputError) as e:
        auth.invite(db, fac, rid, MUNICIPALITY)
    assert e.value.code == "unknown_municipality"
    with pytest.raises(StorageInputError) as e:
        auth.invite(db, fac, rid, VIEWER, municipality="huddinge")
    assert e.value.code == "bad_role"
    assert auth.list_invitations(db, fac, rid) == []
    # a municipal actor needs its round and municipality
    with pytest.raises(ValueError):
        Actor(MUNICIPALITY, "X", round_id=rid)
    with pytest.raises(ValueError):
        Actor(MUNICIPALITY, "X", municipality="huddinge")
    # participants' and viewers' links are as before
    assert auth.actor_for_token(db, auth.invite(db, fac, rid, PARTICIPANT, "p1")).participant_key == "p1"


# --- concurrent writers ------------------------------------------------------------------------------


def run_together(calls) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_municipalities_writing_at_the_same_moment_all_land(db, fac, rid):
    actors = {m.id: municipality(rid, m.id) for m in MEMBERS}
    targets = {"huddinge": ("O1", 40), "haninge": ("O2", 35), "tyreso": ("O3", 30)}
    for _ in range(3):
        calls = []
        for mid, (oid, n) in targets.items():
            calls.append(lambda mid=mid, oid=oid, n=n: store.set_allocations(
                db, actors[mid], rid, mid, [Allocation(mid, oid, n, f"{mid} skäl")]))
            calls.append(lambda mid=mid: store.propose(db, actors[mid], rid, mid, {"name": f"Förslag {mid}",
                                                                                    "need": "Behov"}))
            calls.append(lambda mid=mid, oid=oid: store.set_wish(db, actors[mid], rid, mid, oid, f"Önskan {mid}"))
        assert run_together(calls) == []
    c = store.committee(db, fac, rid)
    assert sorted((a.municipality, a.object, a.points) for a in c.allocations) == sorted(
        (mid, oid, n) for mid, (oid, n) in targets.items())
    assert len(c.proposals) == 9 and len({p.id for p in c.proposals}) == 9  # every proposal its own number
    assert len(c.wishes) == 3
    assert [a for a, _ in actions(db, fac, rid)].count("allocations.set") == 9


def test_the_same_municipality_twice_at_once_one_whole_allocation_wins(db, fac, rid):
    a, b = municipality(rid, "huddinge"), municipality(rid, "huddinge")
    first = [Allocation("huddinge", "O1", 40), Allocation("huddinge", "O2", 40)]
    second = [Allocation("huddinge", "O2", 20), Allocation("huddinge", "O3", 40), Allocation("huddinge", "O1", 30)]
    for _ in range(3):
        assert run_together([lambda: store.set_allocations(db, a, rid, "huddinge", first),
                             lambda: store.set_allocations(db, b, rid, "huddinge", second)]) == []
        got = sorted((x.object, x.points) for x in store.committee(db, fac, rid).allocations)
        assert got in (sorted((x.object, x.points) for x in first), sorted((x.object, x.points) for x in second))


def test_a_refused_writer_beside_a_landing_one_leaves_nothing_half_written(db, fac, rid):
    hud = municipality(rid, "huddinge")
    store.set_allocations(db, hud, rid, "huddinge", [Allocation("huddinge", "O1", 40)])
    over = [Allocation("huddinge", "O2", 40), Allocation("huddinge", "O3", 40), Allocation("huddinge", "O1", 40)]
    errors = run_together([lambda: store.set_allocations(db, hud, rid, "huddinge", over),
                           lambda: store.close_window(db, fac, rid)])
    assert len(errors) == 1 and isinstance(errors[0], StorageInputError)
    assert errors[0].code in ("over_budget", "window_closed")
    c = store.committee(db, fac, rid)
    assert c.window.is_closed
    assert [(x.object, x.points) for x in c.allocations] == [("O1", 40)]


# --- migration 0006 -----------------------------------------------------------------------------------



def _diff(db) -> list:
    with db.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def _roles(db, table: str, name: str) -> str:
    return next(c["sqltext"] for c in inspect(db.engine).get_check_constraints(table) if c["name"] == name)


def test_migration_0006_gives_the_models_schema_and_goes_back(db, fac, rid):
    """Up and down keep everything else: the rounds and their rows, every other link and every
    browser signed in with one (SQLite copies a table to change a CHECK constraint)."""
    assert _diff(db) == []
    assert "municipality" in _roles(db, "invitations", "invitation_role")
    assert "municipality" in _roles(db, "web_sessions", "session_role")
    token = auth.invite(db, fac, rid, MUNICIPALITY, municipality="huddinge")
    sessions.sign_in_with_invitation(db, token)
    viewer_token = auth.invite(db, fac, rid, VIEWER)
    viewer_cookie, _ = sessions.sign_in_with_invitation(db, viewer_token)
    fac_cookie, _ = sessions.sign_in_facilitator(db, "Facilitator")
    store.set_allocations(db, municipality(rid), rid, "huddinge", [Allocation("huddinge", "O1", 5)])
    before = projectfile.to_dict(rounds.export_project(db, fac, rid))
    migrate(db.engine, "0005", down=True)
    tables = inspect(db.engine).get_table_names()
    assert not {"allocations", "proposals", "wishes", "stances"} & set(tables)
    assert "committee" not in {c["name"] for c in inspect(db.engine).get_columns("rounds")}
    assert "municipality" not in {c["name"] for c in inspect(db.engine).get_columns("invitations")}
    assert "municipality" not in _roles(db, "invitations", "invitation_role")
    assert "municipality" not in _roles(db, "web_sessions", "session_role")
    with db.engine.connect() as conn:  # the municipal link and session went with the role, nothing else
        assert [r for (r,) in conn.exec_driver_sql("SELECT role FROM invitations")] == [VIEWER]
        assert sorted(r for (r,) in conn.exec_driver_sql("SELECT role FROM web_sessions")) == ["facilitator", VIEWER]
        assert conn.exec_driver_sql("SELECT count(*) FROM objects").scalar() == 4
    migrate(db.engine, "head")
    assert _diff(db) == []
    assert sessions.resume(db, viewer_cookie).role == VIEWER  # still signed in after both
    assert sessions.resume(db, fac_cookie) is not None
    assert auth.actor_for_token(db, viewer_token).role == VIEWER
    after = projectfile.to_dict(rounds.export_project(db, fac, rid))
    assert store.committee(db, fac, rid) == Committee()  # what 0006 holds went with the downgrade
    assert {k: v for k, v in after.items() if k != "committee"} == {k: v for k, v in before.items()
                                                                   if k != "committee"}
