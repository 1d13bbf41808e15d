"""The facilitator's committee page (issue 13, "Kommunernas inspel och beslut"): each tab's happy
path through ``storage.committee``; each bad input with its Swedish message and nothing stored
changed (the committee, the objects and the audit log as before); other roles are refused and
do not get the page in the navigation."""

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from prioritization import i18n, projectfile
from prioritization.committee.model import Committee, DecisionRef
from prioritization.committee.ranking import model_list
from prioritization.storage import audit, rounds, versions
from prioritization.storage import committee as store
from prioritization.storage.access import FACILITATOR, MUNICIPALITY, PARTICIPANT, VIEWER, Actor
from prioritization.ui.committee import committee_logic as logic
from prioritization.ui.shell import navigation
from tests.conftest import EXAMPLE
from tests.ui.conftest import app, shown

VIEW = str(Path(__file__).resolve().parents[3] / "prioritization" / "ui" / "pages" / "committee.py")
TODAY = date(2024, 11, 4)
REASON_DECLINE = "Hör hemma i kommunens egen plan, inte i den gemensamma listan"


def page(actor, lang="sv", **state):
    state.setdefault("today", TODAY)
    return app(actor, lang, script=VIEW, **state).run()


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [w.value for w in at.warning] + [s.value for s in at.success]
                     + [c.value for c in at.caption] + [i.value for i in at.info] + [e.value for e in at.error])


# the read-only tables, by a column only they have (st.dataframe has no id in AppTest)
TABLES = {"proposals": "Behov/brist", "screening": "Gallring", "matrix": "Ställningstagande", "decided": "Flytt"}


def frame(at, table, nth=0):
    """The ``nth`` shown table of a kind (the screening's candidates are the first, the parked the second)."""
    return [d.value for d in at.dataframe if TABLES[table] in d.value.columns][nth]


class Stored:
    """What is stored about a round: the committee, the round's set-up and the audit log's length."""

    def __init__(self, db, fac, rid):
        self.committee = store.committee(db, fac, rid)
        self.setup = rounds.setup_document(db, fac, rid)
        self.info = rounds.round_info(db, fac, rid)
        self.audit = len(audit.entries(db, fac, rid))

    def __eq__(self, other):
        return (self.committee, self.setup, self.info, self.audit) == (other.committee, other.setup, other.info,
                                                                       other.audit)


@pytest.fixture
def fresh(app_db, fac) -> int:
    """The example round with only its member municipalities: the window never opened, no
    proposals, checklist, screening, drafts or decision; chosen as the round being worked on."""
    project = projectfile.load(EXAMPLE)
    committee = Committee(municipalities=project.committee.municipalities)
    objects = tuple(o for o in project.objects)
    rid = rounds.import_project(app_db, fac, dataclasses.replace(project, name="Ny omgång", committee=committee,
                                                                  objects=objects))
    return rid


def freeze(db, fac, rid, name="Remissversion december"):
    return versions.freeze(db, fac, rid, name)


# ------------------------------------------------------------------------------ access


@pytest.mark.parametrize("role", [VIEWER, PARTICIPANT, MUNICIPALITY])
def test_other_roles_are_refused_and_do_not_get_the_page(app_db, fac, example, role):
    actor = Actor(role, "Någon", round_id=example, participant_key="p-huddinge" if role == PARTICIPANT else None,
                  municipality="huddinge" if role == MUNICIPALITY else None)
    before = Stored(app_db, fac, example)
    at = page(actor)
    assert not at.exception
    assert at.error[0].value == "Bara facilitatorn får göra detta."
    assert not at.button and not at.text_area and not at.selectbox and not at.dataframe
    assert Stored(app_db, fac, example) == before
    assert "committee" not in {p.url_path for s in navigation.page_specs(role).values() for p in s}


