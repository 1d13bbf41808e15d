"""Rounds: lossless import/export, set-up edits, the Delphi status flow."""

import pytest
from sqlalchemy import func, select

from prioritization import projectfile
from prioritization.errors import ProjectFileError
from prioritization.storage import rounds, scores
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.storage.schema import Score
from tests.conftest import EXAMPLE, FIXTURES


@pytest.mark.parametrize("path", [EXAMPLE, FIXTURES / "small-round.json", FIXTURES / "aircraft.json"])
def test_export_import_export_is_lossless(db, fac, path):
    original = projectfile.load(path)
    rid = rounds.import_project(db, fac, original)
    exported = rounds.export_project(db, fac, rid)
    assert projectfile.dumps(exported) == projectfile.dumps(original)
    rid2 = rounds.import_project(db, fac, exported)
    assert projectfile.dumps(rounds.export_project(db, fac, rid2)) == projectfile.dumps(original)


def test_several_rounds_live_side_by_side(db, fac, round_id):
    other = rounds.import_project(db, fac, projectfile.load(EXAMPLE))
    listed = rounds.list_rounds(db, fac)
    assert [r.id for r in listed] == [round_id, other]
    assert listed[1].n_objects == 15 and listed[1].data_label == "Exempeldata"


def test_status_flow_and_second_round_copies_scores(db, fac, round_id):
    with pytest.raises(StorageInputError, match="cannot go from 'setup' to 'locked'"):
        rounds.set_status(db, fac, round_id, "locked")
    for st in ("scoring", "revealed", "second_round"):
        rounds.set_status(db, fac, round_id, st)
    with db.reader() as s:
        n1 = s.scalar(select(func.count()).select_from(Score).where(Score.phase == 1))
        n2 = s.scalar(select(func.count()).select_from(Score).where(Score.phase == 2))
    assert n1 == n2 == 27
    from tests.storage.conftest import participant

    scores.save_score(db, participant(round_id, "p1"), round_id, "O1", "K1", 2)
    exported = rounds.export_project(db, fac, round_id)
    cell = [s.value for s in exported.scores if (s.object, s.criterion, s.participant) == ("O1", "K1", "p1")]
    assert cell == [2.0]  # the export carries the latest phase
    rounds.set_status(db, fac, round_id, "locked")
    assert rounds.list_rounds(db, fac)[0].status == "locked"


def test_replace_setup_validates_whole_round_and_keeps_scores(db, fac, round_id):
    p = rounds.export_project(db, fac, round_id)
    doc = projectfile.to_dict(p)
    objects = doc["objects"]
    objects[0]["name"] = "Ny bro"
    v = rounds.replace_setup(db, fac, round_id, {"objects": objects}, expected_row_version=1)
    after = rounds.export_project(db, fac, round_id)
    assert after.object("O1").name == "Ny bro"
    assert len(after.scores) == len(p.scores)  # scores kept: same keys
    with pytest.raises(StaleWrite):
        rounds.replace_setup(db, fac, round_id, {"name": "x"}, expected_row_version=1)
    # an invalid change is rejected as a whole and nothing is written
    crits = doc["criteria"]
    crits[0]["scale"] = [5, 1]
    with pytest.raises(ProjectFileError, match=r"criteria\[0\].scale"):
        rounds.replace_setup(db, fac, round_id, {"criteria": crits, "name": "Borde inte sparas"}, expected_row_version=v)
    unchanged = rounds.export_project(db, fac, round_id)
    assert projectfile.dumps(unchanged) == projectfile.dumps(after)


def test_removing_an_object_removes_its_scores(db, fac, round_id):
    doc = projectfile.to_dict(rounds.export_project(db, fac, round_id))
    rounds.replace_setup(db, fac, round_id, {"objects": [o for o in doc["objects"] if o["id"] != "O3"]}, 1)
    after = rounds.export_project(db, fac, round_id)
    assert all(s.object != "O3" for s in after.scores)
    assert [o.id for o in after.objects] == ["O1", "O2", "O4"]


def test_delete_round(db, fac, round_id):
    rounds.delete_round(db, fac, round_id)
    assert rounds.list_rounds(db, fac) == []
    with pytest.raises(StorageInputError, match="there is no round"):
        rounds.export_project(db, fac, round_id)


def test_own_weights(db, fac, round_id):
    from prioritization.storage.access import AccessDenied
    from tests.storage.conftest import participant, viewer

    p1 = participant(round_id, "p1")
    w = {"method": "direct", "points": {"K1": 50, "K2": 30, "K3": 20}}
    rounds.set_own_weights(db, p1, round_id, w)
    assert rounds.participant_weights(db, fac, round_id) == {"p1": w, "p2": None, "p3": None}
    assert rounds.participant_weights(db, participant(round_id, "p2"), round_id) == {"p2": None}
    with pytest.raises(ProjectFileError, match="weights.points.K9"):
        rounds.set_own_weights(db, p1, round_id, {"method": "direct", "points": {"K1": 1, "K2": 1, "K3": 1, "K9": 1}})
    with pytest.raises(AccessDenied):
        rounds.set_own_weights(db, fac, round_id, w)
    with pytest.raises(AccessDenied):
        rounds.participant_weights(db, viewer(round_id), round_id)


