"""The municipal representative's page (issue 13): points, proposals, wishes and the stance on the
draft list, as a municipality; only its own input before the window closes and everyone's after;
every bad input refused with its Swedish message and nothing stored; other roles refused."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from prioritization import projectfile
from prioritization.committee.model import (
    OPPOSE,
    SUPPORT_WITH_COMMENTS,
    Allocation,
    DecisionRef,
    InputWindow,
    LocalPoints,
)
from prioritization.storage import audit, rounds, versions
from prioritization.storage import committee as store
from prioritization.storage.access import FACILITATOR, MUNICIPALITY, PARTICIPANT, VIEWER, Actor
from prioritization.ui.committee import municipal_logic as logic
from prioritization.ui.shell.state import EXAMPLE_PROJECT
from tests.ui.conftest import app, shown

VIEW = str(Path(__file__).resolve().parents[3] / "prioritization" / "ui" / "pages" / "municipal_input.py")
FAC = Actor(FACILITATOR, "Facilitator")
NOT_SAVED = "Poängen har inte sparats. Inget har ändrats:"


def municipality(rid: int, town: str = "huddinge", name: str = "Eva Ek") -> Actor:
    return Actor(MUNICIPALITY, name, round_id=rid, municipality=town)


def page(actor, lang="sv"):
    return app(actor, lang, script=VIEW).run()


def texts(at) -> str:
    return shown("\n".join([m.value for m in at.markdown] + [w.value for w in at.warning]
                           + [s.value for s in at.success] + [c.value for c in at.caption]
                           + [i.value for i in at.info] + [e.value for e in at.error] + [t.value for t in at.title]))


def successes(at) -> list[str]:
    """The success messages but the window's state."""
    return [shown(x.value) for x in at.success if not x.value.startswith("Inlämningen är öppen")]


def errors(at) -> str:
    return shown("\n".join(e.value for e in at.error))


def stored(db, rid):
    """Everything the committee stage holds for the round, and the audit log's length: a refusal
    must leave both as they were."""
    return store.committee(db, FAC, rid), len(audit.entries(db, FAC, rid, limit=100000))


@pytest.fixture
def open_round(app_db) -> int:
    """The example round again, its input stage not yet used (no window, no points given, no
    proposals or wishes), with the input window open now."""
    project = projectfile.load(EXAMPLE_PROJECT)
    fresh = dataclasses.replace(project.committee, window=InputWindow(), allocations=(), proposals=(), wishes=(),
                                stances=(), drafts=(), decision=None)
    rid = rounds.import_project(app_db, FAC, dataclasses.replace(project, name="Omgång med öppen inlämning",
                                                                 committee=fresh))
    store.open_window(app_db, FAC, rid, "M06")  # the timeline's milestone for the municipalities' input
    return rid


@pytest.fixture
def closed_round(app_db, example) -> int:
    """The example round as seeded: its input window closed, every municipality's points given."""
    return example


def points_key(at) -> str:
    return at.data_editor[0].key


def edit_points(at, edited: dict) -> None:
    at.session_state[points_key(at)] = {"edited_rows": edited, "added_rows": [], "deleted_rows": []}
    at.run()


def row_of(at, object_id: str) -> int:
    return list(at.data_editor[0].value[logic.OBJECT_ID]).index(object_id)


def save_points(at) -> None:
    at.button(key="municipal_points_save").click().run()


# --- who may use the page -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["facilitator", "viewer", "participant", "nobody"])
def test_other_roles_are_refused_and_shown_nothing(app_db, open_round, who):
    actor = {"facilitator": FAC, "viewer": Actor(VIEWER, "Kommittén", round_id=open_round),
             "participant": Actor(PARTICIPANT, "Haninge", round_id=open_round, participant_key="p-haninge"),
             "nobody": None}[who]
    at = page(actor)
    assert not at.exception
    assert errors(at) == ("Den här sidan är till för kommunernas representanter. Du är inte inloggad som "
                          "representant för en kommun, så här visas inget.")
    assert not at.data_editor and not at.dataframe and not at.button and not at.text_input and not at.header