def test_the_facilitator_has_the_page_in_the_navigation(app_db, fac):
    specs = {p.url_path: p for s in navigation.page_specs(FACILITATOR).values() for p in s}
    assert specs["committee"].title_key == "nav.committee"
    assert i18n.t("nav.committee") == "Kommunernas inspel och beslut"
    at = app(fac).run()
    at.switch_page("prioritization/ui/pages/committee.py").run()
    assert not at.exception
    assert at.title[0].value == "Kommunernas inspel och beslut"


def test_the_page_shows_every_stage_of_the_example(app_db, fac, example):
    at = page(fac)
    assert not at.exception and not at.error
    assert [t.label for t in at.tabs] == ["Kommuner och inspelsfönster", "Förslag", "Gallring", "Förankring", "Beslut"]
    # a. the local points formula and the closed window with its Stockholm times
    assert "Prioritetspoäng = (1 − s)·T + s·L med s = 0,30" in texts(at)
    assert ("Inspelsfönstret öppnades 2023-09-04 08:00 (svensk tid) och stängdes 2023-09-29 16:00 (svensk tid)"
            in texts(at))
    # b. every proposal, only the open one with actions; the declined one's reason
    assert at.button(key="committee_accept_F-nykvarn-1") and at.button(key="committee_decline_F-nykvarn-1")
    assert not [b for b in at.button if b.key and b.key.endswith("F-salem-1")]
    proposals = frame(at, "proposals")
    assert list(proposals["Förslag"]) == ["F-salem-1", "F-botkyrka-1", "F-nykvarn-1"]
    assert list(proposals["Status"]) == ["Kandidat", "Avböjt", "Inlämnat"]
    assert "Avböjt. Motivering till kommunen: En kommunal åtgärd" in shown(texts(at))
    # wishes per object
    assert "- Huddinge: Samordna bytespunkten med spårvägens hållplats" in shown(texts(at))
    # c. SOD-15 let through against the checklist
    screened = frame(at, "screening").set_index("Id")
    assert screened.loc["SOD-15", "Gallring"] == "Släppt igenom"
    assert screened.loc["SOD-02", "Gallring"] == "Godkänd"
    assert "Inga objekt är parkerade." in texts(at)


# ------------------------------------------------------------------------------ a. municipalities, points, window


def edit_towns(at, edited=None, added=None, deleted=None):
    gen = at.session_state.get("committee_towns_gen", 0)
    at.session_state[f"committee_towns_editor_{gen}"] = {"edited_rows": edited or {}, "added_rows": added or [],
                                                        "deleted_rows": deleted or []}
    return at.run()


def test_editing_the_member_municipalities(app_db, fac, fresh):
    at = page(fac, round_id=fresh)
    assert len(at.data_editor[0].value) == 8
    edit_towns(at, edited={"7": {"name": "Tyresö kommun"}}, added=[{"id": "stockholm", "name": "Stockholm"}])
    at.button(key="committee_towns_save").click().run()
    assert not at.exception and not at.error
    towns = store.committee(app_db, fac, fresh).municipalities
    assert [(m.id, m.name) for m in towns][-2:] == [("tyreso", "Tyresö kommun"), ("stockholm", "Stockholm")]
    assert at.success[0].value == "Medlemskommunerna är sparade (9 kommuner)."
    assert audit.entries(app_db, fac, fresh, limit=1)[0].action == "committee.municipalities"


def test_a_municipality_without_a_name_is_refused_in_the_table(app_db, fac, fresh):
    before = Stored(app_db, fac, fresh)
    at = page(fac, round_id=fresh)
    edit_towns(at, edited={"0": {"name": None}})
    assert "Rad 1 (botkyrka), Namn: Namn saknas. Varje kommun måste ha ett namn." in shown(at.error[0].value)
    assert at.button(key="committee_towns_save").disabled
    assert Stored(app_db, fac, fresh) == before


