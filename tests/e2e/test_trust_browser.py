from pathlib import Path

"""Issue 10 in a real browser: what a viewer, a facilitator and a hostile name can do.

* #7: a committee member opening a version frozen during scoring sees and downloads anonymous
  ratings only; once the round is locked, the named file.
* #9: names written as Markdown (a remote image that would track who opens the dashboard, a link)
  show as text on the result pages; the browser never asks the remote host for anything.
* #8: the versions page says that the version was checked and is sealed.
* #10: a project file with a name a spreadsheet would run as a formula is refused on upload.
"""

import json

from prioritization import projectfile
from prioritization.storage import auth, rounds, scores, versions
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER, Actor
from tests.conftest import EXAMPLE
from tests.e2e.conftest import login_facilitator, open_link, shot, wait_app, wait_cookie
from tests.ui.test_hostile_text import hostile_round

FAC = Actor(FACILITATOR, "test")
TRACKER = "tracker.invalid"


def open_versions(page, base: str) -> None:
    page.get_by_role("link", name="Versioner").click()
    page.get_by_text("SHA-256", exact=False).first.wait_for(timeout=60_000)
    wait_app(page)


def test_a_viewer_gets_only_anonymous_ratings_from_a_version_frozen_during_scoring(browser, server):
    db, base = server["db"], server["url"]
    doc = json.loads(json.dumps(hostile_round()))
    doc["name"] = "Anonymitetsprov (Exempeldata)"
    rid = rounds.import_project(db, FAC, projectfile.parse(doc, require_complete=False))
    rounds.set_status(db, FAC, rid, "scoring")
    first = doc["participants"][1]
    scores.save_score(db, Actor(PARTICIPANT, first["name"], round_id=rid, participant_key=first["id"]), rid,
                      next(o["id"] for o in doc["objects"] if o.get("status", "candidate") == "candidate"),
                      doc["criteria"][0]["id"], 2, "Min egen kommentar")
    versions.freeze(db, FAC, rid, "Fryst mitt i bedömningen")
    token = auth.invite(db, FAC, rid, VIEWER, label="Samarbetskommittén")

    ctx, page = open_link(browser, base, token)
    page.get_by_text("individuella bedömningar visas utan namn", exact=False).first.wait_for(timeout=30_000)
    open_versions(page, base)
    shot(page, "trust-viewer-versions-before-check")
    page.get_by_text("Kontrollerad: versionen är den som frystes", exact=False).first.wait_for(timeout=30_000)
    page.get_by_text("anonyma individuella bedömningar", exact=False).first.wait_for(timeout=30_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ned").first.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    shot(page, "trust-viewer-versions")
    assert "Anonym deltagare 1" in text and "Min egen kommentar" in text
    for person in doc["participants"]:
        assert f'"{person["id"]}"' not in text and person["name"] not in text
    ctx.close()

    # locked: the committee gets the file as frozen, names and all
    for status in ("revealed", "locked"):
        rounds.set_status(db, FAC, rid, status)
    ctx, page = open_link(browser, base, token)
    open_versions(page, base)
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ned").first.click()
    assert f'"{first["id"]}"' in Path(info.value.path()).read_text(encoding="utf-8")
    ctx.close()



def test_names_written_as_markdown_stay_text_and_fetch_nothing(browser, server):
    db, base = server["db"], server["url"]
    doc = hostile_round()
    rid = rounds.import_project(db, FAC, projectfile.parse(doc, require_complete=False))
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(db, FAC, rid, status)
    token = auth.invite(db, FAC, rid, VIEWER, label="Samarbetskommittén")
    ctx = browser.new_context(viewport={"width": 1280, "height": 2400}, locale="sv-SE")
    asked: list[str] = []
    ctx.on("request", lambda r: asked.append(r.url) if TRACKER in r.url else None)
    page = ctx.new_page()
    page.goto(f"{base}/?token={token}")
    page.get_by_role("heading", name="Rangordnad lista").wait_for(timeout=60_000)
    # each page is opened by address below, a new page load: the browser must hold the session cookie
    # first (a loaded CI machine loaded the next address before the page's script had set it)
    wait_cookie(page)
    for path in ("overview", "sensitivity", "portfolio", "timeline", "follow_up"):
        page.goto(f"{base}/{path}")
        page.locator('[data-testid="stMain"]').wait_for(timeout=60_000)
        wait_app(page)
        page.wait_for_timeout(1500)
        # the committee's page, not the sign-in page (where nothing could leak and the check is empty)
        assert page.get_by_label("Facilitatorns lösenord").count() == 0, path
        live = page.evaluate("""(host) => [
            ...[...document.querySelectorAll('img')].filter(i => (i.src || '').includes(host)).map(i => 'img ' + i.src),
            ...[...document.querySelectorAll('a')].filter(a => (a.href || '').includes(host)).map(a => 'a ' + a.href + ' in ' + a.parentElement.outerHTML.slice(0, 300)),
        ]""", TRACKER)
        assert live == [], (path, live)
        shot(page, f"trust-hostile-{path}")
    # the names are there, as text
    page.get_by_role("link", name="Rangordning").click()  # in the app, as a person would (no new page load)
    page.get_by_role("heading", name="Rangordnad lista").wait_for(timeout=120_000)
    wait_app(page)
    assert page.get_by_text("[klicka](http://tracker.invalid)", exact=False).first.is_visible()
    assert asked == []
    ctx.close()


def test_a_formula_like_name_never_enters_a_round(browser, server, tmp_path):
    """#10: the data grid's own "Download as CSV" writes names as they are, so a name a spreadsheet
    would run (=HYPERLINK…) must never be stored: a project file carrying one is refused on upload,
    with the place named, and no round is created."""
    db = server["db"]
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["name"] = "Formelprov"
    doc["objects"][2]["name"] = '=HYPERLINK("http://tracker.invalid","klick")'
    upload = tmp_path / "formel.json"
    upload.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = [r.name for r in rounds.list_rounds(db, FAC)]
    ctx = browser.new_context(viewport={"width": 1280, "height": 2000}, locale="sv-SE")
    page = login_facilitator(ctx, server)
    page.get_by_role("link", name="Omgångar").click()
    page.get_by_text("Projektfil (.json)").first.wait_for(timeout=30_000)
    page.locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_role("button", name="Skapa omgång").click()
    error = page.get_by_text("Projektfilen är felaktig", exact=False).first
    error.wait_for(timeout=30_000)
    assert "objects[2].name" in error.inner_text() and "formula" in error.inner_text()
    shot(page, "trust-formula-refused")
    assert [r.name for r in rounds.list_rounds(db, FAC)] == before
    ctx.close()
