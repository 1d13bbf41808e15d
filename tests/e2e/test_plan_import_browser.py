"""The plan-list import preview in a real browser: the facilitator opens "Import av planlista" from the
navigation, states the source, uploads the Bilaga 1 test fixture and sees the change report with the
apply and cancel buttons, before anything is written; screenshot test-artifacts/e2e/plan-import.png."""

from prioritization.storage import rounds
from prioritization.storage.access import FACILITATOR, Actor
from tests.conftest import FIXTURES
from tests.e2e.conftest import login_facilitator, shot, wait_app

BILAGA1 = FIXTURES / "bilaga1-np-2026-2037-test.xlsx"


def test_plan_import_preview_shows_the_change_report(browser, server):
    fac = Actor(FACILITATOR, "Facilitator")
    rid = rounds.list_rounds(server["db"], fac)[0].id
    before = rounds.round_info(server["db"], fac, rid)["row_version"]
    context = browser.new_context(viewport={"width": 1280, "height": 2400}, locale="sv-SE")
    page = login_facilitator(context, server)
    page.get_by_role("link", name="Import av planlista").click()
    page.get_by_role("heading", name="Import av planens objektlista").wait_for(timeout=30_000)
    wait_app(page)
    source = page.get_by_role("textbox", name="Källa")
    source.fill("Bilaga 1 (testfil), regeringsbeslut 28 april 2026")
    source.press("Enter")
    wait_app(page)
    page.locator('input[type="file"]').set_input_files(str(BILAGA1))
    page.get_by_role("heading", name="Ändringsrapport").wait_for(timeout=60_000)
    wait_app(page)
    assert page.get_by_text("rader i listan matchar inget objekt", exact=False).first.is_visible()
    assert page.get_by_role("button", name="Tillämpa ändringarna").is_visible()
    assert page.get_by_role("button", name="Avbryt").is_visible()
    shot(page, "plan-import")
    assert rounds.round_info(server["db"], fac, rid)["row_version"] == before  # the preview wrote nothing
    context.close()