def test_removing_a_municipality_that_has_given_input_is_refused(app_db, fac, example):
    before = Stored(app_db, fac, example)
    at = page(fac)
    edit_towns(at, deleted=[0])  # Botkyrka gave points and a proposal
    at.button(key="committee_towns_save").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Kommunen botkyrka har redan lämnat poäng, förslag, önskemål eller svar")
    assert Stored(app_db, fac, example) == before


def test_local_points_on_and_off(app_db, fac, fresh):
    at = page(fac, round_id=fresh)
    assert "Omgången har inga lokala inspelspoäng" in texts(at)
    at.checkbox(key="committee_points_on").check()
    at.number_input(key="committee_points_budget").set_value(100)
    at.number_input(key="committee_points_cap").set_value(30)
    at.number_input(key="committee_points_share").set_value(0.25)
    at.button(key="committee_points_save").click().run()
    assert not at.exception and not at.error
    points = store.committee(app_db, fac, fresh).points
    assert (points.budget, points.cap, points.share) == (100, 30, 0.25)
    assert "med s = 0,25" in texts(at) and "(8 kommuner × taket 30)" in texts(at)
    at.checkbox(key="committee_points_on").uncheck()
    at.button(key="committee_points_save").click().run()
    assert store.committee(app_db, fac, fresh).points is None
    assert at.success[0].value == "De lokala inspelspoängen är avstängda; rangordningen är modellens."


@pytest.mark.parametrize("case", ["cap_over_budget", "points_in_use"])
def test_bad_points_settings_give_a_swedish_message_and_store_nothing(app_db, fac, example, case):
    before = Stored(app_db, fac, example)
    at = page(fac)
    if case == "cap_over_budget":
        at.number_input(key="committee_points_budget").set_value(30)
        at.number_input(key="committee_points_cap").set_value(40)
        expected = "Taket per objekt (40) är större än budgeten (30). Inget sparades."
    else:  # the example's municipalities have given points: they cannot be turned off
        at.checkbox(key="committee_points_on").uncheck()
        expected = "Kommunerna har redan gett inspelspoäng (26 fördelningar); de lokala inspelspoängen kan inte " \
                   "stängas av. Inget sparades."
    at.button(key="committee_points_save").click().run()
    assert not at.exception
    assert at.error[0].value == expected
    assert Stored(app_db, fac, example) == before


def test_opening_and_closing_the_input_window(app_db, fac, fresh):
    at = page(fac, round_id=fresh)
    assert "Inspelsfönstret har inte öppnats än." in texts(at)
    at.selectbox(key="committee_window_milestone").set_value("M06")
    at.button(key="committee_window_open").click().run()
    assert not at.exception and not at.error
    window = store.committee(app_db, fac, fresh).window
    assert window.is_open and window.milestone == "M06"
    assert f"Inspelsfönstret är öppet sedan {i18n.timestamp(window.opened_at)}" in texts(at)
    assert "(svensk tid)" in texts(at)
    at.button(key="committee_window_close").click().run()
    assert not at.exception
    window = store.committee(app_db, fac, fresh).window
    assert window.is_closed
    assert at.success[0].value.startswith("Inspelsfönstret är stängt.")
    assert "committee_window_open" not in [b.key for b in at.button]  # the window opens once per round
    actions = [e.action for e in audit.entries(app_db, fac, fresh, limit=4)]
    assert "window.open" in actions and "window.close" in actions


# ------------------------------------------------------------------------------ b. proposals


