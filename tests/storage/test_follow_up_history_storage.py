"""Follow-up history and the bulk status update in storage (issue 14): every recorded or removed
step appends to the track's history; record_steps writes all rows in one audited transaction or
none; facilitator only; stale refused. SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest

from prioritization import projectfile
from prioritization.errors import ProjectFileError
from prioritization.storage import audit, rounds
from prioritization.storage import timeline as store
from prioritization.storage.access import AccessDenied
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.timeline import follow_up as fmt
from prioritization.timeline.follow_up import FollowUpStep, HistoryEntry, latest_step
from tests.conftest import EXAMPLE
from tests.storage.conftest import participant, viewer

TODAY = date(2026, 6, 1)


@pytest.fixture
def rid(db, fac):
    return rounds.import_project(db, fac, projectfile.load(EXAMPLE))


@pytest.fixture
def clock(monkeypatch):
    """store.history_time ticks one minute per call from 2026-05-04 09:00 UTC."""
    ticks = iter(range(1000))
    monkeypatch.setattr(store, "history_time", lambda: datetime(2026, 5, 4, 9, next(ticks), tzinfo=UTC))


def track(db, fac, rid, oid):
    return next((f for f in store.follow_ups(db, fac, rid) if f.object == oid), None)


def history(db, fac, rid, oid):
    return [(h.action, h.step, h.date, h.by) for h in track(db, fac, rid, oid).history]


def test_recording_and_removing_steps_appends_to_the_history(db, fac, rid, clock):
    assert track(db, fac, rid, "SOD-01").history == ()  # the example file has none: still valid
    store.record_step(db, fac, rid, "SOD-01", "construction_decision", date(2024, 6, 1), precision="month",
                      source="Regeringsbeslut")
    store.set_responsible(db, fac, rid, "SOD-01", "Huddinge kommun")  # no step change: no history entry
    store.record_step(db, fac, rid, "SOD-01", "rework", date(2025, 10, 1), note="Kostnaden steg")
    store.record_step(db, fac, rid, "SOD-01", "construction_decision", date(2026, 3, 1))  # decided again
    store.record_step(db, fac, rid, "SOD-01", "construction_decision", date(2026, 3, 1))  # unchanged: nothing
    store.remove_step(db, fac, rid, "SOD-01", "rework")
    t = track(db, fac, rid, "SOD-01")
    assert [(h.action, h.step, h.date) for h in t.history] == [
        ("set", "construction_decision", date(2024, 6, 1)),
        ("set", "rework", date(2025, 10, 1)),
        ("set", "construction_decision", date(2026, 3, 1)),
        ("removed", "rework", date(2025, 10, 1)),
    ]
    first, _, _, removed = t.history
    assert (first.precision, first.source, first.by) == ("month", "Regeringsbeslut", "Facilitator")
    assert removed.note == "Kostnaden steg"  # the step as it was when removed
    assert [h.at for h in t.history] == [datetime(2026, 5, 4, 9, m, tzinfo=UTC) for m in (0, 2, 3, 4)]  # minute 1: the responsible
    assert t.step("construction_decision").date == date(2026, 3, 1) and t.step("rework") is None
    # the stored file carries it: export and read back
    exported = rounds.export_project(db, fac, rid)
    assert projectfile.loads(projectfile.dumps(exported), require_complete=False).follow_up_of("SOD-01") == t
    assert projectfile.to_dict(exported)["follow_up"][0]["history"][0]["at"] == "2026-05-04T09:00:00+00:00"


def test_set_follow_up_appends_the_changes_and_keeps_the_stored_history(db, fac, rid, clock):
    v = store.record_step(db, fac, rid, "SOD-01", "opened", date(2026, 1, 1))
    current = track(db, fac, rid, "SOD-01")
    forged = (HistoryEntry(datetime(2020, 1, 1, tzinfo=UTC), "Någon", "set", "avs_done", date(2020, 1, 1)),)
    edited = current.without_step("opened").with_step(FollowUpStep("consultation", date(2023, 5, 1))).replace(
        history=forged)
    new_track = fmt.to_dict(fmt.FollowUp("SOD-12", "Haninge kommun", (FollowUpStep("removed", date(2026, 4, 28)),)))
    store.set_follow_up(db, fac, rid, [edited, new_track], expected_row_version=v)
    assert history(db, fac, rid, "SOD-01") == [
        ("set", "opened", date(2026, 1, 1), "Facilitator"),
        ("set", "consultation", date(2023, 5, 1), "Facilitator"),
        ("removed", "opened", date(2026, 1, 1), "Facilitator"),
    ]
    assert history(db, fac, rid, "SOD-12") == [("set", "removed", date(2026, 4, 28), "Facilitator")]
    with pytest.raises(StaleWrite):
        store.set_follow_up(db, fac, rid, [current], expected_row_version=v)
    with pytest.raises(ProjectFileError, match=r"follow_up\[0\]\.history\[0\]\.at"):
        store.set_follow_up(db, fac, rid, [{"object": "SOD-01", "history": [{"at": "i går"}]}],
                            expected_row_version=v + 1)


ROWS = [
    {"object": "SOD-01", "step": "construction_decision", "date": date(2024, 6, 1), "precision": "month",
     "note": "Byggstart år 1–3", "source": "Regeringsbeslut 2024"},
    {"object": "SOD-12", "step": "national_plan", "date": date(2026, 4, 28)},
    {"object": "SOD-12", "step": "agreement_signed", "date": date(2025, 1, 1), "precision": "year"},
    {"object": "SOD-01", "step": "plan_approved", "date": date(2024, 1, 1), "precision": "month",
     "note": "Rättad anteckning"},  # replaces the recorded step (a changed note)
]


def test_bulk_update_writes_every_row_in_one_audited_transaction(db, fac, rid, clock):
    n_audit = len(audit.entries(db, fac, rid))
    tracked = [f.object for f in store.follow_ups(db, fac, rid)]
    assert "SOD-12" not in tracked
    v = store.record_steps(db, fac, rid, ROWS, expected_row_version=1, today=TODAY)
    assert v == 2  # one write
    sod01, sod12 = track(db, fac, rid, "SOD-01"), track(db, fac, rid, "SOD-12")
    assert sod01.step("construction_decision") == FollowUpStep("construction_decision", date(2024, 6, 1), "month",
                                                               "Byggstart år 1–3", "Regeringsbeslut 2024")
    assert sod01.step("plan_approved").note == "Rättad anteckning"
    assert latest_step(sod01).step == "construction_decision"
    assert [s.step for s in sod12.steps] == ["agreement_signed", "national_plan"]
    assert [f.object for f in store.follow_ups(db, fac, rid)] == [*tracked, "SOD-12"]  # a new track at the end
    entries = audit.entries(db, fac, rid)[: len(audit.entries(db, fac, rid)) - n_audit]
    assert sorted((e.action, e.target) for e in entries) == [("followup.step", "SOD-01")] * 2 + [
        ("followup.step", "SOD-12")] * 2
    assert {h.at for h in sod01.history + sod12.history} == {datetime(2026, 5, 4, 9, 0, tzinfo=UTC)}
    assert [(h.action, h.step) for h in sod01.history] == [("set", "plan_approved"), ("set", "construction_decision")]
    # the same rows again change nothing
    assert store.record_steps(db, fac, rid, ROWS, expected_row_version=2, today=TODAY) == 2


@pytest.mark.parametrize("bad, problem", [
    ({"object": "SOD-99", "step": "opened", "date": date(2024, 1, 1)}, "row 3: there is no object 'SOD-99'"),
    ({"object": "SOD-01", "step": "inaugurated", "date": date(2024, 1, 1)}, "row 3: unknown step 'inaugurated'"),
    ({"object": "SOD-01", "step": "opened", "date": "2024-01-01"}, "row 3: a step needs a date"),
    ({"object": "SOD-01", "step": "opened", "date": date(2026, 6, 2)}, "row 3: 2026-06-02 is in the future"),
    ({"object": "SOD-12", "step": "national_plan", "date": date(2024, 1, 1)}, "row 3: SOD-12 national_plan is also on row 2"),
])
def test_bulk_update_with_one_bad_row_writes_nothing(db, fac, rid, bad, problem):
    before = store.state(db, fac, rid)
    n_audit = len(audit.entries(db, fac, rid))
    rows = [*ROWS[:2], bad, *ROWS[2:]]
    with pytest.raises(StorageInputError) as e:
        store.record_steps(db, fac, rid, rows, expected_row_version=1, today=TODAY)
    assert e.value.code == "bad_step_rows" and problem in str(e.value)
    assert store.state(db, fac, rid) == before
    assert len(audit.entries(db, fac, rid)) == n_audit


def test_bulk_update_is_for_the_facilitator_and_refuses_a_stale_page(db, fac, rid):
    for actor in (participant(rid, "p-huddinge"), viewer(rid)):
        with pytest.raises(AccessDenied):
            store.record_steps(db, actor, rid, ROWS, expected_row_version=1, today=TODAY)
    store.set_responsible(db, fac, rid, "SOD-01", "Någon annan")  # row version 2
    middle = store.state(db, fac, rid)
    with pytest.raises(StaleWrite):
        store.record_steps(db, fac, rid, ROWS, expected_row_version=1, today=TODAY)
    assert store.state(db, fac, rid) == middle
