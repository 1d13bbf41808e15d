"""The follow-up (bevakning) page in a real browser: the facilitator opens it from the navigation and
sees Tvärförbindelse Södertörn with its latest step; screenshot test-artifacts/e2e/follow-up.png."""

from prioritization import projectfile
from prioritization.timeline import follow_up
from tests.conftest import EXAMPLE
from tests.e2e.conftest import login_facilitator, shot, wait_app


def test_follow_up_page_shows_the_latest_step(browser, server):
    project = projectfile.load(EXAMPLE)
    track = project.follow_up_of("SOD-01")
    latest = follow_up.latest_step(track)
    context = browser.new_context(viewport={"width": 1280, "height": 2400}, locale="sv-SE")
    page = login_facilitator(context, server)
    page.get_by_role("link", name="Bevakning").click()
    wait_app(page)
    page.get_by_text("Tvärförbindelse Södertörn", exact=False).first.wait_for(timeout=30_000)
    sentence = page.get_by_text("Senaste steg:", exact=False).first
    sentence.wait_for(timeout=30_000)
    assert str(latest.date.year) in sentence.inner_text()
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("canvas, svg").first.wait_for(timeout=30_000)
    assert chart.bounding_box()["height"] > 100
    page.wait_for_timeout(500)
    shot(page, "follow-up")
    context.close()
