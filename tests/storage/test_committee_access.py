"""Who may see and write what in the committee's round after the summer (issue 13), and every
refusal: the isolation of municipal representatives attacked as another municipality, a
participant, a viewer, an outsider and an ended session; submissions outside the input window; and
every bad input of the issue. On each refusal the code is asserted and nothing stored changed."""

from __future__ import annotations

from datetime import date

import pytest

from prioritization import projectfile
from prioritization.anonymity import PSEUDONYM_NAME
from prioritization.committee.model import Allocation, Check, DecisionRef, LocalPoints, Municipality
from prioritization.committee.ranking import model_list
from prioritization.storage import auth, rounds, sessions, versions
from prioritization.storage import committee as store
from prioritization.storage.access import MUNICIPALITY, AccessDenied, Actor
from prioritization.storage.errors import StorageInputError
from tests.conftest import FIXTURES
from tests.storage.conftest import participant, viewer
from tests.storage.test_committee_store import MEMBERS, municipality, setup_committee, snapshot

REF = DecisionRef("Samarbetskommittén", date(2026, 12, 10), "§ 7")


@pytest.fixture
def rid(db, fac, round_id):
    """Members, points and the window open; Huddinge and Haninge have given points, proposed and wished."""
    setup_committee(db, fac, round_id)
    hud, han = municipality(round_id, "huddinge"), municipality(round_id, "haninge")
    store.set_allocations(db, hud, round_id, "huddinge", [Allocation("huddinge", "O1", 40, "Bron"),
                                                          Allocation("huddinge", "O2", 30)])
    store.set_allocations(db, han, round_id, "haninge", [Allocation("haninge", "O3", 25, "Cykel")])
    store.propose(db, hud, round_id, "huddinge", {"name": "Busskörfält", "need": "Köer"})
    store.propose(db, han, round_id, "haninge", {"name": "Gångbro", "need": "Barriär"})
    store.set_wish(db, hud, round_id, "huddinge", "O2", "Snabbare")
    store.set_wish(db, han, round_id, "haninge", "O1", "Med cykelbana")
    store.set_checklist(db, fac, round_id, store.default_checklist())
    return round_id


def input_of(c) -> dict[str, set[str]]:
    """Whose points, proposals and wishes a committee view holds."""
    return {"allocations": {a.municipality for a in c.allocations}, "proposals": {p.municipality for p in c.proposals},
            "wishes": {w.municipality for w in c.wishes}}


def only(*mids: str) -> dict[str, set[str]]:
    return {"allocations": set(mids), "proposals": set(mids), "wishes": set(mids)}


BOTH = only("huddinge", "haninge")


# --- reading -------------------------------------------------------------------------------------------


def test_what_each_role_sees_before_and_after_the_window_closes(db, fac, rid):
    everyone = {"facilitator": fac, "huddinge": municipality(rid, "huddinge"), "haninge": municipality(rid, "haninge"),
                "tyreso": municipality(rid, "tyreso"), "participant": participant(rid), "viewer": viewer(rid)}
    before = {who: input_of(store.committee(db, a, rid)) for who, a in everyone.items()}
    assert before == {"facilitator": BOTH, "huddinge": only("huddinge"), "haninge": only("haninge"),
                      "tyreso": only(), "participant": only(), "viewer": only()}
    # everything else is everyone's
    shared = {who: store.committee(db, a, rid) for who, a in everyone.items()}
    for c in shared.values():
        assert (c.municipalities, c.window, c.points, c.checklist) == (
            MEMBERS, shared["facilitator"].window, shared["facilitator"].points, shared["facilitator"].checklist)
    store.close_window(db, fac, rid)
    after = {who: input_of(store.committee(db, a, rid)) for who, a in everyone.items()}
    assert all(seen == BOTH for seen in after.values())
    # the rationale is part of the political statement: public with the points
    assert {a.rationale for a in store.committee(db, viewer(rid), rid).allocations} == {"Bron", None, "Cykel"}


