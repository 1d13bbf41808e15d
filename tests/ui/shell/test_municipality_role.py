"""The municipal representative's role in the shell (issue 13): its pages (the results like a
viewer, plus "Min kommun" with its own input page, where it lands), the sign-in by an invitation
link, and hosted sign-in (OIDC) by ``[roles.municipalities]``."""

import dataclasses

import pytest

from prioritization.committee.model import Committee
from prioritization.storage import auth, rounds
from prioritization.storage.access import MUNICIPALITY, VIEWER, Actor
from prioritization.ui.shell import navigation
from prioritization.ui.shell.oidc import actor_for_user
from tests.ui.conftest import app
from tests.ui.shell.test_oidc import AUTH, ROLES, verified

MUNICIPALITIES = {"eva.ek@huddinge.se": "huddinge", "sub:0000-hanin": "haninge", "ingen@salem.se": "stockholm"}


def titles(role, lang="sv"):
    return {section: [p.url_path for p in pages] for section, pages in navigation.page_specs(role).items()}


def test_a_municipality_gets_the_viewers_results_and_its_own_section_and_lands_there():
    pages = titles(MUNICIPALITY)
    viewer = titles(VIEWER)
    assert pages["nav.section.municipality"] == ["municipal_input"]
    assert pages["nav.section.results"] == viewer["nav.section.results"] == ["overview", "sensitivity", "portfolio"]
    assert pages["nav.section.process"] == viewer["nav.section.process"] == ["timeline", "follow_up", "versions"]
    assert list(pages)[1] == "nav.section.municipality"  # its own input first
    assert navigation.LANDING[MUNICIPALITY] == "municipal_input"
    everything = {p for section in pages.values() for p in section}
    for facilitator_only in ("rounds", "workshop", "audit_log", "setup_participants", "committee", "scoring"):
        assert facilitator_only not in everything
    # no other role gets the municipality's page
    for role in ("facilitator", "participant", "viewer", None):
        assert "municipal_input" not in {p.url_path for s in navigation.page_specs(role).values() for p in s
                                         if not p.hidden}


def test_a_municipal_link_signs_in_and_lands_on_the_municipalitys_page(app_db, fac, example):
    token = auth.invite(app_db, fac, example, MUNICIPALITY, municipality="tyreso", label="Tove")
    at = app()
    at.query_params["token"] = token
    at.run()
    assert not at.exception
    a = at.session_state["actor"]
    assert (a.role, a.round_id, a.municipality, a.name) == (MUNICIPALITY, example, "tyreso", "Tove")
    assert at.title[0].value == "Kommunens underlag – Tyresö"
    assert at.sidebar.caption[0].value == "Inloggad som Tove (kommunrepresentant)"


def test_a_municipality_cannot_open_facilitator_pages(app_db, example):
    at = app(Actor(MUNICIPALITY, "Eva", round_id=example, municipality="huddinge")).run()
    assert not at.exception
    for page in ("rounds", "setup_participants", "workshop", "scoring"):
        with pytest.raises(ValueError):
            at.switch_page(f"prioritization/ui/pages/{page}.py")


def test_english_role_name(app_db, example):
    at = app(Actor(MUNICIPALITY, "Eva", round_id=example, municipality="huddinge"), lang="en").run()
    assert at.sidebar.caption[0].value == "Signed in as Eva (municipal representative)"
    assert at.title[0].value == "Municipal input – Huddinge"


# --- hosted sign-in (OIDC) ------------------------------------------------------------------------


def test_an_address_or_subject_maps_to_its_municipality_in_the_newest_round_that_has_it(app_db, fac, example):
    roles = {**ROLES, "municipalities": MUNICIPALITIES}
    newest = rounds.import_project(app_db, fac, rounds.export_project(app_db, fac, example))
    a = actor_for_user(app_db, verified(" Eva.Ek@HUDDINGE.se ", name="Eva Ek"), roles)
    assert (a.role, a.municipality, a.round_id, a.name) == (MUNICIPALITY, "huddinge", newest, "Eva Ek")
    b = actor_for_user(app_db, {"is_logged_in": True, "sub": "0000-hanin"}, roles)
    assert (b.role, b.municipality, b.round_id) == (MUNICIPALITY, "haninge", newest)
    # a municipality no round has, an unverified address, unicode look-alikes: no role
    assert actor_for_user(app_db, verified("ingen@salem.se"), roles) is None
    assert actor_for_user(app_db, {"is_logged_in": True, "email": "eva.ek@huddinge.se",
                                   "email_verified": False}, roles) is None
    assert actor_for_user(app_db, verified("eva.ek@huddinge.ſe"), roles) is None
    # a newer round whose committee lacks the municipality does not take it over
    project = dataclasses.replace(rounds.export_project(app_db, fac, example), committee=Committee())
    rounds.import_project(app_db, fac, project)
    assert actor_for_user(app_db, verified("eva.ek@huddinge.se"), roles).round_id == newest


def test_hosted_sign_in_as_a_municipality_and_losing_the_mapping(app_db, example):
    at = app()
    at.secrets["auth"] = AUTH
    at.secrets["roles"] = {**ROLES, "municipalities": MUNICIPALITIES}
    at.user = verified("eva.ek@huddinge.se", name="Eva Ek")
    at.run()
    assert not at.exception
    a = at.session_state["actor"]
    assert (a.role, a.municipality) == (MUNICIPALITY, "huddinge")
    assert at.title[0].value == "Kommunens underlag – Huddinge"
    at.secrets["roles"] = ROLES  # removed from the map: access ends at the next click
    at.run()
    assert "actor" not in at.session_state
    assert at.error[0].value == "Kontot eva.ek@huddinge.se har ingen roll i verktyget. Kontakta facilitatorn."


@pytest.mark.parametrize("page", ["overview", "sensitivity", "portfolio", "timeline", "follow_up", "versions"])
def test_the_results_pages_open_for_a_municipality(app_db, example, page):
    at = app(Actor(MUNICIPALITY, "Eva", round_id=example, municipality="huddinge")).run()
    at.switch_page(f"prioritization/ui/pages/{page}.py").run()
    assert not at.exception
    assert not [e.value for e in at.error]