def test_a_municipality_no_longer_member_is_told(app_db, open_round):
    at = page(municipality(open_round, "stockholm"))
    assert not at.exception
    assert not at.data_editor and not at.button


# --- the heading and the window -----------------------------------------------------------------


def test_heading_names_the_municipality_and_the_open_window_in_stockholm_time(app_db, open_round):
    at = page(municipality(open_round))
    assert not at.exception
    assert at.title[0].value == "Kommunens underlag – Huddinge"
    assert at.success[0].value.startswith("Inlämningen är öppen sedan ")
    assert "(svensk tid)" in at.success[0].value
    m06 = next(m for m in rounds.setup_project(app_db, FAC, open_round).milestones if m.id == "M06")
    assert f"Enligt tidslinjen pågår inlämningen (”{m06.title_sv}”) till och med " in texts(at)
    assert [h.value for h in at.header] == ["Lokala poäng", "Förslag på nya objekt",
                                            "Önskemål och synpunkter på objekt", "Remissvar på förslaget till lista"]
    assert "Tills inlämningen stänger ser bara er kommun och facilitatorn ert underlag." in texts(at)


def test_english(app_db, open_round):
    at = page(municipality(open_round), lang="en")
    assert not at.exception
    assert at.title[0].value == "Municipal input – Huddinge"
    assert at.success[0].value.startswith("Submissions have been open since ")


def test_before_the_window_opens_nothing_can_be_submitted(app_db):
    project = projectfile.load(EXAMPLE_PROJECT)
    fresh = dataclasses.replace(project.committee, window=InputWindow(milestone="M06"), allocations=(), proposals=(),
                                wishes=(), stances=(), drafts=(), decision=None)
    rid = rounds.import_project(app_db, FAC, dataclasses.replace(project, committee=fresh))
    at = page(municipality(rid))
    assert not at.exception
    assert at.info[0].value.startswith("Inlämningen har inte öppnats än.")
    assert "Enligt tidslinjen är inlämningen" in texts(at)
    assert not at.data_editor and not at.get("form")
    assert all(b.key != "municipal_points_save" for b in at.button)


# --- local input points -------------------------------------------------------------------------


def test_giving_points_shows_the_budget_live_and_saves_them_whole(app_db, open_round):
    hud = municipality(open_round)
    at = page(hud)
    progress = at.get("progress")[0]
    assert "Fördelat: 0 av 100 poäng. Kvar: 100 poäng." in progress.proto.text
    edit_points(at, {row_of(at, "SOD-02"): {"points": 40, "rationale": "Spårvägen behövs för nya bostäder"},
                     row_of(at, "SOD-08"): {"points": 30}})
    assert not at.exception
    assert "Fördelat: 70 av 100 poäng. Kvar: 30 poäng." in at.get("progress")[0].proto.text
    assert store.committee(app_db, FAC, open_round).allocations == ()  # nothing stored before "Spara"
    save_points(at)
    assert not at.exception and not at.error
    assert successes(at) == ["Kommunens poäng är sparade: 70 av 100 poäng fördelade."]
    assert set(store.committee(app_db, hud, open_round).allocations) == {
        Allocation("huddinge", "SOD-02", 40, "Spårvägen behövs för nya bostäder"),
        Allocation("huddinge", "SOD-08", 30, None)}
    # the table now shows what is stored, and a second save replaces the whole allocation
    table = at.data_editor[0].value.set_index(logic.OBJECT_ID)
    assert table.loc["SOD-02", logic.POINTS] == 40 and table.loc["SOD-08", logic.POINTS] == 30
    edit_points(at, {row_of(at, "SOD-08"): {"points": 0}})
    save_points(at)
    assert store.committee(app_db, hud, open_round).allocations == (
        Allocation("huddinge", "SOD-02", 40, "Spårvägen behövs för nya bostäder"),)
    assert audit.entries(app_db, FAC, open_round, limit=1)[0].action == "allocations.set"