def test_the_project_file_the_set_up_and_versions_follow_the_same_rule(db, fac, rid):
    rounds.set_status(db, fac, rid, "scoring")  # a viewer reads versions once the round is past set-up
    v = versions.freeze(db, fac, rid, "Under fönstret")
    hud, view = municipality(rid, "huddinge"), viewer(rid)
    for actor, seen in ((hud, only("huddinge")), (view, only()), (participant(rid), only())):
        assert input_of(projectfile.parse(rounds.setup_document(db, actor, rid) | {"scores": []},
                                          require_complete=False).committee) == seen
    for actor, seen in ((hud, only("huddinge")), (view, only())):
        assert input_of(versions.load(db, actor, v.id).committee) == seen
    assert input_of(versions.load(db, fac, v.id).committee) == BOTH
    with pytest.raises(AccessDenied):  # the project file itself only once the round is locked
        rounds.export_project(db, hud, rid)
    store.close_window(db, fac, rid)
    # once the window has closed, the version frozen while it was open shows everyone's input too
    assert input_of(versions.load(db, view, v.id).committee) == BOTH
    assert input_of(versions.load(db, hud, v.id).committee) == BOTH
    for status in ("revealed", "locked"):
        rounds.set_status(db, fac, rid, status)
    assert input_of(rounds.export_project(db, hud, rid).committee) == BOTH
    assert input_of(rounds.export_project(db, view, rid).committee) == BOTH


def test_a_municipality_reads_the_results_like_a_viewer(db, fac, rid):
    hud = municipality(rid, "huddinge")
    v = versions.freeze(db, fac, rid, "Under uppsättning")
    with pytest.raises(AccessDenied) as e:  # in set-up, like a viewer: not yet
        versions.stored_text(db, hud, v.id)
    assert e.value.code == "not_released"
    rounds.set_status(db, fac, rid, "scoring")
    as_hud, as_viewer = versions.load(db, hud, v.id), versions.load(db, viewer(rid), v.id)
    assert (as_hud.participants, as_hud.scores) == (as_viewer.participants, as_viewer.scores)
    assert {p.name for p in versions.load(db, hud, v.id).participants} == {
        PSEUDONYM_NAME.format(n=k) for k in (1, 2, 3)}  # anonymous ratings until the round is locked
    for status in ("revealed", "locked"):
        rounds.set_status(db, fac, rid, status)
    assert {p.id for p in versions.load(db, hud, v.id).participants} == {"p1", "p2", "p3"}


def test_an_outsider_sees_nothing(db, fac, rid):
    other = rounds.import_project(db, fac, projectfile.load(FIXTURES / "small-round.json"))
    for actor in (municipality(other, "huddinge"), viewer(other), participant(other)):
        with pytest.raises(AccessDenied) as e:
            store.committee(db, actor, rid)
        assert e.value.code == "other_round"


# --- writing: the isolation promise -------------------------------------------------------------------


def municipal_writes(rid: int, mid: str, sha: str = "0" * 64) -> list:
    """Every municipal write, each aimed at ``mid``'s submissions."""
    return [
        lambda db, a: store.set_allocations(db, a, rid, mid, [Allocation(mid, "O1", 1)]),
        lambda db, a: store.propose(db, a, rid, mid, {"name": "X", "need": "Y"}),
        lambda db, a: store.set_wish(db, a, rid, mid, "O1", "Z"),
        lambda db, a: store.withdraw_proposal(db, a, rid, f"F-{mid}-1"),
        lambda db, a: store.record_stance(db, a, rid, mid, sha, "support"),
    ]


