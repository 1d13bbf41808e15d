"""The timeline page in a real browser: the facilitator opens it from the navigation, the Gantt
chart is drawn, the countdown sentence is shown; screenshots test-artifacts/e2e/timeline.png,
timeline-template.png (the template tab with its preview) and timeline-table.png (the editor).

The server runs on the real date, so the expected countdown is computed by the domain for today."""

from datetime import date

from prioritization.storage import timeline as store
from prioritization.storage.access import FACILITATOR, Actor
from prioritization.timeline.labels import countdown_text
from tests.e2e.conftest import login_facilitator, shot, wait_app

FAC = Actor(FACILITATOR, "test")


def test_timeline_page_draws_the_gantt_chart(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 2600}, locale="sv-SE")
    page = login_facilitator(context, server)
    page.get_by_role("link", name="Tidslinje").click()
    page.get_by_role("heading", name="Tidslinje fram till beslutet").wait_for(timeout=30_000)
    wait_app(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("canvas, svg").first.wait_for(timeout=30_000)
    box = chart.bounding_box()
    milestones = store.state(server["db"], FAC, 1).milestones
    assert box["height"] > 26 * len(milestones)  # one row per milestone, not squeezed
    expected = countdown_text(milestones, date.today(), "sv")
    page.get_by_role("heading", name=expected).wait_for(timeout=10_000)
    assert page.get_by_role("button", name="Ladda ner kalenderfil (.ics)").is_visible()
    page.wait_for_timeout(500)  # let the chart finish drawing before the screenshot
    shot(page, "timeline")
    # the facilitator's template tab: the preview of the next plan round is drawn too
    page.get_by_role("tab", name="Ny omgång från mall").click()
    page.get_by_text("beslutet om prioriteringslistan blir").wait_for(timeout=10_000)
    page.locator('[data-testid="stVegaLiteChart"]').nth(1).locator("canvas, svg").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    shot(page, "timeline-template")
    # the milestone table editor
    page.get_by_role("tab", name="Alla milstolpar (tabell)").click()
    page.get_by_role("button", name="Spara milstolparna").wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    shot(page, "timeline-table")
    context.close()