BAD_POINTS = {
    "over_budget": ({"SOD-02": 40, "SOD-08": 40, "SOD-09": 30},
                    "Totalt 120 poäng är 20 poäng mer än kommunens budget på 100 poäng."),
    "over_cap": ({"SOD-02": 41}, "41 poäng är mer än taket på 40 poäng per objekt."),
    "not_whole": ({"SOD-02": 12.5}, "poäng ges i hela tal, inte 12,5."),
    "negative": ({"SOD-02": -5}, "poäng kan inte vara negativa (-5)."),
}


@pytest.mark.parametrize("case", sorted(BAD_POINTS))
def test_bad_points_are_refused_with_their_message_and_nothing_changes(app_db, open_round, case):
    hud = municipality(open_round)
    store.set_allocations(app_db, hud, open_round, "huddinge", [Allocation("huddinge", "SOD-13", 10, "Tidigare")])
    before = stored(app_db, open_round)
    at = page(hud)
    points, message = BAD_POINTS[case]
    edit_points(at, {row_of(at, oid): {"points": p} for oid, p in points.items()})
    if case == "over_budget":
        assert "Fördelningen är 20 poäng över budgeten på 100 poäng." in texts(at)  # said while editing
    save_points(at)
    assert not at.exception
    assert errors(at).startswith(NOT_SAVED)
    assert message in errors(at)
    assert stored(app_db, open_round) == before


def test_a_rationale_without_points_is_refused(app_db, open_round):
    before = stored(app_db, open_round)
    at = page(municipality(open_round))
    edit_points(at, {row_of(at, "SOD-03"): {"rationale": "Viktigt"}})
    save_points(at)
    assert "motiveringen saknar poäng" in errors(at)
    assert stored(app_db, open_round) == before


def test_points_after_the_window_closed_are_refused_and_nothing_changes(app_db, open_round):
    at = page(municipality(open_round))
    edit_points(at, {row_of(at, "SOD-02"): {"points": 20}})
    store.close_window(app_db, FAC, open_round)  # meanwhile, at the facilitator's
    before = stored(app_db, open_round)
    save_points(at)
    assert not at.exception
    assert errors(at) == ("Inlämningen har stängts, så kommunens underlag kan inte längre ändras. Inget har sparats. "
                          "Ladda om sidan för att se läget.")
    assert stored(app_db, open_round) == before


def test_storage_refusals_get_the_pages_swedish_message():
    """Storage checks everything again; its codes become the page's Swedish messages."""
    problem = logic.error_message("over_cap", {"object": "SOD-02", "points": 41, "cap": 40},
                                  {"SOD-02": "Spårväg syd"})
    assert problem == logic.Problem("error.over_cap", {"object": "Spårväg syd", "points": 41, "cap": 40})
    assert logic.error_message("session_ended", {}) is None  # the app's general message


PROBLEM_KEYS = ("points.not_a_number", "points.not_whole", "points.negative", "points.over_cap",
                "points.over_budget", "points.rationale_without_points", "points.too_long", "points.formula_like",
                "proposal.name_missing", "proposal.need_missing", "proposal.bad_mode", "proposal.bad_cost",
                "proposal.bad_plan_channel", "proposal.bad_link", "proposal.name_too_long", "proposal.need_too_long",
                "proposal.location_too_long", "proposal.name_formula_like", "stance.choose", "stance.ref_incomplete")


def test_every_message_the_page_can_give_exists_in_both_languages():
    from prioritization import i18n

    keys = [f"municipal.{k}" for k in PROBLEM_KEYS] + list(logic.ERROR_KEYS.values())
    for lang in i18n.LANGUAGES:
        assert [k for k in keys if k not in i18n.catalogue(lang)] == [], lang


