"""Facilitator: the participants (deltagare) of the current round and their invitation links.

* A table of participants (id, name, organisation), saved through ``rounds.replace_setup`` like the
  objects page (same snapshot/row-version handling and the same pure helpers).
* Invitation links: one per participant, one for viewers (the committee) and one per municipal
  representative (issue 13: bound to one member municipality of the round's committee). The token is random,
  only its SHA-256 is stored (``auth.invite`` returns it once); the page keeps the new link in the
  session until the facilitator hides it and shows it with a large QR code for the projector.
  Every invitation can be revoked.
* All participants at once (issue 11 #10): new links for every participant in one transaction
  (``auth.invite_all_participants``), which also revokes every earlier participant link (after a
  confirmation; viewer links are kept), so only the new links work. The links are kept in the
  session only, like the single link, and offered as a printable sheet (PDF, one page per
  participant with link and QR code) and as ready e-mails (``exports.invitations``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from prioritization import qr, safe_text, text_rules
from prioritization.errors import InputError
from prioritization.exports import invitations as sheet
from prioritization.model import scored as is_candidate  # the one rule (the scoring page's is_candidate)
from prioritization.storage import auth, rounds, scores
from prioritization.storage import committee as committee_store
from prioritization.storage.access import MUNICIPALITY, PARTICIPANT, VIEWER, AccessDenied
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.setup_page import open_setup_page
from prioritization.ui.widgets.table_editing import (
    UNSET,
    TableEditor,
    apply_delta,
    escape_md,
    flash,
    removing_scored,
    show_problems,
)

COLUMNS = ("id", "name", "organisation")
ID_PREFIX = "p-"
PAGE_PATH = "setup_participants"  # the url_path this page is registered under (navigation.py)
LINK_KEY = "participants_new_link"  # the one link shown after creation (session only)
SHEET_KEY = "participants_sheet"  # the links made for all participants at once (session only)
QR_WIDTH = 480  # px on screen; large enough to scan from the back of a room when projected


# --- pure helpers ------------------------------------------------------------------------------


def convert_participant_cell(key: str, value: Any) -> Any:
    if key not in COLUMNS:
        raise KeyError(key)
    if value is None or (isinstance(value, float) and value != value):
        return UNSET
    text = value.strip() if isinstance(value, str) else str(value).strip()
    return text or UNSET


def apply_participant_delta(participants, delta):
    return apply_delta(participants, delta, convert_participant_cell, columns=COLUMNS, id_prefix=ID_PREFIX,
                       id_width=2)


def participants_frame(participants) -> pd.DataFrame:
    return pd.DataFrame([{k: p.get(k) for k in COLUMNS} for p in participants], columns=list(COLUMNS))


def base_url_from(url: str | None, page_path: str = PAGE_PATH) -> str:
    """The app's address from the browser URL of this page: no query, no fragment, no page path.

    ``st.context.url`` is e.g. ``http://10.0.0.5:8501/setup_participants``; invitation links must
    open the app's main page (the token is read there), so the page's own path is removed."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    if page_path and (path == f"/{page_path}" or path.endswith(f"/{page_path}")):
        path = path[: -len(page_path) - 1]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def valid_base_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query and not parts.fragment


def invitation_link(base_url: str, token: str) -> str:
    """``base_url/?token=...`` (the token is URL-safe already; it is encoded anyway)."""
    return base_url.strip().rstrip("/") + "/?" + urlencode({"token": token})


# --- the page ----------------------------------------------------------------------------------


def render() -> None:
    if (opened := open_setup_page("participants")) is None:
        return
    db, actor, summary = opened
    # Always one container here, empty or not: an element appearing above the tabs would shift
    # them and the browser would jump back to the first tab.
    with st.container():
        flash("participants")
        if msg := st.session_state.pop("participants_error", None):
            st.error(msg)
        _new_link(summary.id)
    people_tab, links_tab, progress_tab = st.tabs([tr("participants.tab_people"), tr("participants.tab_links"),
                                                   tr("participants.tab_progress")])
    with people_tab:
        _editor(db, actor, summary)
    with links_tab:
        _invitations(db, actor, summary)
    with progress_tab:
        _who_is_done(db, actor, summary)


