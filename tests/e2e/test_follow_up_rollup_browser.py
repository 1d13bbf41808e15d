"""The follow-up roll-up per municipality and phase (issue 14) in a real browser: the facilitator
opens Bevakning and sees the sentence saying what is counted, the table and the chart with its text
alternative, one bar per municipality of the followed-up objects. Screenshot:
test-artifacts/e2e/follow-up-rollup.png."""

from prioritization import projectfile
from prioritization.report import follow_up_rollup as rollup
from tests.conftest import EXAMPLE
from tests.e2e.conftest import login_facilitator, shot, wait_app


def test_follow_up_roll_up_per_municipality(browser, server):
    project = projectfile.load(EXAMPLE)
    municipalities = [m for m in rollup.rollup(project) if m]  # the example's followed-up objects have some
    assert len(municipalities) > 1
    context = browser.new_context(viewport={"width": 1280, "height": 3200}, locale="sv-SE")
    page = login_facilitator(context, server)
    page.get_by_role("link", name="Bevakning").click()
    wait_app(page)
    page.get_by_role("heading", name="Per kommun och fas").wait_for(timeout=30_000)
    sentence = page.get_by_text("räknas i varje kommuns rad", exact=False).first
    assert "varje objekt en gång" in sentence.inner_text()
    chart = page.locator(f'[data-testid="stVegaLiteChart"][aria-label="{rollup.chart_alt(project)}"]')
    chart.locator("svg .role-mark").first.wait_for(timeout=30_000)  # the chart is drawn, with its text alternative
    labels = chart.locator("svg .role-axis-label text").evaluate_all("ts => ts.map(t => t.textContent)")
    assert all(m in labels for m in municipalities), labels
    assert chart.bounding_box()["height"] > 100
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(page, "follow-up-rollup")
    context.close()
