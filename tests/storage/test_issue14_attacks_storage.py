"""Hostile review of issue 14's storage writes (SQLite and PostgreSQL): a page left open after
signing out, a plan decision dated after today, a verification date still to come, a facilitator
choosing the cost-share threshold to hide a change, and what a viewer reads of the baseline before
the round is locked. Each refused write leaves the round, its row version and its audit log as
they were."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from prioritization.errors import ProjectFileError
from prioritization.planning import plan_changes as pc
from prioritization.storage import audit, plan_import, planning, reviews, rounds, sessions, versions
from prioritization.storage import timeline as store
from prioritization.storage.access import AccessDenied
from prioritization.storage.errors import StorageInputError
from tests.storage.conftest import viewer
from tests.storage.test_write_races import _slow_validation, _together

NP, PERIOD = "NP", "2026–2037"


def version(db, fac, rid) -> int:
    return rounds.round_info(db, fac, rid)["row_version"]


def stored(db, fac, rid) -> tuple:
    """Everything a refused write must leave as it was."""
    return rounds.export_project(db, fac, rid), version(db, fac, rid), len(audit.entries(db, fac, rid))


def signed_out(db):
    """A facilitator actor whose browser session has ended (the page is still open)."""
    token, actor = sessions.sign_in_facilitator(db, "Facilitator")
    sessions.end(db, token)
    return actor


def a_report(db, fac, rid, decided: date) -> pc.Report:
    """A plan list putting O2 (confirmed by name) in phase "byggstart år 1–3" decided on ``decided``."""
    project = rounds.setup_project(db, fac, rid)
    src = pc.ImportSource(NP, PERIOD, decided, "https://example.org/bilaga1.xlsx")
    row = pc.ListRow(2, "TST002", project.object("O2").name, "start_1_3", 800)
    report = pc.report([row], project.objects, src, confirmed={2: "O2"})
    assert [c.object_id for c in report.writes] == ["O2"] and pc.steps_to_record(report, project.follow_up)
    return report


def test_a_bulk_update_from_a_signed_out_page_writes_nothing(db, fac, round_id):
    was = stored(db, fac, round_id)
    with pytest.raises(AccessDenied) as e:
        store.record_steps(db, signed_out(db), round_id,
                           [{"object": "O1", "step": "national_plan", "date": date(2025, 1, 1)}], version(db, fac, round_id))
    assert e.value.code == "session_ended"
    assert stored(db, fac, round_id) == was


def test_a_plan_import_from_a_signed_out_page_writes_nothing(db, fac, round_id):
    report = a_report(db, fac, round_id, date(2026, 4, 28))
    was = stored(db, fac, round_id)
    with pytest.raises(AccessDenied) as e:
        plan_import.apply(db, signed_out(db), round_id, report, version(db, fac, round_id))
    assert e.value.code == "session_ended"
    assert stored(db, fac, round_id) == was


def test_a_plan_decision_dated_after_today_records_no_step(db, fac, round_id):
    # the page refuses the date, but storage is the last line: record_steps refuses a step after
    # today, and the import would have recorded "byggstartsbeslut" on a day still to come
    report = a_report(db, fac, round_id, date.today() + timedelta(days=400))
    was = stored(db, fac, round_id)
    with pytest.raises(StorageInputError) as e:
        plan_import.apply(db, fac, round_id, report, version(db, fac, round_id))
    assert e.value.code == "plan_decided_future"
    assert stored(db, fac, round_id) == was


def test_facts_cannot_be_verified_on_a_day_still_to_come(db, fac, round_id):
    was = stored(db, fac, round_id)
    with pytest.raises(ProjectFileError) as e:
        planning.set_verified(db, fac, round_id, "O1", date.today() + timedelta(days=30), "Bo", version(db, fac, round_id))
    assert [p.path for p in e.value.problems] == ["objects[0].plan.verified.date"]
    assert stored(db, fac, round_id) == was
    planning.set_verified(db, fac, round_id, "O1", date.today() - timedelta(days=1), "Bo", version(db, fac, round_id))


def test_a_chosen_threshold_cannot_close_a_change_it_hides(db, fac, round_id):
    """Closing with a cost share so large that the cost rise is not a change records only the
    evidence change; with the threshold everyone reads with, the flag (cost and evidence) stays open."""
    v = planning.set_object_plan(db, fac, round_id, "O1", {"evidence": "prestudy"}, version(db, fac, round_id))
    versions.freeze(db, fac, round_id, "Baslinje")
    doc = rounds.setup_document(db, fac, round_id)
    objects = [dict(o, cost=o["cost"] * 2) if o["id"] == "O1" else o for o in doc["objects"]]
    v = rounds.replace_setup(db, fac, round_id, {"objects": objects}, version(db, fac, round_id))
    v = planning.set_object_plan(db, fac, round_id, "O1", {"evidence": "plan"}, v)
    [flag] = reviews.flags(db, fac, round_id)
    assert [c.code for c in flag.changes] == ["cost", "evidence"]
    reviews.close_flag(db, fac, round_id, "O1", "keep", "Bara kalkylen", v, cost_share=10)
    review = rounds.export_project(db, fac, round_id).object("O1").plan.reviews[-1]
    assert review.changes == ("evidence:prestudy→plan",)
    [flag] = reviews.flags(db, fac, round_id)
    assert flag.is_open and [c.code for c in flag.changes] == ["cost", "evidence"]


def test_a_viewer_reads_the_baseline_frozen_during_scoring_without_names(db, fac, round_id):
    rounds.set_status(db, fac, round_id, "scoring")
    versions.freeze(db, fac, round_id, "Under poängsättningen")
    named = {p.id for p in rounds.export_project(db, fac, round_id).participants}
    base = reviews.baseline(db, viewer(round_id), round_id)
    assert base is not None and base.project.scores
    seen = {s.participant for s in base.project.scores if s.participant is not None}
    assert seen and not seen & named
    assert not {p.name for p in base.project.participants} & {
        p.name for p in rounds.export_project(db, fac, round_id).participants}



def test_a_plan_import_and_a_bulk_update_at_once_one_is_refused_and_nothing_is_lost(db, fac, round_id, monkeypatch):
    report = a_report(db, fac, round_id, date(2026, 4, 28))
    v = version(db, fac, round_id)
    entries = len(audit.entries(db, fac, round_id))
    _slow_validation(monkeypatch)
    out = _together(lambda: plan_import.apply(db, fac, round_id, report, v),
                    lambda: store.record_steps(db, fac, round_id, [{"object": "O1", "step": "national_plan",
                                                                     "date": date(2025, 1, 1)}], v))
    monkeypatch.undo()
    assert sorted(type(o).__name__ for o in out) == ["StaleWrite", "int"], out
    assert version(db, fac, round_id) == v + 1
    tracks = {f.object: f for f in store.follow_ups(db, fac, round_id)}
    if isinstance(out[0], int):  # the import won: O2's reference and step, nothing of the bulk update
        assert set(tracks) == {"O2"} and rounds.export_project(db, fac, round_id).object("O2").plan.refs
        assert len(audit.entries(db, fac, round_id)) == entries + 3  # plan.import, plan.ref, followup.step
    else:
        assert set(tracks) == {"O1"} and not rounds.export_project(db, fac, round_id).object("O2").plan.refs
        assert len(audit.entries(db, fac, round_id)) == entries + 1


def test_the_plan_editor_cannot_erase_a_closed_re_evaluation(db, fac, round_id):
    v = planning.set_object_plan(db, fac, round_id, "O1", {"evidence": "prestudy"}, version(db, fac, round_id))
    versions.freeze(db, fac, round_id, "Baslinje")
    v = planning.set_object_plan(db, fac, round_id, "O1", {"evidence": "plan"}, v)
    v = reviews.close_flag(db, fac, round_id, "O1", "keep", "Utredningen bekräftar nyttan", v)
    assert not reviews.flags(db, fac, round_id)[0].is_open
    planning.set_object_plan(db, fac, round_id, "O1", {"evidence": "plan", "stage_note": "ny anteckning"}, v)
    assert not reviews.flags(db, fac, round_id)[0].is_open  # the decision recorded still closes the flag
