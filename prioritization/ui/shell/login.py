"""Sign-in: invitation links for participants and viewers, a password for the facilitator, and
setting that password at first start."""

from __future__ import annotations

import hmac
import os
import secrets
import sys

import streamlit as st

from prioritization.storage import auth, sessions
from prioritization.storage.errors import StorageInputError
from prioritization.ui.shell import oidc, session, state
from prioritization.ui.shell.state import tr


def render() -> None:
    st.title(tr("app.title"), anchor=False)
    st.header(tr("login.heading"), anchor=False)
    if key := st.session_state.pop("login_error", None):
        st.error(tr(key))
    db = state.db()
    if oidc.configured():
        if problem := st.session_state.get(oidc.NO_ROLE_KEY):
            why, identity = problem
            st.error(tr("login.unverified_email" if why == oidc.UNVERIFIED else "login.not_authorised", email=identity))
            st.button(tr("app.logout"), key="oidc_logout", on_click=st.logout)
        else:
            st.button(tr("login.oidc"), key="oidc_login", type="primary", on_click=st.login)
        return
    st.write(tr("login.intro"))
    if not auth.password_is_set(db):
        _first_start(db)
        return
    with st.form("login"):
        password = st.text_input(tr("login.password"), type="password", key="login_password")
        if st.form_submit_button(tr("login.submit")):
            try:
                ok = auth.check_facilitator_password(db, password, client=session.client_id())
            except StorageInputError as e:
                st.error(state.error_text(e))
                return
            if ok:
                session.sign_in(*sessions.sign_in_facilitator(db, tr("role.facilitator")))
                st.rerun()
            else:
                st.error(tr("login.wrong_password"))


SETUP_CODE_ENV = "PRIORITIZATION_SETUP_CODE"


@st.cache_resource(show_spinner=False)
def setup_code() -> str:
    """The one-time code that proves access to the server's console: on a fresh installation only
    someone who sees the console (or sets ``PRIORITIZATION_SETUP_CODE``) may choose the facilitator
    password, not whoever reaches the page first. Printed once per server process."""
    code = os.environ.get(SETUP_CODE_ENV) or "-".join(secrets.token_hex(2).upper() for _ in range(3))
    if not os.environ.get(SETUP_CODE_ENV):
        print(f"\n  Set-up code for the facilitator password (first start): {code}\n"
              "  Enter it on the sign-in page together with the new password.\n", file=sys.stderr, flush=True)
    return code


def _code_matches(given: str) -> bool:
    normalise = lambda text: "".join(text.split()).replace("-", "").upper()  # noqa: E731
    return hmac.compare_digest(normalise(given).encode(), normalise(setup_code()).encode())


def _first_start(db) -> None:
    setup_code()  # printed on the console now, before anyone submits
    st.info(tr("login.first_start", minimum=auth.MIN_PASSWORD))
    with st.form("first_start"):
        code = st.text_input(tr("login.setup_code"), key="setup_code", help=tr("login.setup_code_help"))
        p1 = st.text_input(tr("login.new_password"), type="password", key="new_password")
        p2 = st.text_input(tr("login.repeat_password"), type="password", key="repeat_password")
        if st.form_submit_button(tr("login.set_password")):
            if not _code_matches(code or ""):
                st.error(tr("login.setup_code_wrong"))
                return
            if p1 != p2:
                st.error(tr("login.passwords_differ"))
                return
            try:
                auth.set_facilitator_password(db, p1)
            except StorageInputError as e:
                st.error(state.error_text(e))
                return
            st.success(tr("login.password_saved"))
            st.rerun()