def test_accepting_a_proposal_makes_it_a_candidate_to_score_in_a_supplementary_pass(app_db, fac, example):
    at = page(fac)
    at.button(key="committee_accept_F-nykvarn-1").click().run()
    assert not at.exception and not at.error
    proposal = next(p for p in store.committee(app_db, fac, example).proposals if p.id == "F-nykvarn-1")
    assert proposal.status == "accepted" and proposal.object == "SOD-16"
    obj = next(o for o in rounds.setup_document(app_db, fac, example)["objects"] if o["id"] == "SOD-16")
    assert obj["status"] == "candidate" and obj.get("new_in_round") is True
    status = rounds.round_info(app_db, fac, example)["status"]
    message = shown(at.success[0].value)
    assert message.startswith("Förslaget ”Pendlarparkering och cykelanslutning vid Nykvarns station” är nu "
                              "kandidat SOD-16 i omgången.")
    assert i18n.t(f"committee_page.supplementary.{status}") in message
    assert "committee_accept_F-nykvarn-1" not in [b.key for b in at.button]
    assert audit.entries(app_db, fac, example, limit=2)[-1].action in ("proposal.accept", "object.add")


def test_declining_a_proposal_with_its_reason(app_db, fac, example):
    at = page(fac)
    at.text_area(key="committee_decline_reason_F-nykvarn-1").input(REASON_DECLINE)
    at.button(key="committee_decline_F-nykvarn-1").click().run()
    assert not at.exception and not at.error
    proposal = next(p for p in store.committee(app_db, fac, example).proposals if p.id == "F-nykvarn-1")
    assert (proposal.status, proposal.reason) == ("declined", REASON_DECLINE)
    assert at.success[0].value.startswith("Förslaget ”Pendlarparkering och cykelanslutning vid Nykvarns station” "
                                          "är avböjt.")
    assert f"Avböjt. Motivering till kommunen: {REASON_DECLINE}" in shown(texts(at))


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_without_a_reason_is_refused(app_db, fac, example, reason):
    before = Stored(app_db, fac, example)
    at = page(fac)
    at.text_area(key="committee_decline_reason_F-nykvarn-1").input(reason)
    at.button(key="committee_decline_F-nykvarn-1").click().run()
    assert not at.exception
    assert at.error[0].value == "Skriv varför förslaget avböjs. Kommunen ser motiveringen. Inget sparades."
    assert Stored(app_db, fac, example) == before


def test_storage_refusing_a_decline_without_reason_gets_the_same_message(app_db, fac, example, monkeypatch):
    """If the page's own check were passed (a crafted request), storage's refusal reads the same."""
    before = Stored(app_db, fac, example)
    monkeypatch.setattr(logic, "decline_problem", lambda reason: None)
    at = page(fac)
    at.text_area(key="committee_decline_reason_F-nykvarn-1").input(" ")
    at.button(key="committee_decline_F-nykvarn-1").click().run()
    assert at.error[0].value == "Skriv varför förslaget avböjs. Kommunen ser motiveringen. Inget sparades."
    assert Stored(app_db, fac, example) == before


def test_a_proposal_s_text_is_escaped_and_its_links_are_link_buttons(app_db, fac, fresh):
    store.open_window(app_db, fac, fresh)
    nykvarn = Actor(MUNICIPALITY, "Nykvarn", round_id=fresh, municipality="nykvarn")
    hostile = "**Fet** [klick](https://evil.example) <b>x</b> $x$"
    store.propose(app_db, nykvarn, fresh, "nykvarn", {
        "name": hostile, "need": "Behov :red[rött] # rubrik", "cost": 40, "plan_channel": "regional",
        "links": ["https://www.nykvarn.se/plan/stationen", "http://example.se"]})
    at = page(fac, round_id=fresh)
    assert not at.exception
    heading = next(m.value for m in at.markdown if "Fet" in m.value)
    assert "**Fet**" not in heading and "](" not in heading and "<b>" not in heading
    assert shown(heading).startswith(f"**F-nykvarn-1 {hostile}** · Nykvarn · Inlämnat")
    assert "Behov/brist: Behov \\:red\\[rött\\] \\# rubrik" in texts(at)
    buttons = list(at.get("link_button"))
    assert [b.proto.url for b in buttons] == ["https://www.nykvarn.se/plan/stationen", "http://example.se"]
    assert [shown(b.proto.label) for b in buttons] == ["www.nykvarn.se/plan/stationen", "example.se"]
    # only plain web addresses become links
    assert logic.safe_links(["javascript:alert(1)", "data:text/html,x", "https://ok.se"]) == [("ok.se", "https://ok.se")]


