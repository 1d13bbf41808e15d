"""Roles are enforced in the storage layer, whatever the UI shows."""

import numpy as np
import pytest

from prioritization import projectfile
from prioritization.storage import audit, auth, rounds, scores, versions
from prioritization.storage.access import AccessDenied
from prioritization.storage.errors import StorageInputError
from tests.conftest import FIXTURES
from tests.storage.conftest import participant, viewer


def test_participant_cannot_administer(db, round_id):
    p = participant(round_id)
    project = projectfile.load(FIXTURES / "small-round.json")
    for call in (
        lambda: rounds.import_project(db, p, project),
        lambda: rounds.set_status(db, p, round_id, "scoring"),
        lambda: rounds.replace_setup(db, p, round_id, {"name": "x"}, 1),
        lambda: rounds.delete_round(db, p, round_id),
        lambda: scores.set_agreed_score(db, p, round_id, "O1", "K1", 3),
        lambda: scores.ratings(db, p, round_id),
        lambda: scores.progress(db, p, round_id),
        lambda: versions.freeze(db, p, round_id, "v"),
        lambda: audit.entries(db, p),
        lambda: auth.invite(db, p, round_id, "viewer"),
    ):
        with pytest.raises(AccessDenied):
            call()


def test_viewer_is_read_only(db, fac, round_id):
    v = viewer(round_id)
    rounds.set_status(db, fac, round_id, "scoring")
    with pytest.raises(AccessDenied, match="only participants score"):
        scores.save_score(db, v, round_id, "O1", "K1", 3)
    with pytest.raises(AccessDenied):
        scores.set_agreed_score(db, v, round_id, "O1", "K1", 3)
    with pytest.raises(AccessDenied):
        rounds.set_status(db, v, round_id, "revealed")
    with pytest.raises(AccessDenied, match="only visible to the facilitator"):
        scores.ratings(db, v, round_id)
    with pytest.raises(AccessDenied, match="not released"):
        rounds.export_project(db, v, round_id)


def test_facilitator_cannot_score_as_participant(db, fac, round_id):
    rounds.set_status(db, fac, round_id, "scoring")
    with pytest.raises(AccessDenied, match="only participants score"):
        scores.save_score(db, fac, round_id, "O1", "K1", 3)


def test_participant_writes_only_own_scores_while_open(db, fac, round_id):
    p1 = participant(round_id, "p1")
    with pytest.raises(AccessDenied, match="not open"):
        scores.save_score(db, p1, round_id, "O1", "K1", 4)
    rounds.set_status(db, fac, round_id, "scoring")
    scores.save_score(db, p1, round_id, "O1", "K1", 1, "Osäker")
    cube = scores.ratings(db, fac, round_id)
    k = cube.participants.index("p1")
    assert cube.values[k, cube.objects.index("O1"), cube.criteria.index("K1")] == 1.0
    others = [i for i in range(len(cube.participants)) if i != k]
    assert cube.values[others, 0, 0].tolist() == [4.0, 5.0]  # untouched
    assert scores.my_scores(db, p1, round_id)[("O1", "K1")] == (1.0, "Osäker")
    rounds.set_status(db, fac, round_id, "revealed")
    with pytest.raises(AccessDenied, match="not open"):
        scores.save_score(db, p1, round_id, "O1", "K1", 2)


def test_participant_bound_to_own_round(db, fac, round_id):
    other = rounds.import_project(db, fac, projectfile.load(FIXTURES / "small-round.json"))
    rounds.set_status(db, fac, other, "scoring")
    with pytest.raises(AccessDenied, match="another round"):
        scores.save_score(db, participant(round_id), other, "O1", "K1", 3)
    assert [r.id for r in rounds.list_rounds(db, participant(round_id))] == [round_id]


def test_others_scores_hidden_until_revealed(db, fac, round_id):
    p = participant(round_id)
    rounds.set_status(db, fac, round_id, "scoring")
    with pytest.raises(AccessDenied, match="not revealed"):
        scores.anonymous_ratings(db, p, round_id, phase=1)
    with pytest.raises(AccessDenied, match="not revealed"):
        scores.anonymous_ratings(db, viewer(round_id), round_id, phase=1)
    # candidates only (issue 11 #1): the committed O4 is not scored, so not in the cube
    assert scores.anonymous_ratings(db, fac, round_id, phase=1).values.shape == (3, 3, 3)
    rounds.set_status(db, fac, round_id, "revealed")
    anon = scores.anonymous_ratings(db, p, round_id, phase=1)
    assert anon.participants == []  # no names
    cell = anon.values[:, 0, 0]
    assert sorted(cell[~np.isnan(cell)].tolist()) == [4.0, 5.0, 5.0]
    with pytest.raises(AccessDenied):  # still never the named ratings
        scores.ratings(db, p, round_id)


def test_viewer_sees_named_scores_only_when_locked(db, fac, round_id):
    for st in ("scoring", "revealed", "locked"):
        rounds.set_status(db, fac, round_id, st)
    assert scores.ratings(db, viewer(round_id), round_id).values.shape == (3, 3, 3)
    assert rounds.export_project(db, viewer(round_id), round_id).name


def test_bad_scores_rejected_and_nothing_stored(db, fac, round_id):
    p = participant(round_id)
    rounds.set_status(db, fac, round_id, "scoring")
    before = rounds.export_project(db, fac, round_id)
    for value, code in ((7, "out_of_scale"), (float("nan"), "not_a_number"), (True, "not_a_number"),
                        ("3", "not_a_number")):
        with pytest.raises(StorageInputError) as e:
            scores.save_score(db, p, round_id, "O1", "K1", value)
        assert e.value.code == code
    with pytest.raises(StorageInputError, match="unknown object"):
        scores.save_score(db, p, round_id, "NOPE", "K1", 3)
    with pytest.raises(StorageInputError, match="longer than"):
        scores.save_score(db, p, round_id, "O1", "K1", 3, "x" * 5000)
    assert projectfile.dumps(rounds.export_project(db, fac, round_id)) == projectfile.dumps(before)


def test_vet_ej_is_stored_as_unknown(db, fac, round_id):
    p = participant(round_id, "p2")
    rounds.set_status(db, fac, round_id, "scoring")
    scores.save_score(db, p, round_id, "O3", "K2", None)
    assert scores.my_scores(db, p, round_id)[("O3", "K2")] == (None, None)
    assert scores.progress(db, fac, round_id)["p2"] == 9


def test_agreed_scores_and_setup_project_readable_by_round_members(db, fac, round_id):
    scores.set_agreed_score(db, fac, round_id, "O3", "K1", 2, "Enades")
    for who in (fac, participant(round_id), viewer(round_id)):
        assert scores.agreed_scores(db, who, round_id) == {("O2", "K2"): (5.0, "Enades på workshop 2"),
                                                          ("O3", "K1"): (2.0, "Enades")}
        setup = rounds.setup_project(db, who, round_id)
        assert setup.scores == () and [c.id for c in setup.criteria] == ["K1", "K2", "K3"]
    other = rounds.import_project(db, fac, projectfile.load(FIXTURES / "small-round.json"))
    with pytest.raises(AccessDenied):
        scores.agreed_scores(db, participant(round_id), other)