def test_parse_points_by_hand():
    frame = logic.points_frame([("A", "Objekt A"), ("B", "Objekt B"), ("C", "Objekt C")],
                               [Allocation("m", "A", 10, "x")])
    frame.loc[1, logic.POINTS] = 30
    edit = logic.parse_points(frame, "m", 100, 40)
    assert edit.ok and edit.used == 40
    assert edit.allocations == (Allocation("m", "A", 10, "x"), Allocation("m", "B", 30, None))
    frame.loc[2, logic.POINTS] = 2.5
    frame.loc[0, logic.POINTS] = 45
    edit = logic.parse_points(frame, "m", 60, 40)
    assert [p.key for p in edit.problems] == ["points.over_cap", "points.not_whole", "points.over_budget"]
    text = logic.points_frame([("A", "Objekt A")], [])
    text[logic.POINTS] = text[logic.POINTS].astype(object)
    text.loc[0, logic.POINTS] = "tio"  # the number column accepts no text; read back all the same
    assert logic.parse_points(text, "m", 100, 40).problems == (
        logic.Problem("points.not_a_number", {"object": "Objekt A", "value": "tio"}),)
    assert logic.budget_status(75, 60).over == 15 and logic.budget_status(30, 60).left == 30


# --- proposals ----------------------------------------------------------------------------------


def fill_proposal(at, **values) -> None:
    gen = at.session_state.get("municipal_proposal_gen", 0)
    for name in ("name", "location"):
        if name in values:
            at.text_input(key=f"municipal_prop_{name}_{gen}").input(values[name])
    for name in ("need", "links"):
        if name in values:
            at.text_area(key=f"municipal_prop_{name}_{gen}").input(values[name])
    if "modes" in values:
        at.multiselect(key=f"municipal_prop_modes_{gen}").set_value(values["modes"])
    if "cost" in values:
        at.number_input(key=f"municipal_prop_cost_{gen}").set_value(values["cost"])
    if "channel" in values:
        at.selectbox(key=f"municipal_prop_channel_{gen}").set_value(values["channel"])
    at.button(key="municipal_proposal_send").click().run()


def test_proposing_an_object_stores_it_and_lists_it_as_submitted_then_withdraw(app_db, open_round):
    hud = municipality(open_round)
    at = page(hud)
    fill_proposal(at, name="Cykelbro över Kanalen", need="Det saknas en gen cykelförbindelse (ÅVS 2023).",
                  location="Flemingsberg", modes=["cycle", "walk"], cost=85.0, channel="municipal",
                  links="https://example.se/avs\nhttps://huddinge.se/plan")
    assert not at.exception and not at.error
    assert successes(at) == ["Förslaget ”Cykelbro över Kanalen” är inskickat (F-huddinge-1)."]
    (p,) = store.committee(app_db, hud, open_round).proposals
    assert (p.id, p.name, p.location, p.mode, p.cost, p.plan_channel, p.status) == (
        "F-huddinge-1", "Cykelbro över Kanalen", "Flemingsberg", "cycle+walk", 85, "municipal", "proposed")
    assert p.links == ("https://example.se/avs", "https://huddinge.se/plan")
    page_text = texts(at)
    assert "Kommunens förslag (1)" in [s.value for s in at.subheader]
    assert "**Status:** inlämnat, väntar på facilitatorns prövning." in page_text
    assert "cykel + gång" in page_text and "85 MSEK" in page_text
    # the form starts empty again
    assert at.text_input(key="municipal_prop_name_1").value == ""
    at.button(key="municipal_withdraw_F-huddinge-1").click().run()
    assert not at.exception
    assert successes(at) == ["Förslaget ”Cykelbro över Kanalen” är tillbakadraget."]
    assert store.committee(app_db, hud, open_round).proposals == ()


@pytest.mark.parametrize("values, message", [
    ({"need": "Behov"}, "Ange ett namn på objektet."),
    ({"name": "Ny väg"}, "Beskriv behovet eller bristen som objektet ska lösa."),
    ({"name": "Ny väg", "need": "Behov", "links": "www.example.se"},
     "”www.example.se” är ingen webbadress."),
    ({"name": "=HYPERLINK(\"x\")", "need": "Behov"}, "Namnet börjar med = och kunde köras som en formel"),
])
def test_a_bad_proposal_is_refused_with_its_message_and_nothing_stored(app_db, open_round, values, message):
    before = stored(app_db, open_round)
    at = page(municipality(open_round))
    fill_proposal(at, **values)
    assert not at.exception
    assert errors(at).startswith("Förslaget har inte skickats in. Inget har sparats:")
    assert message in errors(at)
    assert stored(app_db, open_round) == before


