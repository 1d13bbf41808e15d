"""Re-evaluation flags of a stored round (issue 14, "omprövas"): what flags an object against the
decided or last frozen version, the facilitator's review that closes a flag (recomputed inside the
transaction), who may read and write, races, and refusals that change nothing. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from prioritization.committee.model import DecisionRef
from prioritization.committee.ranking import model_list
from prioritization.storage import audit, reviews, rounds, sessions, versions
from prioritization.storage import committee as committee_store
from prioritization.storage.access import FACILITATOR, MUNICIPALITY, AccessDenied, Actor
from prioritization.storage.errors import StaleWrite, StorageInputError
from tests.storage.conftest import participant, viewer
from tests.storage.test_write_races import _slow_validation, _together

NP = {"plan": "NP", "period": "2026–2037", "objekt_id": "VST999", "phase": "ongoing"}
PLAN = {"stage": "adopted", "evidence": "prestudy", "refs": [NP]}


def edit(db, fac, rid, oid: str, **changes) -> int:
    """Change fields of one object through the set-up editor (``plan`` replaced whole)."""
    doc = rounds.setup_document(db, fac, rid)
    objects = [dict(o, **changes) if o["id"] == oid else o for o in doc["objects"]]
    return rounds.replace_setup(db, fac, rid, {"objects": objects}, rounds.round_info(db, fac, rid)["row_version"])


@pytest.fixture
def rid(db, fac, round_id):
    """The small round with plan data on O1 (cost 1200 MSEK), frozen as the baseline."""
    edit(db, fac, round_id, "O1", plan=PLAN)
    versions.freeze(db, fac, round_id, "Underlag till Samarbetskommittén")
    return round_id


def version(db, fac, rid) -> int:
    return rounds.round_info(db, fac, rid)["row_version"]


def stored(db, fac, rid) -> tuple:
    """Everything a refused write must leave as it was."""
    return rounds.export_project(db, fac, rid), version(db, fac, rid), len(audit.entries(db, fac, rid))


TRIGGERS = [
    ({"cost": 1400}, ["cost:1200→1400"]),  # +16.7 %
    ({"cost": 1000}, ["cost:1200→1000"]),  # −16.7 %
    ({"plan": {**PLAN, "stage": "consultation_doc"}}, ["stage_back:adopted→consultation_doc"]),
    ({"plan": {**PLAN, "stage": "cancelled"}}, ["cancelled:adopted→cancelled"]),
    ({"plan": {**PLAN, "evidence": "plan"}}, ["evidence:prestudy→plan"]),
    ({"plan": {**PLAN, "refs": [{**NP, "phase": "removed"}]}}, ["phase[NP 2026–2037]:ongoing→removed"]),
    ({"plan": {**PLAN, "refs": [{**NP, "phase": "rework"}]}}, ["phase[NP 2026–2037]:ongoing→rework"]),
]


def test_a_change_against_the_frozen_version_flags_the_object(db, fac, rid):
    base = reviews.baseline(db, fac, rid)
    assert base is not None and base.name == "Underlag till Samarbetskommittén"
    assert base.sha256 == versions.list_versions(db, fac, rid)[-1].sha256
    assert base.project.object("O1").cost == 1200
    assert reviews.flags(db, fac, rid) == []
    for changes, keys in TRIGGERS:  # one round for all (a database per case would be slow)
        edit(db, fac, rid, "O1", **changes)
        found = reviews.flags(db, fac, rid)
        assert [(f.object, list(f.keys), f.is_open) for f in found] == [("O1", keys, True)], changes
        edit(db, fac, rid, "O1", cost=1200, plan=PLAN)  # back to the baseline: no flag
        assert reviews.flags(db, fac, rid) == []


def test_small_changes_do_not_flag_and_the_threshold_is_a_setting(db, fac, rid):
    edit(db, fac, rid, "O1", cost=1368, plan={**PLAN, "stage": "construction",  # +14 %, a stage forward
                                              "refs": [{**NP, "phase": "start_1_3"}]})
    assert reviews.flags(db, fac, rid) == []
    assert [f.keys for f in reviews.flags(db, fac, rid, cost_share=0.10)] == [("cost:1200→1368",)]
    for bad in (0, -0.1, float("nan"), 11, True, "0.15"):
        with pytest.raises(StorageInputError) as e:
            reviews.flags(db, fac, rid, cost_share=bad)
        assert e.value.code == "bad_cost_share"


def test_no_frozen_version_no_baseline_no_flags(db, fac, round_id):
    edit(db, fac, round_id, "O1", cost=3000)
    assert reviews.baseline(db, fac, round_id) is None and reviews.flags(db, fac, round_id) == []
    with pytest.raises(StorageInputError) as e:
        reviews.close_flag(db, fac, round_id, "O1", "keep", "Skäl", version(db, fac, round_id))
    assert e.value.code == "no_baseline"


def test_the_decided_version_is_the_baseline_not_a_later_frozen_one(db, fac, rid):
    decided = versions.list_versions(db, fac, rid)[-1]
    order = [(o, r, t, None) for o, r, t in model_list(versions.load(db, fac, decided.id))]
    committee_store.record_decision(db, fac, rid, decided.id, DecisionRef("Samarbetskommittén", date(2026, 12, 10),
                                                                          "§ 7"), order)
    edit(db, fac, rid, "O1", cost=1500)
    later = versions.freeze(db, fac, rid, "Efter beslutet")  # holds 1500: it would show no change
    assert later.sha256 != decided.sha256
    assert reviews.baseline(db, fac, rid).sha256 == decided.sha256
    st = reviews.state(db, fac, rid)
    assert st.decided and st.version.name == "Underlag till Samarbetskommittén"
    assert [f.keys for f in st.open] == [("cost:1200→1500",)]


def test_closing_records_the_review_and_a_new_change_reopens_the_flag(db, fac, rid):
    edit(db, fac, rid, "O1", cost=1400, plan={**PLAN, "evidence": "plan"})
    before = version(db, fac, rid)
    # 23:30 UTC on New Year's Eve is already New Year's Day in Stockholm
    new = reviews.close_flag(db, fac, rid, "O1", "keep", "  Kostnaden ryms i ramen  ", before,
                             now=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert new == before + 1 == version(db, fac, rid)
    [flag] = reviews.flags(db, fac, rid)
    base = reviews.baseline(db, fac, rid)
    assert not flag.is_open
    r = flag.closed_by
    assert (r.baseline, r.changes, r.decision, r.reason, r.date, r.by) == (
        base.sha256, ("cost:1200→1400", "evidence:prestudy→plan"), "keep", "Kostnaden ryms i ramen",
        date(2027, 1, 1), "Facilitator")
    o1 = rounds.export_project(db, fac, rid).object("O1")
    assert o1.plan.reviews == (r,) and o1.status == "candidate"
    last = audit.entries(db, fac, rid, limit=1)[0]
    assert (last.action, last.target) == ("object.review", "O1") and '"decision": "keep"' in last.new_value
    # closed: closing again is refused
    with pytest.raises(StorageInputError) as e:
        reviews.close_flag(db, fac, rid, "O1", "keep", "Igen", new)
    assert e.value.code == "no_open_flag"
    # a new change opens it again, with every change since the baseline
    edit(db, fac, rid, "O1", cost=1600)
    [flag] = reviews.flags(db, fac, rid)
    assert flag.is_open and flag.keys == ("cost:1200→1600", "evidence:prestudy→plan")
    reviews.close_flag(db, fac, rid, "O1", "rescore", "Ny kalkyl", version(db, fac, rid))
    [flag] = reviews.flags(db, fac, rid)
    assert flag.closed_by.decision == "rescore"
    o1 = rounds.export_project(db, fac, rid).object("O1")
    assert len(o1.plan.reviews) == 2 and o1.status == "candidate"  # the facilitator reopens scoring


def test_remove_withdraws_the_object_and_keeps_its_data_and_scores(db, fac, rid):
    edit(db, fac, rid, "O1", cost=2000)
    scores_before = [s for s in rounds.export_project(db, fac, rid).scores if s.object == "O1"]
    assert scores_before
    reviews.close_flag(db, fac, rid, "O1", "remove", "Utgår ur planen", version(db, fac, rid))
    project = rounds.export_project(db, fac, rid)
    o1 = project.object("O1")
    assert o1.status == "withdrawn" and o1.cost == 2000 and o1.plan.stage == "adopted"
    assert o1.plan.reviews[-1].decision == "remove"
    assert [s for s in project.scores if s.object == "O1"] == scores_before
    [flag] = reviews.flags(db, fac, rid)
    assert not flag.is_open


def test_only_the_facilitator_closes_a_flag(db, fac, rid):
    edit(db, fac, rid, "O1", cost=1400)
    rounds.set_status(db, fac, rid, "scoring")
    v = version(db, fac, rid)
    outsider = Actor(FACILITATOR, "Facilitator", round_id=rid + 1)
    for actor in (participant(rid), viewer(rid), Actor(MUNICIPALITY, "Huddinge", round_id=rid,
                                                       municipality="huddinge"), outsider):
        was = stored(db, fac, rid)
        with pytest.raises(AccessDenied):
            reviews.close_flag(db, actor, rid, "O1", "keep", "Skäl", v)
        assert stored(db, fac, rid) == was
    # reading: a viewer and a municipality once past set-up; a participant only once locked
    assert [f.object for f in reviews.flags(db, viewer(rid), rid)] == ["O1"]
    assert reviews.baseline(db, Actor(MUNICIPALITY, "Huddinge", round_id=rid, municipality="huddinge"), rid)
    with pytest.raises(AccessDenied):
        reviews.flags(db, participant(rid), rid)
    with pytest.raises(AccessDenied):
        reviews.flags(db, viewer(rid + 1), rid)


def test_a_viewer_before_the_round_is_released_reads_nothing(db, fac, rid):
    with pytest.raises(AccessDenied) as e:
        reviews.baseline(db, viewer(rid), rid)
    assert e.value.code == "not_released"


def test_an_ended_session_writes_nothing(db, fac, rid):
    edit(db, fac, rid, "O1", cost=1400)
    cookie, signed_in = sessions.sign_in_facilitator(db, "Facilitator")
    sessions.end(db, cookie)
    was = stored(db, fac, rid)
    with pytest.raises(AccessDenied) as e:
        reviews.close_flag(db, signed_in, rid, "O1", "keep", "Skäl", version(db, fac, rid))
    assert e.value.code == "session_ended" and stored(db, fac, rid) == was


REFUSALS = [
    ("O1", "keep", "", "reason_missing"),
    ("O1", "keep", " \u200b\u2060\t\n", "reason_missing"),  # white space and invisible characters
    ("O1", "keep", None, "reason_missing"),
    ("O1", "keep", "x" * 5001, "bad_text"),
    ("O1", "behåll", "Skäl", "bad_decision"),
    ("O9", "keep", "Skäl", "no_such_object"),
    ("O2", "keep", "Skäl", "no_open_flag"),  # unchanged since the baseline
]


def test_bad_input_is_refused_with_a_code_and_changes_nothing(db, fac, rid):
    edit(db, fac, rid, "O1", cost=1400)
    was = stored(db, fac, rid)
    for object_id, decision, reason, code in REFUSALS:
        with pytest.raises(StorageInputError) as e:
            reviews.close_flag(db, fac, rid, object_id, decision, reason, version(db, fac, rid))
        assert e.value.code == code, (object_id, decision, reason)
        assert stored(db, fac, rid) == was


def test_a_stale_row_version_is_refused(db, fac, rid):
    edit(db, fac, rid, "O1", cost=1400)
    was = stored(db, fac, rid)
    with pytest.raises(StaleWrite):
        reviews.close_flag(db, fac, rid, "O1", "keep", "Skäl", version(db, fac, rid) - 1)
    assert stored(db, fac, rid) == was


def test_two_facilitators_closing_at_once_one_is_refused(db, fac, rid, monkeypatch):
    edit(db, fac, rid, "O1", cost=1400)
    v = version(db, fac, rid)
    _slow_validation(monkeypatch)
    out = _together(lambda: reviews.close_flag(db, fac, rid, "O1", "keep", "A behåller", v),
                    lambda: reviews.close_flag(db, fac, rid, "O1", "remove", "B tar bort", v))
    monkeypatch.undo()
    assert sorted(type(o).__name__ for o in out) == ["StaleWrite", "int"], out
    o1 = rounds.export_project(db, fac, rid).object("O1")
    assert len(o1.plan.reviews) == 1 and version(db, fac, rid) == v + 1
    assert o1.status == ("candidate" if isinstance(out[0], int) else "withdrawn")
