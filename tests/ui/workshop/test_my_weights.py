"""The participant's own-weights page (100-point allocation, rounds.set_own_weights) in AppTest."""

import pytest

from prioritization import i18n
from prioritization.storage import rounds
from prioritization.storage.access import VIEWER, Actor
from tests.ui.setup.test_setup_weights import FAC, SCRIPTS, WEIGHTS, participant, run, texts

MINE = str(SCRIPTS / "setup_my_weights_app.py")



def test_participant_gives_and_removes_own_weights(app_db, small):
    me = participant(small, "p2")
    at = run(MINE, me)
    assert not at.exception
    assert at.title[0].value == "Mina vikter"
    assert "Börja med att ge poäng till kriterierna." in texts(at.info)
    assert at.button(key="my_weights_save").disabled
    for k, v in zip(("K1", "K2", "K3"), (40.0, 40.0, 10.0), strict=True):
        at.number_input(key=f"my_weights_in_{k}").set_value(v)
    at.run()
    assert "Summa: **90** poäng" in texts(at.markdown)
    assert at.warning[0].value.startswith("Summan är 90,00 poäng, inte 100.")
    assert at.dataframe[0].value["Vikt"].tolist() == [i18n.percent(x, "sv", 1) for x in (4 / 9, 4 / 9, 1 / 9)]
    at.button(key="my_weights_save").click().run()
    assert at.success[0].value == "Dina vikter är sparade."
    assert rounds.participant_weights(app_db, FAC, small)["p2"] == {"method": "direct",
                                                                   "points": {"K1": 40, "K2": 40, "K3": 10}}
    at = run(MINE, me)  # a new session starts from the saved weights
    assert at.number_input(key="my_weights_in_K3").value == 10.0
    at.button(key="my_weights_clear").click().run()
    assert at.success[0].value == "Dina vikter är borttagna."
    assert rounds.participant_weights(app_db, FAC, small)["p2"] is None


def test_participant_weights_that_no_longer_fit_are_not_reused(app_db, small):
    me = participant(small, "p1")
    rounds.set_own_weights(app_db, me, small, {"method": "direct", "points": {"K1": 5, "K2": 3, "K3": 2}})
    doc = rounds.setup_document(app_db, FAC, small)
    rounds.replace_setup(app_db, FAC, small, {"criteria": doc["criteria"][:2], "weights": {
        "method": "direct", "points": {"K1": 1, "K2": 1}}, "weight_profiles": []},
        rounds.round_info(app_db, FAC, small)["row_version"])
    at = run(MINE, me)
    assert "Kriterierna har ändrats sedan du sparade" in texts(at.info)
    assert at.number_input(key="my_weights_in_K1").value == 0.0
    fac_page = run(WEIGHTS, FAC, round_id=small)
    assert "Vikterna från Botkyrka passar inte längre kriterierna" in texts(fac_page.warning)


@pytest.mark.parametrize("actor", [FAC, Actor(VIEWER, "Kommittén")])
def test_only_participants_give_own_weights(app_db, example, actor):
    at = run(MINE, actor)
    assert not at.exception
    assert at.info[0].value == "Den här sidan är till för deltagare som vill ange egna vikter."
    assert len(at.button) == 0


def test_locked_round_shows_own_weights_read_only(app_db, small):
    """Issue 10 #11: after the lock the page says so and offers nothing to change."""
    me = participant(small, "p2")
    rounds.set_own_weights(app_db, me, small, {"method": "direct", "points": {"K1": 40, "K2": 40, "K3": 20}})
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(app_db, FAC, small, status)
    at = run(MINE, me)
    assert not at.exception
    assert "Omgången är låst." in texts(at.info)
    assert at.number_input and all(n.disabled for n in at.number_input)
    assert at.button(key="my_weights_save").disabled and at.button(key="my_weights_clear").disabled
