"""Facilitator's weights page in AppTest: five methods, AHP consistency with the most inconsistent
judgements, participants' mean, profiles, stale writes, other roles. (The participant's own-weights
page is tested in test_my_weights.py.)"""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from prioritization import i18n
from prioritization.engine import weights as wts
from prioritization.storage import rounds
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER, Actor
from prioritization.ui.widgets.weights_input import ahp_matrix
from tests.ui.conftest import app

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
WEIGHTS = str(SCRIPTS / "setup_weights_app.py")
FAC = Actor(FACILITATOR, "Facilitator")


def run(script, actor, lang="sv", **state) -> AppTest:
    return app(actor, lang, script=script, **state).run()


def weights_of(db, rid):
    return rounds.setup_document(db, FAC, rid)["weights"]


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


# ------------------------------------------------------------------------------------------
# 100-point allocation


def test_direct_points_show_the_sum_and_save_normalisable_points(app_db, example):
    at = run(WEIGHTS, FAC)
    assert not at.exception
    assert at.title[0].value == "Vikter"
    assert at.selectbox(key="weights_in_method").value == "direct"
    assert at.number_input(key="weights_in_direct_C1").value == 12.0
    assert "Summa: **100** poäng" in texts(at.markdown)
    assert not at.warning
    preview = at.dataframe[0].value
    assert list(preview.columns) == ["Kriterium", "I bruk nu", "Nya vikter"]
    assert preview.iloc[0].tolist() == ["Regional tillgänglighet (C1)", "12,0\xa0%", "12,0\xa0%"]
    at.button(key="weights_save").click().run()
    assert "Vikterna är redan de som används" in texts(at.info)

    at.number_input(key="weights_in_direct_C1").set_value(30.0).run()
    assert "Summa: **118** poäng" in texts(at.markdown)
    assert at.warning[0].value.startswith("Summan är 118,00 poäng, inte 100.")
    assert at.dataframe[0].value.iloc[0]["Nya vikter"] == i18n.percent(30 / 118, "sv", 1)
    at.button(key="weights_save").click().run()
    assert not at.exception
    assert at.success[0].value == "Vikterna är sparade (100 poäng (direkt fördelning))."
    saved = weights_of(app_db, example)
    assert saved["method"] == "direct" and saved["points"]["C1"] == 30 and saved["points"]["C2"] == 10


def test_all_zero_points_cannot_be_saved(app_db, small):
    at = run(WEIGHTS, FAC, round_id=small)
    at.selectbox(key="weights_in_method").select("direct").run()
    for k in ("K1", "K2", "K3"):
        at.number_input(key=f"weights_in_direct_{k}").set_value(0.0)
    at.run()
    assert at.error[0].value == "Minst ett kriterium måste få poäng."
    assert not [b for b in at.button if b.key == "weights_save"]


# ------------------------------------------------------------------------------------------
# Swing and ranking


def test_swing_needs_a_100(app_db, small):
    at = run(WEIGHTS, FAC, round_id=small)
    at.selectbox(key="weights_in_method").select("swing").run()
    # derived from the AHP weights 4/7, 2/7, 1/7: 100, 50, 25
    assert [at.slider(key=f"weights_in_swing_{k}").value for k in ("K1", "K2", "K3")] == [100, 50, 25]
    at.slider(key="weights_in_swing_K1").set_value(80).run()
    assert at.error[0].value == "Det viktigaste kriteriet ska ha 100 (det största värdet nu är 80)."
    assert not [b for b in at.button if b.key == "weights_save"]
    at.slider(key="weights_in_swing_K2").set_value(100).run()
    at.button(key="weights_save").click().run()
    assert weights_of(app_db, small) == {"method": "swing", "points": {"K1": 80, "K2": 100, "K3": 25}}