def facilitator_writes(rid: int, version_id: int = 1) -> list:
    return [
        lambda db, a: store.set_municipalities(db, a, rid, MEMBERS),
        lambda db, a: store.set_local_points(db, a, rid, LocalPoints(100, 40, 0.5)),
        lambda db, a: store.open_window(db, a, rid),
        lambda db, a: store.close_window(db, a, rid),
        lambda db, a: store.accept_proposal(db, a, rid, "F-huddinge-1"),
        lambda db, a: store.decline_proposal(db, a, rid, "F-huddinge-1", "Nej"),
        lambda db, a: store.set_checklist(db, a, rid, [Check("need", "Behov")]),
        lambda db, a: store.screen(db, a, rid, "O1", "parked", [], "Nej"),
        lambda db, a: store.send_draft(db, a, rid, version_id, date(2026, 12, 1)),
        lambda db, a: store.close_draft(db, a, rid, "0" * 64),
        lambda db, a: store.record_decision(db, a, rid, version_id, REF, []),
    ]


def refused(db, fac, rid, actor, writes, code: str) -> None:
    before = snapshot(db, fac, rid)
    for write in writes:
        with pytest.raises(AccessDenied) as e:
            write(db, actor)
        assert e.value.code == code, (write, e.value.code)
    assert snapshot(db, fac, rid) == before


def test_another_municipality_cannot_write_or_withdraw_what_is_not_its_own(db, fac, rid):
    v = versions.freeze(db, fac, rid, "Remiss")
    store.send_draft(db, fac, rid, v.id, date(2026, 12, 1))
    han = municipality(rid, "haninge")
    writes = municipal_writes(rid, "huddinge", v.sha256)
    refused(db, fac, rid, han, writes[:3] + writes[4:], "other_municipality")
    # withdrawing another municipality's proposal is answered as for an id that does not exist:
    # before the window closes, others' proposals must not be told apart from none
    before = snapshot(db, fac, rid)
    for pid in ("F-huddinge-1", "F-huddinge-2"):  # Huddinge's, and one that does not exist
        with pytest.raises(StorageInputError) as e:
            store.withdraw_proposal(db, han, rid, pid)
        assert e.value.code == "unknown_proposal"
    assert snapshot(db, fac, rid) == before
    # an allocation for another municipality slipped into its own list
    refused(db, fac, rid, han, [lambda db, a: store.set_allocations(db, a, rid, "haninge", [
        Allocation("haninge", "O1", 1), Allocation("huddinge", "O2", 1)])], "other_municipality")
    # and none of the facilitator's
    refused(db, fac, rid, han, facilitator_writes(rid, v.id), "facilitator_only")


@pytest.mark.parametrize("who", ["participant", "viewer"])
def test_participants_and_viewers_write_nothing(db, fac, rid, who):
    actor = participant(rid) if who == "participant" else viewer(rid)
    refused(db, fac, rid, actor, municipal_writes(rid, "huddinge"), "municipality_only")
    refused(db, fac, rid, actor, facilitator_writes(rid), "facilitator_only")


def test_an_outsider_from_another_round_writes_nothing(db, fac, rid):
    outsider = Actor(MUNICIPALITY, "Huddinge i en annan omgång", round_id=rid + 1, municipality="huddinge")
    refused(db, fac, rid, outsider, municipal_writes(rid, "huddinge"), "other_round")
    refused(db, fac, rid, viewer(rid + 1), municipal_writes(rid, "huddinge"), "municipality_only")


@pytest.mark.parametrize("how", ["revoked", "signed_out", "no_longer_a_member"])
def test_an_ended_session_reads_and_writes_nothing(db, fac, rid, how):
    token = auth.invite(db, fac, rid, MUNICIPALITY, municipality="tyreso")
    cookie, tyreso = sessions.sign_in_with_invitation(db, token)
    store.set_wish(db, tyreso, rid, "tyreso", "O1", "Bra")  # live: it writes
    store.set_wish(db, tyreso, rid, "tyreso", "O1", None)
    if how == "revoked":
        auth.revoke(db, fac, auth.list_invitations(db, fac, rid)[0].id)
    elif how == "signed_out":
        sessions.end(db, cookie)
    else:
        store.set_municipalities(db, fac, rid, MEMBERS[:2])
    assert sessions.resume(db, cookie) is None
    refused(db, fac, rid, tyreso, municipal_writes(rid, "tyreso"), "session_ended")
    with pytest.raises(AccessDenied) as e:
        store.committee(db, tyreso, rid)
    assert e.value.code == "session_ended"


