"""Signing in, and which pages each role gets (unregistered pages cannot be opened)."""

import pytest

from prioritization.storage import auth, rounds
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from tests.ui.conftest import PASSWORD, app, with_password


def test_first_start_sets_password_then_login(app_db):
    from prioritization.ui.shell.login import setup_code

    at = app().run()
    assert not at.exception
    assert "Första start" in at.info[0].value
    # issue 10 #17: whoever reaches the page first cannot choose the password without the code
    # printed on the server's console
    at.text_input(key="setup_code").input("0000-0000-0000")
    at.text_input(key="new_password").input(PASSWORD)
    at.text_input(key="repeat_password").input(PASSWORD)
    at.button[0].click().run()
    assert at.error[0].value.startswith("Engångskoden stämmer inte.")
    assert not auth.password_is_set(app_db)
    at.text_input(key="setup_code").input(" " + setup_code().lower().replace("-", " ") + " ")  # as typed
    at.text_input(key="new_password").input("kort")
    at.text_input(key="repeat_password").input("kort")
    at.button[0].click().run()
    assert at.error[0].value == "Lösenordet måste ha minst 10 tecken."
    at.text_input(key="new_password").input(PASSWORD)
    at.text_input(key="repeat_password").input(PASSWORD + "x")
    at.button[0].click().run()
    assert at.error[0].value == "Lösenorden är inte lika."
    at.text_input(key="repeat_password").input(PASSWORD)
    at.button[0].click().run()
    assert auth.check_facilitator_password(app_db, PASSWORD, client="test")
    assert at.text_input(key="login_password") is not None


def test_password_login(app_db):
    with_password(app_db)
    at = app().run()
    at.text_input(key="login_password").input("fel lösenord")
    at.button[0].click().run()
    assert at.error[0].value == "Fel lösenord."
    assert "actor" not in at.session_state
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["actor"].role == "facilitator"
    assert not at.exception
    assert len(next(d.value for d in at.dataframe if "Rang" in d.value.columns)) == 13  # the example ranking


def test_invitation_link_signs_in_participant(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    token = auth.invite(app_db, fac, rid, PARTICIPANT, "p-haninge")
    at = app()
    at.query_params["token"] = token
    at.run()
    a = at.session_state["actor"]
    assert (a.role, a.participant_key, a.round_id) == (PARTICIPANT, "p-haninge", rid)


def test_revoked_link_is_refused_in_swedish(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    token = auth.invite(app_db, fac, rid, VIEWER, label="Kommittén")
    auth.revoke(app_db, fac, auth.list_invitations(app_db, fac, rid)[0].id)
    with_password(app_db)
    at = app()
    at.query_params["token"] = token
    at.run()
    assert "actor" not in at.session_state
    assert "Inbjudningslänken gäller inte" in at.error[0].value


def test_viewer_cannot_open_facilitator_pages(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    at = app(Actor(VIEWER, "Kommittén", round_id=rid)).run()
    assert not at.exception
    assert at.info[0].value == "Resultaten visas när facilitatorn har låst omgången."
    with pytest.raises(ValueError):
        at.switch_page("prioritization/ui/pages/rounds.py")


def test_participant_cannot_open_rounds_page(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    at = app(Actor(PARTICIPANT, "Haninge", round_id=rid, participant_key="p-haninge")).run()
    with pytest.raises(ValueError):
        at.switch_page("prioritization/ui/pages/rounds.py")


def test_logout(app_db, fac):
    at = app(fac).run()
    at.button(key="logout").click().run()
    assert "actor" not in at.session_state


def test_logout_forgets_the_links_shown_once(app_db, fac):
    """Review of issue 11 #10: after "Logga ut" the tab still held every participant's link from the
    invitation sheet (and a single new link), so the next person to sign in at that screen saw them."""
    at = app(fac).run()
    at.session_state["participants_sheet"] = {"round": 1, "links": [{"who": "Haninge", "url": "http://x/?token=s3cret"}]}
    at.session_state["participants_new_link"] = {"round": 1, "who": "Tyresö", "url": "http://x/?token=s3cret2"}
    at.session_state["lang"] = "sv"
    at.run()
    at.button(key="logout").click().run()
    for key in ("participants_sheet", "participants_new_link", "actor"):
        assert key not in at.session_state
    assert at.session_state["lang"] == "sv"  # the language stays


def test_english(app_db, fac):
    at = app(fac, lang="en").run()
    ranked = next(d.value for d in at.dataframe if "Rank" in d.value.columns)
    assert list(ranked.columns) == ["Rank", "Tier", "Place within tier", "Object", "Score (0–100)", "Cost (MSEK)",
                                    "Municipalities"]


def test_lockout_message_in_swedish(app_db):
    with_password(app_db)
    at = app().run()
    for _ in range(auth.CLIENT_FAILURES):
        at.text_input(key="login_password").input("fel lösenord")
        at.button[0].click().run()
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert at.error[0].value == "För många felaktiga lösenord från den här webbläsaren. Försök igen om 1 min."
    assert "actor" not in at.session_state
    # another browser (another tab without an address: another client) signs in at once
    other = app().run()
    other.text_input(key="login_password").input(PASSWORD)
    other.button[0].click().run()
    assert other.session_state["actor"].role == "facilitator"


def test_every_page_of_every_role_answers_at_its_own_address_and_signed_out_too():
    """A bookmark or a reload of any page: signed out it shows the sign-in at that address (no
    "page not found"), signed in the page itself; no two pages share an address."""
    from pathlib import Path

    from prioritization.ui.shell import navigation

    def paths(role):
        specs = [p for section in navigation.page_specs(role).values() for p in section]
        for p in specs:
            assert (Path(navigation.__file__).parents[1] / "pages" / f"{p.script or p.url_path}.py").exists()
        names = [p.url_path for p in specs]
        assert len(names) == len(set(names)), names
        assert sum(p.default for p in specs) == 1
        return set(names)

    signed_in = paths("facilitator") | paths("participant") | paths("viewer") | paths("municipality")
    assert signed_in == set(navigation.ALL_PAGES)
    assert paths(None) == set(navigation.ALL_PAGES) | {"login"}
    for role, first in navigation.LANDING.items():
        assert first in paths(role)