@pytest.mark.parametrize("method, expected", [("roc", [0.6111, 0.1944, 0.1944]), ("rank_sum", [0.5, 0.25, 0.25])])
def test_ranking_with_ties(app_db, small, method, expected):
    at = run(WEIGHTS, FAC, round_id=small)
    at.selectbox(key="weights_in_method").select(method).run()
    assert [at.number_input(key=f"weights_in_rank_{k}").value for k in ("K1", "K2", "K3")] == [1, 2, 3]
    at.number_input(key="weights_in_rank_K3").set_value(2).run()
    shown = at.dataframe[0].value["Nya vikter"].tolist()
    assert shown == [i18n.percent(x, "sv", 1) for x in expected]
    at.button(key="weights_save").click().run()
    assert weights_of(app_db, small) == {"method": method, "ranks": {"K1": 1, "K2": 2, "K3": 2}}


# ------------------------------------------------------------------------------------------
# AHP


def ahp_keys():
    return ["weights_in_ahp_0_1", "weights_in_ahp_0_2", "weights_in_ahp_1_2"]


def test_ahp_shows_cr_and_the_most_inconsistent_judgements(app_db, small):
    at = run(WEIGHTS, FAC, round_id=small)
    assert at.selectbox(key="weights_in_method").value == "ahp"
    assert [at.select_slider(key=k).value for k in ahp_keys()] == [2, 4, 2]  # the stored matrix
    assert at.success[0].value.startswith("Konsistenskvoten CR är 0,000. Det är godtagbart")
    assert "Jämförelserna är helt konsistenta." in texts(at.markdown)

    # a cycle: K1 >> K2 (9), K2 >> K3 (9), but K3 >> K1 (9)
    for k, v in zip(ahp_keys(), [9, -9, 9], strict=True):
        at.select_slider(key=k).set_value(v)
    at.run()
    assert not at.exception
    a = ahp_matrix([9, -9, 9], 3)
    cr = wts.consistency(a).cr
    assert cr > 0.1
    assert at.error[0].value.startswith(f"Konsistenskvoten CR är {i18n.number(cr, 'sv', 3)}. Det är inte godtagbart")
    worst = wts.most_inconsistent(a, top=3)
    names = {0: "Tillgänglighet", 1: "Klimat", 2: "Kostnadsklass"}
    lines = [m for m in texts(at.markdown).splitlines() if m.startswith("- Jämförelsen")]
    assert len(lines) == 3
    assert "avviker mest" in lines[0] and all("avviker därefter" in x for x in lines[1:])
    for line, jd in zip(lines, worst, strict=True):
        first, second, given, implied = (jd.i, jd.j, jd.given, jd.implied) if jd.given >= 1 else \
            (jd.j, jd.i, 1 / jd.given, 1 / jd.implied)
        assert line.startswith(f"- Jämförelsen {names[first]} mot {names[second]}")
        assert line.endswith(f"du angav {round(given)}, vikterna motsvarar {i18n.number(implied, 'sv', 1)}.")
    # saving an inconsistent matrix is allowed (the facilitator decides); the matrix is reciprocal
    at.button(key="weights_save").click().run()
    saved = weights_of(app_db, small)
    assert saved["method"] == "ahp" and saved["variant"] == "eigen"
    np.testing.assert_allclose(saved["matrix"], a)


def test_ahp_slider_labels_are_plain_swedish(app_db, small):
    at = run(WEIGHTS, FAC, round_id=small)
    slider = at.select_slider(key="weights_in_ahp_0_1")
    assert slider.label == "Tillgänglighet (K1) mot Klimat (K2)"
    assert slider.options[0] == "Tillgänglighet extremt viktigare (9)"
    assert slider.options[8] == "lika viktiga (1)"
    assert slider.options[-1] == "Klimat extremt viktigare (9)"


def test_ahp_from_direct_weights_of_the_example(app_db, example):
    at = run(WEIGHTS, FAC)
    at.selectbox(key="weights_in_method").select("ahp").run()
    assert not at.exception
    assert len(at.select_slider) == 66  # 12 criteria
    assert at.success[0].value.startswith("Konsistenskvoten CR är")  # snapped ratios of the direct weights