def test_a_declined_proposal_shows_the_reason_and_cannot_be_withdrawn(app_db, open_round):
    hud = municipality(open_round)
    store.propose(app_db, hud, open_round, "huddinge", {"name": "Gångtunnel", "need": "Otrygg passage"})
    store.decline_proposal(app_db, FAC, open_round, "F-huddinge-1", "Ryms i kommunens egen budget <b>")
    at = page(hud)
    assert "**Status:** avböjt. Facilitatorns motivering: Ryms i kommunens egen budget <b>" in texts(at)
    assert all(b.key != "municipal_withdraw_F-huddinge-1" for b in at.button)


def test_withdrawing_after_the_facilitator_accepted_is_refused(app_db, open_round):
    hud = municipality(open_round)
    store.propose(app_db, hud, open_round, "huddinge", {"name": "Gångtunnel", "need": "Otrygg passage"})
    at = page(hud)
    store.accept_proposal(app_db, FAC, open_round, "F-huddinge-1")
    before = stored(app_db, open_round)
    at.button(key="municipal_withdraw_F-huddinge-1").click().run()
    assert errors(at) == ("Facilitatorn har redan prövat förslaget, så det kan inte dras tillbaka. "
                          "Inget har ändrats.")
    assert stored(app_db, open_round) == before
    at.run()
    assert "**Status:** antaget – kandidatobjektet" in texts(at)


# --- wishes -------------------------------------------------------------------------------------


def test_a_wish_is_saved_changed_and_removed(app_db, open_round):
    hud = municipality(open_round)
    at = page(hud)
    at.selectbox(key="municipal_wish_object").set_value("SOD-04").run()
    box = next(t for t in at.text_area if t.key.startswith("municipal_wish_text|SOD-04|"))
    box.input("Bron behöver ett gångfält").run()
    at.button(key="municipal_wish_save").click().run()
    assert not at.exception and not at.error
    assert successes(at) == ["Önskemålet om E4/E20 Södertäljebron – kapacitetsförstärkning Moraberg–Saltskog är sparat."]
    assert [(w.object, w.text) for w in store.committee(app_db, hud, open_round).wishes] == [
        ("SOD-04", "Bron behöver ett gångfält")]
    assert "Bron behöver ett gångfält" in texts(at)
    assert at.selectbox(key="municipal_wish_object").value == "SOD-04"
    box = next(t for t in at.text_area if t.key.startswith("municipal_wish_text|SOD-04|"))
    assert box.value == "Bron behöver ett gångfält"  # the stored text, to change
    box.input("Bron behöver ett gångfält och en cykelbana").run()
    at.button(key="municipal_wish_save").click().run()
    assert [w.text for w in store.committee(app_db, hud, open_round).wishes] == [
        "Bron behöver ett gångfält och en cykelbana"]
    at.button(key="municipal_wish_remove").click().run()
    assert successes(at) == ["Önskemålet om E4/E20 Södertäljebron – kapacitetsförstärkning Moraberg–Saltskog är borttaget."]
    assert store.committee(app_db, hud, open_round).wishes == ()


def test_an_empty_wish_is_refused(app_db, open_round):
    before = stored(app_db, open_round)
    at = page(municipality(open_round))
    at.button(key="municipal_wish_save").click().run()
    assert errors(at) == "Skriv ett önskemål innan ni sparar, eller ta bort det befintliga. Inget har sparats."
    assert stored(app_db, open_round) == before


# --- isolation: its own before the window closes, everyone's after ---------------------------------


