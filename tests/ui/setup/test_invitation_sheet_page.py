"""The participants page, links tab: invitations for every participant at once (issue 11 #10).

New links for all, the earlier participant links revoked in the same step after a confirmation,
viewer links kept, all or nothing; the links only in the session; the printable sheet and the
e-mails offered for download and to copy; names never reach Markdown unescaped; only the
facilitator gets here."""

import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from prioritization import safe_text
from prioritization.storage import audit, auth, rounds
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from prioritization.ui.setup.setup_participants import SHEET_KEY
from tests.ui.conftest import shown

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "setup_participants_app.py")
PAGE_URL = "http://10.0.0.5:8501/setup_participants"
HOSTILE = "**Fet** [länk](http://evil.invalid/x) $x^2$ <b>html</b> :red[röd]"


def page(actor, lang="sv") -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state["lang"] = lang
    at.context["url"] = PAGE_URL
    return at.run()


@pytest.fixture
def rid(app_db, fac) -> int:
    return rounds.list_rounds(app_db, fac)[0].id


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def sheet_links(at) -> list[dict]:
    return at.session_state[SHEET_KEY]["links"]


def all_button(at):
    return at.button(key="participants_invite_all")


def test_without_earlier_links_no_confirmation_is_asked(app_db, fac, rid, click_download):
    at = page(fac)
    assert not at.exception
    assert "participants_all_confirm" not in [c.key for c in at.checkbox]
    assert all_button(at).label == "Skapa inbjudningar för alla deltagare"
    assert any("Tidigare länkar slutar fungera" in m.value and "Åskådarlänkar" in m.value for m in at.markdown)
    at.text_input(key="participants_all_contact").input("Anna Berg, 08-123 456 78").run()
    all_button(at).click().run()
    assert not at.exception and not at.error
    people = rounds.setup_document(app_db, fac, rid)["participants"]
    links = sheet_links(at)
    assert [x["key"] for x in links] == [p["id"] for p in people] and len(links) == 8
    for x in links:
        assert x["url"].startswith("http://10.0.0.5:8501/?token=")
        a = auth.actor_for_token(app_db, token_of(x["url"]))
        assert (a.role, a.round_id, a.participant_key) == (PARTICIPANT, rid, x["key"])
    assert "8 nya deltagarlänkar är skapade. Det fanns inga tidigare deltagarlänkar att återkalla." in [
        s.value for s in at.success]
    assert any(w.value.startswith("Länkarna visas bara nu") for w in at.warning)
    assert any(c.value.startswith("Skapad ") and c.value.endswith("(svensk tid)") for c in at.caption)

    # the sheet: one page per participant with their own link
    pdf = PdfReader(io.BytesIO(click_download(at, "participants_sheet_pdf")))
    assert len(pdf.pages) == 8
    for p, x in zip(pdf.pages, links, strict=True):
        text = " ".join(p.extract_text().split())
        assert x["name"] in text and x["url"] in text
        assert [y["url"] for y in links if y["url"] in text] == [x["url"]]
        assert "EXEMPELDATA" in text and "Kontakta Anna Berg, 08-123 456 78." in text
    # the e-mails: one file, and one expander each with subject and text to copy
    txt = click_download(at, "participants_sheet_txt").decode("utf-8")
    assert all(x["url"] in txt for x in links) and txt.count("Till: ") == 8
    assert len(at.expander) == 8
    for exp, x in zip(at.expander, links, strict=True):
        assert shown(exp.label) == f"E-post till {x['name']}"
        subject, body = [c.value for c in exp.code]
        assert subject.startswith("Din personliga länk till ")
        assert x["url"] in body and f"Hej {x['name']}!" in body
        assert [y["url"] for y in links if y["url"] in body] == [x["url"]]


def test_earlier_participant_links_are_revoked_after_confirmation_and_viewer_links_kept(app_db, fac, rid):
    old = auth.invite(app_db, fac, rid, PARTICIPANT, "p-haninge")
    old_too = auth.invite(app_db, fac, rid, PARTICIPANT, "p-salem")
    committee = auth.invite(app_db, fac, rid, VIEWER, label="Samarbetskommittén")
    at = page(fac)
    confirm = at.checkbox(key="participants_all_confirm")
    assert confirm.label == "Ja, återkalla de 2 deltagarlänkar som gäller nu" and not confirm.value
    assert all_button(at).disabled  # not before the confirmation

    at.checkbox(key="participants_all_confirm").check().run()
    assert not all_button(at).disabled
    all_button(at).click().run()
    assert not at.exception and not at.error
    assert auth.actor_for_token(app_db, old) is None and auth.actor_for_token(app_db, old_too) is None
    assert auth.actor_for_token(app_db, committee).role == VIEWER
    assert "8 nya deltagarlänkar är skapade. 2 tidigare deltagarlänkar är återkallade och fungerar inte längre." in [
        s.value for s in at.success]
    assert all(auth.actor_for_token(app_db, token_of(x["url"])) is not None for x in sheet_links(at))
    # the confirmation is not carried over to the next time
    assert at.checkbox(key="participants_all_confirm").label == "Ja, återkalla de 8 deltagarlänkar som gäller nu"
    assert not at.checkbox(key="participants_all_confirm").value
    assert all_button(at).disabled