# --- the window ---------------------------------------------------------------------------------------


def refused_input(db, fac, rid, call, code: str, actor=None) -> StorageInputError:
    """``call`` is refused with ``code`` and nothing stored changed."""
    before = snapshot(db, fac, rid)
    with pytest.raises(StorageInputError) as e:
        call(actor) if actor is not None else call()
    assert e.value.code == code, (e.value.code, str(e.value))
    assert snapshot(db, fac, rid) == before
    return e.value


def test_submissions_before_the_window_opened_and_after_it_closed(db, fac, round_id):
    setup_committee(db, fac, round_id, open_window=False)
    hud = municipality(round_id, "huddinge")
    for write in municipal_writes(round_id, "huddinge")[:3]:
        refused_input(db, fac, round_id, lambda a, w=write: w(db, a), "window_not_open", hud)
    store.open_window(db, fac, round_id)
    store.propose(db, hud, round_id, "huddinge", {"name": "Busskörfält", "need": "Köer"})
    store.close_window(db, fac, round_id)
    for write in municipal_writes(round_id, "huddinge")[:4]:
        refused_input(db, fac, round_id, lambda a, w=write: w(db, a), "window_closed", hud)
    refused_input(db, fac, round_id, lambda: store.open_window(db, fac, round_id), "window_closed")
    refused_input(db, fac, round_id, lambda: store.close_window(db, fac, round_id), "window_not_open")


# --- bad input: each refused with its code, nothing stored changes --------------------------------------


def test_points_over_the_budget_or_the_cap_negative_or_fractional(db, fac, rid):
    hud = municipality(rid, "huddinge")

    def give(*allocations):
        return lambda: store.set_allocations(db, hud, rid, "huddinge", [Allocation("huddinge", o, n)
                                                                        for o, n in allocations])

    e = refused_input(db, fac, rid, give(("O1", 40), ("O2", 40), ("O3", 21)), "over_budget")
    assert e.params == {"total": 101, "budget": 100}
    e = refused_input(db, fac, rid, give(("O1", 41)), "over_cap")
    assert e.params["cap"] == 40 and e.params["object"] == "O1"
    refused_input(db, fac, rid, give(("O1", -5)), "negative_points")
    refused_input(db, fac, rid, give(("O1", 10.5)), "not_whole")
    refused_input(db, fac, rid, give(("O1", float("nan"))), "not_whole")
    refused_input(db, fac, rid, give(("O1", True)), "not_whole")
    refused_input(db, fac, rid, give(("O1", "10")), "not_whole")
    refused_input(db, fac, rid, give(("O9", 10)), "unknown_object")
    refused_input(db, fac, rid, give(("O4", 10)), "not_candidate")  # committed: no points
    refused_input(db, fac, rid, give(("O1", 10), ("O1", 5)), "duplicate_object")
    refused_input(db, fac, rid, lambda: store.set_allocations(
        db, hud, rid, "huddinge", [Allocation("huddinge", "O1", 10, "=HYPERLINK(\"x\")" * 1000)]), "bad_text")
    # the facilitator's settings cannot break what is given (Huddinge gave 40 + 30, Haninge 25)
    refused_input(db, fac, rid, lambda: store.set_local_points(db, fac, rid, LocalPoints(60, 40, 0.3)), "over_budget")
    refused_input(db, fac, rid, lambda: store.set_local_points(db, fac, rid, LocalPoints(100, 35, 0.3)), "over_cap")
    refused_input(db, fac, rid, lambda: store.set_local_points(db, fac, rid, None), "points_in_use")
    refused_input(db, fac, rid, lambda: store.set_local_points(db, fac, rid, LocalPoints(100, 40.5, 0.3)), "not_whole")
    refused_input(db, fac, rid, lambda: store.set_local_points(db, fac, rid, LocalPoints(30, 40, 0.3)),
                  "bad_points_setting")
    refused_input(db, fac, rid, lambda: store.set_local_points(db, fac, rid, LocalPoints(100, 40, 1.5)), "bad_share")