def test_a_municipality_sees_only_its_own_input_before_the_window_closes(app_db, open_round):
    hud, han = municipality(open_round), municipality(open_round, "haninge", "Hans Hansson")
    store.set_allocations(app_db, han, open_round, "haninge", [Allocation("haninge", "SOD-03", 40, "Hemligt skäl")])
    store.propose(app_db, han, open_round, "haninge", {"name": "Haninges förslag", "need": "Behov"})
    store.set_wish(app_db, han, open_round, "haninge", "SOD-06", "Haninges önskemål")
    store.set_allocations(app_db, hud, open_round, "huddinge", [Allocation("huddinge", "SOD-02", 25, "Vårt skäl")])
    at = page(hud)
    everything = texts(at) + "\n".join(str(d.value.to_dict()) for d in at.data_editor)
    for secret in ("Hemligt skäl", "Haninges förslag", "Haninges önskemål"):
        assert secret not in everything
    assert "Vårt skäl" in everything
    assert "Alla kommuners underlag" not in [h.value for h in at.header]
    # after the window closes: read-only, and every municipality's input is shown
    store.close_window(app_db, FAC, open_round)
    at = page(hud)
    assert not at.exception
    assert not at.data_editor and not at.get("form")
    assert "Alla kommuners underlag" in [h.value for h in at.header]
    tables = pd.concat([d.value.astype(str) for d in at.dataframe], ignore_index=True).to_string()
    for public in ("Hemligt skäl", "Haninges förslag", "Haninges önskemål", "Vårt skäl"):
        assert public in tables
    assert "Inlämningen stängdes " in at.info[0].value and "(svensk tid)" in at.info[0].value


def test_the_closed_example_round_is_read_only_and_shows_everyones_points(app_db, closed_round):
    at = page(municipality(closed_round, "botkyrka"))
    assert not at.exception
    assert not at.data_editor and not at.get("form")
    assert all(b.key not in ("municipal_points_save", "municipal_wish_save") for b in at.button)
    assert "Inlämningen är stängd: det här är skrivskyddat." in texts(at)
    spent = next(d.value for d in at.dataframe if "budget" in d.value.columns)
    assert list(spent["municipality"]) == ["Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem",
                                           "Södertälje", "Tyresö"]
    given = next(d.value for d in at.dataframe if "rationale" in d.value.columns and "municipality" in d.value.columns)
    assert set(given["municipality"]) > {"Botkyrka"}  # every municipality's points, not only its own


# --- the stance on the draft list ---------------------------------------------------------------


def send_draft(db, rid, name="Remissversion hösten") -> str:
    info = versions.freeze(db, FAC, rid, name)
    store.send_draft(db, FAC, rid, info.id, date(2026, 11, 15))
    return store.committee(db, FAC, rid).current_draft.version


def fill_stance(at, tag, stance=None, comment="", body="", day=None, reference="", objects=None) -> None:
    if stance is not None:
        at.radio(key=f"municipal_stance_choice_{tag}").set_value(stance)
    if comment:
        at.text_area(key=f"municipal_stance_comment_{tag}").input(comment)
    for oid, text in (objects or {}).items():
        at.text_input(key=f"municipal_stance_obj_{tag}_{oid}").input(text)
    if body:
        at.text_input(key=f"municipal_stance_body_{tag}").input(body)
    if day is not None:
        at.date_input(key=f"municipal_stance_date_{tag}").set_value(day)
    if reference:
        at.text_input(key=f"municipal_stance_ref_{tag}").input(reference)
    at.button(key="municipal_stance_send").click().run()


def test_without_a_draft_out_there_is_nothing_to_reply_to(app_db, open_round):
    at = page(municipality(open_round))
    assert ("Ingen remissversion är utskickad just nu. När facilitatorn skickar ut förslaget till lista på remiss "
            "lämnar ni kommunens ställningstagande här.") in [i.value for i in at.info]
    assert all(b.key != "municipal_stance_send" for b in at.button)


