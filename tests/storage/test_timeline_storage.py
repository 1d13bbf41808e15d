"""Storage of milestones and follow-up: facilitator-only audited edits, validation, migration 0003."""

from datetime import date

import pytest
from sqlalchemy import inspect, select

from prioritization import projectfile
from prioritization.errors import ProjectFileError
from prioritization.storage import audit, rounds, versions
from prioritization.storage import timeline as store
from prioritization.storage.access import AccessDenied
from prioritization.storage.database import Database, migrate
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.storage.schema import FollowUp as FollowUpRow
from prioritization.timeline.follow_up import latest_step
from tests.conftest import EXAMPLE
from tests.storage.conftest import participant, viewer


@pytest.fixture
def rid(db, fac):
    return rounds.import_project(db, fac, projectfile.load(EXAMPLE))


def actions(db, fac, rid) -> list[tuple[str, str | None]]:
    return [(e.action, e.target) for e in reversed(audit.entries(db, fac, rid))]


def test_import_keeps_milestones_and_follow_up(db, fac, rid):
    original = projectfile.load(EXAMPLE)
    st = store.state(db, viewer(rid), rid)  # the committee may read the timeline
    assert st.milestones == original.milestones and st.follow_up == original.follow_up
    assert st.row_version == 1
    with db.reader() as s:
        assert [r.key for r in s.scalars(select(FollowUpRow).where(FollowUpRow.round_id == rid))] == ["SOD-01"]


def test_update_status_and_note_is_audited_and_bumps_the_row_version(db, fac, rid):
    v = store.update_milestone(db, fac, rid, "E10", status="done", note="Fastställd 2026-06-18 (exempel)")
    assert v == 2
    m = rounds.export_project(db, fac, rid).milestone("E10")
    assert (m.status, m.note) == ("done", "Fastställd 2026-06-18 (exempel)")
    assert actions(db, fac, rid)[-1] == ("milestone.update", "E10")
    last = audit.entries(db, fac, rid, limit=1)[0]
    assert '"status": "planned"' in last.old_value and '"status": "done"' in last.new_value
    # a set-up page holding the old copy cannot overwrite the change
    with pytest.raises(StaleWrite):
        rounds.replace_setup(db, fac, rid, {"name": "x"}, expected_row_version=1)
    with pytest.raises(StaleWrite):
        store.update_milestone(db, fac, rid, "E10", status="late", expected_row_version=1)
    # an unchanged value writes nothing
    assert store.update_milestone(db, fac, rid, "E10", status="done") == 2
    assert store.update_milestone(db, fac, rid, "E10", note="  ") == 3  # blank removes the note
    assert rounds.export_project(db, fac, rid).milestone("E10").note is None


def test_only_the_facilitator_writes(db, fac, rid):
    for actor in (participant(rid, "p-huddinge"), viewer(rid)):
        with pytest.raises(AccessDenied):
            store.update_milestone(db, actor, rid, "E10", status="done")
        with pytest.raises(AccessDenied):
            store.record_step(db, actor, rid, "SOD-01", "opened", date(2030, 1, 1))
        with pytest.raises(AccessDenied):
            store.apply_template(db, actor, rid, 2030, 1)
    with pytest.raises(AccessDenied):
        store.state(db, viewer(rid + 1), rid)
    assert store.state(db, fac, rid).row_version == 1


def test_bad_edits_name_the_problem_and_write_nothing(db, fac, rid):
    cases = [
        (lambda: store.update_milestone(db, fac, rid, "M99", status="done"), "no_such_milestone"),
        (lambda: store.update_milestone(db, fac, rid, "M01", status="klar"), "bad_milestone_status"),
        (lambda: store.attach_phase(db, fac, rid, "M04", 3), "bad_phase"),
        (lambda: store.attach_version(db, fac, rid, "M09", 999), "no_such_version"),
        (lambda: store.record_step(db, fac, rid, "SOD-99", "opened", date(2030, 1, 1)), "no_such_object"),
        (lambda: store.record_step(db, fac, rid, "SOD-01", "inaugurated", date(2030, 1, 1)), "unknown_step"),
        (lambda: store.record_step(db, fac, rid, "SOD-01", "opened", "2030-01-01"), "bad_date"),
        (lambda: store.apply_template(db, fac, rid, 1999, 1), "bad_plan_year"),
    ]
    for call, code in cases:
        with pytest.raises(StorageInputError) as e:
            call()
        assert e.value.code == code
    bad = list(store.milestones(db, fac, rid))
    bad[3] = bad[3].replace(end=date(2023, 1, 1))
    with pytest.raises(ProjectFileError, match=r"milestones\[3\]\.end: 2023-01-01 is before start 2023-04-28"):
        store.set_milestones(db, fac, rid, bad, expected_row_version=1)
    assert store.state(db, fac, rid).milestones == projectfile.load(EXAMPLE).milestones
    assert store.state(db, fac, rid).row_version == 1


def test_attach_a_frozen_version_and_a_scoring_phase(db, fac, rid):
    other = rounds.import_project(db, fac, projectfile.load(EXAMPLE))
    v = versions.freeze(db, fac, rid, "Underlag till Samarbetskommittén")
    foreign = versions.freeze(db, fac, other, "Annan omgång")
    with pytest.raises(StorageInputError, match="no version"):
        store.attach_version(db, fac, rid, "M09", foreign.id)
    store.attach_version(db, fac, rid, "M09", v.id)
    n = store.attach_version(db, fac, rid, "M09", v.id)  # twice: no change
    assert store.state(db, fac, rid).row_version == n == 2
    store.attach_phase(db, fac, rid, "M07", 1)
    m9, m7 = (rounds.export_project(db, fac, rid).milestone(k) for k in ("M09", "M07"))
    assert m9.links.versions == (v.sha256,)
    assert m7.links.phases == ("2", "1")
    # the version's own file is untouched: its hash still checks
    assert projectfile.sha256(versions.load(db, fac, v.id)) == v.sha256
    store.detach_version(db, fac, rid, "M09", v.sha256)
    store.detach_phase(db, fac, rid, "M07", 2)
    m9, m7 = (rounds.export_project(db, fac, rid).milestone(k) for k in ("M09", "M07"))
    assert m9.links.versions == () and m7.links.phases == ("1",)
    assert [a for a, _ in actions(db, fac, rid)].count("milestone.link") == 2