def test_points_in_a_round_without_local_input_points(db, fac, round_id):
    store.set_municipalities(db, fac, round_id, MEMBERS)
    store.open_window(db, fac, round_id)
    hud = municipality(round_id, "huddinge")
    refused_input(db, fac, round_id, lambda: store.set_allocations(
        db, hud, round_id, "huddinge", [Allocation("huddinge", "O1", 10)]), "points_off")
    # proposals and wishes need no points
    store.set_wish(db, hud, round_id, "huddinge", "O1", "Ja")


@pytest.fixture
def out(db, fac, rid):
    """A frozen version sent out for reply."""
    v = versions.freeze(db, fac, rid, "Remissversion")
    store.send_draft(db, fac, rid, v.id, date(2026, 12, 1))
    return v


def test_a_stance_on_a_version_that_is_not_out_for_reply(db, fac, rid, out):
    hud = municipality(rid, "huddinge")
    never_sent = versions.freeze(db, fac, rid, "Aldrig utskickad")
    refused_input(db, fac, rid, lambda: store.record_stance(db, hud, rid, "huddinge", never_sent.sha256, "support"),
                  "not_out_for_reply")
    refused_input(db, fac, rid, lambda: store.record_stance(db, hud, rid, "huddinge", "f" * 64, "support"),
                  "not_out_for_reply")
    refused_input(db, fac, rid, lambda: store.record_stance(db, hud, rid, "huddinge", out.sha256, "kanske"),
                  "bad_stance")
    refused_input(db, fac, rid, lambda: store.record_stance(db, hud, rid, "huddinge", out.sha256, "support",
                                                            object_comments={"O9": "?"}), "unknown_object")
    refused_input(db, fac, rid, lambda: store.record_stance(db, hud, rid, "huddinge", out.sha256, "support",
                                                            decision=DecisionRef("KS", date(2026, 11, 1), " ")),
                  "reference_missing")
    refused_input(db, fac, rid, lambda: store.record_stance(db, fac, rid, "stockholm", out.sha256, "support"),
                  "unknown_municipality")
    store.record_stance(db, hud, rid, "huddinge", out.sha256, "support")
    store.close_draft(db, fac, rid, out.sha256)  # closed: no more replies
    refused_input(db, fac, rid, lambda: store.record_stance(db, hud, rid, "huddinge", out.sha256, "oppose"),
                  "not_out_for_reply")
    refused_input(db, fac, rid, lambda: store.close_draft(db, fac, rid, out.sha256), "not_out_for_reply")
    refused_input(db, fac, rid, lambda: store.close_draft(db, fac, rid, never_sent.sha256), "unknown_draft")
    refused_input(db, fac, rid, lambda: store.send_draft(db, fac, rid, out.id, date(2026, 12, 1)),
                  "draft_already_sent")
    refused_input(db, fac, rid, lambda: store.send_draft(db, fac, rid, 999, date(2026, 12, 1)), "unknown_version")
    refused_input(db, fac, rid, lambda: store.send_draft(db, fac, rid, never_sent.id, "2026-12-01"), "bad_date")


def test_a_stance_after_the_decision_is_refused(db, fac, rid, out):
    store.record_decision(db, fac, rid, out.id, REF, [(o, r, t, None) for o, r, t in
                                                      model_list(versions.load(db, fac, out.id))])
    hud = municipality(rid, "huddinge")
    refused_input(db, fac, rid, lambda: store.record_stance(db, hud, rid, "huddinge", out.sha256, "support"),
                  "not_out_for_reply")
    refused_input(db, fac, rid, lambda: store.record_decision(db, fac, rid, out.id, REF, []), "already_decided")
    later = versions.freeze(db, fac, rid, "Efter beslutet")
    refused_input(db, fac, rid, lambda: store.send_draft(db, fac, rid, later.id, date(2027, 1, 1)), "already_decided")


