from pathlib import Path

"""Issue 11 #10 in a real browser: the facilitator invites all eight municipalities at once,
downloads the printable sheet (PDF) and the e-mail texts (.txt), and a link from the sheet, opened in
a fresh browser, signs in as that participant; an older participant link stops working and the
committee's viewer link keeps working.

Runs on a server and database of its own (the links of the example round are revoked here, which
must not disturb the other browser tests). Screenshots: test-artifacts/e2e/invitation-sheet*.png."""

import io
import re

import pytest
from pypdf import PdfReader

from prioritization.storage import auth, rounds
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER, Actor
from tests.e2e.conftest import PASSWORD, AppServer, login_facilitator, new_database, shot, wait_app

FAC = Actor(FACILITATOR, "test")
CONTACT = "Anna Berg, 08-123 456 78"


@pytest.fixture(scope="module")
def own_server(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e-invitation-sheet")
    url, db = new_database(tmp)
    app = AppServer(url, tmp / "streamlit.log").start()
    yield {"url": app.url, "db": db, "password": PASSWORD}
    app.stop()
    db.dispose()


def links_in(text: str, base: str) -> list[str]:
    return re.findall(re.escape(base) + r"/\?token=[A-Za-z0-9_\-]+", text)


def test_invite_all_print_the_sheet_and_sign_in_from_it(browser, own_server):
    db, base = own_server["db"], own_server["url"]
    rid = rounds.list_rounds(db, FAC)[0].id
    people = rounds.setup_document(db, FAC, rid)["participants"]
    assert len(people) == 8
    old = auth.invite(db, FAC, rid, PARTICIPANT, people[0]["id"])
    committee = auth.invite(db, FAC, rid, VIEWER, label="Samarbetskommittén")

    context = browser.new_context(viewport={"width": 1280, "height": 2400}, locale="sv-SE", accept_downloads=True)
    page = login_facilitator(context, own_server)
    page.get_by_role("link", name="Deltagare och inbjudningar").click()
    page.get_by_role("heading", name="Deltagare och inbjudningar").wait_for(timeout=30_000)
    wait_app(page)
    page.get_by_role("tab", name="Inbjudningslänkar").click()
    page.get_by_role("heading", name="Alla deltagare på en gång").wait_for(timeout=30_000)
    contact = page.get_by_role("textbox", name="Kontakt vid frågor (skrivs på bladet och i e-posten)")
    contact.fill(CONTACT)
    contact.press("Enter")
    wait_app(page)
    button = page.get_by_role("button", name="Skapa inbjudningar för alla deltagare")
    assert button.is_disabled()  # a participant link works already: confirm first
    page.get_by_text("Ja, återkalla den deltagarlänk som gäller nu").click()
    wait_app(page)
    button.click()
    page.get_by_text("8 nya deltagarlänkar är skapade.", exact=False).wait_for(timeout=30_000)
    wait_app(page)
    shot(page, "invitation-sheet-page")
    # the confirmation is not carried over: the 8 new links need a new one before the next sheet
    again = page.get_by_role("checkbox", name="Ja, återkalla de 8 deltagarlänkar som gäller nu")
    assert not again.is_checked() and button.is_disabled()

    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner utskriftsbladet (PDF)").click()
    download = info.value
    assert download.suggested_filename.startswith("inbjudningar-") and download.suggested_filename.endswith(".pdf")
    pages = PdfReader(io.BytesIO(Path(download.path()).read_bytes())).pages
    assert len(pages) == 8
    sheet_links = []
    for p, person in zip(pages, people, strict=True):
        text = " ".join(p.extract_text().split())
        found = links_in(text, base)
        assert len(found) == 1, text  # that participant's link and nobody else's
        assert person["name"] in text and CONTACT in text and "(svensk tid)" in text
        sheet_links.append(found[0])
    assert len(set(sheet_links)) == 8

    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner alla e-posttexter (.txt)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert links_in(text, base) == sheet_links
    assert all(f"Till: {p['name']}" in text for p in people)
    context.close()

    # one link from the sheet, opened in a fresh browser: signed in as that participant
    who = people[3]
    token = sheet_links[3].split("token=", 1)[1]
    fresh = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="sv-SE")
    participant_page = fresh.new_page()
    participant_page.goto(sheet_links[3])
    participant_page.get_by_text(f"Inloggad som {who['name']} (deltagare)").wait_for(timeout=60_000)
    wait_app(participant_page)
    assert "token=" not in participant_page.url
    assert participant_page.get_by_label("Facilitatorns lösenord").count() == 0
    shot(participant_page, "invitation-sheet-participant")
    fresh.close()
    assert auth.actor_for_token(db, token).participant_key == who["id"]
    assert auth.actor_for_token(db, old) is None  # the older link stopped working
    assert auth.actor_for_token(db, committee).role == VIEWER  # the committee's link did not
