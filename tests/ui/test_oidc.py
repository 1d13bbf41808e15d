"""Hosted mode: OIDC sign-in (st.login) and the e-mail -> role mapping from secrets."""

from prioritization.storage import rounds
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER
from prioritization.ui.oidc import actor_for_email
from tests.ui.conftest import app

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
ROLES = {"facilitators": ["Anna.Andersson@sodertorn.se"], "viewers": ["kommitten@sodertorn.se"],
         "participants": {"nils@botkyrka.se": "p-botkyrka"}}


def hosted(user: dict):
    at = app()
    at.secrets["auth"] = AUTH
    at.secrets["roles"] = ROLES
    at.user = user
    return at


def test_mapping_is_case_insensitive_and_binds_participants_to_newest_round(app_db, fac):
    assert actor_for_email(app_db, " anna.andersson@SODERTORN.se ", "Anna", ROLES).role == FACILITATOR
    assert actor_for_email(app_db, "kommitten@sodertorn.se", None, ROLES).role == VIEWER
    rid = rounds.list_rounds(app_db, fac)[-1].id
    p = actor_for_email(app_db, "NILS@botkyrka.se", "Nils", ROLES)
    assert (p.role, p.participant_key, p.round_id) == (PARTICIPANT, "p-botkyrka", rid)
    assert actor_for_email(app_db, "okand@example.com", None, ROLES) is None
    assert actor_for_email(app_db, "", None, ROLES) is None


def test_logged_out_user_gets_the_login_button(app_db):
    at = hosted({"is_logged_in": False}).run()
    assert not at.exception
    assert at.button(key="oidc_login").label == "Logga in med organisationens konto"
    assert not at.text_input  # no password form in hosted mode


def test_logged_in_facilitator(app_db):
    at = hosted({"is_logged_in": True, "email": "anna.andersson@sodertorn.se", "name": "Anna"}).run()
    assert not at.exception
    assert at.session_state["actor"].role == FACILITATOR
    assert len(next(d.value for d in at.dataframe if "Rang" in d.value.columns)) == 13


def test_logged_in_without_role_is_told(app_db):
    at = hosted({"is_logged_in": True, "email": "okand@example.com"}).run()
    assert "actor" not in at.session_state
    assert at.error[0].value == "Kontot okand@example.com har ingen roll i verktyget. Kontakta facilitatorn."


def test_invitation_tokens_are_ignored_in_hosted_mode(app_db, fac):
    from prioritization.storage import auth

    rid = rounds.list_rounds(app_db, fac)[0].id
    token = auth.invite(app_db, fac, rid, PARTICIPANT, "p-haninge")
    at = hosted({"is_logged_in": False})
    at.query_params["token"] = token
    at.run()
    assert "actor" not in at.session_state