# --- who has finished (named: for the facilitator's own screen, never the projector) --------------


def _who_is_done(db, actor, summary) -> None:
    """Issue 11 #4: the projector shows progress without names; the facilitator needs to know whom
    to nudge. Not finished first."""
    phase = scores.OPEN_PHASE.get(summary.status)
    if phase is None:
        st.info(tr("participants.progress_closed"))
        return
    st.caption(tr("participants.progress_intro", phase=phase))
    try:
        doc = rounds.setup_document(db, actor, summary.id)
        counts = scores.progress(db, actor, summary.id, phase)
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    total = sum(1 for o in doc["objects"] if is_candidate(o)) * len(doc["criteria"])
    rows = sorted(((counts.get(p["id"], 0), p) for p in doc["participants"]), key=lambda r: (r[0] >= total, r[0]))
    st.dataframe(pd.DataFrame({
        tr("participants.col.name"): [p["name"] for _, p in rows],
        tr("participants.col.organisation"): [p.get("organisation") or "" for _, p in rows],
        tr("participants.col_answered"): [tr("participants.answered_of", n=n, total=total) for n, _ in rows],
        tr("participants.col_done"): [tr("participants.done_yes" if n >= total else "participants.done_no")
                                      for n, _ in rows],
    }), hide_index=True, width="stretch", key="participants_progress")


# --- participants table --------------------------------------------------------------------------


def _editor(db, actor, summary) -> None:
    st.markdown(tr("participants.edit_intro"))
    cc = st.column_config
    EDITOR.render(db, actor, summary.id, summary.row_version, column_order=list(COLUMNS), column_config={
        "id": cc.TextColumn(tr("participants.col.id"), help=tr("participants.help.id"), pinned=True),
        "name": cc.TextColumn(tr("participants.col.name"), help=tr("participants.help.name"), required=True),
        "organisation": cc.TextColumn(tr("participants.col.organisation")),
    })


def _store(db, actor, round_id: int, participants: list[dict[str, Any]], version: int) -> None:
    rounds.replace_setup(db, actor, round_id, {"participants": participants}, version)


# --- invitations -------------------------------------------------------------------------------


def _default_base_url() -> str:
    try:
        url = st.context.url
    except Exception:  # outside a browser session (bare mode)
        url = None
    return base_url_from(url)


def _create(round_id: int, role: str, participant_key: str | None, who: str,
            municipalities: dict[str, str] | None = None) -> None:
    """Button callback: create an invitation and keep its link (only) in the session. A municipal
    representative's is for the municipality chosen in the select (``municipalities``: id -> name)."""
    db, actor = state.db(), state.actor()
    base = st.session_state.get("participants_base_url", "")
    if not valid_base_url(base):
        st.session_state["participants_error"] = tr("participants.base_url_invalid")
        return
    label = municipality = None
    if role == VIEWER:
        label = (st.session_state.get("participants_viewer_label") or "").strip() or tr("participants.viewer_default")
        who = label
    if role == MUNICIPALITY:
        municipality = st.session_state.get("participants_municipality")
        label = (st.session_state.get("participants_municipal_label") or "").strip() or None
        town = (municipalities or {}).get(municipality or "", municipality or "")
        who = f"{town} ({label})" if label else town
    try:
        before = {i.id for i in auth.list_invitations(db, actor, round_id)}
        token = auth.invite(db, actor, round_id, role, participant_key=participant_key, label=label,
                            municipality=municipality)
        created = [i.id for i in auth.list_invitations(db, actor, round_id) if i.id not in before]
    except (InputError, AccessDenied) as e:
        st.session_state["participants_error"] = state.error_text(e)
        return
    st.session_state[LINK_KEY] = {"round": round_id, "role": role, "who": who,
                                  "url": invitation_link(base, token),
                                  "invitation_id": created[-1] if len(created) == 1 else None}