def test_recording_the_stance_with_comments_and_the_municipalitys_decision(app_db, open_round):
    hud = municipality(open_round)
    sha = send_draft(app_db, open_round)
    at = page(hud)
    assert "Versionen ”Remissversion hösten” skickades ut på remiss " in texts(at)
    assert "Svara senast 15 november 2026." in texts(at)
    fill_stance(at, sha[:12], SUPPORT_WITH_COMMENTS, comment="Spårvägen bör ligga högre",
                objects={"SOD-02": "Avgörande för Flemingsberg"}, body="Kommunstyrelsen", day=date(2026, 11, 3),
                reference="KS § 123")
    assert not at.exception and not at.error
    assert successes(at)[-1] == "Kommunens remissvar på ”Remissversion hösten” är sparat: Tillstyrker med synpunkter."
    (s,) = store.committee(app_db, FAC, open_round).stances
    assert (s.municipality, s.version, s.stance, s.comment) == ("huddinge", sha, SUPPORT_WITH_COMMENTS,
                                                                "Spårvägen bör ligga högre")
    assert dict(s.object_comments) == {"SOD-02": "Avgörande för Flemingsberg"}
    assert s.decision == DecisionRef("Kommunstyrelsen", date(2026, 11, 3), "KS § 123")
    assert "Kommunens svar är registrerat: Tillstyrker med synpunkter" in texts(at)
    # changed later: the form shows the stored reply, and a new one replaces it
    assert at.radio(key=f"municipal_stance_choice_{sha[:12]}").value == SUPPORT_WITH_COMMENTS
    at.radio(key=f"municipal_stance_choice_{sha[:12]}").set_value(OPPOSE)
    at.button(key="municipal_stance_send").click().run()
    assert [x.stance for x in store.committee(app_db, FAC, open_round).stances] == [OPPOSE]


@pytest.mark.parametrize("values, message", [
    ({}, "Välj kommunens ställningstagande: tillstyrker, tillstyrker med synpunkter eller avstyrker."),
    ({"stance": OPPOSE, "body": "Kommunfullmäktige"},
     "Kommunens beslut anges med organ, datum och paragraf. Fyll i alla tre, eller lämna alla tomma."),
])
def test_a_bad_stance_is_refused_with_its_message_and_nothing_stored(app_db, open_round, values, message):
    sha = send_draft(app_db, open_round)
    before = stored(app_db, open_round)
    at = page(municipality(open_round))
    fill_stance(at, sha[:12], **values)
    assert not at.exception
    assert errors(at).startswith("Remissvaret har inte sparats. Inget har ändrats:")
    assert message in errors(at)
    assert stored(app_db, open_round) == before


def test_a_stance_on_a_draft_no_longer_out_is_refused(app_db, open_round):
    sha = send_draft(app_db, open_round)
    at = page(municipality(open_round))
    store.close_draft(app_db, FAC, open_round, sha)  # meanwhile
    before = stored(app_db, open_round)
    fill_stance(at, sha[:12], OPPOSE)
    assert errors(at) == ("Versionen ”Remissversion hösten” är inte längre ute på remiss, så remissvaret kan inte "
                          "sparas. Inget har sparats. Ladda om sidan för att se läget.")
    assert stored(app_db, open_round) == before
    at.run()
    assert all(b.key != "municipal_stance_send" for b in at.button)


def test_hostile_names_stay_text(app_db, open_round):
    """A municipality's name, a proposal's name and a decline reason are typed by people."""
    c = store.committee(app_db, FAC, open_round)
    store.set_municipalities(app_db, FAC, open_round, [dataclasses.replace(m, name="**Hud**dinge [x](http://evil)")
                                                       if m.id == "huddinge" else m for m in c.municipalities])
    at = page(municipality(open_round))
    assert not at.exception
    assert shown(at.title[0].value) == "Kommunens underlag – **Hud**dinge [x](http://evil)"
    assert "\\*\\*Hud\\*\\*dinge \\[x\\]" in at.title[0].value  # escaped: no bold, no link


def test_points_settings_off_hides_the_points_table(app_db, open_round):
    store.set_local_points(app_db, FAC, open_round, None)
    at = page(municipality(open_round))
    assert not at.exception and not at.data_editor
    assert "Lokala poäng" not in [h.value for h in at.header]
    store.set_local_points(app_db, FAC, open_round, LocalPoints(50, 20, 0.2))
    at = page(municipality(open_round))
    assert "**50 poäng**" in texts(at) and "**20 poäng**" in texts(at)
