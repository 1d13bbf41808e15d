"""Sign-in: invitation links for participants and viewers, a password for the facilitator, and
setting that password at first start."""

from __future__ import annotations

import streamlit as st

from prioritization.storage import auth, sessions
from prioritization.storage.errors import StorageInputError
from prioritization.ui import oidc, session, state
from prioritization.ui.state import tr


def render() -> None:
    st.title(tr("app.title"))
    st.header(tr("login.heading"))
    if key := st.session_state.pop("login_error", None):
        st.error(tr(key))
    db = state.db()
    if oidc.configured():
        if email := st.session_state.get("login_error_email"):
            st.error(tr("login.not_authorised", email=email))
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
                ok = auth.check_facilitator_password(db, password)
            except StorageInputError as e:
                st.error(state.error_text(e))
                return
            if ok:
                session.sign_in(*sessions.sign_in_facilitator(db, tr("role.facilitator")))
                st.rerun()
            else:
                st.error(tr("login.wrong_password"))


def _first_start(db) -> None:
    st.info(tr("login.first_start", minimum=auth.MIN_PASSWORD))
    with st.form("first_start"):
        p1 = st.text_input(tr("login.new_password"), type="password", key="new_password")
        p2 = st.text_input(tr("login.repeat_password"), type="password", key="repeat_password")
        if st.form_submit_button(tr("login.set_password")):
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