def _revoke(invitation_id: int, who: str) -> None:
    try:
        auth.revoke(state.db(), state.signed_in(), invitation_id)
    except (InputError, AccessDenied) as e:
        st.session_state["participants_error"] = state.error_text(e)
        return
    shown = st.session_state.get(LINK_KEY)
    if shown and shown.get("invitation_id") == invitation_id:
        st.session_state.pop(LINK_KEY, None)
    if made := st.session_state.get(SHEET_KEY):  # the sheet never offers a revoked link
        made["links"] = [x for x in made["links"] if x["invitation_id"] != invitation_id]
        if not made["links"]:
            st.session_state.pop(SHEET_KEY, None)
    flash("participants", tr("participants.revoked", who=who))


def _hide_link() -> None:
    st.session_state.pop(LINK_KEY, None)


def _shown_once(key: str, round_id: int) -> dict | None:
    """What a creation left in the session under ``key`` for this round (links shown once), or None;
    made for another round (chosen meanwhile), it is dropped, never shown here."""
    made = st.session_state.get(key)
    if made and made["round"] != round_id:
        st.session_state.pop(key, None)
        return None
    return made or None


def _active_participant_links(invitations) -> int:
    return sum(1 for i in invitations if i.role == PARTICIPANT and not i.revoked)


def _new_link(round_id: int) -> None:
    """The link just created, once: as text to copy and as a QR code for the projector."""
    link = _shown_once(LINK_KEY, round_id)
    if link is None:
        return
    who, role = link["who"], tr(f"role.{link['role']}")
    with st.container(border=True):
        st.subheader(tr("participants.link_heading", who=escape_md(who)), anchor=False)
        st.markdown(tr("participants.link_intro", role=role))
        st.code(link["url"], language=None, wrap_lines=True)
        try:
            png = qr.qr_png(link["url"])
        except ValueError:
            png = None
        if png is not None:
            with st.container(width=QR_WIDTH):  # at most QR_WIDTH, narrower on a phone
                st.image(png, width="stretch", output_format="PNG", caption=tr("participants.qr_caption", who=who),
                         alt=tr("participants.qr_alt", who=who, role=role))
            st.download_button(tr("participants.qr_download"), png, file_name="inbjudan-qr.png", mime="image/png",
                               key="participants_qr_download", on_click="ignore")
        st.warning(tr("participants.link_once"))
        st.button(tr("participants.hide_link"), key="participants_hide_link", on_click=_hide_link, type="primary")


def _invitations(db, actor, summary) -> None:
    st.markdown(tr("participants.invite_intro"))
    base = st.text_input(tr("participants.base_url"), value=_default_base_url(), key="participants_base_url",
                         help=tr("participants.base_url_help"), placeholder="http://192.168.1.10:8501")
    ok = valid_base_url(base)
    if not ok:
        st.warning(tr("participants.base_url_invalid"))
    try:
        participants = rounds.setup_document(db, actor, summary.id).get("participants", [])
        invitations = auth.list_invitations(db, actor, summary.id)
        towns = {m.id: m.name for m in committee_store.committee(db, actor, summary.id).municipalities}
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return

    _all_at_once(summary, participants, invitations, ok)

    st.subheader(tr("participants.for_participants"), anchor=False)
    if not participants:
        st.info(tr("participants.none"))
    for p in participants:
        text, button = st.columns([3, 2], vertical_alignment="center")
        org = f" · {escape_md(p['organisation'])}" if p.get("organisation") else ""
        text.markdown(f"**{escape_md(p['name'])}**{org}  \n`{escape_md(p['id'])}`")
        button.button(tr("participants.create_link_for", name=safe_text.md_label(p["name"])), key=f"participants_invite_{p['id']}",
                      disabled=not ok, on_click=_create, args=(summary.id, PARTICIPANT, p["id"], p["name"]))

    st.subheader(tr("participants.for_viewers"), anchor=False)
    st.markdown(tr("participants.viewer_intro"))
    st.text_input(tr("participants.viewer_label"), value=tr("participants.viewer_default"),
                  key="participants_viewer_label")
    st.button(tr("participants.create_viewer_link"), key="participants_invite_viewer", disabled=not ok,
              on_click=_create, args=(summary.id, VIEWER, None, ""))

    _municipal_links(summary.id, towns, ok)

    st.subheader(tr("participants.list_heading"), anchor=False)
    if not invitations:
        st.caption(tr("participants.no_invitations"))
        return
    names = {p["id"]: p["name"] for p in participants}
    head = st.columns([2, 4, 2, 3])
    for col, k in zip(head, ("list_role", "list_who", "list_state", "list_action"), strict=True):
        col.markdown(f"**{tr(f'participants.{k}')}**")
    for inv in invitations:
        if inv.role == PARTICIPANT:
            who = names.get(inv.participant_key, inv.participant_key or "")
        elif inv.role == MUNICIPALITY:
            town = towns.get(inv.municipality or "", inv.municipality or "")
            who = f"{town} ({inv.label})" if inv.label else town
        else:
            who = inv.label or tr("participants.viewer_default")
        role_col, who_col, state_col, action_col = st.columns([2, 4, 2, 3], vertical_alignment="center")
        role_col.markdown(escape_md(tr(f"role.{inv.role}")))
        who_col.markdown(escape_md(who))
        state_col.markdown(escape_md(tr("participants.state_revoked" if inv.revoked else "participants.state_active")))
        if not inv.revoked:
            action_col.button(tr("participants.revoke_for", who=who), key=f"participants_revoke_{inv.id}",
                              on_click=_revoke, args=(inv.id, who))


