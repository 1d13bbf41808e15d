"""Who is using the app, and which pages they get. Pages a role may not use are not registered
at all (a server-side gate); the storage layer checks the role again on every action."""

from __future__ import annotations

import streamlit as st

from prioritization import i18n
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER
from prioritization.ui import oidc, session, state
from prioritization.ui.state import tr

VIEWS = "prioritization/ui/views"


def _sidebar() -> None:
    with st.sidebar:
        st.html(session.browser_script(state.lang()), unsafe_allow_javascript=True, width="content")
        st.selectbox(tr("app.language"), i18n.LANGUAGES, key="lang",
                     format_func=lambda x: {"sv": "Svenska", "en": "English"}[x])
        a = state.actor()
        if a is not None:
            st.caption(tr("app.signed_in_as", name=a.name, role=tr(f"role.{a.role}")))
            if st.button(tr("app.logout"), key="logout"):
                if oidc.configured():
                    state.set_actor(None)
                    st.logout()
                else:
                    session.sign_out()
                st.rerun()


LANDING = {FACILITATOR: "overview", PARTICIPANT: "scoring", VIEWER: "overview"}


def pages_for(role: str | None) -> dict[str, list[st.Page]]:
    """The pages of a role, in sidebar sections (results, process, the workshop, set-up).

    Every page has its own address, the role's first page too (Streamlit serves a default page
    only at the root, so a bookmark or a reload of /scoring would say "page not found"): the
    default is a hidden page at the root that moves on to the role's first page.
    """
    def page(name: str, title_key: str):
        return st.Page(f"{VIEWS}/{name}.py", title=tr(title_key), url_path=name)

    def results() -> list[st.Page]:
        return [page("overview", "nav.overview"), page("sensitivity", "nav.sensitivity"),
                page("portfolio", "nav.portfolio")]

    if role is None:
        return {"": [st.Page(f"{VIEWS}/login.py", title=tr("nav.login"), url_path="login", default=True)]}
    home = {"": [st.Page(f"{VIEWS}/home.py", title=tr("nav.home"), url_path="start", default=True,
                         visibility="hidden")]}
    process = [page("timeline", "nav.timeline"), page("follow_up", "nav.follow_up")]
    if role == FACILITATOR:
        return {**home, tr("nav.section.results"): results(), tr("nav.section.process"): process,
                tr("nav.section.workshop"): [page("rounds", "nav.rounds"), page("workshop", "nav.workshop"),
                                             page("versions", "nav.versions"), page("audit_log", "nav.audit_log")],
                tr("nav.section.setup"): [page("setup_criteria", "nav.setup_criteria"),
                                          page("setup_weights", "nav.setup_weights"),
                                          page("setup_objects", "nav.setup_objects"),
                                          page("setup_participants", "nav.setup_participants")]}
    if role == PARTICIPANT:
        return {**home, tr("nav.section.mine"): [page("scoring", "nav.scoring"), page("my_weights", "nav.my_weights")],
                tr("nav.section.results"): results(), tr("nav.section.process"): process}
    return {**home, tr("nav.section.results"): results(),
            tr("nav.section.process"): [*process, page("versions", "nav.versions")]}


def go_home() -> None:
    """The hidden start page: on to the signed-in role's first page (with its own address)."""
    a = state.actor()
    st.switch_page(f"{VIEWS}/{LANDING[a.role if a is not None else VIEWER]}.py")


# Printing a results page (the committee's paper copy): no sidebar, toolbar or buttons; the selected
# source, weights and every chart and table stay; charts and tables are not split across pages.
PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDownloadButton"], [data-testid="stBaseButton-secondary"],
  [data-testid="stBaseButton-primary"] { display: none !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stDataFrame"], [data-testid="stAlert"] {
    break-inside: avoid; }
  .main .block-container { max-width: 100% !important; padding: 0 !important; }
}
</style>"""


# Captions carry our explanations (chart legends, sources, "signed in as"), so they must reach the
# WCAG 2.1 AA contrast of 4.5:1 (1.4.3). Streamlit draws them at 60 % opacity: 3.9:1 on white, 3.8:1
# on the sidebar (axe, tests/e2e/test_accessibility.py). At 75 % they still look secondary and reach
# 6.1:1 and 5.9:1; opacity rather than a colour, so a dark theme keeps working.
CAPTION_CSS = """<style>
.stApp [data-testid="stCaptionContainer"] { opacity: 0.75; }
</style>"""


def run() -> None:
    state.simulated_load()
    st.session_state.setdefault("lang", i18n.DEFAULT_LANGUAGE)
    st.html(PRINT_CSS + CAPTION_CSS)
    if oidc.configured():
        if state.actor() is None and (email := oidc.sign_in_from_user(state.db())):
            st.session_state["login_error_email"] = email
    else:
        session.establish()
    _sidebar()
    a = state.actor()
    st.navigation(pages_for(None if a is None else a.role), expanded=True).run()  # every page in view, no "View more"