# ------------------------------------------------------------------------------ c. screening


def test_default_checklist_and_screening(app_db, fac, fresh):
    at = page(fac, round_id=fresh)
    assert "Omgången har ingen checklista än." in texts(at)
    at.button(key="committee_checklist_defaults").click().run()
    assert not at.exception and not at.error
    assert [c.id for c in store.committee(app_db, fac, fresh).checklist] == ["need", "channel", "four_step", "cost"]
    # pass one, park one, let one through
    for oid, outcome, failed, reason in (("SOD-02", "passed", [], ""),
                                         ("SOD-05", "parked", ["cost"], "Kostnadsuppskattning saknas helt"),
                                         ("SOD-11", "let_through", ["four_step"], "Steget kompletteras före mötet")):
        at.selectbox(key="committee_screen_object").set_value(oid).run()
        at.radio(key=f"committee_screen_outcome_{oid}").set_value(outcome)
        at.multiselect(key=f"committee_screen_failed_{oid}").set_value(failed)
        at.text_area(key=f"committee_screen_reason_{oid}").input(reason)
        at.button(key="committee_screen_save").click().run()
        assert not at.exception and not at.error, oid
    c = store.committee(app_db, fac, fresh)
    assert [(r.object, r.outcome, r.failed, r.reason) for r in c.screening] == [
        ("SOD-02", "passed", (), None), ("SOD-05", "parked", ("cost",), "Kostnadsuppskattning saknas helt"),
        ("SOD-11", "let_through", ("four_step",), "Steget kompletteras före mötet")]
    status = {o["id"]: o.get("status") for o in rounds.setup_document(app_db, fac, fresh)["objects"]}
    assert status["SOD-05"] == "parked"
    parked = frame(at, "screening", 1)
    assert list(parked["Id"]) == ["SOD-05"] and list(parked["Motivering"]) == ["Kostnadsuppskattning saknas helt"]
    assert "SOD-05" not in list(frame(at, "screening")["Id"])
    assert "1 objekt är parkerat och rangordnas inte." in texts(at)


@pytest.mark.parametrize("case", ["park_without_reason", "let_through_without_reason", "let_through_without_failed"])
def test_bad_screening_gives_a_swedish_message_and_stores_nothing(app_db, fac, example, case):
    before = Stored(app_db, fac, example)
    at = page(fac)
    at.selectbox(key="committee_screen_object").set_value("SOD-05").run()
    outcome = "parked" if case == "park_without_reason" else "let_through"
    at.radio(key="committee_screen_outcome_SOD-05").set_value(outcome)
    at.multiselect(key="committee_screen_failed_SOD-05").set_value([] if case.endswith("failed") else ["cost"])
    at.text_area(key="committee_screen_reason_SOD-05").input("Saknar underlag" if case.endswith("failed") else "  ")
    at.button(key="committee_screen_save").click().run()
    assert not at.exception
    assert at.error[0].value == {
        "park_without_reason": "Skriv varför objektet parkeras. Inget sparades.",
        "let_through_without_reason": "Skriv varför objektet släpps igenom trots checklistan. Inget sparades.",
        "let_through_without_failed": "Ange vilka punkter på checklistan objektet inte uppfyller när det släpps "
                                      "igenom. Inget sparades.",
    }[case]
    assert Stored(app_db, fac, example) == before


def test_storage_refusing_a_park_without_reason_gets_the_same_message(app_db, fac, example, monkeypatch):
    before = Stored(app_db, fac, example)
    monkeypatch.setattr(logic, "screening_problem", lambda *a: None)
    at = page(fac)
    at.selectbox(key="committee_screen_object").set_value("SOD-05").run()
    at.radio(key="committee_screen_outcome_SOD-05").set_value("parked")
    at.button(key="committee_screen_save").click().run()
    assert at.error[0].value == "Skriv varför objektet parkeras. Inget sparades."
    assert Stored(app_db, fac, example) == before