def _municipal_links(round_id: int, towns: dict[str, str], ok: bool) -> None:
    """Issue 13: a link for a municipal representative, bound to one member municipality of the
    round's committee (the municipalities are set on the committee page)."""
    st.subheader(tr("participants.for_municipalities"), anchor=False)
    if not towns:
        st.info(tr("participants.no_municipalities", page=tr("nav.committee"), section=tr("nav.section.process")))
        return
    st.markdown(tr("participants.municipal_intro"))
    st.selectbox(tr("participants.municipality"), list(towns), key="participants_municipality",
                 format_func=lambda m: towns.get(m, m))
    st.text_input(tr("participants.municipal_label"), key="participants_municipal_label",
                  max_chars=text_rules.MAX_NAME, help=tr("participants.municipal_label_help"))
    st.button(tr("participants.create_municipal_link"), key="participants_invite_municipality", disabled=not ok,
              on_click=_create, args=(round_id, MUNICIPALITY, None, "", towns))


# --- all participants at once: the printable sheet and the e-mails ------------------------------


def _all_at_once(summary, participants, invitations, ok: bool) -> None:
    """Issue 11 #10: new links for every participant in one step, the earlier participant links
    revoked in the same transaction (confirmed first; viewer links kept), offered as a printable
    sheet and as ready e-mails."""
    st.subheader(tr("participants.all_heading"), anchor=False)
    if not participants:
        st.info(tr("participants.none"))
        return
    st.markdown(tr("participants.all_intro", n=len(participants)))
    st.markdown(tr("participants.all_old_links"))
    st.text_input(tr("participants.all_contact"), key="participants_all_contact", max_chars=text_rules.MAX_NAME,
                  help=tr("participants.all_contact_help"))
    active = _active_participant_links(invitations)
    confirmed = True
    if active and summary.status in ("scoring", "second_round"):  # people may be scoring right now
        st.warning(tr("participants.all_scoring_open", n=active), icon=":material/warning:")
    if active:
        confirmed = st.checkbox(tr("participants.all_confirm", n=active), key="participants_all_confirm")
    st.button(tr("participants.all_button"), key="participants_invite_all", type="primary",
              disabled=not ok or not confirmed, on_click=_create_all, args=(summary.id,))
    _sheet(summary.id)