def test_a_decision_without_a_protocol_reference_or_an_override_without_a_reason(db, fac, rid, out):
    model = model_list(versions.load(db, fac, out.id))
    assert [oid for oid, _, _ in model] == ["O1", "O2", "O3"]
    as_model = [(o, r, t, None) for o, r, t in model]
    swapped = [("O1", 2, None, None), ("O2", 1, None, None), ("O3", 3, None, None)]

    def decide(order, ref=REF, version=out.id):
        return lambda: store.record_decision(db, fac, rid, version, ref, order)

    refused_input(db, fac, rid, decide(as_model, None), "reference_missing")
    refused_input(db, fac, rid, decide(as_model, DecisionRef("Samarbetskommittén", date(2026, 12, 10), "  ")),
                  "reference_missing")
    refused_input(db, fac, rid, decide(as_model, DecisionRef("", date(2026, 12, 10), "§ 7")), "body_missing")
    refused_input(db, fac, rid, decide(as_model, DecisionRef("Samarbetskommittén", "i går", "§ 7")), "bad_date")
    e = refused_input(db, fac, rid, decide(swapped), "reason_missing")
    assert e.params == {"objects": ["O2"]}  # the object moved up; the one it passed needs none
    refused_input(db, fac, rid, decide([*swapped[:1], ("O2", 1, None, "   "), swapped[2]]), "reason_missing")
    refused_input(db, fac, rid, decide(as_model[:2]), "order_incomplete")
    refused_input(db, fac, rid, decide([*as_model, ("O4", 4, None, "Tillagd")]), "unknown_object")
    refused_input(db, fac, rid, decide([*as_model, as_model[0]]), "duplicate_object")
    refused_input(db, fac, rid, decide([("O1", 0, None, None), *as_model[1:]]), "bad_rank")
    refused_input(db, fac, rid, decide([("O1", 1.5, None, None), *as_model[1:]]), "bad_rank")
    refused_input(db, fac, rid, decide([("O1", 1, "A", "Nivå A"), *as_model[1:]]), "unknown_tier")  # no tiers
    refused_input(db, fac, rid, decide(as_model, version=999), "unknown_version")
    # with the reason it is recorded
    store.record_decision(db, fac, rid, out.id, REF, [swapped[0], ("O2", 1, None, "Kommittén prioriterar spåret"),
                                                      swapped[2]])
    d = store.committee(db, fac, rid).decision
    assert [(e.object, e.model_rank, e.rank, e.reason) for e in d.order] == [
        ("O2", 2, 1, "Kommittén prioriterar spåret"), ("O1", 1, 2, None), ("O3", 3, 3, None)]


def test_a_version_that_cannot_be_ranked_cannot_be_decided(db, fac, rid):
    store.close_window(db, fac, rid)
    store.accept_proposal(db, fac, rid, "F-huddinge-1")  # a new candidate nobody has scored yet
    v = versions.freeze(db, fac, rid, "Före kompletteringen")
    refused_input(db, fac, rid, lambda: store.record_decision(db, fac, rid, v.id, REF, []), "not_rankable")


