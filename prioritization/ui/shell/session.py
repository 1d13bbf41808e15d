"""Who is signed in, across reloads, deep links and server restarts (embedded sign-in).

Signing in with an invitation link or the facilitator password starts a server-side session
(``storage.sessions``) whose random token the browser keeps in a cookie. Every page run resumes the
actor from that cookie or re-checks the one in session state, so revoking the link, removing the
participant or signing out ends the session at once, also in tabs that are still open. The
invitation token is removed from the address bar right after signing in (it would otherwise sit in
the browser history, in screen shares and on the projector, and sign the person straight back in).

Hosted sign-in (OIDC) keeps Streamlit's own identity cookie and does not use this module.
"""

from __future__ import annotations

import json
import os
import secrets

import streamlit as st

from prioritization.storage import sessions
from prioritization.storage.access import Actor
from prioritization.ui.shell import oidc, state

COOKIE = "prioritering_session"
_TOKEN_KEY = "session_token"  # the cookie's value for this browser session, once known
_COOKIE_JS_KEY = "session_cookie_js"  # what the next run tells the browser: set or clear the cookie
ENDED_KEY = "login_error"  # the login page shows this message key once


def _cookie_script(token: str | None) -> str:
    """JavaScript that sets (or, for None, clears) the session cookie in the app's document."""
    age = int(sessions.INVITED_TTL.total_seconds()) if token else 0
    value = json.dumps(f"{COOKIE}={token or ''}; Path=/; Max-Age={age}; SameSite=Strict")
    return f'document.cookie = {value} + (location.protocol === "https:" ? "; Secure" : "");'


def sign_in(token: str, actor: Actor) -> None:
    """Remember a new session: the actor now, the cookie for the next page load."""
    state.set_actor(actor)
    st.session_state[_TOKEN_KEY] = token
    st.session_state[_COOKIE_JS_KEY] = _cookie_script(token)


KEPT_AFTER_SIGN_OUT = ("lang", "_client_tab")  # the language and the wrong-password count of this tab


def sign_out() -> None:
    """End the session on the server (every tab, every device), clear the cookie and forget what
    this tab held for the person: invitation links shown once, choices, drafts. The next person to
    sign in at this screen finds none of it."""
    token = st.session_state.pop(_TOKEN_KEY, None) or _cookie()
    sessions.end(state.db(), token)
    forget()
    st.session_state[_COOKIE_JS_KEY] = _cookie_script(None)


def forget() -> None:
    """Clear this tab's session state but for :data:`KEPT_AFTER_SIGN_OUT` (also on a provider's
    sign-out, where the provider ends the session)."""
    for key in list(st.session_state.keys()):
        if key not in KEPT_AFTER_SIGN_OUT:
            del st.session_state[key]
    state.set_actor(None)


def is_live(db, actor) -> bool:
    """For parts of a page that run on their own (fragments): does this sign-in still hold? The
    stored session for links and the password; the provider's user and today's ``[roles]`` in
    hosted mode."""
    if oidc.configured():
        return oidc.establish(db) == actor
    return sessions.is_live(db, actor)


TRUST_PROXY_ENV = "PRIORITIZATION_TRUST_PROXY"


def client_id() -> str:
    """Who is knocking, for counting wrong passwords (``auth.check_facilitator_password``).

    The network address when the server sees one; behind a reverse proxy that the host trusts
    (``PRIORITIZATION_TRUST_PROXY=1``) the address the proxy reports in ``X-Forwarded-For`` (its
    last entry, the one the proxy itself added). Otherwise (the same machine, or an untrusted proxy)
    this browser tab: a reload starts a new count, so guessing from many tabs is bounded only by the
    installation-wide pause (docs/hosting.md).
    """
    try:
        if os.environ.get(TRUST_PROXY_ENV) == "1":
            forwarded = st.context.headers.get("X-Forwarded-For")
            if isinstance(forwarded, str) and (hop := forwarded.split(",")[-1].strip()):
                return "ip:" + hop
        if isinstance(ip := st.context.ip_address, str) and ip:  # a test harness may give a stand-in
            return "ip:" + ip
    except Exception:  # noqa: BLE001 - no request context (AppTest): count per tab
        pass
    return "tab:" + st.session_state.setdefault("_client_tab", secrets.token_hex(8))


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no request context (AppTest): no cookie
        return None
    return value if isinstance(value, str) else None


def establish() -> None:
    """At the start of every page run: sign in from an invitation link, resume from the cookie, or
    end an actor whose session has ended. In hosted mode the provider's user is mapped to a role
    anew on every run instead (links and the facilitator password are not used there)."""
    db = state.db()
    if oidc.configured():
        oidc.establish(db)
        return
    if token := st.query_params.get("token"):
        del st.query_params["token"]  # out of the address bar, history and screen shares
        started = sessions.sign_in_with_invitation(db, token)
        if started is None:
            st.session_state[ENDED_KEY] = "login.bad_token"
        else:
            if (old := state.actor()) is not None and old.session_id is not None:
                sign_out()  # a new link on a shared laptop replaces whoever was signed in
            sign_in(*started)
        return
    a = state.actor()
    if a is not None:
        if not sessions.is_live(db, a):
            sign_out()
            st.session_state[ENDED_KEY] = "login.session_ended"
        return
    if (cookie := _cookie()) and cookie != st.session_state.get("session_ended_cookie"):
        resumed = sessions.resume(db, cookie)
        if resumed is None:  # expired, revoked or signed out: forget it, say so once
            st.session_state["session_ended_cookie"] = cookie
            st.session_state[_COOKIE_JS_KEY] = _cookie_script(None)
        else:
            state.set_actor(resumed)
            st.session_state[_TOKEN_KEY] = cookie


# After the server was away (restarted, or the network dropped long enough for the session to go),
# Streamlit reconnects but shows the old page until someone clicks, and its timers (the projector's
# refresh) stop. The page reloads itself once the server answers again: a new session, signed in
# from the cookie, on the same page and object, showing what is stored.
RELOAD_AFTER_OUTAGE_JS = """
(() => {
  if (window.__reloadAfterOutage) return;
  window.__reloadAfterOutage = true;
  let away = false;
  setInterval(() => {
    fetch(HEALTH, {cache: 'no-store'}).then((r) => {
      if (r.ok && away) location.reload();
      away = away || !r.ok;
    }).catch(() => { away = true; });
  }, POLL_MS);
})();
"""
OUTAGE_POLL_SECONDS = 3


def _health_url() -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/_stcore/health" if base else "/_stcore/health"


def browser_script(lang: str) -> str:
    """The small script every page run sends: the page's language for screen readers (WCAG 3.1.1;
    Streamlit's page says lang="en"), the reload after a server outage, and the session cookie as
    it should be since the last sign-in or sign-out (sent on every run, so a run interrupted before
    the browser got it does no harm)."""
    parts = [f"document.documentElement.lang = {json.dumps(lang)};",
             RELOAD_AFTER_OUTAGE_JS.replace("HEALTH", json.dumps(_health_url()))
             .replace("POLL_MS", str(OUTAGE_POLL_SECONDS * 1000))]
    if js := st.session_state.get(_COOKIE_JS_KEY):
        parts.append(js)
    return "<script>" + "\n".join(parts) + "</script>"