def test_follow_up_steps_and_responsible(db, fac, rid):
    store.record_step(db, fac, rid, "SOD-12", "regional_plan", date(2022, 9, 1), precision="month",
                      note="Finansierat i LP 2022–2033", source="S14")
    store.set_responsible(db, fac, rid, "SOD-12", "Haninge kommun (exempel)")
    tracks = {f.object: f for f in store.follow_ups(db, fac, rid)}
    assert list(tracks) == ["SOD-01", "SOD-12"]
    assert tracks["SOD-12"].responsible == "Haninge kommun (exempel)"
    assert latest_step(tracks["SOD-12"]).step == "regional_plan"
    store.record_step(db, fac, rid, "SOD-01", "construction_started", date(2024, 9, 1), precision="month")
    assert latest_step(store.follow_ups(db, fac, rid)[0]).step == "construction_started"
    store.record_step(db, fac, rid, "SOD-01", "construction_started", date(2025, 3, 1))  # corrected
    sod01 = store.follow_ups(db, fac, rid)[0]
    assert sod01.step("construction_started").date == date(2025, 3, 1)
    assert [s.step for s in sod01.steps].count("construction_started") == 1
    store.remove_step(db, fac, rid, "SOD-01", "construction_started")
    assert latest_step(store.follow_ups(db, fac, rid)[0]).step == "plan_approved"
    store.stop_follow_up(db, fac, rid, "SOD-12")
    assert [f.object for f in store.follow_ups(db, fac, rid)] == ["SOD-01"]
    assert [a for a, t in actions(db, fac, rid) if a.startswith("followup.")] == [
        "followup.step", "followup.responsible", "followup.step", "followup.step", "followup.step_removed",
        "followup.remove"]
    exported = rounds.export_project(db, fac, rid)
    assert projectfile.loads(projectfile.dumps(exported), require_complete=False) == exported


def test_removing_an_object_removes_its_follow_up(db, fac, rid):
    doc = projectfile.to_dict(rounds.export_project(db, fac, rid))
    objects = [o for o in doc["objects"] if o["id"] != "SOD-01"]
    rounds.replace_setup(db, fac, rid, {"objects": objects}, expected_row_version=1)
    assert store.follow_ups(db, fac, rid) == ()
    with db.reader() as s:
        assert s.scalars(select(FollowUpRow).where(FollowUpRow.round_id == rid)).all() == []


def test_template_replaces_the_milestones(db, fac, rid):
    v = store.apply_template(db, fac, rid, 2030, expected_row_version=1)
    ms = store.milestones(db, fac, rid)
    decision = next(m for m in ms if m.decision)
    assert (decision.start, decision.end) == (date(2027, 12, 1), date(2028, 2, 29))
    assert actions(db, fac, rid)[-1] == ("setup.milestones", None)
    # then adjusted by hand: the committee meeting got its day
    edited = [m.replace(start=date(2027, 3, 18), end=date(2027, 3, 18), precision="day") if m.id == "M01" else m
              for m in ms]
    store.set_milestones(db, fac, rid, edited, expected_row_version=v)
    assert store.state(db, fac, rid).milestones[1].start == date(2027, 3, 18)


def test_migration_0003_up_and_down(tmp_path):
    db = Database.open(f"sqlite:///{tmp_path / 'm.db'}")
    assert "follow_ups" in inspect(db.engine).get_table_names()
    migrate(db.engine, "0002", down=True)
    assert "follow_ups" not in inspect(db.engine).get_table_names()
    db.dispose()
    again = Database.open(f"sqlite:///{tmp_path / 'm.db'}")
    assert "follow_ups" in inspect(again.engine).get_table_names()
    again.dispose()


def test_simultaneous_edits_of_different_milestones_and_tracks_are_all_kept(db, fac, rid):
    """Two facilitators' tabs edit at the same moment: the round is locked per edit, so no edit
    overwrites another (each reads the round after the previous one committed)."""
    import threading

    barrier = threading.Barrier(8)
    errors: list[str] = []
    ids = ["E10", "E11", "E12", "M01"]
    steps = ["regional_plan", "avs_done", "opened", "construction_started"]

    def edit(k: int) -> None:
        try:
            barrier.wait()
            if k < 4:
                store.update_milestone(db, fac, rid, ids[k], note=f"anteckning {k}")
            else:
                store.record_step(db, fac, rid, "SOD-12" if k % 2 else "SOD-01", steps[k - 4], date(2030, 1, k))
        except Exception as e:  # noqa: BLE001
            errors.append(f"{k}: {type(e).__name__}: {e}")

    threads = [threading.Thread(target=edit, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    st = store.state(db, fac, rid)
    notes = {m.id: m.note for m in st.milestones}
    assert [notes[i] for i in ids] == [f"anteckning {k}" for k in range(4)]
    tracks = {f.object: {s.step for s in f.steps} for f in st.follow_up}
    assert tracks["SOD-12"] == {"avs_done", "construction_started"}
    assert {"regional_plan", "opened"} <= tracks["SOD-01"]
    assert st.row_version == 1 + 8