def test_setup_document_has_no_scores(db, fac, round_id):
    from tests.storage.conftest import participant

    doc = rounds.setup_document(db, participant(round_id), round_id)
    assert "scores" not in doc and [c["id"] for c in doc["criteria"]] == ["K1", "K2", "K3"]
    assert rounds.round_info(db, fac, round_id)["status"] == "setup"


def test_own_weights_survive_export_and_import(db, fac, round_id):
    from tests.storage.conftest import participant

    w = {"method": "direct", "points": {"K1": 50, "K2": 30, "K3": 20}}
    rounds.set_own_weights(db, participant(round_id, "p2"), round_id, w)
    exported = rounds.export_project(db, fac, round_id)
    assert exported.participants[1].weights.points == {"K1": 50.0, "K2": 30.0, "K3": 20.0}
    rid2 = rounds.import_project(db, fac, exported)
    assert rounds.participant_weights(db, fac, rid2)["p2"] == w
    assert projectfile.dumps(rounds.export_project(db, fac, rid2)) == projectfile.dumps(exported)
    # editing the participants table (no weights in the edited rows) keeps them
    rows = [{"id": p.id, "name": p.name} for p in exported.participants]
    rounds.replace_setup(db, fac, rid2, {"participants": rows}, 1)
    assert rounds.participant_weights(db, fac, rid2)["p2"] == w


def test_stale_own_weights_are_kept_but_not_exported(db, fac, round_id):
    from tests.storage.conftest import participant

    w = {"method": "direct", "points": {"K1": 5, "K2": 3, "K3": 2}}
    rounds.set_own_weights(db, participant(round_id, "p1"), round_id, w)
    doc = rounds.setup_document(db, fac, round_id)
    rounds.replace_setup(db, fac, round_id, {"criteria": doc["criteria"][:2],
                                             "weights": {"method": "direct", "points": {"K1": 1, "K2": 1}},
                                             "weight_profiles": []}, 1)
    assert rounds.participant_weights(db, fac, round_id)["p1"] == w  # kept: the participant is asked to update
    exported = rounds.export_project(db, fac, round_id)  # the file stays valid
    assert exported.participants[0].weights is None


def test_tiers_are_stored_validated_and_follow_removed_objects(db, fac, round_id):
    t = {"levels": [{"label": "A", "through_rank": 1}, {"label": "B"}], "assigned": {"O3": "A", "O2": "B"}}
    v = rounds.replace_setup(db, fac, round_id, {"tiers": t}, expected_row_version=1)
    p = rounds.export_project(db, fac, round_id)
    assert p.tiers.assigned == {"O3": "A", "O2": "B"} and p.tiers.labels == ("A", "B")
    with pytest.raises(ProjectFileError, match=r"tiers.levels\[1\].label"):
        rounds.replace_setup(db, fac, round_id, {"tiers": {"levels": [{"label": "A"}, {"label": "A"}]}}, v)
    assert rounds.export_project(db, fac, round_id).tiers == p.tiers  # nothing half-written
    doc = projectfile.to_dict(p)
    v = rounds.replace_setup(db, fac, round_id, {"objects": [o for o in doc["objects"] if o["id"] != "O3"]}, v)
    assert rounds.export_project(db, fac, round_id).tiers.assigned == {"O2": "B"}
    rounds.replace_setup(db, fac, round_id, {"tiers": None}, v)
    assert rounds.export_project(db, fac, round_id).tiers is None


def test_revision_changes_with_every_write_and_only_then(db, fac, round_id):
    from tests.storage.conftest import participant

    seen = [rounds.revision(db, fac, round_id)]
    assert rounds.revision(db, fac, round_id) == seen[-1]  # reading does not change it
    rounds.set_status(db, fac, round_id, "scoring")
    seen.append(rounds.revision(db, fac, round_id))
    scores.save_score(db, participant(round_id, "p1"), round_id, "O1", "K1", 2)
    seen.append(rounds.revision(db, fac, round_id))
    scores.save_score(db, participant(round_id, "p1"), round_id, "O1", "K1", 3)
    seen.append(rounds.revision(db, fac, round_id))
    rounds.replace_setup(db, fac, round_id, {"tiers": {"levels": [{"label": "A"}]}}, 1)
    seen.append(rounds.revision(db, fac, round_id))
    assert len(set(seen)) == len(seen)
