"""Hosted mode: OIDC sign-in (st.login) and the e-mail -> role mapping from secrets."""

from prioritization.storage import rounds, scores
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER
from prioritization.ui.shell.oidc import actor_for_user
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


def verified(email: str, **more) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": True, **more}


def test_mapping_ignores_ascii_case_and_binds_participants_to_newest_round(app_db, fac):
    assert actor_for_user(app_db, verified(" anna.andersson@SODERTORN.se ", name="Anna"), ROLES).role == FACILITATOR
    assert actor_for_user(app_db, verified("kommitten@sodertorn.se"), ROLES).role == VIEWER
    rid = rounds.list_rounds(app_db, fac)[-1].id
    p = actor_for_user(app_db, verified("NILS@botkyrka.se", name="Nils"), ROLES)
    assert (p.role, p.participant_key, p.round_id) == (PARTICIPANT, "p-botkyrka", rid)
    assert actor_for_user(app_db, verified("okand@example.com"), ROLES) is None
    assert actor_for_user(app_db, verified(""), ROLES) is None


def test_an_unverified_address_gives_no_role(app_db):
    """Issue 10 #5: a provider that does not vouch for the address could hand anyone the
    facilitator's address."""
    for flag in (False, None, "true", 1):
        user = {"is_logged_in": True, "email": "anna.andersson@sodertorn.se", "email_verified": flag}
        assert actor_for_user(app_db, user, ROLES) is None, flag


def test_addresses_are_not_unicode_folded(app_db):
    """Issue 10 #5: the long s folds to "s" and the Kelvin sign lowers to "k"; each is a different
    mailbox and must not match an address in the role map."""
    assert "anna.anderſſon@sodertorn.se".casefold() == "anna.andersson@sodertorn.se"
    assert "\u212aommitten@sodertorn.se".lower() == "kommitten@sodertorn.se"
    for lookalike in ("anna.anderſſon@sodertorn.se", "\u212aommitten@sodertorn.se", "nils@botkyrka.ſe"):
        assert actor_for_user(app_db, verified(lookalike), ROLES) is None, lookalike


def test_the_providers_subject_id_maps_without_an_address(app_db):
    roles = {**ROLES, "viewers": ["sub:AbC-123"]}
    assert actor_for_user(app_db, {"is_logged_in": True, "sub": "AbC-123"}, roles).role == VIEWER
    assert actor_for_user(app_db, {"is_logged_in": True, "sub": "abc-123"}, roles) is None  # ids are exact
    # an address that looks like a subject entry is not one
    assert actor_for_user(app_db, verified("sub:AbC-123"), {"viewers": ["sub:AbC-123"]}) is None


def test_logged_out_user_gets_the_login_button(app_db):
    at = hosted({"is_logged_in": False}).run()
    assert not at.exception
    assert at.button(key="oidc_login").label == "Logga in med organisationens konto"
    assert not at.text_input  # no password form in hosted mode


def test_logged_in_facilitator(app_db):
    at = hosted(verified("anna.andersson@sodertorn.se", name="Anna")).run()
    assert not at.exception
    assert at.session_state["actor"].role == FACILITATOR
    assert len(next(d.value for d in at.dataframe if "Rang" in d.value.columns)) == 13


def test_logged_in_without_role_is_told(app_db):
    at = hosted(verified("okand@example.com")).run()
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


def test_unverified_facilitator_address_is_told_and_gets_nothing(app_db):
    at = hosted({"is_logged_in": True, "email": "anna.andersson@sodertorn.se", "email_verified": False}).run()
    assert not at.exception
    assert "actor" not in at.session_state
    assert "har inte bekräftat att adressen anna.andersson@sodertorn.se tillhör dig" in at.error[0].value
    assert not at.dataframe


def test_removing_someone_from_the_role_map_ends_their_open_session(app_db):
    """Issue 10 #5: the mapping is checked on every run, not only when the session began."""
    at = hosted(verified("anna.andersson@sodertorn.se")).run()
    assert at.session_state["actor"].role == FACILITATOR
    at.secrets["roles"] = {**ROLES, "facilitators": []}
    at.run()
    assert "actor" not in at.session_state
    assert at.error[0].value == "Kontot anna.andersson@sodertorn.se har ingen roll i verktyget. Kontakta facilitatorn."
    assert not at.dataframe
    at.secrets["roles"] = ROLES
    at.user = {"is_logged_in": False}  # signed out at the provider
    at.run()
    assert "actor" not in at.session_state


def test_a_removed_participants_click_is_not_saved(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[-1].id
    rounds.set_status(app_db, fac, rid, "scoring")
    at = hosted(verified("nils@botkyrka.se")).run()
    assert at.session_state["actor"].participant_key == "p-botkyrka"
    before = scores.my_scores(app_db, at.session_state["actor"], rid)
    widget = next(w for w in at.segmented_control if w.key and w.key.startswith("score_value|"))
    at.secrets["roles"] = {**ROLES, "participants": {}}
    value = "3" if widget.value != "3" else "4"
    widget.set_value(value).run()
    assert "actor" not in at.session_state
    from prioritization.storage.access import Actor
    nils = Actor(PARTICIPANT, "Nils", round_id=rid, participant_key="p-botkyrka")
    assert scores.my_scores(app_db, nils, rid) == before