# ------------------------------------------------------------------------------ d. anchoring


def test_sending_a_draft_recording_a_stance_and_closing_it(app_db, fac, example):
    v = freeze(app_db, fac, example)
    at = page(fac)
    at.selectbox(key="committee_draft_version").set_value(v.id)
    at.date_input(key="committee_draft_reply_by").set_value(date(2024, 11, 29))
    at.button(key="committee_draft_send").click().run()
    assert not at.exception and not at.error
    draft = store.committee(app_db, fac, example).current_draft
    assert (draft.version, draft.reply_by) == (v.sha256, date(2024, 11, 29))
    assert at.success[0].value == "Remissversionen är utskickad; svar senast 29 november 2024."
    assert "0 av 8 kommuner har svarat på ”Remissversion december”" in texts(at)
    matrix = frame(at, "matrix")
    assert list(matrix["Saknas"]) == ["Svar saknas"] * 8
    # a stance on Huddinge's behalf, with its own decision and a comment on one object
    at.selectbox(key="committee_stance_town").set_value("huddinge").run()
    k = f"committee_stance_huddinge_{v.sha256[:12]}"
    at.radio(key=f"{k}_value").set_value("support_with_comments")
    at.text_area(key=f"{k}_comment").input("Spårvägen först")
    at.session_state[f"{k}_objects"] = {"edited_rows": {"0": {"comment": "Viktigast för kommunen"}},
                                        "added_rows": [], "deleted_rows": []}
    at.text_input(key=f"{k}_body").input("Kommunstyrelsen")
    at.date_input(key=f"{k}_date").set_value(date(2024, 11, 18))
    at.text_input(key=f"{k}_reference").input("KS § 123")
    at.button(key="committee_stance_save").click().run()
    assert not at.exception and not at.error
    stance = next(s for s in store.committee(app_db, fac, example).stances if s.municipality == "huddinge")
    assert (stance.stance, stance.comment, dict(stance.object_comments)) == (
        "support_with_comments", "Spårvägen först", {"SOD-02": "Viktigast för kommunen"})
    assert stance.decision == DecisionRef("Kommunstyrelsen", date(2024, 11, 18), "KS § 123")
    assert at.success[0].value == "Svaret från Huddinge är registrerat: tillstyrker med synpunkter."
    matrix = frame(at, "matrix").set_index("Kommun")
    assert matrix.loc["Huddinge", "Ställningstagande"] == "Tillstyrker med synpunkter"
    assert matrix.loc["Huddinge", "Kommunens beslut"] == "Kommunstyrelsen 18 november 2024, KS § 123"
    assert "1 av 8 kommuner har svarat" in texts(at)
    # closing the draft
    at.button(key="committee_draft_close").click().run()
    assert not at.exception
    assert store.committee(app_db, fac, example).current_draft is None
    assert "Ingen remissversion är ute just nu." in texts(at)


@pytest.mark.parametrize("case", ["past_reply_date", "partial_municipal_decision"])
def test_bad_anchoring_input_gives_a_swedish_message_and_stores_nothing(app_db, fac, example, case):
    v = freeze(app_db, fac, example)
    if case == "partial_municipal_decision":
        store.send_draft(app_db, fac, example, v.id, date(2024, 11, 29))
    before = Stored(app_db, fac, example)
    at = page(fac)
    if case == "past_reply_date":
        at.date_input(key="committee_draft_reply_by").set_value(date(2024, 11, 29))
        at.session_state["today"] = date(2024, 12, 2)  # the page was left open over the reply date
        at.button(key="committee_draft_send").click().run()
        expected = "Svarsdatumet 29 november 2024 har redan passerat. Inget sparades."
    else:
        k = f"committee_stance_botkyrka_{v.sha256[:12]}"
        at.text_input(key=f"{k}_body").input("Kommunfullmäktige")
        at.button(key="committee_stance_save").click().run()
        expected = ("Ange kommunens beslut med organ, datum och paragraf, eller lämna alla tre tomma. "
                    "Inget sparades.")
    assert not at.exception
    assert at.error[0].value == expected
    assert Stored(app_db, fac, example) == before


