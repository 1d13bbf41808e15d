"""The participant's scoring page: saving, "vet ej", comments, the grid, closed rounds, the Delphi
second round, roles. Runs the page through tests/ui/scripts/scoring_app.py."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prioritization import projectfile
from prioritization.storage import rounds, scores
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER, Actor
from prioritization.ui.workshop.scoring_logic import UNKNOWN
from tests.ui.conftest import app, shown

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "scoring_app.py")

ROUND = {
    "format": "prioritization-project", "version": 1, "name": "Poängsättningstest", "data_label": "Testdata",
    "criteria": [
        {"id": "K1", "name": "Tillgänglighet", "direction": "benefit", "scale": [1, 5],
         "description": "Restider och nåbarhet.",
         "guidance": {"1": "Ingen förbättring", "3": "Märkbar förbättring", "5": "Stor förbättring"}},
        {"id": "K2", "name": "Klimat", "direction": "benefit", "scale": [1, 5]},
        {"id": "K3", "name": "Andel nöjda (%)", "direction": "benefit", "scale": [0, 100]},
    ],
    "weights": {"method": "direct", "points": {"K1": 1, "K2": 1, "K3": 1}},
    "objects": [
        {"id": "O1", "name": "Bro över sundet", "cost": 1200, "municipalities": ["Haninge", "Tyresö"],
         "description": "En ny bro.",
         "plan": {"stage": "adopted", "stage_note": "Vägplan *fastställd*", "evidence": "plan",
                  "refs": [{"plan": "LP", "period": "2022–2033", "objekt_id": "L17", "phase": "ongoing"}]}},
        {"id": "O4", "name": "Redan finansierad väg", "cost": 5000, "status": "committed"},
        {"id": "O2", "name": "Spår – etapp 2", "cost": 800},
        {"id": "O3", "name": "Cykelstråk", "cost": None},
    ],
    "participants": [{"id": "p1", "name": "Botkyrka"}, {"id": "p2", "name": "Haninge"},
                     {"id": "p3", "name": "Tyresö"}],
    "scores": [
        {"object": "O1", "criterion": "K1", "participant": "p1", "value": 4},
        {"object": "O1", "criterion": "K2", "participant": "p1", "value": None},
        {"object": "O4", "criterion": "K1", "participant": "p1", "value": 2},
        {"object": "O1", "criterion": "K1", "participant": "p2", "value": 4},
        {"object": "O1", "criterion": "K1", "participant": "p3", "value": 5},
        {"object": "O1", "criterion": "K2", "participant": "p3", "value": 2},
    ],
}


@pytest.fixture
def score_db(empty_app_db):
    """Only the small round above: skipping the example round keeps these tests fast."""
    return empty_app_db


@pytest.fixture
def rid(score_db, fac):
    return rounds.import_project(score_db, fac, projectfile.parse(json.loads(json.dumps(ROUND)),
                                                                  require_complete=False))


@pytest.fixture
def p1(rid):
    return Actor(PARTICIPANT, "Botkyrka", round_id=rid, participant_key="p1")


def open_round(db, fac, rid, *statuses):
    for status in statuses or ("scoring",):
        rounds.set_status(db, fac, rid, status)


def page(actor, lang="sv", **state) -> AppTest:
    return app(actor, lang, script=SCRIPT, **state).run()


def progress_text(at) -> str:
    return at.get("progress")[0].proto.text


def mine(db, actor, rid):
    return scores.my_scores(db, actor, rid)


def seed_grid(at: AppTest, edited_rows: dict) -> AppTest:
    """Seed the editor's delta as the browser would send it and fire the on_change callback (which
    AppTest does not do by itself, see the harness script)."""
    at.session_state["_test_grid_delta"] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    return at.run()


WIDGETS = {"value": "segmented_control", "number": "number_input", "unknown": "checkbox", "comment": "text_area"}


def cell(at: AppTest, kind: str, obj: str, crit: str):
    """The widget of one cell (its key also carries the revision shown and a session stamp)."""
    prefix = f"score_{kind}|{obj}|{crit}|"
    found = [w for w in getattr(at, WIDGETS[kind]) if (w.key or "").startswith(prefix)]
    assert len(found) == 1, f"{len(found)} widgets {prefix}…"
    return found[0]


def jump(at: AppTest, obj: str):
    """The button of one object in the "Alla objekt" list."""
    return at.button(key=f"score_goto|{obj}")


def object_labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button if (b.key or "").startswith("score_goto|")]


def cell_state(at: AppTest) -> list[str]:
    """The in-place state line of every criterion, in page order (its text, as shown)."""
    import html
    import re

    return [html.unescape(re.sub(r"<[^>]+>", "", m.value)) for m in at.markdown if 'class="score-state"' in m.value]


def test_participant_saves_a_score_immediately(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1)
    assert not at.exception
    assert progress_text(at) == "2 av 9 bedömningar klara"
    assert object_labels(at) == ["Bro över sundet (2/3)", "Spår – etapp 2 (0/3)",
                                 "Cykelstråk (0/3)"]  # no committed object
    at.button(key="score_next_top").click().run()
    assert at.header[0].value == "Spår – etapp 2"
    cell(at, "value", "O2", "K1").set_value(3).run()
    assert not at.exception
    assert mine(score_db, p1, rid)[("O2", "K1")] == (3.0, None)
    assert cell_state(at)[0].startswith("✓ Sparat: 3 (kl. ") and cell_state(at)[1:] == ["Inte bedömd än."] * 2
    assert progress_text(at) == "3 av 9 bedömningar klara"
    assert "Spår – etapp 2 (1/3)" in object_labels(at)
    assert not at.error


def test_object_view_shows_description_facts_and_guidance(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1)
    text = "\n".join(m.value for m in at.markdown)
    assert "En ny bro\\." in text
    assert "**Kommuner:** Haninge, Tyresö" in text
    assert "**Kostnad:** 1\xa0200 MSEK" in text
    # the plan data (issue 14) in words; the stage note is someone's text, escaped
    assert "**Planeringsläge:** Fastställd plan – Vägplan \\*fastställd\\*" in text
    assert "**Underlagsnivå:** Plan" in text and "**I plan:** LP 2022–2033\\: L17, Pågående" in text
    # the guidance is on the page itself, not in a tooltip
    assert "- **1** – Ingen förbättring\n- **3** – Märkbar förbättring\n- **5** – Stor förbättring" in text
    assert cell(at, "value", "O1", "K1").options == ["1", "2", "3", "4", "5", "Vet ej"]
    assert cell(at, "value", "O1", "K1").label == "Din poäng för Tillgänglighet"
    assert cell(at, "value", "O1", "K1").value == 4
    assert cell(at, "value", "O1", "K2").value == UNKNOWN
    assert at.button(key="score_prev_top").disabled and not at.button(key="score_next_top").disabled


def test_vet_ej_is_stored_as_none_and_counts_as_answered(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1)
    cell(at, "value", "O1", "K1").set_value(UNKNOWN).run()
    assert mine(score_db, p1, rid)[("O1", "K1")] == (None, None)
    assert progress_text(at) == "2 av 9 bedömningar klara"
    cell(at, "number", "O1", "K3").set_value(40).run()
    assert mine(score_db, p1, rid)[("O1", "K3")] == (40.0, None)
    cell(at, "unknown", "O1", "K3").check().run()
    assert mine(score_db, p1, rid)[("O1", "K3")] == (None, None)
    assert cell(at, "number", "O1", "K3").disabled
    assert progress_text(at) == "3 av 9 bedömningar klara"


def test_comment_is_saved_with_the_score_and_kept(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1)
    assert cell(at, "comment", "O1", "K3").disabled  # no score yet: nothing to comment on
    cell(at, "comment", "O1", "K1").input("Kortare restid till Flemingsberg").run()
    assert mine(score_db, p1, rid)[("O1", "K1")] == (4.0, "Kortare restid till Flemingsberg")
    cell(at, "value", "O1", "K1").set_value(5).run()
    assert mine(score_db, p1, rid)[("O1", "K1")] == (5.0, "Kortare restid till Flemingsberg")
    cell(at, "comment", "O1", "K1").input("").run()
    assert mine(score_db, p1, rid)[("O1", "K1")] == (5.0, None)


def test_unselecting_keeps_the_stored_score(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1)
    cell(at, "value", "O1", "K1").set_value(None).run()
    assert mine(score_db, p1, rid)[("O1", "K1")] == (4.0, None)
    assert cell(at, "value", "O1", "K1").value == 4


def test_grid_write_through_maps_rendered_rows(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1, score_mode="grid")
    grid = at.data_editor[0].value
    assert list(grid["objekt"]) == ["Bro över sundet", "Spår – etapp 2", "Cykelstråk"]
    assert list(grid.iloc[0][["klart", "k0", "k1"]]) == ["2/3", "4", "Vet ej"]
    # row 1 is O2 as rendered (the committed O4 sits between O1 and O2 in the round but is not shown)
    at = seed_grid(at, {1: {"k0": "2", "k1": "Vet ej", "k2": 55.0}})
    assert not at.exception
    got = mine(score_db, p1, rid)
    assert (got[("O2", "K1")], got[("O2", "K2")], got[("O2", "K3")]) == ((2.0, None), (None, None), (55.0, None))
    assert ("O4", "K1") in got and got[("O4", "K1")] == (2.0, None)  # untouched
    assert [t.value for t in at.toast] == ["Sparat: 3 bedömningar"]
    assert progress_text(at) == "5 av 9 bedömningar klara"
    # the same delta again (the editor re-sends it after the rerun) saves nothing new
    at = seed_grid(at, {1: {"k0": "2", "k1": "Vet ej", "k2": 55.0}})
    assert not at.toast


def test_grid_keeps_comments(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    scores.save_score(score_db, p1, rid, "O1", "K1", 4, "Motivering")
    seed_grid(page(p1, score_mode="grid"), {0: {"k0": "3"}})
    assert mine(score_db, p1, rid)[("O1", "K1")] == (3.0, "Motivering")


def test_grid_columns_offer_the_scale_and_vet_ej(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1, score_mode="grid")
    cols = json.loads(at.data_editor[0].proto.columns)
    assert cols["k0"]["type_config"]["options"] == ["1", "2", "3", "4", "5", "Vet ej"]
    assert (cols["k2"]["type_config"]["min_value"], cols["k2"]["type_config"]["max_value"]) == (0, 100)
    assert cols["objekt"]["disabled"] and cols["klart"]["disabled"]
    assert at.data_editor[0].proto.editing_mode == at.data_editor[0].proto.EditingMode.FIXED
    guidance = at.dataframe[-1].value
    assert list(guidance.iloc[0]) == ["Tillgänglighet", "Ingen förbättring", "Märkbar förbättring",
                                      "Stor förbättring"]


def test_out_of_scale_is_rejected_in_swedish_and_nothing_stored(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    before = mine(score_db, p1, rid)
    at = seed_grid(page(p1, score_mode="grid"), {0: {"k0": "9"}})
    assert not at.exception
    assert shown(at.error[0].value) == ("Inte sparat (Bro över sundet – Tillgänglighet): 9 ligger utanför skalan "
                                        "1–5 för kriteriet Tillgänglighet.")
    assert mine(score_db, p1, rid) == before
    at = seed_grid(page(p1, score_mode="grid"), {2: {"k2": 150.0, "k1": "mycket"}})
    assert shown(at.error[0].value) == (
        'Inte sparat (Cykelstråk – Klimat): "mycket" är ingen poäng. Välj ett värde i listan. '
        "Inte sparat (Cykelstråk – Andel nöjda (%)): 150 ligger utanför skalan 0–100 "
        "för kriteriet Andel nöjda (%).")
    assert mine(score_db, p1, rid) == before


@pytest.mark.parametrize("status, message", [
    ((), "Poängsättningen har inte öppnat än."),
    (("scoring", "revealed"), "Poängsättningen är stängd medan facilitatorn visar resultatet."),
    (("scoring", "revealed", "locked"), "Omgången är låst."),
])
def test_closed_round_shows_own_scores_read_only(score_db, fac, rid, p1, status, message):
    if status:
        open_round(score_db, fac, rid, *status)
    at = page(p1)
    assert not at.exception
    assert at.info[0].value.startswith(message)
    widget = cell(at, "value", "O1", "K1")
    assert widget.value == 4 and widget.disabled
    assert cell(at, "comment", "O1", "K1").disabled
    assert progress_text(at) == "2 av 9 bedömningar klara"
    at.segmented_control(key="score_mode").set_value("grid").run()
    assert not at.data_editor  # a read-only table instead of the editor
    assert list(at.dataframe[0].value.iloc[0][["k0", "k1"]]) == ["4", "Vet ej"]


def test_scoring_closed_while_the_page_is_open(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1)
    rounds.set_status(score_db, fac, rid, "revealed")
    cell(at, "value", "O1", "K1").set_value(1).run()
    assert not at.exception
    assert at.error[0].value == ("Inte sparat (Bro över sundet – Tillgänglighet): "
                                 "Poängsättningen är stängd just nu.")
    assert mine(score_db, p1, rid)[("O1", "K1")] == (4.0, None)
    assert cell(at, "value", "O1", "K1").value == 4


def test_second_round_shows_the_anonymous_first_round(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    assert not [c.value for c in page(p1).caption if "första rundan" in c.value]
    open_round(score_db, fac, rid, "revealed", "second_round")
    at = page(p1)
    assert not at.exception
    assert at.info[0].value.startswith("Andra bedömningsrundan")
    captions = [c.value for c in at.caption if "första rundan" in c.value]
    assert captions[0] == ("Gruppen i första rundan (3 svar): 1: 0 · 2: 0 · 3: 0 · 4: 2 · 5: 1 · Vet ej: 0. "
                           "Median 4.")
    assert captions[1] == ("Gruppen i första rundan (2 svar): 1: 0 · 2: 1 · 3: 0 · 4: 0 · 5: 0 · Vet ej: 1. "
                           "Median 2.")
    assert captions[2] == "Ingen bedömde detta i första rundan."
    cell(at, "value", "O1", "K1").set_value(2).run()
    assert mine(score_db, p1, rid)[("O1", "K1")] == (2.0, None)
    assert scores.anonymous_ratings(score_db, fac, rid, 1).values[:, 0, 0].tolist() == [4, 4, 5]  # first round kept
    at.segmented_control(key="score_mode").set_value("grid").run()
    medians = at.dataframe[1].value  # [0] is the editor itself
    assert medians.iloc[0]["k0"] == "4 (n = 3)" and medians.iloc[1]["k0"] == "–"


@pytest.mark.parametrize("who", [Actor(VIEWER, "Kommittén"), Actor(FACILITATOR, "Facilitator"), None])
def test_other_roles_get_a_message_not_a_crash(score_db, fac, rid, who):
    open_round(score_db, fac, rid)
    at = page(who)
    assert not at.exception
    assert not at.segmented_control and not at.data_editor
    expected = "Logga in med din inbjudningslänk" if who is None else "Poängsättningen görs av deltagarna."
    assert at.info[0].value.startswith(expected)


def test_unknown_participant_gets_a_clear_error(score_db, fac, rid):
    open_round(score_db, fac, rid)
    at = page(Actor(PARTICIPANT, "Okänd", round_id=rid, participant_key="p-finns-inte"))
    assert not at.exception
    assert at.error[0].value == "Du är inte deltagare i den här omgången."


def test_english(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1, lang="en")
    assert at.title[0].value == "Score"
    assert progress_text(at) == "2 of 9 assessments done"
    assert cell(at, "value", "O1", "K2").options[-1] == "Don't know"
    at.segmented_control(key="score_mode").set_value("grid").run()
    at = seed_grid(at, {0: {"k2": 10.0}, 1: {"k1": "Don't know"}})
    got = mine(score_db, p1, rid)
    assert (got[("O1", "K3")], got[("O2", "K2")]) == ((10.0, None), (None, None))


def test_example_round_lists_only_candidates(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    open_round(app_db, fac, rid)
    at = page(Actor(PARTICIPANT, "Haninge", round_id=rid, participant_key="p-haninge"))
    assert not at.exception
    options = object_labels(at)
    assert len(options) == 13 and not any(o.startswith("Tvärförbindelse Södertörn") for o in options)
    assert progress_text(at).endswith("av 156 bedömningar klara")  # 13 candidates × 12 criteria


def test_current_object_kept_when_its_label_changes(score_db, fac, rid, p1):
    # the option labels carry progress (and a tick when done); a changed label makes a new widget,
    # which must not send the participant back to the first object (found in the browser test)
    open_round(score_db, fac, rid)
    at = page(p1)
    at.button(key="score_next_top").click().run()
    cell(at, "value", "O2", "K1").set_value(3).run()
    cell(at, "value", "O2", "K2").set_value(4).run()
    cell(at, "number", "O2", "K3").set_value(70).run()
    assert not at.exception
    assert "Spår – etapp 2 (3/3) ✓" in object_labels(at)
    assert at.header[0].value == "Spår – etapp 2"
    jump(at, "O3").click().run()
    assert at.header[0].value == "Cykelstråk"


# --- issue 9: every write to the cell it was shown for, nothing silent ---------------------------------

def test_a_click_on_a_cell_changed_elsewhere_is_refused_in_place(score_db, fac, rid, p1):
    """Another tab (or device) of the same participant changed the cell after this page drew it."""
    open_round(score_db, fac, rid)
    at = page(p1)
    assert cell(at, "value", "O1", "K1").value == 4
    scores.save_score(score_db, p1, rid, "O1", "K1", 2)  # the other tab
    cell(at, "value", "O1", "K1").set_value(5).run()
    assert not at.exception
    assert mine(score_db, p1, rid)[("O1", "K1")] == (2.0, None)  # the newer value stays
    message = ("Inte sparat (Bro över sundet – Tillgänglighet): Bedömningen har ändrats på annat håll (en annan "
               "flik eller enhet) sedan sidan visades. Ditt val sparades inte; det sparade värdet visas nu.")
    assert message in [e.value for e in at.error]  # in place under the cell (and at the top)
    assert cell(at, "value", "O1", "K1").value == 2  # the widget shows what is stored, not the refused click
    assert cell_state(at)[0].startswith("✓ Sparat: 2 ")
    # the next click on the redrawn cell names the revision it showed and is saved
    cell(at, "value", "O1", "K1").set_value(5).run()
    assert mine(score_db, p1, rid)[("O1", "K1")] == (5.0, None)
    assert not at.error


def _drawn_cell(obj, crit, revision, phase=1):
    from prioritization.ui.workshop.scoring import Cell

    return Cell(obj, crit, obj, crit, (1, 2, 3, 4, 5), phase, revision, key=f"old-widget|{obj}|{crit}")


def test_two_quick_clicks_on_one_cell_both_count(score_db, fac, rid, p1):
    """The second click arrives on the widget drawn before the first was saved: its own write is
    not a change 'elsewhere', so it is saved too."""
    open_round(score_db, fac, rid)
    at = page(p1)
    jump(at, "O3").click().run()
    cell(at, "value", "O3", "K2").set_value(3).run()  # revision 0 -> 1 in phase 1
    assert scores.my_scoring(score_db, p1, rid).revision(("O3", "K2")) == 1
    at.session_state["_test_fire_cell"] = (_drawn_cell("O3", "K2", 0), 5)
    at.run()
    assert mine(score_db, p1, rid)[("O3", "K2")] == (5.0, None) and not at.error


def test_a_replayed_click_from_a_stale_page_is_refused(score_db, fac, rid, p1):
    """A page that showed the cell empty replays a value after a newer one was stored elsewhere
    (a reconnect re-sending old widget values): refused, the newer value stays, and it says so."""
    open_round(score_db, fac, rid)
    at = page(p1)
    scores.save_score(score_db, p1, rid, "O2", "K1", 4)  # another device, after this page drew O2/K1 empty
    at.session_state["_test_fire_cell"] = (_drawn_cell("O2", "K1", 0), 1)
    at.run()
    assert mine(score_db, p1, rid)[("O2", "K1")] == (4.0, None)
    assert any("har ändrats på annat håll" in e.value for e in at.error)


def test_a_click_names_its_object_whatever_the_page_shows_now(score_db, fac, rid, p1):
    """The page moved on to another object; a click still arriving on a widget drawn for an object
    no longer shown is written to the cell it was drawn for (and only there)."""
    open_round(score_db, fac, rid)
    at = page(p1)
    at.button(key="score_next_top").click().run()
    assert at.header[0].value == "Spår – etapp 2"
    before = mine(score_db, p1, rid)
    at.session_state["_test_fire_cell"] = (_drawn_cell("O3", "K2", 0), 2)
    at.run()
    after = mine(score_db, p1, rid)
    assert after[("O3", "K2")] == (2.0, None)
    assert {k: v for k, v in after.items() if k != ("O3", "K2")} == before
    assert at.header[0].value == "Spår – etapp 2"  # and the page stays where the person is


def test_stored_scores_are_never_shown_blank_after_moving_around(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1)
    cell(at, "value", "O1", "K2").set_value(3).run()
    at.button(key="score_next_top").click().run()
    cell(at, "value", "O2", "K1").set_value(1).run()
    at.button(key="score_prev_bottom").click().run()
    assert at.header[0].value == "Bro över sundet"
    assert cell(at, "value", "O1", "K1").value == 4 and cell(at, "value", "O1", "K2").value == 3
    # scores stored from elsewhere while the participant was on another object show too
    at.button(key="score_next_bottom").click().run()
    scores.save_score(score_db, p1, rid, "O1", "K3", 55.0)
    at.button(key="score_prev_top").click().run()
    assert cell(at, "number", "O1", "K3").value == 55.0


def test_the_participant_returns_to_their_object_in_a_new_session(score_db, fac, rid, p1):
    """A reload, another device or a server restart is a new session: it opens where they were."""
    open_round(score_db, fac, rid)
    at = page(p1)
    at.button(key="score_next_top").click().run()
    jump(at, "O3").click().run()
    assert at.header[0].value == "Cykelstråk"
    again = page(p1)  # a new session
    assert again.header[0].value == "Cykelstråk"
    assert jump(again, "O3").disabled  # the current object's own button
    other = page(Actor(PARTICIPANT, "Haninge", round_id=rid, participant_key="p2"))
    assert other.header[0].value == "Bro över sundet"  # kept per participant


def test_a_click_for_a_round_that_has_moved_on_is_refused(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1)
    open_round(score_db, fac, rid, "revealed", "second_round")
    cell(at, "value", "O1", "K1").set_value(1).run()
    assert not at.exception
    assert mine(score_db, p1, rid)[("O1", "K1")] == (4.0, None)
    assert any("Facilitatorn har gått vidare till bedömningsrunda 2" in e.value for e in at.error)


def test_navigation_is_at_the_top_and_the_bottom(score_db, fac, rid, p1):
    open_round(score_db, fac, rid)
    at = page(p1)
    assert at.button(key="score_prev_bottom").disabled and not at.button(key="score_next_bottom").disabled
    at.button(key="score_next_bottom").click().run()
    assert at.header[0].value == "Spår – etapp 2"
    assert not at.toast  # no toast over the content: the state is shown in place


def test_labels_keep_ordinary_punctuation_for_screen_readers(score_db, fac, rid, p1):
    """A widget label is also its accessible name: ordinary names carry no backslashes (only what
    inline Markdown would act on is escaped; found by the load test's accessible-name check)."""
    open_round(score_db, fac, rid)
    at = page(p1)
    assert cell(at, "number", "O1", "K3").label == "Din poäng för Andel nöjda (%)"
    assert cell(at, "comment", "O1", "K3").label == "Kommentar till Andel nöjda (%) (valfri)"
