"""Who is using the app, and which pages they get. Pages a role may not use are not registered
at all (a server-side gate); the storage layer checks the role again on every action."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from prioritization import i18n
from prioritization.storage.access import FACILITATOR, MUNICIPALITY, PARTICIPANT, VIEWER
from prioritization.ui.shell import oidc, session, state
from prioritization.ui.shell.state import tr

VIEWS = "prioritization/ui/pages"  # the thin st.Page scripts


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
                    session.forget()
                    st.logout()
                else:
                    session.sign_out()
                st.rerun()


LANDING = {FACILITATOR: "overview", PARTICIPANT: "scoring", VIEWER: "overview", MUNICIPALITY: "municipal_input"}
ALL_PAGES = ("overview", "sensitivity", "portfolio", "timeline", "follow_up", "rounds", "workshop", "versions",
             "audit_log", "setup_criteria", "setup_weights", "setup_objects", "setup_participants", "scoring",
             "my_weights", "municipal_input", "committee", "start", "plan_import")


@dataclass(frozen=True)
class PageSpec:
    """One sidebar entry: its address (and script in ui/pages/), title key, and whether it is the
    default (served at the root) or hidden."""

    url_path: str
    title_key: str
    script: str = ""  # ui/pages/<script>.py; the address by default
    default: bool = False
    hidden: bool = False


def page_specs(role: str | None) -> dict[str, list[PageSpec]]:
    """The pages of a role, by sidebar section key (results, process, the workshop, set-up).

    Every page has its own address, the role's first page too (Streamlit serves a default page
    only at the root, so a bookmark or a reload of /scoring would say "page not found"): the
    default is a hidden page at the root that moves on to the role's first page. Signed out, the
    sign-in page also answers at every page's address, so a bookmark or a reload after the session
    ended shows the sign-in, and after signing in the same address shows the page asked for.
    """
    if role is None:
        return {"": [PageSpec("login", "nav.login", default=True),
                     *(PageSpec(name, "nav.login", "login", hidden=True) for name in ALL_PAGES)]}
    home = {"": [PageSpec("start", "nav.home", "home", default=True, hidden=True)]}
    results = [PageSpec("overview", "nav.overview"), PageSpec("sensitivity", "nav.sensitivity"),
               PageSpec("portfolio", "nav.portfolio")]
    process = [PageSpec("timeline", "nav.timeline"), PageSpec("follow_up", "nav.follow_up")]
    if role == FACILITATOR:
        return {**home, "nav.section.results": results,
                "nav.section.process": [*process, PageSpec("committee", "nav.committee")],  # issue 13
                "nav.section.workshop": [PageSpec("rounds", "nav.rounds"), PageSpec("workshop", "nav.workshop"),
                                         PageSpec("versions", "nav.versions"), PageSpec("audit_log", "nav.audit_log")],
                "nav.section.setup": [PageSpec("setup_criteria", "nav.setup_criteria"),
                                      PageSpec("setup_weights", "nav.setup_weights"),
                                      PageSpec("setup_objects", "nav.setup_objects"),
                                      PageSpec("plan_import", "nav.plan_import"),  # issue 14
                                      PageSpec("setup_participants", "nav.setup_participants")]}
    if role == PARTICIPANT:
        return {**home, "nav.section.mine": [PageSpec("scoring", "nav.scoring"), PageSpec("my_weights", "nav.my_weights")],
                "nav.section.results": results, "nav.section.process": process}
    if role == MUNICIPALITY:  # a municipal representative: its own input first, then the results like a viewer
        return {**home, "nav.section.municipality": [PageSpec("municipal_input", "nav.municipal_input")],
                "nav.section.results": results,
                "nav.section.process": [*process, PageSpec("versions", "nav.versions")]}
    return {**home, "nav.section.results": results,
            "nav.section.process": [*process, PageSpec("versions", "nav.versions")]}


def pages_for(role: str | None) -> dict[str, list[st.Page]]:
    """:func:`page_specs` as Streamlit pages, titles in the user's language."""
    return {tr(section) if section else "": [
        st.Page(f"{VIEWS}/{p.script or p.url_path}.py", title=tr(p.title_key), url_path=p.url_path,
                default=p.default, visibility="hidden" if p.hidden else "visible") for p in pages]
        for section, pages in page_specs(role).items()}


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
    session.establish()
    _sidebar()
    a = state.actor()
    st.navigation(pages_for(None if a is None else a.role), expanded=True).run()  # every page in view, no "View more"
