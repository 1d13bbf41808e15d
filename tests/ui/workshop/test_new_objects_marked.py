"""Objects new in the round (issue 13: a municipality's proposal the facilitator accepted, attribute
``new_in_round: true``) are marked "Nytt" in words on the scoring page and the projector."""

import json
from pathlib import Path

import pytest

from prioritization import projectfile
from prioritization.storage import rounds
from prioritization.storage.access import PARTICIPANT, Actor
from prioritization.ui.workshop import scoring_logic
from prioritization.ui.workshop.workshop import Labels
from tests.ui.conftest import app, shown

SCORING = str(Path(__file__).resolve().parents[1] / "scripts" / "scoring_app.py")
WORKSHOP = str(Path(__file__).resolve().parents[1] / "scripts" / "workshop_app.py")

ROUND = {
    "format": "prioritization-project", "version": 1, "name": "Kompletterande poängsättning",
    "criteria": [{"id": "K1", "name": "Tillgänglighet", "direction": "benefit", "scale": [1, 5]},
                 {"id": "K2", "name": "Klimat", "direction": "benefit", "scale": [1, 5]}],
    "weights": {"method": "direct", "points": {"K1": 1, "K2": 1}},
    "objects": [
        {"id": "O1", "name": "Bro över sundet", "cost": 1200},
        {"id": "O2", "name": "Gångbro i Fittja", "cost": 40, "new_in_round": True, "proposal": "F-001",
         "description": "Otrygg passage under E4."},
    ],
    "participants": [{"id": "p1", "name": "Botkyrka"}, {"id": "p2", "name": "Haninge"}],
}


@pytest.fixture
def rid(empty_app_db, fac):
    r = rounds.import_project(empty_app_db, fac, projectfile.parse(json.loads(json.dumps(ROUND)),
                                                                   require_complete=False))
    rounds.set_status(empty_app_db, fac, r, "scoring")
    return r


def test_the_rule():
    assert scoring_logic.is_new_in_round({"new_in_round": True})
    assert not scoring_logic.is_new_in_round({"new_in_round": "true"}) and not scoring_logic.is_new_in_round({})
    items = scoring_logic.candidate_objects(ROUND, "sv")
    assert [(o.key, o.new) for o in items] == [("O1", False), ("O2", True)]
    assert scoring_logic.object_title(items[1], " (nytt)") == "Gångbro i Fittja (nytt)"


def test_the_scoring_page_says_new_in_words(empty_app_db, rid):
    p1 = Actor(PARTICIPANT, "Botkyrka", round_id=rid, participant_key="p1")
    at = app(p1, script=SCORING, score_current_object="O2").run()
    assert not at.exception
    assert at.header[0].value == "Gångbro i Fittja"
    badges = [b.proto.body for b in at.markdown if "Nytt" in b.proto.body]
    assert badges, "the badge says Nytt in text"
    assert any("Nytt objekt i omgången: föreslaget av en kommun och antaget av facilitatorn." in c.value
               for c in at.caption)
    # the list of objects and the grid name it too
    assert any(shown(b.label).startswith("Gångbro i Fittja (nytt)") for b in at.button if b.key == "score_goto|O2")
    assert not any("(nytt)" in b.label for b in at.button if b.key == "score_goto|O1")
    at.segmented_control(key="score_mode").set_value("grid").run()
    grid = at.data_editor[0].value
    assert list(grid["objekt"]) == ["Bro över sundet", "Gångbro i Fittja (nytt)"]


def test_the_projector_marks_new_objects(empty_app_db, fac, rid):
    at = app(fac, script=WORKSHOP, round_id=rid).run()
    assert not at.exception
    assert any(i.value == ("Ett nytt objekt i omgången, föreslaget av en kommun och antaget: Gångbro i Fittja (nytt). "
                           "Det är märkt ”(nytt)” i listor och diagram.") for i in at.info)
    assert "Gångbro i Fittja (nytt) – Tillgänglighet" in at.selectbox(key="workshop_cell").options
    labels = Labels.of(rounds.setup_project(empty_app_db, fac, rid), "en")
    assert labels.objects == {"O1": "Bro över sundet", "O2": "Gångbro i Fittja (new)"} and labels.new == ("O2",)
