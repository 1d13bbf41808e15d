"""The app starts, the facilitator signs in and sees the example ranking in Swedish."""

from tests.e2e.conftest import login_facilitator, shot


def test_facilitator_sees_example_ranking(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = login_facilitator(context, server)
    page.get_by_text("Exempeldata", exact=False).first.wait_for(timeout=30_000)  # visible (waits under load)
    page.wait_for_function("document.documentElement.lang === 'sv'", timeout=10_000)  # for screen readers
    page.get_by_role("heading", name="Redan prioriterade – bevakas").first.wait_for(timeout=30_000)
    shot(page, "smoke-facilitator-ranking")
    # the PDF decision document is built on click and downloads in the browser
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Beslutsunderlag (PDF)").click()
    path = dl.value.path()
    import pypdf

    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages)
    assert "Beslutsunderlag" in text and "Exempeldata" in text
    context.close()


def test_wrong_password_message(browser, server):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(server["url"])
    page.get_by_label("Facilitatorns lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Fel lösenord.").wait_for(timeout=20_000)
    shot(page, "smoke-wrong-password")
    context.close()