def test_proposals_and_their_handling(db, fac, rid):
    hud = municipality(rid, "huddinge")

    def propose(**fields):
        return lambda: store.propose(db, hud, rid, "huddinge", fields)

    refused_input(db, fac, rid, propose(need="Köer"), "name_missing")
    refused_input(db, fac, rid, propose(name="Busskörfält", need="  "), "need_missing")
    refused_input(db, fac, rid, propose(name="B", need="K", cost=-1), "bad_cost")
    refused_input(db, fac, rid, propose(name="B", need="K", cost="mycket"), "bad_cost")
    refused_input(db, fac, rid, propose(name="B", need="K", plan_channel="EU"), "bad_plan_channel")
    refused_input(db, fac, rid, propose(name="B", need="K", links=["javascript:alert(1)"]), "bad_link")
    refused_input(db, fac, rid, propose(name="B", need="K", links="https://x.se"), "bad_link")
    refused_input(db, fac, rid, propose(name="B", need="K", colour="röd"), "unknown_field")
    refused_input(db, fac, rid, propose(name="=cmd|' /C calc'!A0", need="K"), "bad_text")
    refused_input(db, fac, rid, propose(name="B" * 500, need="K"), "bad_text")
    refused_input(db, fac, rid, lambda: store.set_wish(db, hud, rid, "huddinge", "O9", "?"), "unknown_object")
    # the facilitator's handling
    refused_input(db, fac, rid, lambda: store.decline_proposal(db, fac, rid, "F-huddinge-1", " "), "reason_missing")
    refused_input(db, fac, rid, lambda: store.decline_proposal(db, fac, rid, "F-huddinge-9", "Nej"), "unknown_proposal")
    refused_input(db, fac, rid, lambda: store.accept_proposal(db, fac, rid, "F-huddinge-9"), "unknown_proposal")
    store.decline_proposal(db, fac, rid, "F-huddinge-1", "Hör hemma i kommunens plan")
    refused_input(db, fac, rid, lambda: store.accept_proposal(db, fac, rid, "F-huddinge-1"), "proposal_not_open")
    refused_input(db, fac, rid, lambda: store.withdraw_proposal(db, hud, rid, "F-huddinge-1"), "proposal_not_open")


def test_members_checklist_screening_and_window_settings(db, fac, rid):
    refused_input(db, fac, rid, lambda: store.set_municipalities(db, fac, rid, MEMBERS[1:]), "municipality_in_use")
    refused_input(db, fac, rid, lambda: store.set_municipalities(db, fac, rid, [*MEMBERS, MEMBERS[0]]),
                  "duplicate_municipality")
    refused_input(db, fac, rid, lambda: store.set_municipalities(db, fac, rid, [*MEMBERS, Municipality("", "X")]),
                  "id_missing")
    refused_input(db, fac, rid, lambda: store.set_municipalities(db, fac, rid, [*MEMBERS, Municipality("x", " ")]),
                  "text_missing")
    refused_input(db, fac, rid, lambda: store.screen(db, fac, rid, "O1", "parked", ["need"]), "reason_missing")
    refused_input(db, fac, rid, lambda: store.screen(db, fac, rid, "O1", "let_through", [], "  "), "reason_missing")
    refused_input(db, fac, rid, lambda: store.screen(db, fac, rid, "O1", "kanske"), "bad_outcome")
    refused_input(db, fac, rid, lambda: store.screen(db, fac, rid, "O9", "passed"), "unknown_object")
    refused_input(db, fac, rid, lambda: store.screen(db, fac, rid, "O4", "passed"), "not_candidate")
    refused_input(db, fac, rid, lambda: store.screen(db, fac, rid, "O1", "parked", ["safety"], "Nej"), "unknown_check")
    e = refused_input(db, fac, rid, lambda: store.screen(db, fac, rid, "O1", "parked", ["need"], "Nej"),
                      "object_has_points")  # Huddinge gave it 40 points: points go to candidates only
    assert e.params == {"object": "O1", "municipalities": ["huddinge"]}
    store.screen(db, fac, rid, "O1", "let_through", ["cost"], "Kostnaden kommer")
    refused_input(db, fac, rid, lambda: store.set_checklist(db, fac, rid, store.default_checklist()[:3]),
                  "check_in_use")
    refused_input(db, fac, rid, lambda: store.set_checklist(db, fac, rid, [Check("a", "A"), Check("a", "B")]),
                  "duplicate_check")
    refused_input(db, fac, rid, lambda: store.open_window(db, fac, rid), "window_already_open")


def test_a_window_needs_a_milestone_of_the_round(db, fac, round_id):
    setup_committee(db, fac, round_id, open_window=False)
    refused_input(db, fac, round_id, lambda: store.open_window(db, fac, round_id, "M99"), "unknown_milestone")