# ------------------------------------------------------------------------------ e. decision


def decided_key(at, vid):
    gen = at.session_state.get("committee_decision_gen", 0)
    return f"committee_decided_{vid}_{gen}"


def move(at, vid, edited):
    at.session_state[decided_key(at, vid)] = {"edited_rows": edited, "added_rows": [], "deleted_rows": []}
    return at.run()


def test_recording_the_decision_with_one_override(app_db, fac, example):
    v = freeze(app_db, fac, example)
    model = model_list(versions.load(app_db, fac, v.id))
    at = page(fac)
    assert at.selectbox(key="committee_decision_version").value == v.id
    table = at.data_editor[-1].value
    assert list(table["object_id"]) == [m[0] for m in model]
    assert list(table["model_rank"]) == list(table["rank"]) == [m[1] for m in model]
    assert "Den beslutade ordningen är modellens; inga motiveringar behövs." in texts(at)
    # SOD-13 (model 8, tier B) up to 3, tier A, with its reason
    pos = [m[0] for m in model].index("SOD-13")
    move(at, v.id, {str(pos): {"rank": 3, "tier": "A", "reason": "Dubbelspåret är en förutsättning för pendeln"}})
    assert "1 objekt avviker från modellens lista och har motivering" in texts(at)
    at.text_input(key="committee_decision_reference").input("Protokoll 2024-12-10 § 5")
    at.date_input(key="committee_decision_date").set_value(date(2024, 12, 10))
    at.button(key="committee_decision_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    d = store.committee(app_db, fac, example).decision
    assert d.ref == DecisionRef("Samarbetskommittén", date(2024, 12, 10), "Protokoll 2024-12-10 § 5")
    assert d.version == v.sha256
    moved = next(e for e in d.order if e.object == "SOD-13")
    assert (moved.model_rank, moved.rank, moved.model_tier, moved.tier) == (8, 3, "B", "A")
    assert moved.reason == "Dubbelspåret är en förutsättning för pendeln"
    assert audit.entries(app_db, fac, example, limit=1)[0].action == "decision.record"
    # after the decision: the decided list and its sentence, no form
    assert "Beslutad av Samarbetskommittén 10 december 2024 (Protokoll 2024-12-10 § 5)" in shown(texts(at))
    decided = frame(at, "decided").set_index("Id")
    assert decided.loc["SOD-13", "Flytt"] == "↑ 5"
    assert decided.loc["SOD-13", "Motivering"] == "Dubbelspåret är en förutsättning för pendeln"
    assert not [b for b in at.button if b.key == "committee_decision_save"]


def test_a_decision_without_a_protocol_reference_is_refused(app_db, fac, example):
    freeze(app_db, fac, example)
    before = Stored(app_db, fac, example)
    at = page(fac)
    at.text_input(key="committee_decision_reference").input("   ")
    at.button(key="committee_decision_save").click().run()
    assert not at.exception
    assert at.error[0].value == "Ange beslutets protokollreferens (§). Inget sparades."
    assert Stored(app_db, fac, example) == before


def test_an_override_without_a_reason_is_refused_naming_the_row(app_db, fac, example):
    v = freeze(app_db, fac, example)
    model = model_list(versions.load(app_db, fac, v.id))
    before = Stored(app_db, fac, example)
    at = page(fac)
    pos = [m[0] for m in model].index("SOD-13")
    move(at, v.id, {str(pos): {"rank": 3}})
    name = rounds.setup_project(app_db, fac, example).object("SOD-13").name
    # said before saving ...
    assert f"Rad {pos + 1} ({name}): Avviker från modellens lista" in shown(at.warning[0].value)
    at.text_input(key="committee_decision_reference").input("Protokoll 2024-12-10 § 5")
    at.button(key="committee_decision_save").click().run()
    assert not at.exception
    # ... and on saving, with nothing stored
    assert shown(at.error[0].value) == (f"Beslutet sparades inte. 1 rad behöver rättas:\n\n- Rad {pos + 1} ({name}): "
                                        "Avviker från modellens lista (flyttat eller annan nivå) men saknar motivering.")
    assert Stored(app_db, fac, example) == before


def test_storage_refusing_an_override_without_reason_gets_a_swedish_message(app_db, fac, example, monkeypatch):
    v = freeze(app_db, fac, example)
    model = model_list(versions.load(app_db, fac, v.id))
    before = Stored(app_db, fac, example)
    real = logic.read_decided
    monkeypatch.setattr(logic, "read_decided", lambda rows, tiers: (real(rows, tiers)[0], []))
    at = page(fac)
    move(at, v.id, {str([m[0] for m in model].index("SOD-13")): {"rank": 3}})
    at.text_input(key="committee_decision_reference").input("§ 5")
    at.button(key="committee_decision_save").click().run()
    assert at.error[0].value == ("Varje avvikelse från modellens lista behöver en motivering; den saknas för SOD-13. "
                                 "Inget sparades.")
    assert Stored(app_db, fac, example) == before


@pytest.mark.parametrize("cell,says", [({"rank": 0}, "Beslutad rang ska vara ett heltal från 1 (inte 0)."),
                                       ({"rank": 2.5}, "Beslutad rang ska vara ett heltal från 1 (inte 2.5)."),
                                       ({"rank": None}, "Beslutad rang saknas."),
                                       ({"tier": None}, "Beslutad nivå saknas (nivåerna är A, B, C).")])
def test_a_bad_decided_row_is_refused(app_db, fac, example, cell, says):
    v = freeze(app_db, fac, example)
    before = Stored(app_db, fac, example)
    at = page(fac)
    move(at, v.id, {"0": cell})
    at.text_input(key="committee_decision_reference").input("§ 5")
    at.button(key="committee_decision_save").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Beslutet sparades inte. 1 rad behöver rättas:")
    assert shown(at.error[0].value).endswith(f"- Rad 1 (Spårväg syd (Flemingsberg–Älvsjö)): {says}")
    assert Stored(app_db, fac, example) == before


def test_the_decided_table_keeps_the_model_columns_read_only():
    rows = logic.decided_rows([logic.ModelRow("A", 1, "A"), logic.ModelRow("B", 2, "B")], {"A": "Ett", "B": "Två"})
    edited = logic.apply_decided_delta(rows, {"edited_rows": {"1": {"model_rank": 1, "object_id": "X", "rank": 1,
                                                                     "reason": "Skäl"}}})
    assert edited[1]["model_rank"] == 2 and edited[1]["object_id"] == "B" and edited[1]["rank"] == 1
    entries, problems = logic.read_decided(edited, ["A", "B"])
    assert not problems and [e.object for e in entries if e.reason] == ["B"]


def test_english(app_db, fac, example):
    at = page(fac, "en")
    assert not at.exception
    assert at.title[0].value == "Municipal input and the decision"
    assert [t.label for t in at.tabs] == ["Municipalities and input window", "Proposals", "Screening", "Anchoring",
                                          "Decision"]
    at.text_area(key="committee_decline_reason_F-nykvarn-1").input("")
    at.button(key="committee_decline_F-nykvarn-1").click().run()
    assert at.error[0].value == "Write why the proposal is declined. The municipality sees the reason. Nothing was saved."
