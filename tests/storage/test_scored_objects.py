"""Issue 11 #1 and #3 at their root: only candidate objects are scored. A committed object is not in
the rating cube (so not in progress, heatmap or cell chooser), and neither a score nor an agreed
score can be written for it (SQLite and PostgreSQL). The small round's O4 is committed."""

import pytest

from prioritization.storage import rounds, scores
from prioritization.storage.errors import StorageInputError
from tests.storage.conftest import participant


def test_the_cube_and_progress_count_candidates_only(db, fac, round_id):
    rounds.set_status(db, fac, round_id, "scoring")
    cube = scores.ratings(db, fac, round_id)
    assert cube.objects == ["O1", "O2", "O3"]
    for key in ("p1", "p2", "p3"):  # everybody scores every candidate cell
        for o in cube.objects:
            for c in cube.criteria:
                scores.save_score(db, participant(round_id, key), round_id, o, c, 3)
    total = len(cube.objects) * len(cube.criteria)
    assert scores.progress(db, fac, round_id) == {"p1": total, "p2": total, "p3": total}
    rounds.set_status(db, fac, round_id, "revealed")
    anon = scores.anonymous_ratings(db, fac, round_id, 1)
    assert anon.objects == ["O1", "O2", "O3"] and anon.answered.all()


def test_no_score_and_no_agreed_score_for_a_committed_object(db, fac, round_id):
    rounds.set_status(db, fac, round_id, "scoring")
    with pytest.raises(StorageInputError) as e:
        scores.save_score(db, participant(round_id), round_id, "O4", "K1", 3)
    assert e.value.code == "not_scored"
    rounds.set_status(db, fac, round_id, "revealed")
    with pytest.raises(StorageInputError) as e:
        scores.set_agreed_score(db, fac, round_id, "O4", "K1", 3, "inget att enas om")
    assert e.value.code == "not_scored"
    assert ("O4", "K1") not in scores.agreed_scores(db, fac, round_id)
    scores.clear_agreed_score(db, fac, round_id, "O4", "K1")  # clearing stays possible (nothing to clear)


def test_anonymous_comments_follow_the_reveal_rule(db, fac, round_id):
    from prioritization.storage.access import AccessDenied
    from tests.storage.conftest import viewer

    rounds.set_status(db, fac, round_id, "scoring")
    scores.save_score(db, participant(round_id, "p2"), round_id, "O1", "K1", 4, "b-skäl")
    scores.save_score(db, participant(round_id, "p1"), round_id, "O1", "K1", 2, "a-skäl")
    scores.save_score(db, participant(round_id, "p3"), round_id, "O1", "K1", 3)
    assert scores.anonymous_comments(db, fac, round_id, 1, "O1", "K1") == ["a-skäl", "b-skäl"]
    for who in (viewer(round_id), participant(round_id, "p3")):
        with pytest.raises(AccessDenied):
            scores.anonymous_comments(db, who, round_id, 1, "O1", "K1")
    rounds.set_status(db, fac, round_id, "revealed")
    assert scores.anonymous_comments(db, viewer(round_id), round_id, 1, "O1", "K1") == ["a-skäl", "b-skäl"]
