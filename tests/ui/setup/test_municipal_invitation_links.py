"""Invitation links for municipal representatives on the participants page (issue 13): a link bound
to one member municipality of the round's committee, made through ``auth.invite`` like the viewer
link; without municipalities the page says where to add them."""

import dataclasses
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from prioritization.committee.model import Committee
from prioritization.storage import auth, rounds, sessions
from prioritization.storage.access import MUNICIPALITY
from tests.ui.conftest import shown

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "setup_participants_app.py")
PAGE_URL = "http://10.0.0.5:8501/setup_participants"


def page(actor, lang="sv") -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=30)
    at.session_state["actor"] = actor
    at.session_state["lang"] = lang
    at.context["url"] = PAGE_URL
    return at.run()


def test_a_link_for_a_municipal_representative_signs_in_as_that_municipality(app_db, fac, example):
    at = page(fac)
    assert not at.exception
    assert "Länkar för kommunrepresentanter" in [s.value for s in at.subheader]
    select = at.selectbox(key="participants_municipality")
    assert select.options[:3] == ["Botkyrka", "Haninge", "Huddinge"]
    select.set_value("huddinge")
    at.text_input(key="participants_municipal_label").input("Eva Ek")
    at.button(key="participants_invite_municipality").click().run()
    assert not at.exception and not at.error
    link = at.session_state["participants_new_link"]
    assert (link["role"], link["who"]) == (MUNICIPALITY, "Huddinge (Eva Ek)")
    assert shown(at.subheader[0].value) == "Ny länk för Huddinge (Eva Ek)"
    assert any("logga in som kommunrepresentant" in m.value for m in at.markdown)
    (inv,) = [i for i in auth.list_invitations(app_db, fac, example) if i.role == MUNICIPALITY]
    assert (inv.municipality, inv.label) == ("huddinge", "Eva Ek")
    token = parse_qs(urlsplit(link["url"]).query)["token"][0]
    _, actor = sessions.sign_in_with_invitation(app_db, token)
    assert (actor.role, actor.round_id, actor.municipality) == (MUNICIPALITY, example, "huddinge")
    # the list of links names the role and the municipality, and the link can be revoked
    at.button(key="participants_hide_link").click().run()
    assert any(m.value == "kommunrepresentant" for m in at.markdown)
    assert any(m.value == "Huddinge \\(Eva Ek\\)" for m in at.markdown)
    assert at.button(key=f"participants_revoke_{inv.id}") is not None


def test_without_municipalities_the_page_points_to_the_committee_page(app_db, fac, example):
    project = dataclasses.replace(rounds.export_project(app_db, fac, example), committee=Committee())
    rid = rounds.import_project(app_db, fac, project)
    at = AppTest.from_file(SCRIPT, default_timeout=30)
    at.session_state["actor"] = fac
    at.session_state["lang"] = "sv"
    at.session_state["round_id"] = rid
    at.context["url"] = PAGE_URL
    at.run()
    assert not at.exception
    assert ("Omgångens kommitté har inga kommuner än, så det går inte att skapa länkar för kommunrepresentanter. "
            "Lägg till kommunerna på sidan ”Kommunernas inspel och beslut” under Process och bevakning.") in [
        i.value for i in at.info]
    assert all(b.key != "participants_invite_municipality" for b in at.button)
    # the other links are there as before
    assert at.button(key="participants_invite_viewer") is not None