def test_during_scoring_the_page_warns_that_signed_in_participants_are_signed_out(app_db, fac, rid):
    """Review: the confirmation did not say that people scoring right now lose their session."""
    auth.invite(app_db, fac, rid, PARTICIPANT, "p-haninge")
    warned = "Poängsättningen pågår. Deltagare som är inloggade med en tidigare länk loggas ut"
    assert not [w for w in page(fac).warning if w.value.startswith(warned)]  # set-up: nobody is scoring
    rounds.set_status(app_db, fac, rid, "scoring")
    assert [w for w in page(fac).warning if w.value.startswith(warned)]


def test_links_made_elsewhere_meanwhile_still_need_the_confirmation(app_db, fac, rid):
    """The page was drawn when no participant link worked (no confirmation asked); another
    facilitator tab makes one before the click: the click is refused, nothing is revoked."""
    at = page(fac)
    assert not all_button(at).disabled and not at.checkbox
    meanwhile = auth.invite(app_db, fac, rid, PARTICIPANT, "p-tyreso")
    all_button(at).click().run()
    assert at.error[0].value.startswith("Inget gjordes: bekräfta först")
    assert SHEET_KEY not in at.session_state
    assert auth.actor_for_token(app_db, meanwhile).participant_key == "p-tyreso"
    assert len(auth.list_invitations(app_db, fac, rid)) == 1
    assert at.checkbox(key="participants_all_confirm").label == "Ja, återkalla den deltagarlänk som gäller nu"


def test_a_failure_leaves_the_old_links_and_makes_none(app_db, fac, rid, monkeypatch):
    old = auth.invite(app_db, fac, rid, PARTICIPANT, "p-haninge")
    at = page(fac)
    at.checkbox(key="participants_all_confirm").check().run()
    record = audit.record

    def failing(s, actor, round_id, action, *args, **kw):
        if action == "invitation.create" and kw.get("target", args[0] if args else None) == "p-nykvarn":
            raise OperationalError("INSERT INTO audit_log", {}, Exception("disk I/O error"))
        return record(s, actor, round_id, action, *args, **kw)

    monkeypatch.setattr(auth.audit, "record", failing)
    all_button(at).click().run()
    monkeypatch.undo()
    assert not at.exception
    assert at.error[0].value == ("Det gick inte att skapa inbjudningarna. Inga nya länkar skapades och inga "
                                 "tidigare återkallades. Försök igen.")
    assert SHEET_KEY not in at.session_state
    assert auth.actor_for_token(app_db, old).participant_key == "p-haninge"
    assert [(i.participant_key, i.revoked) for i in auth.list_invitations(app_db, fac, rid)] == [("p-haninge", False)]


def test_the_single_link_shown_is_dropped_once_it_is_revoked(app_db, fac, rid):
    at = page(fac)
    at.button(key="participants_invite_p-haninge").click().run()
    assert "participants_new_link" in at.session_state
    at.checkbox(key="participants_all_confirm").check().run()
    all_button(at).click().run()
    assert "participants_new_link" not in at.session_state  # its link no longer works


def test_revoking_one_link_of_the_sheet_takes_it_off_the_sheet(app_db, fac, rid, click_download):
    at = page(fac)
    all_button(at).click().run()
    first = sheet_links(at)[0]
    at.button(key=f"participants_revoke_{first['invitation_id']}").click().run()
    assert [x["key"] for x in sheet_links(at)][0] != first["key"] and len(sheet_links(at)) == 7
    txt = click_download(at, "participants_sheet_txt").decode("utf-8")
    assert first["url"] not in txt


def test_hiding_the_links_forgets_them(app_db, fac, rid):
    at = page(fac)
    all_button(at).click().run()
    tokens = [token_of(x["url"]) for x in sheet_links(at)]
    at.button(key="participants_sheet_hide").click().run()
    assert SHEET_KEY not in at.session_state
    assert not at.expander and not list(at.get("download_button"))
    assert all(t not in str(v) for t in tokens for v in at.session_state.values())
    assert all(auth.actor_for_token(app_db, t) is not None for t in tokens)  # hidden, not revoked


def test_names_with_markdown_are_shown_literally(app_db, fac, rid):
    people = rounds.setup_document(app_db, fac, rid)["participants"]
    people[0] = {**people[0], "name": HOSTILE}
    rounds.replace_setup(app_db, fac, rid, {"participants": people}, rounds.round_info(app_db, fac, rid)["row_version"])
    at = page(fac)
    all_button(at).click().run()
    assert not at.exception
    label = at.expander[0].label
    assert label == f"E-post till {safe_text.md_label(HOSTILE)}" and shown(label) == f"E-post till {HOSTILE}"
    assert f"Hej {HOSTILE}!" in at.expander[0].code[1].value  # st.code: shown as typed
    assert all("evil.invalid" not in m.value or "\\[" in m.value for m in at.markdown)


def test_english(app_db, fac, rid):
    at = page(fac, lang="en")
    assert all_button(at).label == "Create invitations for all participants"
    all_button(at).click().run()
    assert at.expander[0].code[0].value.startswith("Your personal link to ")
    assert shown(at.expander[0].label).startswith("E-mail to ")


@pytest.mark.parametrize("role", [PARTICIPANT, VIEWER])
def test_participants_and_viewers_cannot_reach_it(app_db, fac, rid, role):
    old = auth.invite(app_db, fac, rid, PARTICIPANT, "p-haninge")
    actor = Actor(role, "Haninge", round_id=rid, participant_key="p-haninge" if role == PARTICIPANT else None)
    at = page(actor)
    assert not at.exception
    assert at.error[0].value == "Bara facilitatorn får göra detta."
    assert not at.button and not at.checkbox and not at.text_input
    assert auth.actor_for_token(app_db, old) is not None and len(auth.list_invitations(app_db, fac, rid)) == 1