# ------------------------------------------------------------------------------------------
# Participants' weights, profiles


def participant(rid, key):
    return Actor(PARTICIPANT, key, round_id=rid, participant_key=key)


def test_participants_weights_and_their_mean(app_db, small):
    rounds.set_own_weights(app_db, participant(small, "p1"), small,
                           {"method": "direct", "points": {"K1": 50, "K2": 30, "K3": 20}})
    rounds.set_own_weights(app_db, participant(small, "p2"), small,
                           {"method": "swing", "points": {"K1": 100, "K2": 100, "K3": 0}})
    at = run(WEIGHTS, FAC, round_id=small)
    assert not at.exception
    table = at.dataframe[1].value
    assert list(table.columns) == ["Kriterium", "Botkyrka", "Haninge", "Medelvärde"]
    assert table["Medelvärde"].tolist() == ["50,0\xa0%", "40,0\xa0%", "10,0\xa0%"]
    assert "Har inte angett egna vikter: Tyresö." in texts(at.caption)
    at.button(key="weights_use_mean").click().run()
    assert at.success[0].value == "Medelvärdet av 2 deltagares vikter används nu."
    assert weights_of(app_db, small) == {"method": "direct", "points": {"K1": 50, "K2": 40, "K3": 10}}


def test_apply_a_weight_profile_with_one_click(app_db, example):
    profile = next(p for p in rounds.setup_document(app_db, FAC, example)["weight_profiles"] if p["id"] == "P2")
    at = run(WEIGHTS, FAC)
    assert "Ingen deltagare har angett egna vikter än." in texts(at.info)
    at.button(key="weights_profile_P2").click().run()
    assert not at.exception
    assert at.success[0].value == 'Viktprofilen "Omställning" används nu.'
    assert weights_of(app_db, example) == profile["weights"]
    assert at.selectbox(key="weights_in_method").value == "direct"
    assert at.number_input(key="weights_in_direct_C4").value == 22.0  # inputs reloaded


def test_stale_weights_are_not_overwritten(app_db, small):
    at = run(WEIGHTS, FAC, round_id=small)
    other = {"method": "direct", "points": {"K1": 1, "K2": 1, "K3": 1}}
    rounds.replace_setup(app_db, FAC, small, {"weights": other}, rounds.round_info(app_db, FAC, small)["row_version"])
    at.button(key="weights_profile_lika").click().run()  # same as `other`, but read before the change
    assert at.error[0].value == "Någon annan har ändrat samma sak under tiden. Ladda om sidan och försök igen."
    at.select_slider(key="weights_in_ahp_0_1").set_value(3).run()
    at.button(key="weights_save").click().run()
    assert at.error[0].value.startswith("Någon annan har ändrat")
    assert weights_of(app_db, small) == other
    at.button(key="weights_reload").click().run()
    assert at.selectbox(key="weights_in_method").value == "direct"


@pytest.mark.parametrize("role", [PARTICIPANT, VIEWER])
def test_other_roles_cannot_use_the_weights_page(app_db, example, role):
    actor = Actor(role, "Någon", round_id=example, participant_key="p-haninge" if role == PARTICIPANT else None)
    at = run(WEIGHTS, actor)
    assert not at.exception
    assert at.error[0].value == "Bara facilitatorn får göra detta."
    assert len(at.button) == 0 and len(at.number_input) == 0


def test_english_weights_page(app_db, small):
    at = run(WEIGHTS, FAC, lang="en", round_id=small)
    assert at.title[0].value == "Weights"
    assert at.success[0].value.startswith("The consistency ratio CR is 0.000. That is acceptable")
    assert at.select_slider(key="weights_in_ahp_0_1").options[0] == "Tillgänglighet extremely more important (9)"