def _create_all(round_id: int) -> None:
    """Button callback: all the new links (only) into the session, or nothing at all."""
    db, actor = state.db(), state.actor()
    base = st.session_state.get("participants_base_url", "")
    if not valid_base_url(base):
        st.session_state["participants_error"] = tr("participants.base_url_invalid")
        return
    try:
        # checked again here: the disabled state lives in the browser, and links may have been made
        # elsewhere since the page was drawn
        active = _active_participant_links(auth.list_invitations(db, actor, round_id))
        if active and not st.session_state.get("participants_all_confirm"):
            st.session_state["participants_error"] = tr("participants.all_confirm_needed")
            return
        info = rounds.round_info(db, actor, round_id)
        made, revoked = auth.invite_all_participants(db, actor, round_id)
    except (InputError, AccessDenied) as e:
        st.session_state["participants_error"] = state.error_text(e)
        return
    except SQLAlchemyError:  # the transaction was rolled back: no new link, no old one revoked
        st.session_state["participants_error"] = tr("participants.all_failed")
        return
    st.session_state["participants_all_confirm"] = False  # set, not removed: the browser's box is cleared too
    shown = st.session_state.get(LINK_KEY)
    if shown and shown.get("role") == PARTICIPANT:  # its link has just been revoked
        st.session_state.pop(LINK_KEY, None)
    st.session_state[SHEET_KEY] = {
        "round": round_id, "round_name": info["name"], "data_label": info["data_label"],
        "created_at": made[0].created_at, "revoked": revoked,
        "links": [{"invitation_id": m.id, "key": m.participant_key, "name": m.name,
                   "organisation": m.organisation, "url": invitation_link(base, m.token)} for m in made]}


def _hide_sheet() -> None:
    st.session_state.pop(SHEET_KEY, None)


def _sheet(round_id: int) -> None:
    """The links just made for everyone, once: the printable sheet, the e-mails as one text file,
    and each e-mail to copy."""
    made = _shown_once(SHEET_KEY, round_id)
    if made is None:
        return
    lang = state.lang()
    people = [sheet.Invitee(x["name"], x["url"], x.get("organisation")) for x in made["links"]]
    contact = (st.session_state.get("participants_all_contact") or "").strip() or None
    created_at, round_name, label = made["created_at"], made["round_name"], made["data_label"]
    mails = sheet.emails(round_name, people, created_at, lang=lang, data_label=label, contact=contact)
    pdf_name, txt_name = sheet.file_names(round_name, created_at, lang)
    n, revoked = len(people), made["revoked"]
    with st.container(border=True):
        st.subheader(tr("participants.all_sheet_heading", n=n), anchor=False)
        done = tr("participants.all_created", n=n) + " " + (
            tr("participants.all_revoked", n=revoked) if revoked else tr("participants.all_revoked_none"))
        st.success(done)
        st.caption(sheet.created_text(created_at, lang))
        st.warning(tr("participants.all_once"))
        left, right = st.columns(2)
        left.download_button(
            tr("participants.all_pdf"), key="participants_sheet_pdf", file_name=pdf_name, mime="application/pdf",
            on_click="ignore", type="primary",
            data=lambda: sheet.sheet_pdf(round_name, people, created_at, lang=lang, data_label=label,
                                         contact=contact))
        right.download_button(
            tr("participants.all_txt"), key="participants_sheet_txt", file_name=txt_name, mime="text/plain",
            on_click="ignore",  # built on click only: the file holds every link
            data=lambda: sheet.emails_txt(round_name, mails, created_at, lang=lang).encode("utf-8"))
        st.caption(tr("participants.all_mails"))
        for x, mail in zip(made["links"], mails, strict=True):
            with st.expander(tr("participants.all_mail_for", name=safe_text.md_label(x["name"])),
                             key=f"participants_mail_{x['key']}"):
                st.caption(tr("participants.all_subject"))
                st.code(mail.subject, language=None, wrap_lines=True)
                st.caption(tr("participants.all_body"))
                st.code(mail.body, language=None, wrap_lines=True)
        st.button(tr("participants.all_hide"), key="participants_sheet_hide", on_click=_hide_sheet)


EDITOR = TableEditor("participants", "participants", "participants", participants_frame, apply_participant_delta,
                     _store, lambda problems: show_problems(problems, "participants", "participants.problems_heading"),
                     removing_scored("participant", "participants", "participants.remove_links"))
