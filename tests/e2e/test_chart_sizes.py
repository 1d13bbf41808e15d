"""Charts keep a readable plot area in a real browser (AppTest and spec tests cannot see this).

Streamlit's default Vega-Lite autosize ("fit", padding contained) squeezes the title, the legend
and the axes *into* a chart's fixed height: the weight-curve chart on Känslighetsanalys and the
benefit-against-cost chart on Kostnad och budget came out with a plot area of 30-40 px. Every chart
on both pages must be at least 150 px tall, and the plot area (the background of the chart's SVG
frame) of those two charts too. (Charts with one row per object are as tall as their rows: the
portfolio bars of the example's two costed objects have a 56 px plot, by design.)
Screenshots: test-artifacts/e2e/charts-*.png.
"""

from tests.e2e.conftest import login_facilitator, shot, wait_app

MIN_HEIGHT = 150
CHART = '[data-testid="stVegaLiteChart"]'
PAGES = {"Känslighetsanalys": ("charts-sensitivity", "Rangordningen håller"),
         "Kostnad och budget": ("charts-portfolio", "ligger på den effektiva fronten")}
# the fixed-height chart of each page, found by its text alternative (the accessible name)

MEASURE = """e => {
  const plot = e.querySelector('svg .role-frame .background');
  const r = plot ? plot.getBoundingClientRect() : null;
  return {label: e.getAttribute('aria-label') || '', plot: r ? r.height : null};
}"""


def _charts(page) -> list[dict]:
    """Every chart on the page: its accessible name, its box and its plot area's height (after
    scrolling to it, so that it is drawn)."""
    out = []
    for el in page.locator(CHART).all():
        el.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        out.append({**el.evaluate(MEASURE), "box": el.bounding_box()})
    return out


def test_charts_are_not_squeezed(browser, server):
    # tall enough for the whole page in one screenshot (Streamlit scrolls inside its own container)
    ctx = browser.new_context(viewport={"width": 1280, "height": 8000}, locale="sv-SE")
    page = login_facilitator(ctx, server)
    wait_app(page)
    for name, (picture, fixed_alt) in PAGES.items():
        page.get_by_role("link", name=name).click()
        page.get_by_role("heading", name=name, level=1).wait_for(timeout=60_000)
        wait_app(page)
        page.locator(f"{CHART} svg").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)  # Vega draws after the element exists
        found = _charts(page)
        shot(page, picture)
        assert found, f"no chart on {name}"
        for chart in found:
            assert chart["box"]["height"] >= MIN_HEIGHT, (name, chart)
        fixed = [c for c in found if fixed_alt in c["label"]]
        assert fixed, (name, [c["label"][:60] for c in found])
        for chart in fixed:
            assert chart["plot"] is not None and chart["plot"] >= MIN_HEIGHT, (name, chart)
    ctx.close()
